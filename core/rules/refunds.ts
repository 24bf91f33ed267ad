// Refunds (D9): Connects go back where they came from, and no more of them than went out. A refund is a fact
// any member records from the Connects history page, so its job, its day and its Connects are the recorder's
// choice — an attacker's too. What bounds them:
//  - the pool is credited only on a job with an agency proposal in the refund's causal past (D9);
//  - one history row (job, day, Connects: core/refund-key.ts) is one refund: a second record is a repeat, and
//    the row is credited at its day, not at any record's time, so a back-dated copy of an honest row (before an
//    observation that already counted it) cannot make the row count for nothing;
//  - a refund restores at most what the agency spent on the job (proposals + boosts) as its recorder knew it,
//    less the refunds already counted on the job (REFUND_BEYOND_SPENT flags the excess, which counts nowhere);
//  - a row dated after the day it was recorded on is no row of Upwork's (REFUND_DAY_AHEAD: counts nowhere).
// Concurrent refunds on one job are settled without their order: the job's refunds are credited in the order
// of their time (then id) — a canonical order that the log's tie-break does not decide — each up to what its
// recorder knew was spent less what the refunds before it restored. So the sum credited on a job never exceeds
// the most any recorder knew was spent, however many refunds are written, on however old a past. A refund
// concurrent with another on its job is contested (revoke.ts): its flag is read from the settled credits.
import { balanceOf, insertLedger } from '../connects.ts';
import { spendsOnJob } from '../derivation.ts';
import { contest, knowsSome, type ReplayContext } from '../knowledge.ts';
import { refundKey } from '../refund-key.ts';
import type { VerdictCode } from '../refusals.ts';
import type { AgencyState, LedgerEntry, RefundRecord } from '../types.ts';
import { plural, type Rules } from './rule.ts';

/** What a contest of concurrent refunds on `job` is called in the book (revoke.ts settles it). */
export const refundContest = (job: string): string => `refund:${job}`;

/** Time zones run at most 14 hours ahead of UTC: a row's day is never later than that of its recording. */
const AHEAD_MS = 14 * 3_600_000;
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Connects the agency spent on `job` in the current action's causal past (proposals + boosts), and when the
 * first of those spends counts.
 */
function spentKnown(ctx: ReplayContext, job: string): { sum: number; since: number } {
  const s = ctx.book.spends;
  let sum = 0;
  let since = Number.POSITIVE_INFINITY;
  for (let i = s.lastOnJob.get(job) ?? -1; i >= 0; i = s.previousOnJob[i]!) {
    const p = s.pos[i]!;
    if (p < ctx.index && ctx.knows(p)) {
      sum += s.cost[i]!;
      since = Math.min(since, ctx.d.effAt[p]!);
    }
  }
  return { sum, since };
}

function findLedger(ledger: LedgerEntry[], id: string, at: number): number {
  let lo = 0;
  let hi = ledger.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ledger[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < ledger.length && ledger[i]!.at === at; i++) if (ledger[i]!.id === id) return i;
  return -1;
}

/**
 * Where a history row's credit sits among observations, from its day and never from its records' times: at
 * the start of its day (UTC), or just after the job's first agency spend any record of it knew if that is
 * later (Connects come back after they went out). An observation from then on is taken to include it — the
 * Connects history page, where rows are recorded, records Upwork's balance after them — so a row seen late
 * is not counted on top of a balance that had it, and no record's stamp moves it before or after one.
 */
const rowCreditAt = (on: string, records: readonly RefundRecord[]): number =>
  Math.max(Date.parse(`${on}T00:00:00Z`), Math.min(...records.map((r) => r.spentSince)) + 1);

/**
 * Credits the job's refunds in time order (then id): a repeat of a row credited earlier restores nothing;
 * each other one at most what was spent (for a row, the most any of its records knew) less what the refunds
 * before it restored. A row's credit sits at its day (`creditAt`), so which of its records holds it — and
 * at what time its signers stamped them — moves no figure. Keeps the ledger and the row index in step, and
 * returns nothing: the records say what each restored.
 */
