// derive: verified actions → agency state, refusals and flags. Pure and deterministic: the same set of
// actions gives deep-equal results on every replica, whatever order they arrived in.
//
// Order: each action's Lamport depth (1 + the deepest of its deps), then its id. That is a topological
// order of the causal DAG with a total tie-break, and it lets the common case — a new action on top of
// everything known — be applied incrementally at the end.
//
// Time: an action counts at its effective time `eff` = max(its `at`, 1 ms after each dependency's eff).
// Strictly after, so an action a member wrote having seen an observation is never taken as already
// included in it, even when their clock is behind the observer's (observations apply by time).
import { VERDICTS, type VerdictCode } from './refusals.ts';
import {
  applyRules,
  MANAGER_ONLY,
  type Outcome,
  POWER_TYPES,
  type PowerEvent,
  type ReplayContext,
} from './rules.ts';
import type { Action, ActionId, AgencyState, MemberId, Relationship, Verdict } from './types.ts';
import { FACT_TYPES } from './types.ts';

export const ACTIVITY_LIMIT = 200;

export interface Derivation {
  agencyId: string;
  state: AgencyState;
  /** Every verified action known, applied or not. */
  actions: Map<ActionId, Action>;
  /** Applied or refused actions in the log's total order (pending ones are not in it). */
  order: ActionId[];
  /** Lamport depth and effective time of each ordered action (built on first read from the arrays below). */
  depth: Map<ActionId, number>;
  eff: Map<ActionId, number>;
  /** By position: the depth and effective time of each ordered action. */
  depthAt: number[];
  effAt: number[];
  /** Actions waiting for a dependency this replica has not seen yet. */
  pending: Set<ActionId>;
  /** Actions with no known child: the deps of the next action written here. */
  heads: Set<ActionId>;
  /** Replay bookkeeping kept for the incremental path. */
  nonExclusiveSince: Map<MemberId, ActionId>;
  /** Every applied join and relationship change per member, in order (R7 judges by the causal past). */
  relationships: Map<MemberId, [ActionId, Relationship][]>;
  /** Each ordered action's position in `order`. */
  position: Map<ActionId, number>;
  /** By position: the last position up to which the whole order is in that action's causal past. */
  cut: number[];
}

// derive works on arrays by position; the maps by id are built only for callers who read them.
const builtMaps = new WeakMap<Derivation, { depth?: Map<ActionId, number>; eff?: Map<ActionId, number> }>();

function mapOf(d: Derivation, which: 'depth' | 'eff'): Map<ActionId, number> {
  let built = builtMaps.get(d);
  if (!built) {
    built = {};
    builtMaps.set(d, built);
  }
  let map = built[which];
  if (!map) {
    const values = which === 'depth' ? d.depthAt : d.effAt;
    map = new Map(d.order.map((id, i) => [id, values[i]!]));
    built[which] = map;
  }
  return map;
}

/** An empty derivation of `agencyId` (restore fills one from a snapshot). */
export function newDerivation(agencyId: string, state: AgencyState = emptyState(agencyId)): Derivation {
  const d = {
    agencyId,
    state,
    actions: new Map(),
    order: [],
    depthAt: [],
    effAt: [],
    pending: new Set(),
    heads: new Set(),
    nonExclusiveSince: new Map(),
    relationships: new Map(),
    position: new Map(),
    cut: [],
  } as unknown as Derivation;
  Object.defineProperty(d, 'depth', { enumerable: true, get: () => mapOf(d, 'depth') });
  Object.defineProperty(d, 'eff', { enumerable: true, get: () => mapOf(d, 'eff') });
  return d;
}

export function emptyState(agencyId: string): AgencyState {
  return {
    agencyId,
    name: '',
    upworkId: null,
    timeZone: 'UTC',
    ownerId: null,
    members: {},
    keys: {},
    invites: {},
    observation: null,
    ledger: [],
    balance: 0,
    spent: {},
    proposals: [],
    offers: {},
    contracts: {},
    payouts: [],
    verdicts: [],
    activity: [],
    counts: { applied: 0, refused: 0, flagged: 0, pending: 0 },
  };
}

