// Sealing amounts to the business managers' browsers (D15, ARCHITECTURE.md "Amounts are sealed"). A fresh
// content key encrypts the amounts (AES-256-GCM, padded to one size); for each recipient an ephemeral X25519
// agreement, HKDF-SHA-256 and AES-GCM wrap that key. All WebCrypto, the same in Chromium, Firefox and Node.
// The envelope is bound to the agency, the type and the clear part of the payload (core sealContext), so it
// opens only where it was written. Plain members' browsers are never recipients: they receive ciphertext.
import {
  type Amounts,
  AmountsSchema,
  type AmountType,
  amountsFit,
  clearAmounts,
  clearPart,
  fromBase64Url,
  kindOf,
  type Payloads,
  type ResealBox,
  SEAL,
  type Sealed,
  sealContext,
  utf8,
} from '../../core/index.ts';

const WRAP_INFO = utf8('agency-overlay/seal-wrap/v1');
/** Each wrap key is used once (a fresh ephemeral key per envelope), so a fixed nonce is safe. */
const WRAP_IV = new Uint8Array(SEAL.IV_BYTES);

/** This browser's X25519 key pair for amounts; the private half is generated non-extractable. */
export function generateSealKey(subtle: SubtleCrypto = crypto.subtle): Promise<CryptoKeyPair> {
  return subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']) as Promise<CryptoKeyPair>;
}

export async function sealPublicKey(pair: CryptoKeyPair, subtle: SubtleCrypto = crypto.subtle) {
  return new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
}

async function wrapKey(
  subtle: SubtleCrypto,
  priv: CryptoKey,
  pub: Uint8Array,
  epk: Uint8Array,
  recipient: Uint8Array,
  info: Uint8Array = WRAP_INFO,
): Promise<CryptoKey> {
  const peer = await subtle.importKey('raw', pub as BufferSource, { name: 'X25519' }, false, []);
  const shared = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: peer }, priv, 256));
  // A low-order public key gives an all-zero secret anyone can compute: never wrap to (or open from) one.
  if (shared.every((b) => b === 0)) throw new Error('a seal key is not a usable X25519 key');
  const base = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const salt = new Uint8Array(64);
  salt.set(epk, 0);
  salt.set(recipient, 32);
  return subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: info as BufferSource },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

function pad(amounts: Amounts): Uint8Array {
  const text = utf8(JSON.stringify(amounts));
  if (text.length > SEAL.PLAIN_BYTES) throw new Error('amounts do not fit an envelope');
  const out = new Uint8Array(SEAL.PLAIN_BYTES).fill(0x20);
  out.set(text);
  return out;
}

/** Seals `amounts` for `recipients` (raw X25519 public keys), bound to the clear payload it will travel in. */
export async function sealAmounts(
  agencyId: string,
  type: AmountType,
  clear: Payloads[AmountType],
  amounts: Amounts,
  recipients: readonly Uint8Array[],
  subtle: SubtleCrypto = crypto.subtle,
): Promise<Sealed> {
  if (!recipients.length || recipients.length > SEAL.MAX_RECIPIENTS)
    throw new Error(`an envelope has 1 to ${SEAL.MAX_RECIPIENTS} recipients`);
  const cek = crypto.getRandomValues(new Uint8Array(32));
  const iv = crypto.getRandomValues(new Uint8Array(SEAL.IV_BYTES));
  const content = await subtle.importKey('raw', cek, 'AES-GCM', false, ['encrypt']);
  const box = new Uint8Array(
    await subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: sealContext(agencyId, type, clear) as BufferSource },
      content,
      pad(amounts) as BufferSource,
    ),
  );
  const eph = (await subtle.generateKey({ name: 'X25519' }, true, ['deriveBits'])) as CryptoKeyPair;
  const epk = new Uint8Array(await subtle.exportKey('raw', eph.publicKey));
  const to = new Uint8Array(recipients.length * SEAL.RECIPIENT_BYTES);
  for (const [i, r] of recipients.entries()) {
    const kek = await wrapKey(subtle, eph.privateKey, r, epk, r);
    const wrapped = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: WRAP_IV }, kek, cek));
    to.set(r, i * SEAL.RECIPIENT_BYTES);
    to.set(wrapped, i * SEAL.RECIPIENT_BYTES + SEAL.KEY_BYTES);
  }
  return { epk, iv, box, to };
}

