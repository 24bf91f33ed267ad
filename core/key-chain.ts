// Each browser key's actions form a chain: an honest browser always builds on its own last write
// (AgencyLog.heads keeps it among the deps, offline too; a member's other browsers have other keys). Without
// a bound a signer chooses `deps` freely and one member could write thousands of actions all concurrent with
// each other (a "fan"): every one then reads the state as it knew it by setting aside its thousands of
// concurrent predecessors, and derive became quadratic or worse (issue 8: a 6,000-action fan took a minute to
// derive, on the server and in every browser).
//
// A key may still branch a little, because an honest browser can: a copy restored from an old backup, or a
// browser whose database was discarded while the server lost its own newest actions in a restore, writes on
// top of what it has, beside actions of its key it no longer holds — and another member's browser may still
// carry those. Such an action is a fact like any other (Upwork charged the proposal it records), so it is
// applied in its own causal past and flagged KEY_BRANCHED, and so are the actions it is concurrent with:
// nothing decides between branches, so no signer can erase a stored action by grinding a branch that sorts
// first. At most MAX_KEY_BRANCHES of one key's branches are open at a time (actions of the key that no later
// action of the key knows); one more is refused KEY_FORKED before any rule reads its past: a fan is only
// ever made on purpose, and a fan of four costs what four browsers of one member cost.
//
// The open branches of each key (their last actions' positions) are kept in the book's registers (kind 'kc',
// subject the key): rebuilt by every replay and serialized with the book like any register.
import type { Book } from './derivation.ts';
import { type ReplayContext, unknownPositions } from './knowledge.ts';
import type { Action } from './types.ts';

const KIND = 'kc';

/** Open branches one key may have at a time: more is refused KEY_FORKED. */
export const MAX_KEY_BRANCHES = 4;

/** Positions of the last action of each of the key's open branches (usually one), in the log's order. */
export function branchesOfKey(book: Book, key: string): number[] {
  return (
    book.registers
      .get(KIND)
      ?.get(key)
      ?.events.map((e) => e.pos) ?? []
  );
}

/**
 * How an action of `key` at `index` stands to its key's chain: on it (every open branch is in its causal
 * past), a branch (it leaves one or more open beside it), or one branch too many.
 */
export function branchOf(
  book: Book,
  key: string,
  index: number,
  knows: (p: number) => boolean,
): 'chain' | 'branch' | 'fan' {
  let open = 0;
  for (const p of branchesOfKey(book, key)) if (p < index && !knows(p)) open++;
  if (!open) return 'chain';
  return open + 1 > MAX_KEY_BRANCHES ? 'fan' : 'branch';
}

/** Records `a`, applied at `index`: it closes every branch of its key it knows and opens its own. */
export function noteKeyAction(book: Book, a: Action, index: number, knows: (p: number) => boolean): void {
  let byKey = book.registers.get(KIND);
  if (!byKey) {
    byKey = new Map();
    book.registers.set(KIND, byKey);
  }
  const reg = byKey.get(a.actor);
  const event = { id: a.id, pos: index, value: null };
  if (!reg) {
    byKey.set(a.actor, { events: [event], maximal: [0] });
    return;
  }
  const open = reg.events.filter((e) => e.pos >= index || !knows(e.pos));
  open.push(event);
  open.sort((x, y) => x.pos - y.pos);
  reg.events = open;
  reg.maximal = open.map((_, i) => i);
}

/**
 * The positions of the key's actions sorted before `a` that `a` does not know: the other side of the branch
 * `a` makes. They are flagged KEY_BRANCHED too, so the flag says "concurrent with another action of its own
 * key" whichever side sorts first.
 */
export function besideBranch(ctx: ReplayContext, a: Action): number[] {
  return unknownPositions(ctx).filter((p) => ctx.d.ordered[p]!.actor === a.actor);
}