export function creditJob(s: AgencyState, job: string): void {
  const records = s.refundJobs[job]!;
  records.sort((x, y) => x.at - y.at || (x.id < y.id ? -1 : 1));
  const copies = new Map<string, RefundRecord[]>();
  for (const r of records) if (r.key !== null) copies.set(r.key, [...(copies.get(r.key) ?? []), r]);
  const spentOfRow = new Map<string, number>();
  const creditAt = new Map<string, number>();
  for (const [key, rs] of copies) {
    spentOfRow.set(key, Math.max(...rs.map((r) => r.spent)));
    creditAt.set(key, rowCreditAt(rs[0]!.on!, rs));
  }
  const rows = new Set<string>();
  let restored = 0;
  for (const r of records) {
    r.repeat = r.key !== null && rows.has(r.key);
    if (r.key !== null && !r.repeat) {
      rows.add(r.key);
      s.refunds[r.key] = r.id;
    }
    const spent = r.key === null ? r.spent : spentOfRow.get(r.key)!;
    r.credit = r.repeat ? 0 : Math.max(0, Math.min(r.claim, spent - restored));
    restored += r.credit;
    // its entry sits at the time it was credited at before (a later record of the row may move it)
    const at = r.key === null ? r.creditAt : creditAt.get(r.key)!;
    const i = findLedger(s.ledger, r.id, r.creditAt);
    if (i >= 0 && (r.credit === 0 || at !== r.creditAt)) s.ledger.splice(i, 1);
    else if (i >= 0) s.ledger[i]!.delta = r.credit;
    if ((i < 0 || at !== r.creditAt) && r.credit > 0)
      insertLedger(s.ledger, { id: r.id, at, delta: r.credit, kind: 'refund' });
    r.creditAt = at;
  }
  s.balance = balanceOf(s);
}

export const refundRules: Rules = {
  refundConnects: {
    apply(ctx, a, actor) {
      const p = a.payload;
      const s = ctx.state;
      const text = `${actor.record.name} recorded a refund of ${plural(p.connects)} for job ${p.job}`;
      // D13: a departed member's record is history
      if (ctx.historyOnly) return { text };
      if (p.on !== undefined && p.on > dayOf(ctx.eff + AHEAD_MS)) {
        return { text: `${text} dated ${p.on}, after the day it was recorded`, flags: ['REFUND_DAY_AHEAD'] };
      }
      // D9: a refund goes back where the Connects came from: the pool only for a job proposed as the agency
      if (!knowsSome(ctx, spendsOnJob(ctx.book.spends, p.job))) {
        return { text: `${text} (independent: not the agency’s Connects)` };
      }
      const known = spentKnown(ctx, p.job);
      const records = s.refundJobs[p.job] ?? [];
      s.refundJobs[p.job] = records;
      const concurrent = records.filter((r) => !ctx.knows(ctx.d.position.get(r.id)!)).map((r) => r.id);
      const record: RefundRecord = {
        id: a.id,
        at: ctx.eff,
        key: refundKey(p),
        on: p.on ?? null,
        // a row's is settled with its other records (creditJob)
        creditAt: ctx.eff,
        claim: p.connects,
        spent: known.sum,
        spentSince: known.since,
        credit: 0,
        repeat: false,
      };
      records.push(record);
      creditJob(s, p.job);
      const name = refundContest(p.job);
      if (concurrent.length) contest(ctx, name, 'REFUND_BEYOND_SPENT', [...concurrent, a.id]);
      if (record.repeat) return { text: null };
      // A contested refund's flag is settled from every refund on the job (revoke.ts), not from this moment.
      const flags: VerdictCode[] =
        record.credit < record.claim && !ctx.book.contested.get(name)?.ids.has(a.id)
          ? ['REFUND_BEYOND_SPENT']
          : [];
      return {
        text:
          record.credit < record.claim
            ? `${text} — ${plural(record.credit)} counted: the agency spent no more on it`
            : text,
        flags,
      };
    },
  },
};

/** A refund whose credit the settled order cut below what it claims (for revoke.ts's contest of a job). */
export function refundCut(s: AgencyState, job: string, id: string): boolean {
  const r = s.refundJobs?.[job]?.find((x) => x.id === id);
  return r !== undefined && !r.repeat && r.credit < r.claim;
}
