// Bounds on what a signer chooses that the server enforces with its own clock and the room's current
// state, before core's rules judge each action at its own dependencies (guard.ts). What derive bounds too
// is core's; these are the checks only a server that sees an action arrive can make.
import { type Action, type AgencyState, toBase64Url } from '../core/index.ts';
import { MAX_CLOCK_SKEW_MS } from '../core/protocol.ts';

export interface Refusal {
  code: string;
  message: string;
}

/**
 * A join counts from when the server sees it (issue 8, item 5): its invite must still be unexpired by the
 * server's clock, and its `at` within 5 minutes of that clock either way, so a join cannot be back-dated to
 * before an expiry (or to sort ahead of what happened meanwhile).
 */
export function joinBound(a: Action<'joinAgency'>, state: AgencyState, now: number): Refusal | null {
  const invite = state.invites[toBase64Url(a.payload.invite)];
  if (invite && now > invite.expiresAt)
    return { code: 'INVITE_EXPIRED', message: 'The invite expired before this join reached the server.' };
  if (Math.abs(a.at - now) > MAX_CLOCK_SKEW_MS)
    return {
      code: 'JOIN_TIME',
      message: 'A join must be stamped within 5 minutes of the server clock.',
    };
  return null;
}

/** The first bound `actions` break, against the room's current (projected) state. */
export function serverBounds(actions: readonly Action[], state: AgencyState, now: number): Refusal | null {
  for (const a of actions) {
    if (a.type !== 'joinAgency') continue;
    const r = joinBound(a as Action<'joinAgency'>, state, now);
    if (r) return r;
  }
  return null;
}
