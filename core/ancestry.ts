// "Is X in Y's causal past?" — asked for nearly every rule of every action (what an action knew, D1–D15).
// Positions are a topological order (order.ts), so each position keeps:
//  - its cut: the last position up to which the whole order is in its causal past;
//  - its unknown positions: every position between its cut and itself that is NOT in its causal past (its
//    concurrent predecessors), exactly, computed from its dependencies' own — a small set in real logs.
// Then a query is a comparison and a binary search, whatever the shape of the DAG. Walking the DAG instead
// (what the cut alone allowed) cost the length of a branch per query: after one action concurrent with a
// long branch (a member offline while the others wrote, a 30,000-action catch-up, an old dependency chosen
// on purpose), every later action's cut stayed behind it and every query walked — a merge of two long
// branches took minutes (issue 8, item 12). An action whose concurrent predecessors are too many to keep (a
// DAG made wide on purpose) keeps none, and queries about it walk, pruned by the positions that do keep them.
import type { Derivation } from './derivation.ts';
import type { Action, ActionId } from './types.ts';

/** Sorted unknown positions of one action, or null when it keeps none (too many: walk instead). */
export type Unknown = Int32Array | null;

/** Concurrent predecessors one action keeps at most. */
export const MAX_UNKNOWN = 4096;
/** Concurrent predecessors a derivation keeps in all (4 bytes each): a wide DAG must not cost memory. */
export const MAX_UNKNOWN_TOTAL = 2_000_000;
/** What an action keeps at most once the derivation keeps MAX_UNKNOWN_TOTAL. */
const SMALL_UNKNOWN = 64;
/** Positions looked at, at most, to find the unknown positions of one action. */
const SCAN_LIMIT = 1 << 16;
/** Steps of DAG walks, at most, to find the unknown positions of one action (else it keeps none). */
const WORK_BUDGET = 1 << 14;
/** Steps walked to extend a cut past a fork (for actions that keep no unknown positions). */
const CUT_WALK_BUDGET = 256;

const NONE = new Int32Array(0);
const kept = new WeakMap<Derivation, number>();

