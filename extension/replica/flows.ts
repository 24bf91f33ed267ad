// The three flows that involve more than one action: creating an agency, joining one with an invite code,
// and granting an invite. Each waits for what it needs from the server and says plainly when it cannot.
import { fromBase64Url, type Relationship, type Role, sha256, toBase64Url } from '../../core/index.ts';
import { encodeInviteCode, type InviteCode } from '../../core/protocol.ts';
import { Replica, type ReplicaOptions } from './replica.ts';

export type FlowResult<T> = ({ ok: true } & T) | { ok: false; code: string; rule: string; message: string };

type Base = Omit<ReplicaOptions, 'agencyId' | 'server' | 'credentials'>;

/** How long a creation waits for the server's answer before carrying on offline (it syncs later). */
export const CREATE_WAIT_MS = 4_000;
/** How long joining waits for the server: a join cannot happen offline (the invite lives in the room). */
export const JOIN_WAIT_MS = 15_000;

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
 * Joins with an invite: connects with the invite secret, waits for the room's content (the server sends it
 * after WELCOME), then signs joinAgency with this browser's key.
 */
export async function joinAgency(
  base: Base & { invite: InviteCode; memberName: string },
): Promise<FlowResult<{ replica: Replica }>> {
  const secret = fromInviteSecret(base.invite.secret);
  if (!secret) return { ok: false, code: 'BAD_INVITE', rule: 'P2', message: 'The invite code is damaged.' };
  const replica = await Replica.open({
    ...base,
    agencyId: base.invite.agency,
    server: base.invite.server,
    credentials: { inviteSecret: secret },
  });
  if (replica.isMember) return { ok: true, replica };
  const ready = await replica.waitFor(
    (r) => r.connection.state === 'stopped' || (r.connection.state === 'synced' && r.log.state.name !== ''),
    JOIN_WAIT_MS,
  );
  await replica.log.settled();
  // A browser key added to an existing member (addDeviceKey) connects as that member: nothing to join.
  if (ready && replica.isMember) return { ok: true, replica };
  if (replica.connection.state === 'stopped' || !ready) {
    const message =
      replica.connection.stoppedReason ??
      `The sync server at ${base.invite.server} did not answer; check the address and try again.`;
    await replica.destroyData();
    return { ok: false, code: ready ? 'SERVER_REFUSED' : 'OFFLINE', rule: 'SERVER', message };
  }
  const joined = await replica.act('joinAgency', { secret, name: base.memberName });
  if (!joined.ok) {
    await replica.destroyData();
    return joined;
  }
  return { ok: true, replica };
}

function fromInviteSecret(text: string): Uint8Array | null {
  const bytes = fromBase64Url(text);
  return bytes?.length === 32 ? bytes : null;
}

/**
 * The code a member pastes in a new browser after adding its key here: an invite code whose secret is not
 * an invite. The server knows the key, so that browser connects as the member (standing "member").
 */
export function deviceCode(replica: Replica): string {
  return encodeInviteCode({
    server: replica.server,
    agency: replica.agencyId,
    secret: toBase64Url(crypto.getRandomValues(new Uint8Array(32))),
    name: replica.log.state.name || undefined,
  });
}

/** A business manager grants a single-use invite; the code carries the server, agency id and secret. */
export async function createInvite(
  replica: Replica,
  opts: { role: Role; relationship: Relationship; expiresInDays: number; label?: string; now?: number },
): Promise<FlowResult<{ code: string; expiresAt: number; id: string }>> {
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const expiresAt = Math.round((opts.now ?? Date.now()) + opts.expiresInDays * 86_400_000);
  const granted = await replica.act('grantInvite', {
    invite: sha256(secret),
    role: opts.role,
    relationship: opts.relationship,
    expiresAt,
    ...(opts.label ? { label: opts.label } : {}),
  });
  if (!granted.ok) return granted;
  const code = encodeInviteCode({
    server: replica.server,
    agency: replica.agencyId,
    secret: toBase64Url(secret),
    name: replica.log.state.name || undefined,
  });
  return { ok: true, code, expiresAt, id: granted.id };
}
