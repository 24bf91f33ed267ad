// Who a connection is. It signs a fresh server nonce bound to the room (core/protocol.ts authBytes) with a
// device key; the server looks that key up in the agency's own derived membership — there is no other
// user database. A joiner also signs the same bytes with the invite's key (the private half the invite
// code carries), a creator presents the operator's creation token.
import { timingSafeEqual } from 'node:crypto';
import { type AgencyState, toBase64Url, type VerifySignature } from '../core/index.ts';
import { authBytes, type CloseName, NONCE_BYTES, type Proof, type Standing } from '../core/protocol.ts';

export const newNonce = (): Uint8Array => crypto.getRandomValues(new Uint8Array(NONCE_BYTES));

/** Both signatures of a proof (the device key's and, for a joiner, the invite key's) cover the same bytes. */
export async function proofVerifies(
  nonce: Uint8Array,
  room: string,
  proof: Proof,
  verify: VerifySignature,
): Promise<boolean> {
  const bytes = authBytes(nonce, room, proof.publicKey);
  if (!(await verify(proof.publicKey, proof.signature, bytes))) return false;
  return proof.invite ? await verify(proof.invite.publicKey, proof.invite.signature, bytes) : true;
}

export interface InviteStanding {
  kind: 'member' | 'device';
  grantedBy: string;
  /** For a device invite: whose browser it adds. */
  member: string | null;
  usedBy: string | null;
  revoked: boolean;
  expiresAt: number;
}

/** The part of an agency's derived state the server needs to admit connections: small, kept while idle. */
export interface Membership {
  created: boolean;
  keys: Map<string, { member: string; active: boolean }>;
  members: Map<string, { status: 'active' | 'left' | 'removed'; role: 'manager' | 'member'; name: string }>;
  invites: Map<string, InviteStanding>;
}

export function membershipOf(state: AgencyState): Membership {
  return {
    created: state.ownerId !== null,
    keys: new Map(Object.entries(state.keys).map(([k, v]) => [k, { member: v.member, active: v.active }])),
    members: new Map(
      Object.entries(state.members).map(([k, m]) => [k, { status: m.status, role: m.role, name: m.name }]),
    ),
    invites: new Map(
      Object.entries(state.invites).map(([k, i]) => [
        k,
        {
          kind: i.kind,
          grantedBy: i.grantedBy,
          member: i.member,
          usedBy: i.usedBy,
          revoked: i.revoked,
          expiresAt: i.expiresAt,
        },
      ]),
    ),
  };
}

/** The member a key belongs to when both are active, else null. */
export function activeMemberOf(m: Membership, keyId: string): string | null {
  const key = m.keys.get(keyId);
  if (!key?.active) return null;
  return m.members.get(key.member)?.status === 'active' ? key.member : null;
}

/**
 * Why an invite admits nobody at `now` (the server's clock), or null when it still admits one browser:
 * unknown, used, revoked, expired, or (D7) its issuer no longer has the authority that granted it.
 */
export function inviteProblem(m: Membership, inviteId: string, now: number): string | null {
  const invite = m.invites.get(inviteId);
  if (!invite) return 'The invite is unknown in this agency.';
  if (invite.usedBy !== null) return 'The invite was already used.';
  if (invite.revoked) return 'The invite was revoked.';
  if (now > invite.expiresAt) return 'The invite expired.';
  const issuer = m.members.get(invite.grantedBy);
  if (invite.kind === 'member') {
    if (issuer?.status !== 'active' || issuer.role !== 'manager')
      return 'The invite was granted by someone who is no longer a business manager (D7).';
  } else {
    const target = invite.member ? m.members.get(invite.member) : undefined;
    if (target?.status !== 'active') return 'The member this browser invite is for left or was removed.';
    if (issuer?.status !== 'active') return 'The invite was granted by someone who left or was removed.';
  }
  return null;
}

export type StandingResult =
  | { ok: true; standing: Standing; role: 'manager' | 'member' | null; inviteId: string | null }
  | { ok: false; close: CloseName; message: string };

export interface StandingContext {
  now: number;
  /** Whether this connection may create a new agency (loopback-only server, or a matching token). */
  mayCreate: boolean;
}

/** The standing of a key whose proof verified, or the close code that refuses it. */
export function standingOf(m: Membership, keyId: string, proof: Proof, ctx: StandingContext): StandingResult {
  if (!m.created) {
    if (proof.invite)
      return { ok: false, close: 'INVITE_INVALID', message: 'There is no agency with this id yet.' };
    if (!ctx.mayCreate)
      return {
        ok: false,
        close: 'CREATION_FORBIDDEN',
        message: 'Creating an agency here needs the creation token.',
      };
    return { ok: true, standing: 'creator', role: null, inviteId: null };
  }
  const key = m.keys.get(keyId);
  const member = key ? m.members.get(key.member) : undefined;
  if (key && member?.status === 'active') {
    if (!key.active)
      return { ok: false, close: 'NOT_A_MEMBER', message: 'This browser key was removed from its member.' };
    return { ok: true, standing: 'member', role: member.role, inviteId: null };
  }
  if (proof.invite) {
    const inviteId = toBase64Url(proof.invite.publicKey);
    const problem = inviteProblem(m, inviteId, ctx.now);
    if (problem) return { ok: false, close: 'INVITE_INVALID', message: problem };
    return { ok: true, standing: 'joiner', role: null, inviteId };
  }
  if (key) return { ok: false, close: 'MEMBER_GONE', message: 'This member left or was removed.' };
  return { ok: false, close: 'NOT_A_MEMBER', message: 'This browser key is not a member of the agency.' };
}

/** Compares a presented creation token with the operator's in constant time. */
export function tokenMatches(expected: string | null, presented: string | null): boolean {
  if (!expected || !presented) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
