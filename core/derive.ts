// derive: verified actions → agency state, refusals and flags. Pure and deterministic: the same set of
// actions gives deep-equal results on every replica, whatever order they arrived in — and, beyond that, no
// verdict depends on the order of concurrent actions except the ones domain.md lets the order decide (which
// unreserved spend gets the P1 flag, and list orders).
//
// 1. order.ts orders the actions (depth, then id) and indexes their causal pasts.
// 2. replay applies each action at its place; its rule reads what the action knew (knowledge.ts).
// 3. revoke.ts finds what the applied power events (removals, departures, demotions, key removals) take
//    away from concurrent actions; the replay runs again with those decisions until nothing changes.
// A member's new action, written on top of everything known, is applied in place at the end (applyActions,
// appendLocal) unless it races a power event, in which case the whole log is derived again.

import { type Ancestry, ancestryOf, holds, inPastOfDeps, isAncestor, recordAncestry } from './ancestry.ts';
import { toBase64Url } from './bytes.ts';
import { ReservationsCache } from './connects.ts';
import {
  type Book,
  type Derivation,
  emptyBook,
  emptyState,
  newDerivation,
  noRevocations,
  noteAppended,
  type Revocations,
} from './derivation.ts';
import { besideBranch, noteKeyAction } from './key-chain.ts';
import type { ReplayContext } from './knowledge.ts';
import { byId, orderSteps, type TieBreak } from './order.ts';
import { VERDICTS, type VerdictCode } from './refusals.ts';
import {
  computeRevocations,
  emptyRoundMemory,
  mergeRevocations,
  type RoundMemory,
  rememberRound,
  revocation,
  sameRevocations,
} from './revoke.ts';
import { leaveRoom } from './room-to-grow.ts';
import { applyRules, type Outcome, ownRefusal } from './rules/index.ts';
import { standing } from './rules/members.ts';
import { runSteps, STEP, type Steps } from './steps.ts';
import type { Action, ActionId, ActionType, AgencyState, Verdict } from './types.ts';

export { isAncestor } from './ancestry.ts';
export { type Derivation, emptyState, newDerivation } from './derivation.ts';
export type { TieBreak } from './order.ts';

export const ACTIVITY_LIMIT = 200;
/** Derivations that keep every activity entry (activity-log.ts), not only the latest ACTIVITY_LIMIT. */
const keepsAllActivity = new WeakSet<Derivation>();
/** Rounds in which revocations are recomputed from scratch; after them they only accumulate (so it ends). */
const FRESH_ROUNDS = 6;

function context(
  d: Derivation,
  a: Action,
  index: number,
  eff: number,
  anc: Ancestry,
  knows: (p: number) => boolean,
  reservations: ReservationsCache,
): ReplayContext {
  return {
    d,
    state: d.state,
    book: d.book,
    action: a,
    index,
    eff,
    cut: anc.cut,
    unknown: anc.unknown,
    knows,
    historyOnly: false,
    departed: false,
    pool: false,
    reservations,
    unknownCache: undefined,
    actor: undefined,
  };
}

function recordOutcome(d: Derivation, ctx: ReplayContext, a: Action, outcome: Outcome): void {
  const s = d.state;
  const actor = s.keys[a.actor]?.member ?? a.actor;
  if (!outcome.ok) {
    s.counts.refused++;
    s.verdicts.push({
      id: a.id,
      type: a.type,
      actor,
      kind: 'refused',
      code: outcome.code,
      ...VERDICTS[outcome.code],
    });
    return;
  }
  s.counts.applied++;
  noteKeyAction(d.book, a, ctx.index, ctx.knows);
  if (outcome.flags.length) s.counts.flagged++;
  for (const code of outcome.flags) {
    s.verdicts.push({ id: a.id, type: a.type, actor, kind: 'flagged', code, ...VERDICTS[code] });
  }
  if (outcome.text) {
    s.activity.push({ id: a.id, type: a.type, actor, at: ctx.eff, text: outcome.text });
    if (s.activity.length > ACTIVITY_LIMIT * 2 && !keepsAllActivity.has(d))
      s.activity.splice(0, s.activity.length - ACTIVITY_LIMIT);
  }
  if (outcome.flags.includes('KEY_BRANCHED')) flagBeside(d, ctx, a, actor);
}

