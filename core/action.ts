// Creating, identifying, verifying and decoding signed actions. An action's id is the SHA-256 of its
// canonical bytes, which include the agency id, so an action cannot be replayed into another agency.
//
// What a replica reads is exactly what was signed: the id is computed from zod's strict copy of the
// payload, every object of a stored action must be a plain object (lib0's decoder turns a `__proto__` key
// into a prototype, which a schema and the canonical bytes would not see), and dependencies have one
// canonical form (strictly ascending bytes). One decoder, `decodeStored`, is used by every replica and by
// the server, for verified and for trusted entries alike.
import { fromBase64Url, toBase64Url } from './bytes.ts';
import { canonicalBytes } from './canonical.ts';
import { sha256 } from './hash.ts';
import { joinProofBytes } from './invite.ts';
import type { Signer } from './keys.ts';
import { type VerifySignature, verifySignature } from './keys.ts';
import {
  ACTION_TYPES,
  MAX_ACTION_BYTES,
  MAX_DEPS,
  PayloadSchemas,
  type StoredAction,
  StoredActionSchema,
} from './schemas.ts';
import type { Action, ActionId, ActionType, Payloads } from './types.ts';

/** The version of the signed format; 1 was Agency Overlay 0.1 (invite secrets in the log, unproven keys). */
export const ACTION_FORMAT = 2;

interface Unsigned {
  type: ActionType;
  actor: Uint8Array;
  payload: unknown;
  deps: Uint8Array;
  at: number;
}

