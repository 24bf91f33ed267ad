// The wire contract between the extension and the sync server, on top of the y-websocket protocol.
//
// y-websocket frames start with a varuint message type: 0 sync, 1 awareness, 2 auth (permission denied),
// 3 query awareness. Agency Overlay adds type 4, the agency handshake, through the client's documented
// `messageHandlers` option:
//
//   server → client  [4, CHALLENGE, nonce: varUint8Array(32)]
//   client → server  [4, PROOF, publicKey: varUint8Array(32), signature: varUint8Array(64),
//                     invite: varUint8Array (the invite's public key, 32 bytes; empty if none),
//                     inviteSignature: varUint8Array (the invite key's signature of the same auth bytes,
//                     64 bytes; empty if none), creationToken: varString ('' if none)]
//   server → client  [4, WELCOME, standing: varString ('member' | 'joiner' | 'creator')]
//   server → client  [4, ACK, stateVector: varUint8Array]   the room's Yjs state vector once what this
//                    connection sent is durably stored (sent after WELCOME's sync and after each commit of
//                    this connection's updates); the client marks an action "synced" when the vector covers it
//
// Both signatures cover authBytes(nonce, room, publicKey): the device key proves itself, and a joiner proves
// it holds the invite's private key for this very connection. Until WELCOME the server sends nothing of the
// room and keeps (bounded) what the client sent, answering it after WELCOME. Refusals close the socket with
// one of CLOSE codes below; each code says how the client reacts.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { z } from 'zod';
import { concatBytes, fromBase64Url, toBase64Url, utf8 } from './bytes.ts';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
export const MESSAGE_AGENCY = 4;

export const AGENCY_CHALLENGE = 0;
export const AGENCY_PROOF = 1;
export const AGENCY_WELCOME = 2;
export const AGENCY_ACK = 3;

export const NONCE_BYTES = 32;
export const AUTH_DEADLINE_MS = 10_000;
/** The server sends something at least this often; y-websocket's client gives up after 30 s of silence. */
export const HEARTBEAT_MS = 20_000;
/** Actions stamped further ahead than this are refused (domain.md: the 5-minute rule). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const AUTH_DOMAIN = utf8('agency-overlay/auth/v2\0');

/** Exactly the bytes a connection signs: a fixed domain tag, the server's nonce, the room id, the key. */
export function authBytes(nonce: Uint8Array, room: string, publicKey: Uint8Array): Uint8Array {
  return concatBytes(AUTH_DOMAIN, nonce, utf8(`${room}\0`), publicKey);
}

export type Standing = 'member' | 'joiner' | 'creator';

export interface Proof {
  publicKey: Uint8Array;
  signature: Uint8Array;
  /** A joiner's invite: its public key and its signature of the same auth bytes. */
  invite: { publicKey: Uint8Array; signature: Uint8Array } | null;
  creationToken: string | null;
}

export function encodeChallenge(nonce: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AGENCY);
  encoding.writeVarUint(e, AGENCY_CHALLENGE);
  encoding.writeVarUint8Array(e, nonce);
  return encoding.toUint8Array(e);
}

export function encodeProof(proof: Proof): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AGENCY);
  encoding.writeVarUint(e, AGENCY_PROOF);
  encoding.writeVarUint8Array(e, proof.publicKey);
  encoding.writeVarUint8Array(e, proof.signature);
  encoding.writeVarUint8Array(e, proof.invite?.publicKey ?? new Uint8Array());
  encoding.writeVarUint8Array(e, proof.invite?.signature ?? new Uint8Array());
  encoding.writeVarString(e, proof.creationToken ?? '');
  return encoding.toUint8Array(e);
}

export function encodeWelcome(standing: Standing): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AGENCY);
  encoding.writeVarUint(e, AGENCY_WELCOME);
  encoding.writeVarString(e, standing);
  return encoding.toUint8Array(e);
}

export function encodeAck(stateVector: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AGENCY);
  encoding.writeVarUint(e, AGENCY_ACK);
  encoding.writeVarUint8Array(e, stateVector);
  return encoding.toUint8Array(e);
}

