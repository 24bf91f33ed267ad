// R4, R5, R6, R8 on the contracts list: who may submit milestones or log time on each contract and whose
// account it pays, and the contracts a plain member's own page records (observeContract, never an amount —
// D15). A business manager's page may list every member's agency contracts, so it records nothing; the lines
// there come from what members' browsers recorded. Pure.
import type { ProposeAs } from '../../core/lite.ts';
import type { ListedContract } from '../features/upwork-page/read-contracts.ts';
import type { AgencyView } from '../messaging/types.ts';
import { normalizeName } from './agency-match.ts';
import type { FactRequest } from './page-facts.ts';

export interface ContractLines {
  /** Whose contract, as the agency's log has it; null when no member's browser recorded it yet. */
  member: string | null;
  /** Two members' first records of it were concurrent: no one holds it until a business manager decides (D8). */
  disputed: boolean;
  lines: { rule: string; text: string }[];
}

/** "Ann and Bob", "you and Bob": the members disputing a contract, as the viewer reads them. */
export function disputantNames(ids: readonly string[], view: AgencyView): string {
  // "you" first, then by name: the same sentence whatever the members' key ids
  const names = ids
    .map((id) => (id === view.me ? 'you' : (view.state.members[id]?.name ?? 'a former member')))
    .sort((a, b) => (a === 'you' ? -1 : b === 'you' ? 1 : a.localeCompare(b)));
  return names.length > 1
    ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
    : names.join('');
}

/** Whether the member's own contract is the agency's: R7/D8 for exclusive members, else the offer or R9. */
function asOf(contract: ListedContract, view: AgencyView): ProposeAs | null {
  const me = view.state.members[view.me];
  if (!me) return null;
  if (me.relationship === 'exclusive') return 'agency';
  const title = normalizeName(contract.title);
  const offer = Object.values(view.state.offers).find(
    (o) => o.member === me.id && normalizeName(o.title) === title,
  );
  return offer?.as ?? me.defaultTeam;
}

export function contractLines(contract: ListedContract, view: AgencyView): ContractLines {
  const seen = view.state.contractsSeen?.[contract.id];
  const agency = view.state.name;
  if (seen && seen.member === null) {
    const lines = [
      {
        rule: 'D8',
        text: `Disputed — ${disputantNames(seen.disputed ?? [], view)} each recorded it as their own: a business manager decides whose it is.`,
      },
    ];
    if (seen.as === 'agency') lines.push({ rule: 'R6', text: `Paid to ${agency}’s account.` });
    return { member: null, disputed: true, lines };
  }
  const mine = seen ? seen.member === view.me : view.state.members[view.me]?.role !== 'manager';
  const as = seen?.as ?? (mine ? asOf(contract, view) : null);
  const kind = seen?.kind ?? contract.kind;
  const name = seen
    ? mine
      ? 'you'
      : (view.state.members[seen.member ?? '']?.name ?? 'a former member')
    : null;
  const who = name ?? 'the contracted member';
  const lines: ContractLines['lines'] = [];
  if (as === 'independent') {
    lines.push({
      rule: 'R8',
      text: mine ? 'Your own contract: paid to you.' : `${who}’s own contract: paid to them.`,
    });
    return { member: name, disputed: false, lines };
  }
  if (kind === 'fixed')
    lines.push({
      rule: 'R4',
      text: `${mine ? 'You (the contracted member)' : name ? `${name} (the contracted member)` : 'The contracted member'} or any business manager may submit milestones.`,
    });
  if (kind === 'hourly')
    lines.push({
      rule: 'R5',
      text: mine ? 'Only you log time on this contract.' : `Only ${who} logs time on this contract.`,
    });
  if (as === 'agency') lines.push({ rule: 'R6', text: `Paid to ${agency}’s account.` });
  return { member: name, disputed: false, lines };
}

export function contractFacts(
  contracts: readonly ListedContract[],
  view: AgencyView,
): { key: string; request: FactRequest }[] {
  const me = view.state.members[view.me];
  if (me?.status !== 'active' || me.role === 'manager') return [];
  const out: { key: string; request: FactRequest }[] = [];
  for (const c of contracts) {
    const seen = view.state.contractsSeen?.[c.id];
    const as = asOf(c, view);
    if (!c.kind || !as || !/^[A-Za-z0-9_~.:-]{1,80}$/.test(c.id)) continue;
    // a disputed contract changes only by a business manager's decision: recording it again adds nothing
    if (seen?.member === null) continue;
    if (seen && seen.member === me.id && seen.title === c.title && seen.kind === c.kind && seen.as === as)
      continue;
    out.push({
      key: `contract|${c.id}|${c.title}|${c.kind}|${as}`,
      request: {
        kind: 'act',
        agencyId: view.agencyId,
        type: 'observeContract',
        payload: { contract: c.id, title: c.title, kind: c.kind, as },
      },
    });
  }
  return out;
}
