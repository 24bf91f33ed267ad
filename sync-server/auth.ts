// Who a connection is. It signs a fresh server nonce bound to the room (core/protocol.ts authBytes) with a
// device key; the server looks that key up in the agency's own derived membership — there is no other
// user database. A joiner also proves it holds an invite's private key (its signature of the same bytes),
// a creator presents the operator's creation token.
import { timingSafeEqual } from 'node:crypto';
import { type AgencyState, toBase64Url, verifySignature } from '../core/index.ts';
import { authBytes, type CloseName, NONCE_BYTES, type Proof, type Standing } from '../core/protocol.ts';

export const newNonce = (): Uint8Array => crypto.getRandomValues(new Uint8Array(NONCE_BYTES));

/** The device key's signature, and a joiner's invite key's signature, both over this connection's auth bytes. */
export async function proofVerifies(nonce: Uint8Array, room: string, proof: Proof): Promise<boolean> {
  const bytes = authBytes(nonce, room, proof.publicKey);
  if (!(await verifySignature(proof.publicKey, proof.signature, bytes))) return false;
  return !proof.invite || verifySignature(proof.invite.publicKey, proof.invite.signature, bytes);
}

/** The part of an agency's derived state the server needs to admit connections: small, kept while idle. */
export interface Membership {
  created: boolean;
  keys: Map<string, { member: string; active: boolean }>;
  members: Map<string, { status: 'active' | 'left' | 'removed'; role: 'manager' | 'member' }>;
  invites: Map<string, { usedBy: string | null; expiresAt: number; revoked: boolean }>;
}

export function membershipOf(state: AgencyState): Membership {
  return {
    created: state.ownerId !== null,
    keys: new Map(Object.entries(state.keys).map(([k, v]) => [k, { member: v.member, active: v.active }])),
    members: new Map(Object.entries(state.members).map(([k, m]) => [k, { status: m.status, role: m.role }])),
    invites: new Map(
      Object.entries(state.invites).map(([k, i]) => [
        k,
        { usedBy: i.usedBy, expiresAt: i.expiresAt, revoked: i.revoked },
      ]),
    ),
  };
}

/** The invite a joiner proved it holds: base64url of the invite's public key, as derive keys `invites`. */
export const inviteIdOf = (proof: Proof): string | null =>
  proof.invite ? toBase64Url(proof.invite.publicKey) : null;

export type StandingResult =
  | { ok: true; standing: Standing; role: 'manager' | 'member' | null }
  | { ok: false; close: CloseName; message: string };

export interface StandingContext {
  now: number;
  /** Whether this connection may create a new agency (loopback-only server, or a matching token). */
  mayCreate: boolean;
}

/** The standing of a key that proved itself, or the close code that refuses it. */
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
    return { ok: true, standing: 'creator', role: null };
  }
  const key = m.keys.get(keyId);
  const member = key ? m.members.get(key.member) : undefined;
  if (key && member?.status === 'active') {
    if (!key.active)
      return { ok: false, close: 'NOT_A_MEMBER', message: 'This browser key was removed from its member.' };
    return { ok: true, standing: 'member', role: member.role };
  }
  const inviteId = inviteIdOf(proof);
  if (inviteId) {
    const invite = m.invites.get(inviteId);
    if (!invite || invite.usedBy !== null || invite.revoked || invite.expiresAt < ctx.now) {
      return {
        ok: false,
        close: 'INVITE_INVALID',
        message: 'The invite is unknown, already used or expired.',
      };
    }
    return { ok: true, standing: 'joiner', role: null };
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
