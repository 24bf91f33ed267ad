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
import type { Action, ActionId, AgencyState, MemberId, Verdict } from './types.ts';
import { isFact } from './types.ts';

export const ACTIVITY_LIMIT = 200;

export interface Derivation {
  agencyId: string;
  state: AgencyState;
  /** Every verified action known, applied or not. */
  actions: Map<ActionId, Action>;
  /** Applied or refused actions in the log's total order (pending ones are not in it). */
  order: ActionId[];
  depth: Map<ActionId, number>;
  eff: Map<ActionId, number>;
  /** Actions waiting for a dependency this replica has not seen yet. */
  pending: Set<ActionId>;
  /** Actions with no known child: the deps of the next action written here. */
  heads: Set<ActionId>;
  /** Replay bookkeeping kept for the incremental path. */
  nonExclusiveSince: Map<MemberId, ActionId>;
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

const compareKey = (d: Derivation, x: ActionId, y: ActionId): number =>
  d.depth.get(x)! - d.depth.get(y)! || (x < y ? -1 : x > y ? 1 : 0);

/** Depth and effective time for every action whose deps are all known; the others are pending. */
function resolve(d: Derivation): void {
  const state = new Map<ActionId, 0 | 1>(); // 0: visiting, 1: done
  for (const start of d.actions.keys()) {
    if (state.has(start)) continue;
    const stack: ActionId[] = [start];
    while (stack.length) {
      const id = stack[stack.length - 1]!;
      const a = d.actions.get(id);
      if (state.get(id) === 1) {
        stack.pop();
        continue;
      }
      if (!a) {
        state.set(id, 1);
        d.pending.add(id);
        stack.pop();
        continue;
      }
      if (!state.has(id)) {
        state.set(id, 0);
        for (const dep of a.deps) if (!state.has(dep)) stack.push(dep);
        continue;
      }
      // all deps visited (or a cycle back to a visiting node, which leaves this one pending)
      stack.pop();
      state.set(id, 1);
      let depth = 0;
      let eff = a.at;
      let ok = true;
      for (const dep of a.deps) {
        const dd = d.depth.get(dep);
        if (dd === undefined) {
          ok = false;
          break;
        }
        depth = Math.max(depth, dd);
        eff = Math.max(eff, d.eff.get(dep)! + 1);
      }
      if (ok) {
        d.depth.set(id, depth + 1);
        d.eff.set(id, eff);
      } else d.pending.add(id);
    }
  }
  // ids that were only ever referenced are not actions: pending counts actions only
  for (const id of d.pending) if (!d.actions.has(id)) d.pending.delete(id);
}

function computeHeads(d: Derivation): void {
  const hasChild = new Set<ActionId>();
  for (const a of d.actions.values()) for (const dep of a.deps) hasChild.add(dep);
  d.heads = new Set([...d.actions.keys()].filter((id) => !hasChild.has(id)));
}

/** Is `ancestor` in the causal past of `of`? Walks back from `of`, never below the ancestor's depth. */
export function isAncestor(d: Derivation, ancestor: ActionId, of: ActionId): boolean {
  const floor = d.depth.get(ancestor);
  if (floor === undefined || ancestor === of) return false;
  const seen = new Set<ActionId>([of]);
  const stack = [of];
  while (stack.length) {
    const a = d.actions.get(stack.pop()!);
    if (!a) continue;
    for (const dep of a.deps) {
      if (dep === ancestor) return true;
      if (seen.has(dep) || (d.depth.get(dep) ?? 0) <= floor) continue;
      seen.add(dep);
      stack.push(dep);
    }
  }
  return false;
}

function record(d: Derivation, ctx: ReplayContext, a: Action, excluded: Map<ActionId, VerdictCode>): void {
  const revoked = excluded.get(a.id);
  recordOutcome(d, ctx, a, revoked ? { ok: false, code: revoked } : applyRules(ctx, a));
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

function replay(d: Derivation, excluded: Map<ActionId, VerdictCode>): PowerEvent[] {
  d.state = emptyState(d.agencyId);
  d.nonExclusiveSince = new Map();
  const power: PowerEvent[] = [];
  const ctx: ReplayContext = {
    state: d.state,
    index: 0,
    eff: 0,
    isAncestor: (x, y) => isAncestor(d, x, y),
    nonExclusiveSince: d.nonExclusiveSince,
    power,
  };
  for (let i = 0; i < d.order.length; i++) {
    const a = d.actions.get(d.order[i]!)!;
    ctx.index = i;
    ctx.eff = d.eff.get(a.id)!;
    record(d, ctx, a, excluded);
  }
  return power;
}

/**
 * Strong remove (design.md §2): a removal, departure or demotion revokes its target's intents that are not
 * in its causal past; two managers acting on each other at once are settled by seniority (P3). Returns
 * the new exclusions for the first power event that has any, or null when the replay is stable.
 */
function revocations(d: Derivation, power: PowerEvent[], excluded: Map<ActionId, VerdictCode>): boolean {
  const verdictOf = new Map(d.state.verdicts.filter((v) => v.kind === 'refused').map((v) => [v.id, v.code]));
  const position = new Map(d.order.map((id, i) => [id, i]));
  const byMember = new Map<MemberId, ActionId[]>();
  for (const id of d.order) {
    const a = d.actions.get(id)!;
    const m = d.state.keys[a.actor]?.member;
    if (!m) continue;
    const list = byMember.get(m);
    if (list) list.push(id);
    else byMember.set(m, [id]);
  }
  for (const p of power) {
    if (excluded.has(p.action)) continue;
    const powerAction = d.actions.get(p.action)!;
    // Seniority: the target acted on the actor at the same time. Measured at the moment of this event.
    if (p.by !== p.target) {
      for (const id of byMember.get(p.target) ?? []) {
        const q = d.actions.get(id)!;
        if (!POWER_TYPES.has(q.type) || q.type === 'leaveAgency' || excluded.has(id)) continue;
        const qTarget = (q.payload as { member?: string }).member;
        const demotesOrRemoves =
          q.type === 'removeMember' || (q.payload as { role?: string }).role === 'member';
        if (qTarget !== p.by || !demotesOrRemoves) continue;
        if (isAncestor(d, id, p.action) || isAncestor(d, p.action, id)) continue;
        if (seniority(d, p.target, id) < seniority(d, p.by, p.action)) {
          excluded.set(p.action, 'SENIORITY');
          return true;
        }
      }
    }
    let changed = false;
    for (const id of byMember.get(p.target) ?? []) {
      if (id === p.action || excluded.has(id) || verdictOf.has(id)) continue;
      const a = d.actions.get(id)!;
      if (isFact(a.type)) continue; // facts stay, flagged by the replay when they sort after the event
      if (p.kind === 'demote' && !MANAGER_ONLY.has(a.type)) continue;
      if (position.get(id)! > p.index) continue; // sorted after the event: the replay already refused it
      if (isAncestor(d, id, powerAction.id)) continue;
      excluded.set(id, p.kind === 'remove' ? 'MEMBER_GONE' : 'DEMOTED');
      changed = true;
    }
    if (changed) return true;
  }
  return false;
}

/** The position at which `member` last became a business manager before action `at` (lower = senior). */
function seniority(d: Derivation, member: MemberId, at: ActionId): number {
  const m = d.state.members[member];
  if (m?.managerSince !== null && m?.managerSince !== undefined) return m.managerSince;
  // demoted by now: look for when they became manager, before `at`
  const limit = d.order.indexOf(at);
  for (let i = 0; i < limit; i++) {
    const a = d.actions.get(d.order[i]!)!;
    if (a.type === 'createAgency' && a.actor === member) return i;
    if (a.type === 'changeRole' && (a.payload as { member: string }).member === member) return i;
    if (a.type === 'joinAgency' && a.actor === member) return i;
  }
  return Number.MAX_SAFE_INTEGER;
}

/** Facts by a removed member that are concurrent with the removal but sort before it: flagged (P6). */
function flagConcurrentFacts(d: Derivation, power: PowerEvent[]): void {
  const flagged = new Set(d.state.verdicts.filter((v) => v.code === 'MEMBER_GONE_FACT').map((v) => v.id));
  for (const p of power) {
    if (p.kind !== 'remove') continue;
    for (let i = 0; i < p.index; i++) {
      const a = d.actions.get(d.order[i]!)!;
      if (!isFact(a.type) || flagged.has(a.id) || d.state.keys[a.actor]?.member !== p.target) continue;
      if (isAncestor(d, a.id, p.action)) continue;
      flagged.add(a.id);
      d.state.counts.flagged++;
      const code = 'MEMBER_GONE_FACT';
      d.state.verdicts.push({
        id: a.id,
        type: a.type,
        actor: p.target,
        kind: 'flagged',
        code,
        ...VERDICTS[code],
      });
    }
  }
}

function finish(d: Derivation, power: PowerEvent[]): void {
  flagConcurrentFacts(d, power);
  trimActivity(d.state);
  d.state.counts.pending = d.pending.size;
}

/** Full derive: the oracle. */
export function derive(agencyId: string, actions: Iterable<Action>): Derivation {
  const d: Derivation = {
    agencyId,
    state: emptyState(agencyId),
    actions: new Map(),
    order: [],
    depth: new Map(),
    eff: new Map(),
    pending: new Set(),
    heads: new Set(),
    nonExclusiveSince: new Map(),
  };
  for (const a of actions) d.actions.set(a.id, a);
  resolve(d);
  d.order = [...d.depth.keys()].sort((x, y) => compareKey(d, x, y));
  computeHeads(d);
  const excluded = new Map<ActionId, VerdictCode>();
  let power = replay(d, excluded);
  // Each round excludes at least one more action, so this ends; real logs need zero or one round.
  while (revocations(d, power, excluded)) power = replay(d, excluded);
  finish(d, power);
  return d;
}

/** Depths for new actions if they all land at the end of the order and cannot revoke anything; else null. */
function planAtEnd(d: Derivation, fresh: readonly Action[]): Map<ActionId, number> | null {
  if (d.pending.size > 0) return null;
  const depth = new Map<ActionId, number>();
  for (const a of fresh) {
    if (POWER_TYPES.has(a.type)) return null;
    let max = 0;
    for (const dep of a.deps) {
      const dd = d.depth.get(dep) ?? depth.get(dep);
      if (dd === undefined) return null;
      max = Math.max(max, dd);
    }
    depth.set(a.id, max + 1);
  }
  const last = d.order[d.order.length - 1];
  if (last !== undefined) {
    const lastDepth = d.depth.get(last)!;
    for (const a of fresh) {
      const fd = depth.get(a.id)!;
      if (fd < lastDepth || (fd === lastDepth && a.id < last)) return null;
    }
  }
  return depth;
}

function placeAtEnd(d: Derivation, a: Action): ReplayContext {
  let eff = a.at;
  for (const dep of a.deps) eff = Math.max(eff, d.eff.get(dep)! + 1);
  return {
    state: d.state,
    index: d.order.length,
    eff,
    isAncestor: (x, y) => isAncestor(d, x, y),
    nonExclusiveSince: d.nonExclusiveSince,
    power: [],
  };
}

function commitAtEnd(d: Derivation, a: Action, depth: number, ctx: ReplayContext, outcome: Outcome): void {
  d.actions.set(a.id, a);
  d.depth.set(a.id, depth);
  d.eff.set(a.id, ctx.eff);
  for (const dep of a.deps) d.heads.delete(dep);
  d.heads.add(a.id);
  d.order.push(a.id);
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