/** Resolved actions with their depth and effective time, in the order they were resolved. */
interface Resolved {
  actions: Action[];
  depth: number[];
  eff: number[];
}

/** Sets depth and effective time from the deps when they are all resolved; false otherwise. */
function settle(index: Map<ActionId, number>, a: Action, out: Resolved): boolean {
  let depth = 0;
  let eff = a.at;
  const last = out.actions.length - 1;
  for (const dep of a.deps) {
    // Most actions follow the one resolved just before them: no lookup for that one.
    const k = last >= 0 && dep === out.actions[last]!.id ? last : index.get(dep);
    if (k === undefined) return false;
    if (out.depth[k]! > depth) depth = out.depth[k]!;
    if (out.eff[k]! + 1 > eff) eff = out.eff[k]! + 1;
  }
  index.set(a.id, out.actions.length);
  out.actions.push(a);
  out.depth.push(depth + 1);
  out.eff.push(eff);
  return true;
}

/** Depth and effective time for every action whose deps are all known; the others are pending. */
function resolve(d: Derivation): Resolved {
  const out: Resolved = { actions: [], depth: [], eff: [] };
  const index = new Map<ActionId, number>();
  // Most logs arrive in causal order: one pass settles them; the rest go through a depth-first walk.
  const late: Action[] = [];
  for (const a of d.actions.values()) if (!settle(index, a, out)) late.push(a);
  if (!late.length) return out;
  const state = new Map<ActionId, 0 | 1>(); // 0: visiting, 1: done
  for (const start of late) {
    if (state.has(start.id) || index.has(start.id)) continue;
    const stack: ActionId[] = [start.id];
    while (stack.length) {
      const id = stack[stack.length - 1]!;
      const a = d.actions.get(id);
      if (state.get(id) === 1 || index.has(id)) {
        stack.pop();
        continue;
      }
      if (!a) {
        state.set(id, 1); // referenced, never seen: whoever depends on it waits
        stack.pop();
        continue;
      }
      if (!state.has(id)) {
        state.set(id, 0);
        for (const dep of a.deps) if (!state.has(dep) && !index.has(dep)) stack.push(dep);
        continue;
      }
      // all deps visited (or a cycle back to a visiting node, which leaves this one pending)
      stack.pop();
      state.set(id, 1);
      if (!settle(index, a, out)) d.pending.add(id);
    }
  }
  return out;
}

/** The ordered actions and their times as arrays, and where the intents are: the replay's hot data. */
interface Sequence {
  actions: Action[];
  eff: number[];
  intents: number[];
}

const FACTS: ReadonlySet<string> = new Set(FACT_TYPES);

/**
 * The total order — depth, then id — as a counting sort by depth (the few actions sharing a depth are
 * sorted by id), with the ordered actions and times alongside.
 */
function sortOrder(
  r: Resolved,
  tieBreak: TieBreak = byId,
): { order: ActionId[]; depth: number[]; seq: Sequence } {
  const n = r.actions.length;
  let max = 0;
  for (const depth of r.depth) if (depth > max) max = depth;
  const start = new Int32Array(max + 2);
  for (const depth of r.depth) start[depth + 1]!++;
  for (let i = 1; i < start.length; i++) start[i]! += start[i - 1]!;
  const slot = new Int32Array(n); // resolved index at each position
  for (let k = 0; k < n; k++) slot[start[r.depth[k]!]!++] = k;
  // start[depth] is now the end of that depth's run
  let from = 0;
  for (let depth = 0; depth <= max; depth++) {
    const to = start[depth]!;
    if (to - from > 1) {
      const run = Array.from(slot.subarray(from, to)).sort((x, y) =>
        tieBreak(r.actions[x]!.id, r.actions[y]!.id),
      );
      slot.set(run, from);
    }
    from = to;
  }
  const order: ActionId[] = new Array(n);
  const depth: number[] = new Array(n);
  const actions: Action[] = new Array(n);
  const eff: number[] = new Array(n);
  const intents: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = r.actions[slot[i]!]!;
    order[i] = a.id;
    depth[i] = r.depth[slot[i]!]!;
    actions[i] = a;
    eff[i] = r.eff[slot[i]!]!;
    if (!FACTS.has(a.type)) intents.push(i);
  }
  return { order, depth, seq: { actions, eff, intents } };
}

