// V8 grows a full array by copying it into a larger one. After a full derive, every array the next appends
// push onto is exactly full (built to length), so the first action applied incrementally paid one copy of
// 100k entries per array — milliseconds, the p99 of applyActions (issue 9's ≤ 0.2 ms). A full derive leaves
// room at the end instead, while it is doing large work anyway.

/** Room left at most (1,024 appends) and at least an eighth of the array's length. */
const MAX_ROOM = 1024;

/** Makes sure `xs` can take a few appends without growing (its contents are unchanged). */
export function leaveRoom(xs: unknown[]): void {
  const n = xs.length;
  const room = Math.min(MAX_ROOM, n >> 3);
  if (!room) return;
  // the same value keeps the array's element kind (doubles stay unboxed)
  const last = xs[n - 1];
  for (let i = 0; i < room; i++) xs.push(last);
  xs.length = n;
}