/** Whether the sorted `xs` holds `p`. */
export function holds(xs: Int32Array, p: number): boolean {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = xs[mid]!;
    if (x === p) return true;
    if (x < p) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The ancestry of one action: its cut and its unknown positions. */
export interface Ancestry {
  cut: number;
  unknown: Unknown;
}

/** Forgets what the derivation kept (its order is being indexed again). */
export function resetAncestry(d: Derivation): void {
  kept.set(d, 0);
}

/** Records the ancestry of the action at `position` (positions are indexed in order). */
export function recordAncestry(d: Derivation, position: number, anc: Ancestry): void {
  d.cut[position] = anc.cut;
  d.unknown[position] = anc.unknown;
}

/**
 * The ancestry of `a` placed at `position` (its dependencies are all at earlier positions, indexed). Its
 * unknown positions are those of one dependency plus everything sorted between that dependency and `a`,
 * less what another dependency knows: a dependency's past is in `a`'s past, and nothing sorted after every
 * dependency can be.
 */
export function ancestryOf(d: Derivation, a: Action, position: number): Ancestry {
  const unknown = unknownOf(d, a, position);
  if (unknown) return { cut: unknown.length ? unknown[0]! - 1 : position - 1, unknown };
  return { cut: cutOf(d, a, position), unknown: null };
}

function unknownOf(d: Derivation, a: Action, position: number): Unknown {
  const deps: number[] = [];
  let top = -1;
  for (const dep of a.deps) {
    // most actions follow the one just before them: no lookup for that one
    const q = position > 0 && d.order[position - 1] === dep ? position - 1 : d.position.get(dep);
    if (q === undefined || q >= position) continue;
    deps.push(q);
    if (q > top) top = q;
  }
  // once a derivation keeps many, only small sets are kept (a wide DAG must not cost memory)
  const limit = (kept.get(d) ?? 0) < MAX_UNKNOWN_TOTAL ? MAX_UNKNOWN : SMALL_UNKNOWN;
  // nothing sorted after every dependency is in the past: so many unknown positions are not kept
  if (position - top - 1 > limit) return null;
  if (!deps.length) return Int32Array.from({ length: position }, (_, p) => p);
  // the dependency whose candidates are fewest: its own unknown positions (or, when it keeps none, every
  // position after its cut), and every position sorted after it
  let from = top;
  let count = Number.POSITIVE_INFINITY;
  for (const q of deps) {
    const u = d.unknown[q];
    const c = (u ? u.length : q - d.cut[q]! - 1) + (position - q - 1);
    if (c < count) {
      from = q;
      count = c;
    }
  }
  if (count > SCAN_LIMIT) return null;
  const u = d.unknown[from];
  if (u && deps.length === 1) {
    // one dependency (a chain: most actions): its unknown positions and everything sorted after it
    if (from + 1 === position) return u;
    const out = new Int32Array(u.length + position - from - 1);
    out.set(u);
    for (let p = from + 1, k = u.length; p < position; p++, k++) out[k] = p;
    kept.set(d, (kept.get(d) ?? 0) + out.length);
    return out;
  }
  const budget = { steps: WORK_BUDGET };
  const out: number[] = [];
  /** Keeps `p` unless another dependency knows it; false when undecided or too many are kept. */
  const keep = (p: number): boolean => {
    for (const q of deps) {
      if (q === from) continue;
      const k = knownAt(d, p, q, budget);
      if (k === null) return false;
      if (k) return true;
    }
    out.push(p);
    return out.length <= limit;
  };
  if (u) {
    for (const p of u) if (!keep(p)) return null;
  } else {
    for (let p = d.cut[from]! + 1; p < from; p++) {
      const k = knownAt(d, p, from, budget);
      if (k === null || (!k && !keep(p))) return null;
    }
  }
  for (let p = from + 1; p < position; p++) if (!keep(p)) return null;
  // a chain's next action usually has the same concurrent predecessors as the one before it: share them
  if (u && from + 1 === position && out.length === u.length) return u;
  if (!out.length) return NONE;
  kept.set(d, (kept.get(d) ?? 0) + out.length);
  return Int32Array.from(out);
}

/**
 * Is position `p` in the causal past of the action at position `q`? Null when a walk would take more than
 * what is left of `budget`.
 */
function knownAt(d: Derivation, p: number, q: number, budget: { steps: number }): boolean | null {
  if (p === q) return true;
  if (p > q) return false;
  if (d.cut[q]! >= p) return true;
  const u = d.unknown[q];
  if (u) return !holds(u, p);
  return reaches(d, d.order[p]!, p, d.ordered[q]!.deps, budget);
}

/**
 * The longest prefix of the order that lies entirely in `a`'s causal past (position of its last action,
 * -1 if none): at least the longest of its deps', extended over the next positions while they are `a`
 * itself or one of its ancestors. A lower bound, which is all a query needs (for actions keeping no
 * unknown positions).
 */
function cutOf(d: Derivation, a: Action, position: number): number {
  let cut = -1;
  for (const dep of a.deps) {
    const p = d.position.get(dep);
    if (p !== undefined && p < position && d.cut[p]! > cut) cut = d.cut[p]!;
  }
  while (cut < position) {
    const next = cut + 1 === position ? a.id : d.order[cut + 1]!;
    // past the budget, stop: the cut stays a valid lower bound and queries walk instead
    if (
      next !== a.id &&
      !a.deps.includes(next) &&
      reaches(d, next, cut + 1, a.deps, { steps: CUT_WALK_BUDGET }) !== true
    ) {
      break;
    }
    cut++;
  }
  return cut;
}

/**
 * Walks back from `from` through actions sorted after `floor` (the position of `ancestor`): true when it
 * reaches the ancestor or an action whose index says it knows it, false when it cannot, null past `budget`
 * actions. An action whose unknown positions hold the ancestor ends that branch of the walk.
 */
function reaches(
  d: Derivation,
  ancestor: ActionId,
  floor: number,
  from: readonly ActionId[],
  budget: { steps: number } = { steps: Number.POSITIVE_INFINITY },
): boolean | null {
  const seen = new Set<ActionId>();
  const stack = [...from];
  while (stack.length) {
    if (--budget.steps < 0) return null;
    const id = stack.pop()!;
    if (id === ancestor) return true;
    const p = d.position.get(id);
    if (p === undefined || p <= floor || seen.has(id)) continue;
    if (d.cut[p]! >= floor) return true;
    const u = d.unknown[p];
    if (u) {
      if (!holds(u, floor)) return true;
      continue;
    }
    seen.add(id);
    for (const dep of d.actions.get(id)!.deps) stack.push(dep);
  }
  return false;
}

/** Is `ancestor` in the causal past of `of`? */
export function isAncestor(d: Derivation, ancestor: ActionId, of: ActionId): boolean {
  const floor = d.position.get(ancestor);
  if (floor === undefined || ancestor === of) return false;
  const at = d.position.get(of);
  if (at !== undefined) {
    if (at <= floor) return false;
    if (d.cut[at]! >= floor) return true;
    const u = d.unknown[at];
    if (u) return !holds(u, floor);
  }
  const start = d.actions.get(of);
  return start ? reaches(d, ancestor, floor, start.deps) === true : false;
}

/** Is the action at position `p` in the causal past of an action with these `deps` (not yet ordered)? */
export function inPastOfDeps(d: Derivation, p: number, deps: readonly ActionId[]): boolean {
  const id = d.order[p]!;
  for (const dep of deps) {
    if (dep === id) return true;
    const q = d.position.get(dep);
    if (q !== undefined && q > p && knownAt(d, p, q, { steps: 0 }) === true) return true;
  }
  return reaches(d, id, p, deps) === true;
}
