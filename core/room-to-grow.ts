// V8 grows a full array by copying it into a larger one. After a full derive, every array the next appends
// push onto would be exactly full (built to length), so the first action applied incrementally would pay one
// copy of 100k entries per array — milliseconds, the p99 of applyActions (issue 9's ≤ 0.2 ms). A full derive
// leaves room at the end instead, while it is doing large work anyway: arrays it builds to a known length are
// allocated with the room from the start (withRoom), the others get it at the end (leaveRoom).

/** Room left at most (1,024 appends) and at least an eighth of the array's length. */
const MAX_ROOM = 1024;

const roomFor = (n: number): number => Math.min(MAX_ROOM, n >> 3);

/**
 * An array of length `n` (holes, to be filled) that can take a few appends without growing: V8 keeps the
 * capacity of an array shortened by less than half, so this is one allocation, never a copy.
 */
export function withRoom<T>(n: number): T[] {
  const xs = new Array<T>(n + roomFor(n));
  xs.length = n;
  return xs;
}

/** Makes sure `xs` can take a few appends without growing (its contents are unchanged). */
export function leaveRoom(xs: unknown[]): void {
  const n = xs.length;
  const room = roomFor(n);
  if (!room) return;
  // the same value keeps the array's element kind (doubles stay unboxed)
  const last = xs[n - 1];
  for (let i = 0; i < room; i++) xs.push(last);
  xs.length = n;
}