export type AgencyMessage =
  | { kind: 'ack'; stateVector: Uint8Array }
  | { kind: 'challenge'; nonce: Uint8Array }
  | { kind: 'proof'; proof: Proof }
  | { kind: 'welcome'; standing: Standing };

/**
 * Reads the rest of a type-4 frame (the decoder is past the message type). Returns null for anything
 * malformed instead of throwing: the caller closes with MALFORMED.
 */
export function readAgencyMessage(decoder: decoding.Decoder): AgencyMessage | null {
  try {
    const sub = decoding.readVarUint(decoder);
    if (sub === AGENCY_CHALLENGE) {
      const nonce = decoding.readVarUint8Array(decoder);
      return nonce.length === NONCE_BYTES ? { kind: 'challenge', nonce } : null;
    }
    if (sub === AGENCY_PROOF) {
      const publicKey = decoding.readVarUint8Array(decoder);
      const signature = decoding.readVarUint8Array(decoder);
      const invite = decoding.readVarUint8Array(decoder);
      const inviteSignature = decoding.readVarUint8Array(decoder);
      const token = decoding.readVarString(decoder);
      if (publicKey.length !== 32 || signature.length !== 64 || token.length > 256) return null;
      const hasInvite = invite.length === 32 && inviteSignature.length === 64;
      if (!hasInvite && (invite.length || inviteSignature.length)) return null;
      if (decoding.hasContent(decoder)) return null;
      return {
        kind: 'proof',
        proof: {
          publicKey,
          signature,
          invite: hasInvite ? { publicKey: invite, signature: inviteSignature } : null,
          creationToken: token || null,
        },
      };
    }
    if (sub === AGENCY_WELCOME) {
      const standing = decoding.readVarString(decoder);
      return standing === 'member' || standing === 'joiner' || standing === 'creator'
        ? { kind: 'welcome', standing }
        : null;
    }
    if (sub === AGENCY_ACK) return { kind: 'ack', stateVector: decoding.readVarUint8Array(decoder) };
    return null;
  } catch {
    return null;
  }
}

/** What the client does when the server closes with a code. */
export type CloseReaction = 'reconnect' | 'reauthenticate' | 'stop';

// Codes whose reaction is 'stop' sit in 4400–4499, the range y-websocket's default shouldReconnect already
// treats as permanent, so even a stock client without our close handling stops instead of looping.
export const CLOSE = {
  AUTH_TIMEOUT: {
    code: 4001,
    reaction: 'reauthenticate',
    reason: 'No proof of membership within 10 seconds.',
  },
  BAD_PROOF: { code: 4002, reaction: 'reauthenticate', reason: 'The membership proof did not verify.' },
  NOT_A_MEMBER: { code: 4403, reaction: 'stop', reason: 'This browser key is not a member of the agency.' },
  MEMBER_GONE: {
    code: 4404,
    reaction: 'stop',
    reason: 'This member left or was removed and can no longer act for the agency (P6).',
  },
  INVITE_INVALID: { code: 4405, reaction: 'stop', reason: 'The invite is unknown, already used or expired.' },
  CREATION_FORBIDDEN: {
    code: 4406,
    reaction: 'stop',
    reason: 'This server needs a creation token to create a new agency.',
  },
  ROLE_CHANGED: {
    code: 4007,
    reaction: 'reauthenticate',
    reason: "The member's role changed; connect again with the new standing.",
  },
  INVALID_ACTION: { code: 4410, reaction: 'stop', reason: 'An action was refused by the agency rules.' },
  LOG_TAMPERED: {
    code: 4411,
    reaction: 'stop',
    reason: 'The agency log is append-only: deletes and overwrites are refused.',
  },
  TOO_LARGE: { code: 4412, reaction: 'stop', reason: 'A message was larger than the server accepts.' },
  // A browser key's actions form a chain (key-chain.ts): this browser wrote without building on an action
  // of its own that the server holds, so its copy is older than what it already sent (restored from an old
  // copy, or a power cut took its last writes). Reconnecting would send the same fork again.
  KEY_FORKED: {
    code: 4414,
    reaction: 'stop',
    reason:
      'This browser wrote beside four other branches of its own actions that it did not build on, more than a browser may have open, so the server cannot take what it wrote since.',
  },
  OLD_FORMAT: {
    code: 4413,
    reaction: 'stop',
    reason:
      'This agency was written by Agency Overlay 0.1, whose log this version cannot read: create it again (README, "Upgrading from 0.1").',
  },
  RATE_LIMITED: { code: 4013, reaction: 'reconnect', reason: 'Too many actions per second.' },
  MALFORMED: { code: 4014, reaction: 'reconnect', reason: 'A message could not be decoded.' },
  TOO_MANY_CONNECTIONS: {
    code: 4015,
    reaction: 'reconnect',
    reason: 'Too many connections from this address.',
  },
  UNAVAILABLE: { code: 4016, reaction: 'reconnect', reason: 'The server is busy or shutting down.' },
} as const satisfies Record<string, { code: number; reaction: CloseReaction; reason: string }>;
export type CloseName = keyof typeof CLOSE;

