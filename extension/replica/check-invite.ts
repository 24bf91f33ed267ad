// What an invite code admits: a new member (grantInvite) or another browser of an existing member
// (grantDeviceInvite). The code itself only carries the server, the agency and the invite's private key; the
// kind, role and whose browser are in the agency's log, which the server sends a joiner once the invite key
// proved itself. `checkInvite` connects with a throwaway doc (nothing is stored in this browser) so the join
// form can ask the right question — a name for a new member, a label for a browser — before joining.
import * as Y from 'yjs';
import { AgencyLog, type AgencyState, VERDICTS } from '../../core/index.ts';
import type { InviteCode } from '../../core/protocol.ts';
import type { InviteCheck } from '../messaging/types.ts';
import { Connection } from './connection.ts';
import { inviteKeyFromCode, inviteSigner } from './invite-key.ts';
import type { ReplicaOptions } from './replica.ts';

export type Refusal = { ok: false; code: string; rule: string; message: string };
export type FlowResult<T> = ({ ok: true } & T) | Refusal;

/** How long a join (or a check) waits for the server: the invite lives in the room, so it needs the server. */
export const JOIN_WAIT_MS = 15_000;

// Refusals about a code itself cite no agency rule: INVITE marks them as the extension's own.
export const badInviteKey = (): Refusal => ({
  ok: false,
  code: 'BAD_INVITE',
  rule: 'INVITE',
  message: 'The invite code is damaged: copy it again in full.',
});

export const serverSilent = (server: string): Refusal => ({
  ok: false,
  code: 'OFFLINE',
  rule: 'SERVER',
  message: `The sync server at ${server} did not answer; check the address and try again.`,
});

const invalid = (message: string): Refusal => ({
  ok: false,
  code: 'INVITE_INVALID',
  rule: 'INVITE',
  message,
});

/** Why the server closed a joiner's link, said for the member holding the code. */
export function serverRefusal(connection: Connection): Refusal {
  if (connection.stoppedBy === 'INVITE_INVALID')
    return invalid('This code admits nobody now: it was used, revoked or has expired. Ask for a new one.');
  return {
    ok: false,
    code: 'SERVER_REFUSED',
    rule: 'SERVER',
    message: connection.stoppedReason ?? 'The server refused the invite.',
  };
}

/** The invite `inviteId` as the agency's derived state has it, or why it admits nobody (at `now`). */
export function readInvite(
  state: AgencyState,
  inviteId: string,
  now: number,
): FlowResult<{ check: InviteCheck }> {
  const invite = state.invites[inviteId];
  if (!invite) return invalid(VERDICTS.INVITE_INVALID.message);
  if (invite.usedBy) return invalid('This code was already used: ask for a new one.');
  if (invite.revoked) return invalid('This code was revoked: ask for a new one.');
  if (invite.expiresAt < now) return invalid('This code has expired: ask for a new one.');
  const base = {
    agencyId: state.agencyId,
    agencyName: state.name,
    expiresAt: invite.expiresAt,
    grantedBy: state.members[invite.grantedBy]?.name ?? 'someone',
  };
  if (invite.kind === 'member')
    return {
      ok: true,
      check: { ...base, kind: 'member', role: invite.role, relationship: invite.relationship },
    };
  const member = invite.member ? state.members[invite.member] : undefined;
  if (member?.status !== 'active')
    return {
      ok: false,
      code: 'MEMBER_GONE',
      rule: 'P6',
      message: 'The member this code adds a browser to is no longer in the agency.',
    };
  return { ok: true, check: { ...base, kind: 'device', member: { id: member.id, name: member.name } } };
}

type CheckOptions = Pick<ReplicaOptions, 'signer' | 'WebSocketImpl' | 'now'> & {
  invite: InviteCode;
  waitMs?: number;
};

/** Connects as a joiner with the code's invite key, reads what the invite admits, and disconnects. */
export async function checkInvite(opts: CheckOptions): Promise<FlowResult<{ check: InviteCheck }>> {
  const key = await inviteKeyFromCode(opts.invite.key);
  if (!key) return badInviteKey();
  const doc = new Y.Doc();
  const log = await AgencyLog.open(doc, opts.invite.agency);
  let wake = () => {};
  const changed = () => wake();
  const offLog = log.subscribe(changed);
  const connection = new Connection({
    server: opts.invite.server,
    room: opts.invite.agency,
    doc,
    signer: opts.signer,
    credentials: { invite: inviteSigner(key) },
    WebSocketImpl: opts.WebSocketImpl,
    // One try: a check that cannot reach the server says so at once rather than retrying for long.
    maxBackoffMs: 1_000,
    events: { state: changed },
  });
  try {
    const ready = () =>
      connection.state === 'stopped' || (connection.state === 'synced' && log.state.ownerId !== null);
    const answered = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), opts.waitMs ?? JOIN_WAIT_MS);
      wake = () => {
        if (!ready()) return;
        clearTimeout(timer);
        resolve(true);
      };
      wake();
    });
    if (connection.state === 'stopped') return serverRefusal(connection);
    if (!answered) return serverSilent(opts.invite.server);
    await log.settled();
    return readInvite(log.state, inviteSigner(key).keyId, (opts.now ?? Date.now)());
  } finally {
    offLog();
    connection.destroy();
    log.destroy();
    doc.destroy();
  }
}
