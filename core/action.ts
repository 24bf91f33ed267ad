// Creating, identifying and verifying signed actions. An action's id is the SHA-256 of its canonical bytes,
// which include the agency id, so an action cannot be replayed into another agency.
import { fromBase64Url, toBase64Url } from './bytes.ts';
import { canonicalBytes } from './canonical.ts';
import { sha256 } from './hash.ts';
import type { Signer } from './keys.ts';
import { verifySignature } from './keys.ts';
import { MAX_ACTION_BYTES, PayloadSchemas, type StoredAction, StoredActionSchema } from './schemas.ts';
import type { Action, ActionId, ActionType, Payloads } from './types.ts';

interface Unsigned {
  type: ActionType;
  actor: Uint8Array;
  payload: unknown;
  deps: Uint8Array;
  at: number;
}

function signedBytes(agencyId: string, a: Unsigned): Uint8Array {
  return canonicalBytes({
    v: 1,
    agency: agencyId,
    type: a.type,
    actor: a.actor,
    payload: a.payload,
    deps: a.deps,
    at: a.at,
  });
}

function packDeps(deps: readonly ActionId[]): Uint8Array {
  const sorted = [...new Set(deps)].sort();
  const out = new Uint8Array(sorted.length * 32);
  sorted.forEach((d, i) => {
    const b = fromBase64Url(d);
    if (b?.length !== 32) throw new TypeError(`not an action id: ${d}`);
    out.set(b, i * 32);
  });
  return out;
}

export function unpackDeps(deps: Uint8Array): ActionId[] {
  const out: ActionId[] = [];
  for (let i = 0; i < deps.length; i += 32) out.push(toBase64Url(deps.subarray(i, i + 32)));
  return out;
}

export type CreateResult<T extends ActionType> =
  | { ok: true; action: Action<T> }
  | { ok: false; code: 'BAD_PAYLOAD' | 'TOO_LARGE'; message: string };

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
  const unsigned: Unsigned = {
    type,
    actor: signer.publicKey,
    payload: parsed.data,
    deps: packDeps(deps),
    at,
  };
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
      deps: unpackDeps(unsigned.deps),
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

export type VerifyCode = 'BAD_SCHEMA' | 'BAD_PAYLOAD' | 'TOO_LARGE' | 'BAD_ID' | 'BAD_SIGNATURE';
export type Verified = { ok: true; action: Action } | { ok: false; code: VerifyCode; message: string };

/**
 * Checks one stored action at the trust boundary: shape, payload, size, id and signature. Never throws.
 * Whether the signing key belongs to a member is a question for derive, which knows the membership.
 */
export async function verifyAction(agencyId: string, id: string, stored: unknown): Promise<Verified> {
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
    bytes = signedBytes(agencyId, s);
  } catch {
    return { ok: false, code: 'BAD_PAYLOAD', message: `Malformed ${s.type}: a value cannot be encoded.` };
  }
  if (bytes.length > MAX_ACTION_BYTES) {
    return { ok: false, code: 'TOO_LARGE', message: `An action may hold at most ${MAX_ACTION_BYTES} bytes.` };
  }
  if (toBase64Url(sha256(bytes)) !== id) {
    return {
      ok: false,
      code: 'BAD_ID',
      message: "The action's id is not the hash of its content (altered, or from another agency).",
    };
  }
  if (!(await verifySignature(s.actor, s.sig, bytes))) {
    return {
      ok: false,
      code: 'BAD_SIGNATURE',
      message: 'The signature does not verify against the actor key.',
    };
  }
  return {
    ok: true,
    action: {
      id,
      type: s.type,
      actor: keyText(s.actor),
      // The stored payload itself, not zod's copy: it passed a strict schema, and a replica holding a log
      // keeps one copy of each payload (in its Y.Doc) instead of two.
      payload: (stored as { payload: Payloads[ActionType] }).payload,
      deps: unpackDeps(s.deps),
      at: s.at,
      sig: s.sig,
    },
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
