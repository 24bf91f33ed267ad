// Each browser key's actions form a chain: an action must have its key's previous applied action (in the
// log's order) in its causal past. An honest browser always builds on its own last write (AgencyLog.heads
// keeps it among the deps, offline too; a member's other browsers have other keys), so a fork by one key
// is only ever made on purpose. Without this a signer chooses `deps` freely and one member could write
// thousands of actions all concurrent with each other (a "fan"): every one then reads the state as it knew
// it by setting aside its thousands of concurrent predecessors, and derive became quadratic or worse
// (issue 8: a 6,000-action fan took a minute to derive, on the server and in every browser). Refused
// before any rule runs (KEY_FORKED), so a fork costs one ancestry query; never a race (an honest writer
// cannot cause it), so the server refuses the writer's update.
//
// The last applied action of each key is kept in the book's registers (kind 'kc', subject the key): it is
// rebuilt by every replay and serialized with the book like any register.
import type { Book } from './derivation.ts';
import type { Action } from './types.ts';

const KIND = 'kc';

/** Position of the key's last applied action, if any. */
export function lastOfKey(book: Book, key: string): number | undefined {
  return book.registers.get(KIND)?.get(key)?.events[0]?.pos;
}

/** Records `a`, applied at `index`, as its key's last action. */
export function noteKeyAction(book: Book, a: Action, index: number): void {
  let byKey = book.registers.get(KIND);
  if (!byKey) {
    byKey = new Map();
    book.registers.set(KIND, byKey);
  }
  const reg = byKey.get(a.actor);
  if (!reg) byKey.set(a.actor, { events: [{ id: a.id, pos: index, value: null }], maximal: [0] });
  else reg.events[0] = { id: a.id, pos: index, value: null };
}