/**
 * The longest prefix of the order that lies entirely in `a`'s causal past (position of its last action,
 * -1 if none): at least the longest of its deps', extended over the next positions while they are `a`
 * itself or one of its deps. A lower bound, which is all isAncestor needs.
 */
function cutOf(d: Derivation, a: Action, position: number): number {
  let cut = -1;
  for (const dep of a.deps) {
    const p = d.position.get(dep);
    if (p !== undefined && d.cut[p]! > cut) cut = d.cut[p]!;
  }
  return extendCut(d, a, position, cut);
}

function extendCut(d: Derivation, a: Action, position: number, from: number): number {
  let cut = from;
  while (cut < position) {
    const next = cut + 1 === position ? a.id : d.order[cut + 1]!;
    // After a fork, the next action may be an ancestor through another path: a short walk finds it, and
    // the cut catches up with the order again once the branches merged. Past the budget, stop: the cut
    // stays a valid lower bound and isAncestor walks instead.
    if (
      next !== a.id &&
      !a.deps.includes(next) &&
      reaches(d, next, cut + 1, a.deps, CUT_WALK_BUDGET) !== true
    ) {
      break;
    }
    cut++;
  }
  return cut;
}

const CUT_WALK_BUDGET = 64;

/**
 * Walks back from `from` through actions sorted after `floor` (the position of `ancestor`): true when it
 * reaches the ancestor or an action whose cut covers it, false when it cannot, null past `budget` actions.
 */
function reaches(
  d: Derivation,
  ancestor: ActionId,
  floor: number,
  from: readonly ActionId[],
  budget: number,
): boolean | null {
  const seen = new Set<ActionId>();
  const stack = [...from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === ancestor) return true;
    const p = d.position.get(id);
    if (p === undefined || p <= floor || seen.has(id)) continue;
    if (d.cut[p]! >= floor) return true;
    if (seen.size >= budget) return null;
    seen.add(id);
    for (const dep of d.actions.get(id)!.deps) stack.push(dep);
  }
  return false;
}

/**
 * Positions, cuts and heads of the order. Heads are ordered actions no ordered action depends on; pending
 * actions are left out, so a replica's own next action never waits on a dependency it is missing itself.
 */
function indexOrder(
  d: Derivation,
  actions: readonly Action[] = d.order.map((id) => d.actions.get(id)!),
): void {
  const n = d.order.length;
  d.position = new Map();
  d.cut = new Array(n);
  for (let i = 0; i < n; i++) d.position.set(d.order[i]!, i);
  const hasChild = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = actions[i]!;
    let cut = -1;
    for (const dep of a.deps) {
      const p = i > 0 && dep === d.order[i - 1] ? i - 1 : d.position.get(dep)!;
      hasChild[p] = 1;
      if (d.cut[p]! > cut) cut = d.cut[p]!;
    }
    d.cut[i] = extendCut(d, a, i, cut);
  }
  d.heads = new Set(d.order.filter((_, i) => !hasChild[i]));
}

/** Rebuilds positions, cuts and heads of a derivation whose order, depths and actions are known (restore). */
export function reindex(d: Derivation): void {
  indexOrder(d);
}

/**
 * Is `ancestor` in the causal past of `of`? An action whose cut reaches the ancestor's position has it in
 * its past; otherwise walk back from `of`, only through actions sorted after the ancestor whose own cut
 * does not reach it — the actions concurrent with it, which real logs have few of.
 */