/** Flags the applied actions of `a`'s key that `a` branched beside (key-chain.ts), once each. */
function flagBeside(d: Derivation, ctx: ReplayContext, a: Action, actor: string): void {
  const s = d.state;
  const seen = verdictsSeen(s.verdicts);
  for (const p of besideBranch(ctx, a)) {
    const b = d.ordered[p]!;
    if (seen.refused.has(b.id) || seen.branched.has(b.id)) continue;
    if (!seen.flagged.has(b.id)) s.counts.flagged++;
    s.verdicts.push({
      id: b.id,
      type: b.type,
      actor,
      kind: 'flagged',
      code: 'KEY_BRANCHED',
      ...VERDICTS.KEY_BRANCHED,
    });
    seen.flagged.add(b.id);
    seen.branched.add(b.id);
  }
}

interface VerdictsSeen {
  read: number;
  refused: Set<ActionId>;
  flagged: Set<ActionId>;
  branched: Set<ActionId>;
}

// Verdicts are only ever pushed: what was read of a list is kept, and only the rest is read again.
const seenOf = new WeakMap<Verdict[], VerdictsSeen>();

function verdictsSeen(verdicts: Verdict[]): VerdictsSeen {
  let seen = seenOf.get(verdicts);
  if (!seen) {
    seen = { read: 0, refused: new Set(), flagged: new Set(), branched: new Set() };
    seenOf.set(verdicts, seen);
  }
  for (; seen.read < verdicts.length; seen.read++) {
    const v = verdicts[seen.read]!;
    if (v.kind === 'refused') seen.refused.add(v.id);
    else seen.flagged.add(v.id);
    if (v.code === 'KEY_BRANCHED') seen.branched.add(v.id);
  }
  return seen;
}

/** One action under the revocations decided so far. */
function outcomeOf(ctx: ReplayContext, a: Action, rev: Revocations): Outcome {
  ctx.historyOnly = false;
  ctx.departed = false;
  ctx.pool = false;
  if (
    rev.refuse.size === 0 &&
    rev.history.size === 0 &&
    rev.asMember.size === 0 &&
    rev.flag.size === 0 &&
    rev.pool.size === 0 &&
    rev.voided.size === 0
  ) {
    return applyRules(ctx, a);
  }
  const refused = rev.refuse.get(a.id);
  if (refused) return { ok: false, code: ownRefusal(ctx, a, rev.asMember.has(a.id)) ?? refused };
  ctx.departed = rev.history.has(a.id);
  ctx.historyOnly = ctx.departed || rev.voided.has(a.id);
  ctx.pool = rev.pool.has(a.id);
  const outcome = applyRules(ctx, a, rev.asMember.has(a.id));
  const flag = rev.flag.get(a.id);
  return outcome.ok && flag ? { ...outcome, flags: [...outcome.flags, flag] } : outcome;
}

function* replay(
  d: Derivation,
  actions: readonly Action[],
  rev: Revocations,
  contested: Book['contested'],
): Steps<void> {
  d.state = emptyState(d.agencyId);
  d.book = emptyBook();
  d.book.contested = contested;
  // One context, moved from action to action: a replay of 100k actions allocates none per action.
  const ctx = context(
    d,
    actions[0]!,
    0,
    0,
    { cut: -1, unknown: null },
    (p) => p <= ctx.cut || (ctx.unknown ? !holds(ctx.unknown, p) : isAncestor(d, d.order[p]!, ctx.action.id)),
    new ReservationsCache(),
  );
  for (let from = 0; from < actions.length; from += STEP) {
    replayRange(d, ctx, actions, rev, from, Math.min(actions.length, from + STEP));
    yield;
  }
}

function replayRange(
  d: Derivation,
  ctx: ReplayContext,
  actions: readonly Action[],
  rev: Revocations,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const a = actions[i]!;
    ctx.action = a;
    ctx.index = i;
    ctx.eff = d.effAt[i]!;
    ctx.cut = d.cut[i]!;
    ctx.unknown = d.unknown[i]!;
    ctx.unknownCache = undefined;
    recordOutcome(d, ctx, a, outcomeOf(ctx, a, rev));
  }
}

const refusedIds = (s: AgencyState): Set<ActionId> =>
  new Set(s.verdicts.filter((v) => v.kind === 'refused').map((v) => v.id));

