// The flows that involve more than one action or the server: creating an agency, joining one with an invite
// code (a new member, or another browser of an existing member), and making an invite code. Each waits for
// what it needs from the server and says plainly when it cannot.
//
// An invite is an Ed25519 key pair (issue 8, item 1): the grant records the public half, the code carries
// the private half, and the extension keeps neither the code nor the private key once the code is shown.
import {
  createInviteKey,
  type MemberId,
  type Relationship,
  type Role,
  signJoinProof,
  toBase64Url,
} from '../../core/index.ts';
import { encodeInviteCode, type InviteCode } from '../../core/protocol.ts';
import type { InviteCheck } from '../messaging/types.ts';
import {
  badInviteKey,
  type FlowResult,
  JOIN_WAIT_MS,
  readInvite,
  serverRefusal,
  serverSilent,
} from './check-invite.ts';
import { inviteKeyFromCode, inviteSigner } from './invite-key.ts';
import { type ActResult, Replica, type ReplicaOptions } from './replica.ts';

export type { FlowResult };
export { JOIN_WAIT_MS };

type Base = Omit<ReplicaOptions, 'agencyId' | 'server' | 'credentials'>;

/** How long a creation waits for the server's answer before carrying on offline (it syncs later). */
export const CREATE_WAIT_MS = 4_000;

export function newAgencyId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * Creates the agency with this browser's key as its first business manager. The createAgency action is
 * written first, so creating works offline; if the server refuses the creation (a creation token is
 * needed), the local replica is deleted and the refusal says why.
 */
export async function createAgency(
  base: Base & {
    server: string;
    creationToken?: string;
    agencyName: string;
    memberName: string;
    balance: number;
    timeZone?: string;
  },
): Promise<FlowResult<{ replica: Replica }>> {
  const agencyId = newAgencyId();
  const replica = await Replica.open({
    ...base,
    agencyId,
    server: base.server,
    credentials: { creationToken: base.creationToken ?? null },
  });
  const created = await replica.act('createAgency', {
    name: base.agencyName,
    memberName: base.memberName,
    balance: base.balance,
    ...(base.timeZone ? { timeZone: base.timeZone } : {}),
  });
  if (!created.ok) {
    await replica.destroyData();
    return created;
  }
  await replica.waitFor(
    (r) => r.connection.state === 'stopped' || r.connection.standing !== null,
    CREATE_WAIT_MS,
  );
  if (replica.connection.state === 'stopped') {
    const message = replica.connection.stoppedReason ?? 'The server refused to create the agency.';
    await replica.destroyData();
    return { ok: false, code: 'SERVER_REFUSED', rule: 'SERVER', message };
  }
  return { ok: true, replica };
}

/**
 * Joins with an invite code: connects with the invite key (kept, sealed, until the join is acknowledged, so
 * a restarted worker can still prove it), waits for the room's content, reads from the agency's log what the
 * invite admits, and signs joinAgency with this browser's key and the invite key's proof. For a member
 * invite `name` is the new member's name; for a browser code it labels this browser.
 */
export async function joinAgency(
  base: Base & { invite: InviteCode; name: string },
): Promise<FlowResult<{ replica: Replica; check: InviteCheck | null }>> {
  const key = await inviteKeyFromCode(base.invite.key);
  if (!key) return badInviteKey();
  const replica = await Replica.open({
    ...base,
    agencyId: base.invite.agency,
    server: base.invite.server,
    credentials: { invite: key },
  });
  const fail = async (refusal: Extract<FlowResult<unknown>, { ok: false }>) => {
    await replica.destroyData();
    return refusal;
  };
  const ready = await replica.waitFor(
    (r) =>
      r.connection.state === 'stopped' || (r.connection.state === 'synced' && r.log.state.ownerId !== null),
    JOIN_WAIT_MS,
  );
  await replica.log.settled();
  // This browser already belongs to the agency (an earlier attempt that landed): nothing to join.
  if (replica.isMember) {
    replica.forgetCredentials();
    return { ok: true, replica, check: null };
  }
  if (replica.connection.state === 'stopped') return fail(serverRefusal(replica.connection));
  if (!ready) return fail(serverSilent(base.invite.server));
  const signer = inviteSigner(key);
  const read = readInvite(replica.log.state, signer.keyId, (base.now ?? Date.now)());
  if (!read.ok) return fail(read);
  const proof = await signJoinProof(signer, replica.agencyId, base.signer.publicKey);
  const joined: ActResult = await replica.act('joinAgency', {
    invite: key.publicKey,
    proof,
    name: base.name,
  });
  if (!joined.ok) return fail(joined);
  return { ok: true, replica, check: read.check };
}

/** `invite`: the invite's id in the agency's state (its public key, base64url), for the pages to follow it. */
export type CodeResult = FlowResult<{ code: string; expiresAt: number; id: string; invite: string }>;

/** A business manager grants a single-use invite for a new member (P2). */
export function createInvite(
  replica: Replica,
  opts: { role: Role; relationship: Relationship; expiresInDays: number; label?: string; now?: number },
): Promise<CodeResult> {
  return grantCode(replica, opts, (invite, expiresAt) =>
    replica.act('grantInvite', {
      invite,
      role: opts.role,
      relationship: opts.relationship,
      expiresAt,
      ...(opts.label ? { label: opts.label } : {}),
    }),
  );
}

/**
 * A code that adds one more browser to `member`: made by the member themself, or by a business manager for
 * any active member. The browser that joins with it signs its own addition (issue 8, item 2).
 */
export function createDeviceInvite(
  replica: Replica,
  opts: { member: MemberId; expiresInDays: number; label?: string; now?: number },
): Promise<CodeResult> {
  return grantCode(replica, opts, (invite, expiresAt) =>
    replica.act('grantDeviceInvite', {
      invite,
      member: opts.member,
      expiresAt,
      ...(opts.label ? { label: opts.label } : {}),
    }),
  );
}

async function grantCode(
  replica: Replica,
  opts: { expiresInDays: number; now?: number },
  grant: (invite: Uint8Array, expiresAt: number) => Promise<ActResult>,
): Promise<CodeResult> {
  const key = await createInviteKey(crypto.subtle);
  const expiresAt = Math.round((opts.now ?? Date.now()) + opts.expiresInDays * 86_400_000);
  try {
    const granted = await grant(key.publicKey, expiresAt);
    if (!granted.ok) return granted;
    const code = encodeInviteCode({
      server: replica.server,
      agency: replica.agencyId,
      key: toBase64Url(key.privateKey),
      name: replica.log.state.name || undefined,
    });
    return { ok: true, code, expiresAt, id: granted.id, invite: toBase64Url(key.publicKey) };
  } finally {
    // The private half lives on only in the code handed back to the page that asked for it.
    key.privateKey.fill(0);
  }
}