export function isAncestor(d: Derivation, ancestor: ActionId, of: ActionId): boolean {
  const floor = d.position.get(ancestor);
  if (floor === undefined || ancestor === of) return false;
  const at = d.position.get(of);
  if (at !== undefined) {
    if (at <= floor) return false;
    if (d.cut[at]! >= floor) return true;
  }
  const start = d.actions.get(of);
  return start ? reaches(d, ancestor, floor, start.deps, Number.POSITIVE_INFINITY) === true : false;
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
  if (outcome.flags.length) s.counts.flagged++;
  for (const code of outcome.flags) {
    s.verdicts.push({ id: a.id, type: a.type, actor, kind: 'flagged', code, ...VERDICTS[code] });
  }
  if (outcome.text) {
    s.activity.push({ id: a.id, type: a.type, actor, at: ctx.eff, text: outcome.text });
    if (s.activity.length > ACTIVITY_LIMIT * 2) s.activity.splice(0, s.activity.length - ACTIVITY_LIMIT);
  }
}

function trimActivity(s: AgencyState): void {
  if (s.activity.length > ACTIVITY_LIMIT) s.activity.splice(0, s.activity.length - ACTIVITY_LIMIT);
}

function replay(d: Derivation, seq: Sequence, excluded: Map<ActionId, VerdictCode>): PowerEvent[] {
  d.state = emptyState(d.agencyId);
  d.nonExclusiveSince = new Map();
  d.relationships = new Map();
  const power: PowerEvent[] = [];
  const ctx: ReplayContext = {
    state: d.state,
    index: 0,
    actionId: '',
    eff: 0,
    isAncestor: (x, y) => isAncestor(d, x, y),
    nonExclusiveSince: d.nonExclusiveSince,
    relationships: d.relationships,
    power,
  };
  const none = excluded.size === 0;
  for (let i = 0; i < seq.actions.length; i++) {
    const a = seq.actions[i]!;
    ctx.index = i;
    ctx.actionId = a.id;
    ctx.eff = seq.eff[i]!;
    const revoked = none ? undefined : excluded.get(a.id);
    recordOutcome(d, ctx, a, revoked ? { ok: false, code: revoked } : applyRules(ctx, a));
  }
  return power;
}

/** Which member each key of the given members belongs to. */
function keyOwners(d: Derivation, members: Iterable<MemberId>): Map<string, MemberId> {
  const owner = new Map<string, MemberId>();
  for (const m of members) for (const k of d.state.members[m]?.keys ?? []) owner.set(k, m);
  return owner;
}

/** Does `q` demote or remove `member`? */
function counters(q: Action, member: MemberId): boolean {
  const p = q.payload as { member?: string; role?: string };
  return (
    p.member === member && (q.type === 'removeMember' || (q.type === 'changeRole' && p.role === 'member'))
  );
}

const seniority = (d: Derivation, since: ActionId | null): number =>
  since === null ? Number.MAX_SAFE_INTEGER : (d.position.get(since) ?? Number.MAX_SAFE_INTEGER);

/**
 * Strong remove (design.md §2): a removal, departure or demotion revokes its target's intents that are not
 * in its causal past; two managers acting on each other at once are settled by seniority (P3). Adds the
 * exclusions of the first power event that has any and returns true, or returns false when the replay is
 * stable. Every call excludes at least one more action, so derive's loop ends.
 */