/** After a full derive: room for the appends that follow, so none of them copies a large array. */
function roomToGrow(d: Derivation): void {
  const s = d.state;
  const sp = d.book.spends;
  const ob = d.book.observations;
  // (the arrays by position were allocated with room: order.ts)
  for (const xs of [s.verdicts, s.proposals, s.ledger]) leaveRoom(xs);
  for (const xs of [sp.pos, sp.member, sp.month, sp.cost, sp.job, sp.previousOnJob, ob.pos, ob.eff, ob.value])
    leaveRoom(xs);
}

function finish(d: Derivation): void {
  const s = d.state;
  if (s.activity.length > ACTIVITY_LIMIT && !keepsAllActivity.has(d))
    s.activity.splice(0, s.activity.length - ACTIVITY_LIMIT);
  s.counts.pending = d.pending.size;
}

export interface DeriveOptions {
  /**
   * Test-only: another total order among actions of the same depth (reversed, or ids permuted), to check
   * that no verdict depends on it beyond what domain.md lets the order decide. Incremental application
   * (applyActions, appendLocal) always uses the id order; pass this to full derives only.
   */
  tieBreak?: TieBreak;
  /**
   * Keep every action's activity entry in `state.activity`, not only the latest ACTIVITY_LIMIT: for searching
   * the whole log (activity-log.ts). Such a state is for reading; a replica keeps the bounded one.
   */
  allActivity?: boolean;
}

/** Full derive: the oracle. */
export function derive(agencyId: string, actions: Iterable<Action>, options: DeriveOptions = {}): Derivation {
  return runSteps(deriveSteps(agencyId, actions, options));
}

/**
 * derive in steps (steps.ts): the same result, yielding every few thousand actions of work so that a caller
 * serving other agencies (the sync server) can run them in between.
 */
export function* deriveSteps(
  agencyId: string,
  actions: Iterable<Action>,
  options: DeriveOptions = {},
): Steps<Derivation> {
  const d = newDerivation(agencyId);
  if (options.allActivity) keepsAllActivity.add(d);
  // read once into an array, unless given one (orderSteps keeps each id once)
  let list: readonly Action[];
  if (Array.isArray(actions)) list = actions as readonly Action[];
  else {
    const read: Action[] = [];
    for (const a of actions) {
      read.push(a);
      if (read.length % STEP === 0) yield;
    }
    list = read;
  }
  const seq = yield* orderSteps(d, options.tieBreak ?? byId, list);
  const contested: Book['contested'] = new Map();
  let rev = noRevocations();
  let first: Set<ActionId> | null = null;
  const memory = emptyRoundMemory();
  for (let round = 0; ; round++) {
    yield* replay(d, seq, rev, contested);
    first ??= refusedIds(d.state);
    rememberRound(d, memory);
    restandLatent(d, memory, rev);
    const fresh = computeRevocations(d, rev, memory);
    yield;
    const next = round < FRESH_ROUNDS ? fresh : mergeRevocations(rev, fresh);
    if (sameRevocations(next, rev)) break;
    rev = next;
  }
  d.revocations = rev;
  // A refusal the action's own causal past did not cause was decided by a concurrent action: a race.
  for (const v of d.state.verdicts) if (v.kind === 'refused' && !first.has(v.id)) v.race = true;
  finish(d);
  roomToGrow(d);
  return d;
}

/**
 * A power event an earlier round applied and this round's revocations refused keeps contending (RoundMemory),
 * but where its actor stood (P3) is read again as its causal past replays now: that past may have changed
 * since (a removal of the actor refused, a return through a new invite refused with it).
 */
function restandLatent(d: Derivation, memory: RoundMemory, rev: Revocations): void {
  const reservations = new ReservationsCache();
  for (const [id, e] of memory.power) {
    if (!rev.refuse.has(id)) continue;
    const anc = { cut: d.cut[e.pos]!, unknown: d.unknown[e.pos]! };
    const knows = (p: number) =>
      p <= anc.cut || (anc.unknown ? !holds(anc.unknown, p) : isAncestor(d, d.order[p]!, id));
    // read after the replay, the state is the log's end, not this position: a cut that leaves out the
    // position just before keeps every reader (knowsAll, known) on the registers and `knows`
    const reading = { cut: Math.min(anc.cut, e.pos - 2), unknown: anc.unknown };
    const ctx = context(d, d.actions.get(id)!, e.pos, d.effAt[e.pos]!, reading, knows, reservations);
    memory.power.set(id, { ...e, standing: standing(ctx, e.actor) });
  }
}

