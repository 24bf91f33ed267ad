// The log's total order and its ancestry queries. Each action gets a Lamport depth (1 + the deepest of its
// deps) and an effective time (its `at`, but at least 1 ms after each dependency's); the order is (depth,
// then id). That is a topological order of the causal DAG with a total tie-break, and a member's new action,
// written on top of everything they know, lands at the end. Each position also gets a "cut": the last
// position up to which the whole order is in that action's causal past, so "is X in Y's past?" rarely walks.
import type { Derivation } from './derivation.ts';
import type { Action, ActionId } from './types.ts';

/** Resolved actions with their depth and effective time, in the order they were resolved. */
interface Resolved {
  actions: Action[];
  depth: number[];
  eff: number[];
  /** Each resolved action's index in `actions`; becomes the order's positions once sorted (one Map, not two). */
  index: Map<ActionId, number>;
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

/** Depth and effective time for every action whose deps are all known; the others become pending. */
function resolve(d: Derivation): Resolved {
  const index = new Map<ActionId, number>();
  const out: Resolved = { actions: [], depth: [], eff: [], index };
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

/** How two actions of the same depth are ordered: by id, except in tests that check nothing hangs on it. */
export type TieBreak = (a: ActionId, b: ActionId) => number;
export const byId: TieBreak = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders the derivation's actions: a counting sort by depth (the few actions sharing a depth are sorted by
 * the tie-break), then positions, cuts and heads. Returns the ordered actions.
 */
export function orderActions(d: Derivation, tieBreak: TieBreak = byId): Action[] {
  const r = resolve(d);
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
  const actions: Action[] = new Array(n);
  d.order = new Array(n);
  d.depthAt = new Array(n);
  d.effAt = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = slot[i]!;
    const a = r.actions[k]!;
    actions[i] = a;
    d.order[i] = a.id;
    d.depthAt[i] = r.depth[k]!;
    d.effAt[i] = r.eff[k]!;
    r.index.set(a.id, i);
  }
  d.position = r.index;
  indexOrder(d, actions, true);
  return actions;
}

/**
 * The longest prefix of the order that lies entirely in `a`'s causal past (position of its last action,
 * -1 if none): at least the longest of its deps', extended over the next positions while they are `a`
 * itself or one of its ancestors. A lower bound, which is all isAncestor needs.
 */
export function cutOf(d: Derivation, a: Action, position: number): number {
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
export function indexOrder(
  d: Derivation,
  actions: readonly Action[] = d.order.map((id) => d.actions.get(id)!),
  positioned = false,
): void {
  const n = d.order.length;
  d.cut = new Array(n);
  if (!positioned) {
    d.position = new Map();
    for (let i = 0; i < n; i++) d.position.set(d.order[i]!, i);
  }
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

/** Is the action at position `p` in the causal past of an action with these `deps` (not yet ordered)? */
export function inPastOfDeps(d: Derivation, p: number, deps: readonly ActionId[]): boolean {
  const id = d.order[p]!;
  for (const dep of deps) {
    if (dep === id) return true;
    const q = d.position.get(dep);
    if (q !== undefined && d.cut[q]! >= p) return true;
  }
  return reaches(d, id, p, deps, Number.POSITIVE_INFINITY) === true;
}