function revocations(
  d: Derivation,
  seq: Sequence,
  power: PowerEvent[],
  excluded: Map<ActionId, VerdictCode>,
): boolean {
  if (!power.length) return false;
  const refused = new Set(d.state.verdicts.filter((v) => v.kind === 'refused').map((v) => v.id));
  const owner = keyOwners(d, new Set(power.map((p) => p.target)));
  const intents = new Map<MemberId, ActionId[]>();
  for (const i of seq.intents) {
    const m = owner.get(seq.actions[i]!.actor);
    if (m === undefined) continue;
    const list = intents.get(m);
    if (list) list.push(d.order[i]!);
    else intents.set(m, [d.order[i]!]);
  }
  for (const p of power) {
    if (excluded.has(p.action)) continue;
    const targets = intents.get(p.target) ?? [];
    if (p.by !== p.target) {
      // P3: the target demoted or removed the actor at the same time. The one who became a business
      // manager first wins, whichever of the two sorts first; the other's action is refused.
      for (const id of targets) {
        if (excluded.has(id) || !counters(d.actions.get(id)!, p.by)) continue;
        if (isAncestor(d, id, p.action) || isAncestor(d, p.action, id)) continue;
        const targetWins = seniority(d, p.targetSince) < seniority(d, p.bySince);
        excluded.set(targetWins ? p.action : id, 'SENIORITY');
        return true;
      }
    }
    let changed = false;
    for (const id of targets) {
      if (id === p.action || excluded.has(id) || refused.has(id)) continue;
      const a = d.actions.get(id)!;
      if (p.kind === 'demote' && !MANAGER_ONLY.has(a.type)) continue;
      if (d.position.get(id)! > p.index) continue; // sorted after the event: the replay already refused it
      if (isAncestor(d, id, p.action)) continue;
      excluded.set(id, p.kind === 'remove' ? 'MEMBER_GONE' : 'DEMOTED');
      changed = true;
    }
    if (changed) return true;
  }
  return false;
}

/** Facts by a removed member that are concurrent with the removal but sort before it: flagged (P6). */
function flagConcurrentFacts(d: Derivation, seq: Sequence, power: PowerEvent[]): void {
  const removals = power.filter((p) => p.kind === 'remove');
  if (!removals.length) return;
  const owner = keyOwners(d, new Set(removals.map((p) => p.target)));
  const before = d.state.verdicts.length;
  let flagged: Set<ActionId> | null = null;
  for (const p of removals) {
    // Everything up to the removal's cut is in its causal past: only later positions can be concurrent.
    for (let i = d.cut[p.index]! + 1; i < p.index; i++) {
      const a = seq.actions[i]!;
      if (!FACTS.has(a.type) || owner.get(a.actor) !== p.target) continue;
      const id = a.id;
      if (isAncestor(d, id, p.action)) continue;
      flagged ??= new Set(d.state.verdicts.filter((v) => v.kind === 'flagged').map((v) => v.id));
      if (d.state.verdicts.some((v) => v.id === id && v.code === 'MEMBER_GONE_FACT')) continue;
      if (!flagged.has(id)) d.state.counts.flagged++;
      flagged.add(id);
      const code = 'MEMBER_GONE_FACT';
      d.state.verdicts.push({ id, type: a.type, actor: p.target, kind: 'flagged', code, ...VERDICTS[code] });
    }
  }
  if (d.state.verdicts.length === before) return;
  // Verdicts read in the log's order, as the incremental path appends them.
  const rank = (v: Verdict) => d.position.get(v.id)!;
  d.state.verdicts = d.state.verdicts
    .map((v, i) => [v, i] as const)
    .sort(([x, i], [y, j]) => rank(x) - rank(y) || i - j)
    .map(([v]) => v);
}

function finish(d: Derivation, seq: Sequence, power: PowerEvent[]): void {
  flagConcurrentFacts(d, seq, power);
  trimActivity(d.state);
  d.state.counts.pending = d.pending.size;
}

/** How two actions of the same depth are ordered: by id, except in tests that check nothing hangs on it. */
export type TieBreak = (a: ActionId, b: ActionId) => number;
const byId: TieBreak = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

export interface DeriveOptions {
  /**
   * Test-only: another total order among actions of the same depth (reversed, or ids permuted), to check
   * that no verdict depends on it beyond what domain.md lets the order decide. Incremental application
   * (applyActions, appendLocal) always uses the id order; pass this to full derives only.
   */
  tieBreak?: TieBreak;
}

/** Full derive: the oracle. */
export function derive(agencyId: string, actions: Iterable<Action>, options: DeriveOptions = {}): Derivation {
  const d = newDerivation(agencyId);
  for (const a of actions) d.actions.set(a.id, a);
  const sorted = sortOrder(resolve(d), options.tieBreak);
  d.order = sorted.order;
  d.depthAt = sorted.depth;
  d.effAt = sorted.seq.eff;
  const seq = sorted.seq;
  indexOrder(d, seq.actions);
  const excluded = new Map<ActionId, VerdictCode>();
  let power = replay(d, seq, excluded);
  // Each round excludes at least one more action, so this ends; real logs need zero or one round.
  while (revocations(d, seq, power, excluded)) power = replay(d, seq, excluded);
  finish(d, seq, power);
  return d;
}