function signedBytes(agencyId: string, a: Unsigned, v = ACTION_FORMAT): Uint8Array {
  return canonicalBytes({
    v,
    agency: agencyId,
    type: a.type,
    actor: a.actor,
    payload: a.payload,
    deps: a.deps,
    at: a.at,
  });
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The canonical packing of a set of dependencies: each id once, in ascending byte order. */
export function packDeps(deps: readonly ActionId[]): Uint8Array {
  const ids = [...new Set(deps)].map((d) => {
    const b = fromBase64Url(d);
    if (b?.length !== 32) throw new TypeError(`not an action id: ${d}`);
    return b;
  });
  ids.sort(compareBytes);
  const out = new Uint8Array(ids.length * 32);
  for (const [i, b] of ids.entries()) out.set(b, i * 32);
  return out;
}

export function unpackDeps(deps: Uint8Array): ActionId[] {
  const out: ActionId[] = [];
  for (let i = 0; i < deps.length; i += 32) out.push(toBase64Url(deps.subarray(i, i + 32)));
  return out;
}

export type CreateResult<T extends ActionType> =
  | { ok: true; action: Action<T> }
  | { ok: false; code: 'BAD_PAYLOAD' | 'TOO_LARGE' | 'TOO_MANY_DEPS'; message: string };

/** Validates the payload, signs and returns the action. `at` is the caller's clock, passed in. */
export async function createAction<T extends ActionType>(
  agencyId: string,
  signer: Signer,
  type: T,
  payload: Payloads[T],
  deps: readonly ActionId[],
  at: number,
): Promise<CreateResult<T>> {
  const parsed = PayloadSchemas[type].safeParse(payload);
  if (!parsed.success) {
    return {
      ok: false,
      code: 'BAD_PAYLOAD',
      message: `${type}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    };
  }
  const packed = packDeps(deps);
  if (packed.length > MAX_DEPS * 32) {
    return { ok: false, code: 'TOO_MANY_DEPS', message: `An action names at most ${MAX_DEPS} dependencies.` };
  }
  const unsigned: Unsigned = { type, actor: signer.publicKey, payload: parsed.data, deps: packed, at };
  const bytes = signedBytes(agencyId, unsigned);
  if (bytes.length > MAX_ACTION_BYTES) {
    return { ok: false, code: 'TOO_LARGE', message: `An action may hold at most ${MAX_ACTION_BYTES} bytes.` };
  }
  const sig = await signer.sign(bytes);
  return {
    ok: true,
    action: {
      id: toBase64Url(sha256(bytes)),
      type,
      actor: signer.keyId,
      payload: parsed.data as Payloads[T],
      deps: unpackDeps(packed),
      at,
      sig,
    },
  };
}

export function toStored(action: Action): StoredAction {
  return {
    type: action.type,
    actor: fromBase64Url(action.actor)! as Uint8Array<ArrayBuffer>,
    payload: action.payload as unknown as Record<string, unknown>,
    deps: packDeps(action.deps) as Uint8Array<ArrayBuffer>,
    at: action.at,
    sig: action.sig as Uint8Array<ArrayBuffer>,
  };
}

export type VerifyCode =
  | 'BAD_SCHEMA'
  | 'BAD_PAYLOAD'
  | 'TOO_LARGE'
  | 'BAD_ID'
  | 'BAD_SIGNATURE'
  | 'BAD_JOIN_PROOF'
  | 'OLD_FORMAT';
export type Verified = { ok: true; action: Action } | { ok: false; code: VerifyCode; message: string };

export interface VerifyOptions {
  /** What checks an Ed25519 signature (WebCrypto unless the caller brings a faster one, as the server does). */
  verify?: VerifySignature;
}

/**
 * Every object in a stored action is a plain object or an array, with nothing hidden in a prototype:
 * lib0's decoder assigns a `__proto__` key as the object's prototype, which zod and the canonical bytes
 * skip but a replica reading `payload.member` would see.
 */
function plainTree(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return true;
  if (depth > 4) return false;
  if (Array.isArray(value)) return value.every((v) => plainTree(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const k in value) {
    if (!Object.hasOwn(value, k)) return false;
    if (!plainTree((value as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}

/**
 * Checks one stored action at the trust boundary: shape, payload, size, id, signature, and for a join the
 * invite key's proof. Never throws. Whether the signing key belongs to a member is derive's question.
 */
export async function verifyAction(
  agencyId: string,
  id: string,
  stored: unknown,
  options: VerifyOptions = {},
): Promise<Verified> {
  const verify = options.verify ?? verifySignature;
  if (!plainTree(stored)) {
    return { ok: false, code: 'BAD_SCHEMA', message: 'Malformed action: an object carries a prototype.' };
  }
  const shape = StoredActionSchema.safeParse(stored);
  if (!shape.success) {
    return {
      ok: false,
      code: 'BAD_SCHEMA',
      message: `Malformed action: ${shape.error.issues[0]?.message ?? 'invalid'}`,
    };
  }
  const s = shape.data;
  const payload = PayloadSchemas[s.type].safeParse(s.payload);
  if (!payload.success) {
    return {
      ok: false,
      code: 'BAD_PAYLOAD',
      message: `Malformed ${s.type}: ${payload.error.issues[0]?.message ?? 'invalid'}`,
    };
  }
  let bytes: Uint8Array;
  try {
    // The id covers zod's strict copy: whatever the schema would not keep changes the id.
    bytes = signedBytes(agencyId, { ...s, payload: payload.data });
  } catch {
    return { ok: false, code: 'BAD_PAYLOAD', message: `Malformed ${s.type}: a value cannot be encoded.` };
  }
  if (bytes.length > MAX_ACTION_BYTES) {
    return { ok: false, code: 'TOO_LARGE', message: `An action may hold at most ${MAX_ACTION_BYTES} bytes.` };
  }
  if (toBase64Url(sha256(bytes)) !== id) {
    if (toBase64Url(sha256(signedBytes(agencyId, { ...s, payload: payload.data }, 1))) === id) {
      return {
        ok: false,
        code: 'OLD_FORMAT',
        message:
          'This action was written by Agency Overlay 0.1, whose log format this version no longer reads.',
      };
    }
    return {
      ok: false,
      code: 'BAD_ID',
      message: "The action's id is not the hash of its content (altered, or from another agency).",
    };
  }
  if (!(await verify(s.actor, s.sig, bytes))) {
    return {
      ok: false,
      code: 'BAD_SIGNATURE',
      message: 'The signature does not verify against the actor key.',
    };
  }
  if (s.type === 'joinAgency') {
    const join = payload.data as Payloads['joinAgency'];
    if (!(await verify(join.invite, join.proof, joinProofBytes(agencyId, join.invite, s.actor)))) {
      return {
        ok: false,
        code: 'BAD_JOIN_PROOF',
        message: "The join is not signed by the invite's key for this browser.",
      };
    }
  }
  const action = decodeStored(id, stored);
  if (!action) return { ok: false, code: 'BAD_SCHEMA', message: 'Malformed action.' };
  return { ok: true, action };
}

const ACTION_TYPE_SET: ReadonlySet<string> = new Set(ACTION_TYPES);

/**
 * Reads a stored entry into an Action: the one decoder every replica and the server use. It checks only
 * the structure derive relies on; signatures and payload schemas are verifyAction's job, done once where an
 * entry arrives (a replica reading back what it verified earlier decodes with this alone). The action keeps
 * the stored payload itself, not a copy: a replica holds one copy of each payload, in its Y.Doc.
 */
export function decodeStored(id: ActionId, stored: unknown): Action | null {
  if (!stored || typeof stored !== 'object' || Object.getPrototypeOf(stored) !== Object.prototype)
    return null;
  const s = stored as Partial<StoredAction>;
  if (
    typeof s.type !== 'string' ||
    !ACTION_TYPE_SET.has(s.type) ||
    !(s.actor instanceof Uint8Array) ||
    s.actor.length !== 32 ||
    !(s.deps instanceof Uint8Array) ||
    s.deps.length % 32 !== 0 ||
    s.deps.length > MAX_DEPS * 32 ||
    !(s.sig instanceof Uint8Array) ||
    typeof s.at !== 'number' ||
    !s.payload ||
    typeof s.payload !== 'object' ||
    Object.getPrototypeOf(s.payload) !== Object.prototype
  ) {
    return null;
  }
  return {
    id,
    type: s.type,
    actor: keyText(s.actor),
    payload: s.payload as unknown as Payloads[ActionType],
    deps: unpackDeps(s.deps),
    at: s.at,
    sig: s.sig,
  };
}

// Agencies have few keys and many actions: one string per key, shared by all its actions.
const keyTexts = new Map<string, string>();

/** The base64url text of a public key, the same string object for every action of that key. */
export function keyText(key: Uint8Array): string {
  const text = toBase64Url(key);
  const known = keyTexts.get(text);
  if (known) return known;
  if (keyTexts.size >= 10_000) keyTexts.clear();
  keyTexts.set(text, text);
  return text;
}
