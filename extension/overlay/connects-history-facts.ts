// What the Connects history page tells the agency (upwork-dom.md "Work pages"; domain.md D9): whose page it
// is, each "Refunded…" row as a refund of the agency's pool, and Upwork's balance as an observation. Only the
// agency's own history counts: Connects never move between the agency's and a freelancer's account, so the
// member's own page records nothing. Pure: the page reading and the agency's view in, the requests out.
import { refundKey } from '../../core/lite.ts';
import type { ConnectsRow } from '../features/upwork-page/read-connects-history.ts';
import type { AgencyView } from '../messaging/types.ts';
import { normalizeName } from './agency-match.ts';
import type { FactRequest } from './page-facts.ts';

export interface ConnectsHistoryPage {
  balance: number | null;
  rows: ConnectsRow[];
  account: string | null;
}

/** `agency`: the page names the agency; `other`: it names another account; `unknown`: it names none. */
export type Whose = 'agency' | 'other' | 'unknown';

export function whoseHistory(page: ConnectsHistoryPage, view: AgencyView): Whose {
  if (page.account === null) return 'unknown';
  return normalizeName(page.account) === normalizeName(view.state.name) ? 'agency' : 'other';
}

export type RefundStatus =
  | { kind: 'recorded' }
  | { kind: 'to-record'; job: string; on: string }
  /** D9: a job with no agency proposal in the log: the Connects were not the agency's. */
  | { kind: 'not-agency'; job: string }
  | { kind: 'no-job' }
  | { kind: 'no-date' };

const MAX_CONNECTS = 1_000_000;

/** The job a row is about: its link, else the one agency job in the log with its title. */
function jobOf(row: ConnectsRow, view: AgencyView): string | null {
  if (row.jobKey) return row.jobKey;
  const title = normalizeName(row.title);
  if (!title) return null;
  const jobs = new Set(
    view.state.proposals.filter((p) => normalizeName(p.title) === title).map((p) => p.job.toLowerCase()),
  );
  return jobs.size === 1 ? [...jobs][0]! : null;
}

export function refundStatus(row: ConnectsRow, view: AgencyView): RefundStatus {
  const job = jobOf(row, view);
  if (!job) return { kind: 'no-job' };
  if (!row.on) return { kind: 'no-date' };
  const key = refundKey({ job, on: row.on, connects: row.delta });
  // state.refunds may be missing from a state restored from an older snapshot.
  if (key && view.state.refunds?.[key] !== undefined) return { kind: 'recorded' };
  const agencyJob = view.state.proposals.some((p) => p.job.toLowerCase() === job && p.as === 'agency');
  return agencyJob ? { kind: 'to-record', job, on: row.on } : { kind: 'not-agency', job };
}

const isActive = (view: AgencyView): boolean => view.state.members[view.me]?.status === 'active';

/**
 * The refunds to record, then — once every refund on the page is in the log, so Upwork's number is not
 * taken to include a refund the log would then add again — the balance, when it differs from the log's.
 */
export function connectsHistoryFacts(
  page: ConnectsHistoryPage,
  view: AgencyView,
): { key: string; request: FactRequest }[] {
  if (!isActive(view) || whoseHistory(page, view) !== 'agency') return [];
  const out: { key: string; request: FactRequest }[] = [];
  for (const row of page.rows) {
    if (row.kind !== 'refund' || row.delta < 1 || row.delta > MAX_CONNECTS) continue;
    const status = refundStatus(row, view);
    if (status.kind !== 'to-record') continue;
    out.push({
      key: `refund|${status.job}|${status.on}|${row.delta}`,
      request: {
        kind: 'act',
        agencyId: view.agencyId,
        type: 'refundConnects',
        payload: { job: status.job, connects: row.delta, on: status.on },
      },
    });
  }
  if (out.length > 0 || page.balance === null || page.balance === view.state.balance) return out;
  return [
    {
      key: `balance|${page.balance}`,
      request: {
        kind: 'act',
        agencyId: view.agencyId,
        type: 'observeBalance',
        payload: { balance: page.balance },
      },
    },
  ];
}