/** Depths for new actions if they all land at the end of the order and cannot revoke anything; else null. */
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

function placeAtEnd(d: Derivation, a: Action): ReplayContext {
  let eff = a.at;
  for (const dep of a.deps) eff = Math.max(eff, d.effAt[d.position.get(dep)!]! + 1);
  return {
    state: d.state,
    index: d.order.length,
    actionId: a.id,
    eff,
    // `a` is not in the derivation yet: its past is its deps and theirs.
    isAncestor: (x, y) =>
      y === a.id ? a.deps.some((dep) => dep === x || isAncestor(d, x, dep)) : isAncestor(d, x, y),
    nonExclusiveSince: d.nonExclusiveSince,
    relationships: d.relationships,
    power: [],
  };
}

function commitAtEnd(d: Derivation, a: Action, depth: number, ctx: ReplayContext, outcome: Outcome): void {
  d.actions.set(a.id, a);
  d.depthAt.push(depth);
  d.effAt.push(ctx.eff);
  const built = builtMaps.get(d);
  built?.depth?.set(a.id, depth);
  built?.eff?.set(a.id, ctx.eff);
  for (const dep of a.deps) d.heads.delete(dep);
  d.heads.add(a.id);
  d.position.set(a.id, d.order.length);
  d.order.push(a.id);
  d.cut.push(cutOf(d, a, d.order.length - 1));
  recordOutcome(d, ctx, a, outcome);
  trimActivity(d.state);
}

/**
 * Adds verified actions to a derivation. When every new action lands at the end of the order and cannot
 * revoke anything, they are applied in place; otherwise the derivation is rebuilt (same result).
 * Returns the derivation to use from now on.
 */
export function applyActions(d: Derivation, incoming: readonly Action[]): Derivation {
  const fresh = incoming.filter((a) => !d.actions.has(a.id));
  if (!fresh.length) return d;
  const plan = planAtEnd(d, fresh);
  if (!plan) return derive(d.agencyId, [...d.actions.values(), ...fresh]);
  const sorted = [...fresh].sort((x, y) => plan.get(x.id)! - plan.get(y.id)! || (x.id < y.id ? -1 : 1));
  for (const a of sorted) {
    const ctx = placeAtEnd(d, a);
    commitAtEnd(d, a, plan.get(a.id)!, ctx, applyRules(ctx, a));
  }
  return d;
}

export type LocalResult =
  | { ok: true; derivation: Derivation; verdicts: Verdict[] }
  | { ok: false; code: VerdictCode; rule: string; message: string };

/**
 * A member's own new action: refused intents are reported and leave the derivation untouched, so the
 * caller writes nothing to the log. Accepted actions (and every fact) are applied.
 */
export function appendLocal(d: Derivation, a: Action): LocalResult {
  const plan = planAtEnd(d, [a]);
  if (plan) {
    const ctx = placeAtEnd(d, a);
    const outcome = applyRules(ctx, a); // rules check before they change anything
    if (!outcome.ok) return { ok: false, code: outcome.code, ...VERDICTS[outcome.code] };
    commitAtEnd(d, a, plan.get(a.id)!, ctx, outcome);
    return { ok: true, derivation: d, verdicts: verdictsOf(d, a.id) };
  }
  const trial = derive(d.agencyId, [...d.actions.values(), a]);
  const refused = trial.state.verdicts.find((v) => v.id === a.id && v.kind === 'refused');
  if (refused)
    return { ok: false, code: refused.code as VerdictCode, rule: refused.rule, message: refused.message };
  return { ok: true, derivation: trial, verdicts: verdictsOf(trial, a.id) };
}

export const verdictsOf = (d: Derivation, id: ActionId): Verdict[] =>
  d.state.verdicts.filter((v) => v.id === id);
