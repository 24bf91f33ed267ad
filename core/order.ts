// The log's total order. Each action gets a Lamport depth (1 + the deepest of its deps) and an effective
// time (its `at`, but at least 1 ms after each dependency's); the order is (depth, then id). That is a
// topological order of the causal DAG with a total tie-break, and a member's new action, written on top of
// everything they know, lands at the end. Each position is then indexed for "is X in Y's past?" queries
// (ancestry.ts).
import { ancestryOf, recordAncestry, resetAncestry } from './ancestry.ts';
import type { Derivation } from './derivation.ts';
import { withRoom } from './room-to-grow.ts';
import { runSteps, STEP, type Steps } from './steps.ts';
import type { Action, ActionId } from './types.ts';

/** Resolved actions with their depth and effective time, in the order they were resolved. */
interface Resolved {
  /** The first `count` entries are filled (the arrays are sized for every action given, once). */
  count: number;
  actions: Action[];
  depth: number[];
  eff: number[];
  /** Each resolved action's index in `actions`; becomes the order's positions once sorted (one Map, not two). */
  index: Map<ActionId, number>;
  /** Whether an id was given twice (then the list is read again without the copies). */
  twice: boolean;
  /** Actions waiting for a dependency not given (or in a cycle): not ordered. */
  pending: Action[];
}

/** Sets depth and effective time from the deps when they are all resolved; false otherwise. */
function settle(index: Map<ActionId, number>, a: Action, out: Resolved): boolean {
  let depth = 0;
  let eff = a.at;
  const k = out.count;
  for (const dep of a.deps) {
    // Most actions follow the one resolved just before them: no lookup for that one.
    const q = k > 0 && dep === out.actions[k - 1]!.id ? k - 1 : index.get(dep);
    if (q === undefined) return false;
    if (out.depth[q]! > depth) depth = out.depth[q]!;
    if (out.eff[q]! + 1 > eff) eff = out.eff[q]! + 1;
  }
  const size = index.size;
  index.set(a.id, k);
  // an id given twice: noticed here for nothing (the Map's size), handled by reading the list again
  if (index.size === size) out.twice = true;
  out.actions[k] = a;
  out.depth[k] = depth + 1;
  out.eff[k] = eff;
  out.count = k + 1;
  return true;
}

/** The actions of `list` once each (the same id twice is the same signed action: the last copy is kept). */
function once(list: readonly Action[]): Action[] {
  return [...new Map(list.map((a) => [a.id, a])).values()];
}

/** Depth and effective time for every action whose deps are all known; the others become pending. */
function* resolve(given: readonly Action[]): Steps<Resolved> {
  let list = given;
  for (;;) {
    const r = yield* resolveOnce(list);
    if (!r.twice) return r;
    list = once(given);
  }
}

function* resolveOnce(list: readonly Action[]): Steps<Resolved> {
  const n = list.length;
  const index = new Map<ActionId, number>();
  // sized once: growing an array of 100k by pushes copies it a dozen times into fresh memory
  const out: Resolved = {
    count: 0,
    actions: new Array(n),
    depth: new Array(n),
    eff: new Array(n),
    index,
    twice: false,
    pending: [],
  };
  // Most logs arrive in causal order: one pass settles them; the rest go through a depth-first walk.
  const late: Action[] = [];
  for (let from = 0; from < n; from += STEP) {
    const to = Math.min(n, from + STEP);
    for (let i = from; i < to; i++) if (!settle(index, list[i]!, out)) late.push(list[i]!);
    yield;
  }
  if (late.length) yield* resolveLate(late, out);
  out.actions.length = out.depth.length = out.eff.length = out.count;
  return out;
}

/** The actions a first pass could not settle, deps first (a walk of the DAG through them). */
function* resolveLate(late: readonly Action[], out: Resolved): Steps<void> {
  const { index } = out;
  const byId = new Map<ActionId, Action>();
  for (const a of late) byId.set(a.id, a);
  const state = new Map<ActionId, 0 | 1>(); // 0: visiting, 1: done
  let work = 0;
  for (const start of late) {
    if (state.has(start.id) || index.has(start.id)) continue;
    const stack: ActionId[] = [start.id];
    while (stack.length) {
      if (++work === STEP) {
        work = 0;
        yield;
      }
      const id = stack[stack.length - 1]!;
      const a = byId.get(id);
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
      if (!settle(index, a, out)) out.pending.push(a);
    }
  }
}