/** Actions that can take something from concurrent actions: the incremental path derives again for them. */
const POWER_TYPES: ReadonlySet<ActionType> = new Set<ActionType>([
  'removeMember',
  'leaveAgency',
  'changeRole',
  'removeDeviceKey',
]);

const anyRevocation = (r: Revocations): boolean =>
  r.refuse.size + r.history.size + r.flag.size + r.asMember.size + r.pool.size + r.voided.size > 0;

/**
 * Whether a refusal at the end of the order can be trusted as caused by the action's own causal past: not
 * when some revocation stands, since what it knew may have been taken away by a race (then only a full
 * derive tells the two apart, and marks `race`).
 */
const refusalIsOwn = (d: Derivation): boolean => !anyRevocation(d.revocations);

/** Depths for new actions if they all land at the end of the order and take nothing away; else null. */
function planAtEnd(d: Derivation, fresh: readonly Action[]): Map<ActionId, number> | null {
  if (d.pending.size > 0) {
    // Actions waiting for a missing dependency stay waiting unless one of these is what they wait for.
    const ids = new Set(fresh.map((a) => a.id));
    for (const id of d.pending) for (const dep of d.actions.get(id)!.deps) if (ids.has(dep)) return null;
  }
  const depth = new Map<ActionId, number>();
  for (const a of fresh) {
    if (POWER_TYPES.has(a.type)) return null;
    let max = 0;
    for (const dep of a.deps) {
      const p = d.position.get(dep);
      const dd = p !== undefined ? d.depthAt[p] : depth.get(dep);
      if (dd === undefined) return null;
      max = Math.max(max, dd);
    }
    depth.set(a.id, max + 1);
  }
  const last = d.order[d.order.length - 1];
  if (last !== undefined) {
    const lastDepth = d.depthAt[d.order.length - 1]!;
    for (const a of fresh) {
      const fd = depth.get(a.id)!;
      if (fd < lastDepth || (fd === lastDepth && a.id < last)) return null;
    }
  }
  return depth;
}

/** The replay context of `a` placed at the end of the order (it is not in the derivation yet). */
function placeAtEnd(d: Derivation, a: Action, reservations: ReservationsCache): ReplayContext {
  let eff = a.at;
  for (const dep of a.deps) eff = Math.max(eff, d.effAt[d.position.get(dep)!]! + 1);
  const index = d.order.length;
  const anc = ancestryOf(d, a, index);
  const { cut, unknown } = anc;
  return context(
    d,
    a,
    index,
    eff,
    anc,
    (p) => p <= cut || (unknown ? !holds(unknown, p) : inPastOfDeps(d, p, a.deps)),
    reservations,
  );
}

/**
 * Whether a power event `a` did not know could take something from it (then the whole log is derived
 * again, which decides it). A join with an invite already used is contested the same way.
 */
function racesPower(ctx: ReplayContext, a: Action): boolean {
  const d = ctx.d;
  for (const e of d.book.power) {
    if (ctx.knows(e.pos)) continue;
    if (e.kind === 'revokeKey' ? a.actor === e.key : revocation(d, e, a, true) !== null) return true;
  }
  return false;
}

/**
 * Whether `a` may clash with a concurrent action over something unique — an invite's one use, an invite
 * key, an offer's record — which the whole log decides (derive.ts gives every party the same verdict).
 */
