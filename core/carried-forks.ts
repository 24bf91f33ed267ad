// A fork of another member's key chain carried by a catch-up (issue 8; ARCHITECTURE.md, "A key's chain").
// After a server is restored from a backup that lost a key's action X, that key's browser may write X' in
// X's place (its own copy lost X too), while another member's browser still holds X: its catch-up carries a
// fork of a chain that is not its own, which it could not have avoided. The server keeps such a carried
// fork like a race: every replica refuses one of the branches KEY_FORKED, deterministically, and the
// carrier is not closed. What a carrier may plant is bounded:
//  - never a fork of a key of its own member (its own key or another browser of the same member): a member
//    who forks her own keys is refused as before (4414), whichever of her keys carries it;
//  - at most MAX_BRANCHES refused branches of one key in the log, counted from what the server stores
//    plus the update (not per update): a restore loses one action per key's branch point, not many, so
//    more is a plant, and reconnecting again does not renew the allowance.
import type { Derivation } from './derivation.ts';
import type { Verdict } from './types.ts';

/** Forked actions (refused KEY_FORKED) of one key that the log may hold when carried by other members. */
export const MAX_BRANCHES = 4;

const memberOf = (d: Derivation, key: string): string => d.state.keys[key]?.member ?? key;

/**
 * Whether the KEY_FORKED refusal `v` in the derivation `trial` is a fork of another member's key, carried by
 * `writer` (the key the connection proved): then it is kept like a race. Never for a key of the writer's
 * own member.
 */
export function carriedFork(trial: Derivation, v: Verdict, writer: string | null | undefined): boolean {
  if (!writer || v.kind !== 'refused' || v.code !== 'KEY_FORKED') return false;
  const a = trial.actions.get(v.id);
  if (!a || a.actor === writer) return false;
  return memberOf(trial, a.actor) !== memberOf(trial, writer);
}

/**
 * The first forked action of a key among `keys` that starts a branch beyond MAX_BRANCHES in `trial` (what
 * is stored plus the update), or undefined. Branches are counted by their leaves: refused KEY_FORKED
 * actions of the key that no other refused action of the key is written on (an honest browser's writes
 * after its X' all build on it: one branch; a fan under one forked action: as many as its leaves). The one
 * blamed is one the update (`fresh`) brings.
 */
export function branchBeyondBound(
  trial: Derivation,
  keys: ReadonlySet<string>,
  fresh: ReadonlySet<string>,
): Verdict | undefined {
  if (!keys.size) return undefined;
  const forked = new Set<string>();
  for (const v of trial.state.verdicts)
    if (v.kind === 'refused' && v.code === 'KEY_FORKED' && keys.has(trial.actions.get(v.id)?.actor ?? ''))
      forked.add(v.id);
  // a branch ends in a leaf: a forked action no other forked action of its key is written on
  const built = new Set<string>();
  for (const id of forked) {
    const a = trial.actions.get(id)!;
    for (const dep of a.deps)
      if (forked.has(dep) && trial.actions.get(dep)!.actor === a.actor) built.add(dep);
  }
  const branches = new Map<string, number>();
  const over = new Set<string>();
  for (const id of forked) {
    if (built.has(id)) continue;
    const key = trial.actions.get(id)!.actor;
    const n = (branches.get(key) ?? 0) + 1;
    branches.set(key, n);
    if (n > MAX_BRANCHES) over.add(key);
  }
  if (!over.size) return undefined;
  // blame an action of the update by an over-bound key (its refusal if it has one)
  for (const id of fresh) {
    const a = trial.actions.get(id);
    if (!a || !over.has(a.actor)) continue;
    return {
      id,
      type: a.type,
      actor: a.actor,
      kind: 'refused',
      code: 'KEY_FORKED',
      rule: 'LOG',
      message: `More than ${MAX_BRANCHES} forks of another member's key chain.`,
    };
  }
  return undefined;
}
