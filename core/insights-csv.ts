// The three CSV exports of the Insights view (issue 12): proposals, Connects movements and offers, one file
// each, with the same visibility as the view (a plain member: their own proposals and offers, the agency's
// movements; a business manager: everything). No amounts: offers are counted, never valued (D15), and an
// independent proposal's Connects are the member's own, so its Connects columns stay empty.
import { type Cell, csvText, isoInZone } from './csv.ts';
import {
  balanceSeries,
  firstAgencyProposals,
  isManagerViewer,
  type ObservedBalance,
  type Period,
} from './insights.ts';
import type { AgencyState, MemberId } from './types.ts';

const nameIn = (state: AgencyState, id: MemberId): string => state.members[id]?.name ?? 'a former member';
const within = (at: number, p: Period) => at >= p.from && at < p.to;
const dateHeader = (state: AgencyState) => `date (${state.timeZone})`;

export function proposalsCsv(state: AgencyState, period: Period, viewer: MemberId): string {
  const every = isManagerViewer(state, viewer);
  const first = firstAgencyProposals(state.proposals);
  const rows: Cell[][] = state.proposals
    .filter((p) => within(p.at, period) && (every || p.member === viewer))
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
    .map((p) => {
      const agency = p.as === 'agency';
      return [
        isoInZone(p.at, state.timeZone),
        nameIn(state, p.member),
        p.as,
        p.job,
        p.title,
        agency ? p.connects : null,
        agency ? p.boost : null,
        agency ? p.connects + p.boost : null,
        agency ? (first.get(p.job)?.id === p.id ? 'no' : 'yes') : null,
      ];
    });
  return csvText(
    [
      dateHeader(state),
      'member',
      'proposed as',
      'job',
      'title',
      'connects',
      'boost',
      'total connects',
      'duplicate',
    ],
    rows,
  );
}

/** Every movement of the agency's balance in the period, and every observation, with the balance after it. */
export function movementsCsv(
  state: AgencyState,
  observations: readonly ObservedBalance[],
  period: Period,
): string {
  const series = balanceSeries(state, observations, period);
  const byId = new Map(state.proposals.map((p) => [p.id, p]));
  const rows: Cell[][] = [];
  for (const point of series.points) {
    if (point.kind === 'start') {
      rows.push([
        isoInZone(point.at, state.timeZone),
        'balance at the start',
        null,
        point.balance,
        null,
        null,
      ]);
      continue;
    }
    if (point.kind === 'observation') {
      rows.push([
        isoInZone(point.at, state.timeZone),
        'balance seen',
        point.delta,
        point.balance,
        null,
        null,
      ]);
      continue;
    }
    const p = point.kind === 'proposal' && point.id ? byId.get(point.id) : undefined;
    rows.push([
      isoInZone(point.at, state.timeZone),
      point.kind === 'proposal' ? 'agency proposal' : point.kind,
      point.delta,
      point.balance,
      p ? nameIn(state, p.member) : null,
      p ? p.title : null,
    ]);
  }
  return csvText([dateHeader(state), 'movement', 'connects', 'balance after', 'member', 'job title'], rows);
}

/** Offers as counts: who, on which job, as the agency or independently, and their answer. */
export function offersCsv(state: AgencyState, viewer: MemberId): string {
  const every = isManagerViewer(state, viewer);
  const proposedAt = new Map<string, number>();
  for (const p of state.proposals) {
    const key = `${p.member}\u0000${p.job}`;
    const at = proposedAt.get(key);
    if (at === undefined || p.at < at) proposedAt.set(key, p.at);
  }
  const rows: Cell[][] = Object.values(state.offers)
    .filter((o) => every || o.member === viewer)
    .map((o) => {
      const at = proposedAt.get(`${o.member}\u0000${o.job}`);
      return { o, at: at ?? null };
    })
    .sort((a, b) => (a.at ?? 0) - (b.at ?? 0) || (a.o.id < b.o.id ? -1 : 1))
    .map(({ o, at }) => [
      at === null ? null : isoInZone(at, state.timeZone),
      nameIn(state, o.member),
      o.as,
      o.job,
      o.title,
      o.status,
      o.id,
    ]);
  return csvText(
    [`proposed on (${state.timeZone})`, 'member', 'offer to', 'job', 'title', 'status', 'offer'],
    rows,
  );
}