function mayContest(ctx: ReplayContext, a: Action): boolean {
  const book = ctx.d.book;
  if (a.type === 'joinAgency' || a.type === 'grantInvite' || a.type === 'grantDeviceInvite') {
    const entry = book.invites.get(toBase64Url((a.payload as { invite: Uint8Array }).invite));
    if (!entry) return false;
    return a.type === 'joinAgency' ? entry.joins.length > 0 : !ctx.knows(entry.grant);
  }
  if (a.type === 'receiveOffer') {
    const offer = (a.payload as { offer: string }).offer;
    if (book.offers.get(offer)?.some((q) => !ctx.knows(q))) return true;
    // records voided so far are contradicted by a concurrent record too (rules/work.ts)
    const voided = book.contested.get(`offer:${offer}`)?.ids;
    for (const id of voided ?? []) if (!ctx.knows(ctx.d.position.get(id)!)) return true;
    return false;
  }
  if (a.type === 'observeContract') {
    // a record concurrent with another record of its contract is settled with it (contracts-seen.ts)
    const seen = ctx.state.contractsSeen?.[(a.payload as { contract: string }).contract];
    return seen?.records.some((r) => !ctx.knows(ctx.d.position.get(r.id)!)) ?? false;
  }
  if (a.type === 'observeBoost') {
    // a record concurrent with another record of its proposal is settled with it (boosts-seen.ts)
    const seen = ctx.state.boostsSeen?.[(a.payload as { proposal: string }).proposal];
    return seen?.records?.some((r) => !ctx.knows(ctx.d.position.get(r.id)!)) ?? false;
  }
  if (a.type === 'refundConnects') {
    // D9: a refund concurrent with another on its job may change what that one restored
    const records = ctx.state.refundJobs?.[(a.payload as { job: string }).job];
    return records?.some((r) => !ctx.knows(ctx.d.position.get(r.id)!)) ?? false;
  }
  return false;
}

function commitAtEnd(d: Derivation, a: Action, depth: number, ctx: ReplayContext, outcome: Outcome): void {
  d.ordered.push(a);
  d.depthAt.push(depth);
  d.effAt.push(ctx.eff);
  noteAppended(d, a.id, depth, ctx.eff);
  for (const dep of a.deps) d.heads.delete(dep);
  d.heads.add(a.id);
  d.position.set(a.id, d.order.length);
  d.order.push(a.id);
  recordAncestry(d, d.order.length - 1, { cut: ctx.cut, unknown: ctx.unknown });
  recordOutcome(d, ctx, a, outcome);
  finish(d);
}

/**
 * Adds verified actions to a derivation. When every new action lands at the end of the order and races no
 * power event, they are applied in place; otherwise the derivation is rebuilt (same result).
 * Returns the derivation to use from now on.
 */
export function applyActions(d: Derivation, incoming: readonly Action[]): Derivation {
  const fresh = incoming.filter((a) => !d.actions.has(a.id));
  if (!fresh.length) return d;
  const all = () => derive(d.agencyId, [...d.actions.values(), ...fresh]);
  const plan = planAtEnd(d, fresh);
  if (!plan) return all();
  const sorted = [...fresh].sort((x, y) => plan.get(x.id)! - plan.get(y.id)! || (x.id < y.id ? -1 : 1));
  const reservations = new ReservationsCache();
  for (const a of sorted) {
    const ctx = placeAtEnd(d, a, reservations);
    if (racesPower(ctx, a) || mayContest(ctx, a)) return all();
    const outcome = applyRules(ctx, a);
    if (!outcome.ok && !refusalIsOwn(d)) return all();
    commitAtEnd(d, a, plan.get(a.id)!, ctx, outcome);
  }
  return d;
}

export type LocalResult =
  | { ok: true; derivation: Derivation; verdicts: Verdict[] }
  | { ok: false; code: VerdictCode; rule: string; message: string; race?: true };

/**
 * A member's own new action: refused intents are reported and leave the derivation untouched, so the
 * caller writes nothing to the log. Accepted actions (and every fact) are applied.
 */
export function appendLocal(d: Derivation, a: Action): LocalResult {
  const plan = planAtEnd(d, [a]);
  if (plan) {
    const ctx = placeAtEnd(d, a, new ReservationsCache());
    if (!racesPower(ctx, a) && !mayContest(ctx, a)) {
      const outcome = applyRules(ctx, a); // rules check before they change anything
      if (outcome.ok) {
        commitAtEnd(d, a, plan.get(a.id)!, ctx, outcome);
        return { ok: true, derivation: d, verdicts: verdictsOf(d, a.id) };
      }
      if (refusalIsOwn(d)) return { ok: false, code: outcome.code, ...VERDICTS[outcome.code] };
    }
  }
  const trial = derive(d.agencyId, [...d.actions.values(), a]);
  const refused = trial.state.verdicts.find((v) => v.id === a.id && v.kind === 'refused');
  if (refused) {
    return {
      ok: false,
      code: refused.code as VerdictCode,
      rule: refused.rule,
      message: refused.message,
      ...(refused.race ? { race: true as const } : {}),
    };
  }
  return { ok: true, derivation: trial, verdicts: verdictsOf(trial, a.id) };
}