export function closeByCode(
  code: number,
): { name: CloseName; reaction: CloseReaction; reason: string } | null {
  for (const [name, c] of Object.entries(CLOSE)) {
    if (c.code === code) return { name: name as CloseName, reaction: c.reaction, reason: c.reason };
  }
  return null;
}

// --- Invite codes -------------------------------------------------------------------------------------------
// A code a manager (or a member, for another browser of theirs) hands over: server address, agency id, the
// invite's private key (PKCS #8, base64url) and the agency's name, only to greet the joiner. Whether it
// admits a new member or adds a browser is in the agency's log (grantInvite or grantDeviceInvite). It is
// text, not a chrome-extension:// link, whose id differs per browser.

export const INVITE_PREFIX = 'ao2.';
const OLD_INVITE_PREFIX = 'ao1.';

export const InviteCodeSchema = z.object({
  server: z.string().regex(/^wss?:\/\/[^\s]+$/, 'The server address must start with ws:// or wss://'),
  agency: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  key: z.string().regex(/^[A-Za-z0-9_-]{40,128}$/),
  name: z.string().max(120).optional(),
});
export type InviteCode = z.infer<typeof InviteCodeSchema>;

export function encodeInviteCode(code: InviteCode): string {
  return INVITE_PREFIX + toBase64Url(utf8(JSON.stringify(InviteCodeSchema.parse(code))));
}

export type ParsedInvite = { ok: true; invite: InviteCode } | { ok: false; message: string };

export function parseInviteCode(text: string): ParsedInvite {
  const trimmed = text.trim();
  if (trimmed.startsWith(OLD_INVITE_PREFIX))
    return {
      ok: false,
      message: 'This invite code was made by an older version of Agency Overlay: ask for a new one.',
    };
  if (!trimmed.startsWith(INVITE_PREFIX))
    return { ok: false, message: 'This is not an Agency Overlay invite code (it starts with "ao2.").' };
  const bytes = fromBase64Url(trimmed.slice(INVITE_PREFIX.length));
  if (!bytes) return { ok: false, message: 'The invite code is damaged: copy it again in full.' };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { ok: false, message: 'The invite code is damaged: copy it again in full.' };
  }
  const parsed = InviteCodeSchema.safeParse(json);
  return parsed.success
    ? { ok: true, invite: parsed.data }
    : { ok: false, message: 'The invite code is incomplete.' };
}

/** Room names are agency ids: the URL path after the server address. */
export const RoomIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

// --- The client's side of the handshake ---------------------------------------------------------------------

type ProofSigner = { publicKey: Uint8Array; sign(bytes: Uint8Array): Promise<Uint8Array> };

/**
 * Builds the PROOF frame that answers a CHALLENGE: the device key signs authBytes, and a joiner's invite
 * key signs the same bytes.
 */
export async function answerChallenge(
  nonce: Uint8Array,
  room: string,
  signer: ProofSigner,
  extra: { invite?: ProofSigner | null; creationToken?: string | null } = {},
): Promise<Uint8Array> {
  const bytes = authBytes(nonce, room, signer.publicKey);
  const signature = await signer.sign(bytes);
  const invite = extra.invite
    ? { publicKey: extra.invite.publicKey, signature: await extra.invite.sign(bytes) }
    : null;
  return encodeProof({
    publicKey: signer.publicKey,
    signature,
    invite,
    creationToken: extra.creationToken ?? null,
  });
}