/** How two actions of the same depth are ordered: by id, except in tests that check nothing hangs on it. */
export type TieBreak = (a: ActionId, b: ActionId) => number;
export const byId: TieBreak = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders the derivation's actions: a counting sort by depth (the few actions sharing a depth are sorted by
 * the tie-break), then positions, cuts and heads. Returns the ordered actions.
 */
export function orderActions(d: Derivation, tieBreak: TieBreak = byId): Action[] {
  return runSteps(orderSteps(d, tieBreak, [...d.actions.values()]));
}

/** orderActions in steps; `list` holds the derivation's actions once each, in the map's order. */
export function* orderSteps(d: Derivation, tieBreak: TieBreak, list: readonly Action[]): Steps<Action[]> {
  const r = yield* resolve(list);
  d.actions.clearLoose();
  for (const a of r.pending) {
    d.pending.add(a.id);
    d.actions.set(a.id, a);
  }
  const n = r.actions.length;
  let max = 0;
  for (const depth of r.depth) if (depth > max) max = depth;
  const start = new Int32Array(max + 2);
  for (const depth of r.depth) start[depth + 1]!++;
  for (let i = 1; i < start.length; i++) start[i]! += start[i - 1]!;
  const slot = new Int32Array(n); // resolved index at each position
  for (let k = 0; k < n; k++) slot[start[r.depth[k]!]!++] = k;
  yield;
  // start[depth] is now the end of that depth's run
  let from = 0;
  let sorted = 0;
  for (let depth = 0; depth <= max; depth++) {
    const to = start[depth]!;
    if (to - from > 1) {
      const run = Array.from(slot.subarray(from, to)).sort((x, y) =>
        tieBreak(r.actions[x]!.id, r.actions[y]!.id),
      );
      slot.set(run, from);
      sorted += to - from;
      if (sorted >= STEP) {
        sorted = 0;
        yield;
      }
    }
    from = to;
  }
  // the arrays incremental appends grow get room for them now (room-to-grow.ts)
  const actions = withRoom<Action>(n);
  d.order = withRoom(n);
  d.depthAt = withRoom(n);
  d.effAt = withRoom(n);
  for (let from = 0; from < n; from += STEP) {
    const to = Math.min(n, from + STEP);
    for (let i = from; i < to; i++) {
      const k = slot[i]!;
      const a = r.actions[k]!;
      actions[i] = a;
      d.order[i] = a.id;
      d.depthAt[i] = r.depth[k]!;
      d.effAt[i] = r.eff[k]!;
      // most logs arrive in causal order: the resolved index is already the position
      if (k !== i) r.index.set(a.id, i);
    }
    yield;
  }
  d.position = r.index;
  d.ordered = actions;
  yield* indexSteps(d, actions, true);
  return actions;
}

/**
 * Positions, ancestry (ancestry.ts) and heads of the order. Heads are ordered actions no ordered action
 * depends on; pending actions are left out, so a replica's own next action never waits on a dependency it
 * is missing itself.
 */
export function indexOrder(
  d: Derivation,
  actions: readonly Action[] = d.order.map((id) => d.actions.get(id)!),
  positioned = false,
): void {
  runSteps(indexSteps(d, actions, positioned));
}

function* indexSteps(d: Derivation, actions: readonly Action[], positioned: boolean): Steps<void> {
  const n = d.order.length;
  d.cut = withRoom(n);
  if (!positioned) {
    d.position = new Map();
    for (let i = 0; i < n; i++) d.position.set(d.order[i]!, i);
    d.ordered = withRoom(n);
    for (let i = 0; i < n; i++) d.ordered[i] = actions[i]!;
    d.actions.keepUnordered();
  }
  d.unknown = withRoom(n);
  resetAncestry(d);
  const hasChild = new Uint8Array(n);
  for (let from = 0; from < n; from += STEP) {
    const to = Math.min(n, from + STEP);
    for (let i = from; i < to; i++) {
      const a = actions[i]!;
      for (const dep of a.deps) hasChild[i > 0 && dep === d.order[i - 1] ? i - 1 : d.position.get(dep)!] = 1;
      recordAncestry(d, i, ancestryOf(d, a, i));
    }
    yield;
  }
  d.heads = new Set(d.order.filter((_, i) => !hasChild[i]));
}