/** The content key of an envelope, unwrapped with this browser's key; null when it is not a recipient. */
export async function envelopeKey(
  sealed: Sealed,
  pair: CryptoKeyPair,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<Uint8Array | null> {
  const mine = await sealPublicKey(pair, subtle);
  let wrapped: Uint8Array | null = null;
  for (let i = 0; i < sealed.to.length; i += SEAL.RECIPIENT_BYTES) {
    const key = sealed.to.subarray(i, i + SEAL.KEY_BYTES);
    if (key.every((b, j) => b === mine[j]))
      wrapped = sealed.to.subarray(i + SEAL.KEY_BYTES, i + SEAL.RECIPIENT_BYTES);
  }
  if (!wrapped) return null;
  try {
    const kek = await wrapKey(subtle, pair.privateKey, sealed.epk, sealed.epk, mine);
    return new Uint8Array(
      await subtle.decrypt({ name: 'AES-GCM', iv: WRAP_IV }, kek, wrapped as BufferSource),
    );
  } catch {
    return null;
  }
}

/** The amounts in a payload's envelope, opened with its content key; null when it does not open or fit. */
export async function openWithKey(
  agencyId: string,
  type: AmountType,
  payload: Payloads[AmountType],
  cek: Uint8Array,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<Amounts | null> {
  const sealed = (payload as { sealed?: Sealed }).sealed;
  if (!sealed) return null;
  try {
    const content = await subtle.importKey('raw', cek as BufferSource, 'AES-GCM', false, ['decrypt']);
    const plain = await subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: sealed.iv as BufferSource,
        additionalData: sealContext(agencyId, type, payload) as BufferSource,
      },
      content,
      sealed.box as BufferSource,
    );
    // What a sealer put inside is theirs to choose: read it like any payload.
    const parsed = AmountsSchema.safeParse(JSON.parse(new TextDecoder().decode(plain).trimEnd()));
    if (!parsed.success) return null;
    const kind = kindOf(payload as { kind?: 'hourly' | 'fixed' });
    return amountsFit(type, kind, parsed.data) ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Opens a sealed payload with this browser's key; null when it is not addressed to it or does not open. */
export async function openSealed(
  agencyId: string,
  type: AmountType,
  payload: Payloads[AmountType],
  pair: CryptoKeyPair,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<Amounts | null> {
  const sealed = (payload as { sealed?: Sealed }).sealed;
  const cek = sealed ? await envelopeKey(sealed, pair, subtle) : null;
  return cek ? openWithKey(agencyId, type, payload, cek, subtle) : null;
}

// Re-sealing (D15, core/rules/reseal.ts): an envelope's content key wrapped again, for a manager's browser
// that published its seal key after the amount was sealed. The same agreement, KDF and cipher as a recipient
// of the envelope, with a fresh ephemeral key per box (so the fixed nonce is used once per wrap key), its own
// HKDF info, and the agency and action as additional data: a box moved onto another action does not open.
const RESEAL_INFO = utf8('agency-overlay/reseal-wrap/v1');
const resealContext = (agencyId: string, action: string) =>
  utf8(`agency-overlay/reseal/v1\0${agencyId}\0${action}`);

/** The content key `cek` of `action` wrapped to `recipient` (a raw X25519 public key). */
export async function wrapForReseal(
  agencyId: string,
  action: string,
  cek: Uint8Array,
  recipient: Uint8Array,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<ResealBox> {
  const eph = (await subtle.generateKey({ name: 'X25519' }, true, ['deriveBits'])) as CryptoKeyPair;
  const epk = new Uint8Array(await subtle.exportKey('raw', eph.publicKey));
  const kek = await wrapKey(subtle, eph.privateKey, recipient, epk, recipient, RESEAL_INFO);
  const wrapped = new Uint8Array(
    await subtle.encrypt(
      { name: 'AES-GCM', iv: WRAP_IV, additionalData: resealContext(agencyId, action) as BufferSource },
      kek,
      cek as BufferSource,
    ),
  );
  return { action, epk, wrapped };
}

/** The content key a re-seal box carries, unwrapped with this browser's key; null when it does not open. */
export async function unwrapResealed(
  agencyId: string,
  box: ResealBox,
  pair: CryptoKeyPair,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<Uint8Array | null> {
  try {
    const mine = await sealPublicKey(pair, subtle);
    const kek = await wrapKey(subtle, pair.privateKey, box.epk, box.epk, mine, RESEAL_INFO);
    return new Uint8Array(
      await subtle.decrypt(
        { name: 'AES-GCM', iv: WRAP_IV, additionalData: resealContext(agencyId, box.action) as BufferSource },
        kek,
        box.wrapped as BufferSource,
      ),
    );
  } catch {
    return null;
  }
}

/** Why an amount could not be sealed: typed, never an exception's text. */
export type NotSealedCause = 'NO_MANAGER_BROWSER' | 'TOO_MANY_MANAGER_BROWSERS' | 'SEAL_FAILED';

/**
 * The flag of an action recorded without its amount because the amount could not be sealed (D15): the
 * record itself still counts; the member is told why and that they can enter the amount again.
 */
export interface NotSealed {
  code: 'AMOUNT_NOT_SEALED';
  rule: 'D15';
  cause: NotSealedCause;
  message: string;
}

export function notSealed(cause: NotSealedCause, browsers = 0): NotSealed {
  const why =
    cause === 'NO_MANAGER_BROWSER'
      ? 'no business manager’s browser can read amounts yet (one of them opens the agency in their browser first)'
      : cause === 'TOO_MANY_MANAGER_BROWSERS'
        ? `amounts are sealed to at most ${SEAL.MAX_RECIPIENTS} business managers’ browsers and the agency has ${browsers} (remove unused browsers first)`
        : 'this browser could not seal it (its encryption failed: SEAL_FAILED)';
  return {
    code: 'AMOUNT_NOT_SEALED',
    rule: 'D15',
    cause,
    message: `Recorded without its amount: ${why}. Enter the amount again later.`,
  };
}

export type Prepared<T extends AmountType> =
  | { ok: true; payload: Payloads[T]; notSealed?: NotSealed }
  | { ok: false; code: string; rule: string; message: string };

/**
 * The payload to sign for an amount-bearing action asked for with its amount in the clear (0.2.0's shapes,
 * which the UI still speaks): the amount moves into an envelope for `recipients` (base64url X25519 keys),
 * the clear part keeps the kind. One without an amount passes unchanged. When the amount cannot be sealed
 * (no manager's browser to seal to, more than an envelope holds, WebCrypto failing) the action is still
 * recorded, without the amount, and says so (`notSealed`): the amount never travels in the clear.
 */
export async function prepareSealed<T extends AmountType>(
  agencyId: string,
  type: T,
  payload: Payloads[T],
  recipients: readonly string[],
  subtle: SubtleCrypto = crypto.subtle,
): Promise<Prepared<T>> {
  const amounts = clearAmounts(type, payload);
  if (!amounts) return { ok: true, payload };
  const clear = clearPart(type, payload);
  if (!recipients.length) return { ok: true, payload: clear, notSealed: notSealed('NO_MANAGER_BROWSER') };
  if (recipients.length > SEAL.MAX_RECIPIENTS)
    return {
      ok: true,
      payload: clear,
      notSealed: notSealed('TOO_MANY_MANAGER_BROWSERS', recipients.length),
    };
  const keys = recipients.map(fromBase64Url).filter((k): k is Uint8Array => k?.length === SEAL.KEY_BYTES);
  try {
    const sealed = await sealAmounts(agencyId, type, clear, amounts, keys, subtle);
    return { ok: true, payload: { ...clear, sealed } as Payloads[T] };
  } catch {
    return { ok: true, payload: clear, notSealed: notSealed('SEAL_FAILED') };
  }
}