export const verdictsOf = (d: Derivation, id: ActionId): Verdict[] =>
  d.state.verdicts.filter((v) => v.id === id);

export type AdmitResult =
  | { ok: true; derivation: Derivation }
  | { ok: false; derivation: Derivation; id: ActionId; code: VerdictCode; rule: string; message: string };

/**
 * The server's admission of one writer's batch of verified actions (in causal order): every action is kept
 * — a refusal decided by a concurrent action (`race`) is stored and relayed like any other, since each replica
 * refuses it the same way — unless one is refused by its own causal past, which no honest writer sends; then
 * the batch is refused as a whole and the returned derivation holds none of it. A batch that lands at the end
 * is applied in place; otherwise the log is derived once for the whole batch, never once per action, so a
 * late arrival costs one derive however many actions it brings.
 */
export function admitBatch(d: Derivation, batch: readonly Action[]): AdmitResult {
  return runSteps(admitBatchSteps(d, batch));
}

/** admitBatch in steps (steps.ts): its derives yield, for a caller serving other agencies meanwhile. */
export function* admitBatchSteps(d: Derivation, batch: readonly Action[]): Steps<AdmitResult> {
  const fresh = batch.filter((a) => !d.actions.has(a.id));
  if (!fresh.length) return { ok: true, derivation: d };
  const plan = planAtEnd(d, fresh);
  if (plan) {
    const sorted = [...fresh].sort((x, y) => plan.get(x.id)! - plan.get(y.id)! || (x.id < y.id ? -1 : 1));
    const reservations = new ReservationsCache();
    let committed = 0;
    for (const a of sorted) {
      const ctx = placeAtEnd(d, a, reservations);
      if (racesPower(ctx, a) || mayContest(ctx, a)) break;
      const outcome = applyRules(ctx, a);
      if (!outcome.ok) {
        const kept = committed
          ? yield* deriveSteps(
              d.agencyId,
              [...d.actions.values()].filter((x) => !fresh.includes(x)),
            )
          : d;
        return { ok: false, derivation: kept, id: a.id, code: outcome.code, ...VERDICTS[outcome.code] };
      }
      commitAtEnd(d, a, plan.get(a.id)!, ctx, outcome);
      committed++;
    }
    if (committed === sorted.length) return { ok: true, derivation: d };
  }
  const ids = new Set(fresh.map((a) => a.id));
  const trial = yield* deriveSteps(d.agencyId, [
    ...d.actions.values(),
    ...fresh.filter((a) => !d.actions.has(a.id)),
  ]);
  const refused =
    trial.state.verdicts.find((v) => ids.has(v.id) && v.kind === 'refused' && !v.race) ??
    forkedBefore(d, trial, fresh);
  if (!refused) return { ok: true, derivation: trial };
  const kept = fresh.some((a) => d.actions.has(a.id))
    ? yield* deriveSteps(
        d.agencyId,
        [...d.actions.values()].filter((x) => !ids.has(x.id)),
      )
    : d;
  return {
    ok: false,
    derivation: kept,
    id: refused.id,
    code: refused.code as VerdictCode,
    rule: refused.rule,
    message: refused.message,
  };
}

/**
 * A new action that sorts before an action its key already wrote, and does not know it: in the trial that
 * older write is the one refused KEY_FORKED (the order puts the newcomer first), so look for stored actions
 * the trial forks that the room did not, and blame the newcomer of the same key (key-chain.ts).
 */
function forkedBefore(d: Derivation, trial: Derivation, fresh: readonly Action[]): Verdict | undefined {
  const newly = trial.state.verdicts.filter(
    (v) => v.code === 'KEY_FORKED' && d.actions.has(v.id) && !fresh.some((a) => a.id === v.id),
  );
  if (!newly.length) return undefined;
  const before = new Set(d.state.verdicts.filter((v) => v.code === 'KEY_FORKED').map((v) => v.id));
  for (const v of newly) {
    if (before.has(v.id)) continue;
    const key = d.actions.get(v.id)!.actor;
    const culprit = fresh.find((a) => a.actor === key);
    if (culprit) {
      return { ...v, id: culprit.id, type: culprit.type, message: VERDICTS.KEY_FORKED.message };
    }
  }
  return undefined;
}
