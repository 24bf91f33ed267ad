// zod schemas for every action's payload and for the stored form of an action in the Y.Doc.
import { z } from 'zod';
import type { ActionType, Payloads } from './types.ts';

const bytes = (length: number) =>
  z.instanceof(Uint8Array).refine((b) => b.length === length, `must be ${length} bytes`);
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => s.trim() === s, 'must not start or end with spaces');
const id = z.string().regex(/^[A-Za-z0-9_~.:-]{1,80}$/, 'must be a short id');
const memberId = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a member id');
/** An action id: the base64url of a SHA-256. */
const actionId = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be an action id');
/** Milliseconds since 1970, up to the year 275760 (the largest a Date holds). */
const time = z.number().int().min(0).max(8_640_000_000_000_000);
const connects = z.number().int().min(0).max(1_000_000);
const cents = z.number().int().min(0).max(10_000_000_000);
const role = z.enum(['manager', 'member']);
const relationship = z.enum(['exclusive', 'non-exclusive']);
const proposeAs = z.enum(['agency', 'independent']);
const timeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as "Europe/Berlin"');
const terms = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hourly'), hourlyRate: cents }).strict(),
  z.object({ kind: z.literal('fixed'), amount: cents }).strict(),
]);

const kind = z.enum(['hourly', 'fixed']);
/** A real date, 'YYYY-MM-DD', from Upwork's founding year on (not 2026-02-31). */
const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, d));
    return y >= 2000 && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  }, 'must be a real date');
/** Bounds of a sealed envelope (D15; extension/replica/sealing.ts makes them). */
export const SEAL = {
  KEY_BYTES: 32,
  IV_BYTES: 12,
  /** The amounts are padded to one size, so the envelope does not tell a large amount from a small one. */
  PLAIN_BYTES: 48,
  BOX_BYTES: 48 + 16,
  /** A recipient: its X25519 public key and the content key wrapped to it (32 + AES-GCM tag 16). */
  RECIPIENT_BYTES: 32 + 48,
  /** Managers' browsers an amount is sealed to; 24 × 80 bytes keep an action well under 4 KiB. */
  MAX_RECIPIENTS: 24,
  /** A content key wrapped to one recipient: 32 bytes and the AES-GCM tag. */
  WRAPPED_BYTES: 48,
  /** Amounts one resealAmounts carries; 16 boxes of ~190 canonical bytes keep it under MAX_ACTION_BYTES. */
  MAX_RESEAL_BOXES: 16,
} as const;

/** Whether each recipient key appears once (a repeat would only make the envelope bigger). */
function recipientsOnce(to: Uint8Array): boolean {
  const seen = new Set<string>();
  for (let i = 0; i < to.length; i += SEAL.RECIPIENT_BYTES) {
    const k = to.subarray(i, i + SEAL.KEY_BYTES).join(',');
    if (seen.has(k)) return false;
    seen.add(k);
  }
  return true;
}

const sealed = z
  .object({
    epk: bytes(SEAL.KEY_BYTES),
    iv: bytes(SEAL.IV_BYTES),
    box: bytes(SEAL.BOX_BYTES),
    to: z
      .instanceof(Uint8Array)
      .refine(
        (b) =>
          b.length > 0 &&
          b.length % SEAL.RECIPIENT_BYTES === 0 &&
          b.length <= SEAL.RECIPIENT_BYTES * SEAL.MAX_RECIPIENTS,
        `must be 1 to ${SEAL.MAX_RECIPIENTS} recipients of ${SEAL.RECIPIENT_BYTES} bytes`,
      )
      .refine(recipientsOnce, 'must name each recipient once'),
  })
  .strict();

/** The amounts inside an opened envelope: chosen by its sealer, so bounded like any payload. */
export const AmountsSchema = z.union([
  z.object({ hourlyRate: cents }).strict(),
  z.object({ amount: cents.min(1) }).strict(),
]);

export const PayloadSchemas = {
  createAgency: z
    .object({ name: text(120), memberName: text(120), balance: connects, timeZone: timeZone.optional() })
    .strict(),
  grantInvite: z
    .object({
      invite: bytes(32),
      role,
      relationship,
      expiresAt: time,
      label: text(120).optional(),
    })
    .strict(),
  grantDeviceInvite: z
    .object({ invite: bytes(32), member: memberId, expiresAt: time, label: text(120).optional() })
    .strict(),
  revokeInvite: z.object({ invite: bytes(32) }).strict(),
  joinAgency: z.object({ invite: bytes(32), proof: bytes(64), name: text(120) }).strict(),
  removeMember: z.object({ member: memberId }).strict(),
  leaveAgency: z.object({ successor: memberId.optional() }).strict(),
  changeRole: z.object({ member: memberId, role }).strict(),
  changeRelationship: z.object({ member: memberId, relationship }).strict(),
  setDefaultTeam: z.object({ member: memberId, team: proposeAs }).strict(),
  setAllowance: z.object({ member: memberId, monthly: connects.nullable() }).strict(),
  setTimeZone: z.object({ timeZone }).strict(),
  enterBalance: z.object({ balance: connects }).strict(),
  recordPurchase: z.object({ connects: connects.min(1) }).strict(),
  removeDeviceKey: z.object({ member: memberId, key: bytes(32) }).strict(),
  publishSealKey: z.object({ key: bytes(SEAL.KEY_BYTES) }).strict(),
  // D15, core/reseal.ts: which amounts, to which browser and how many are checked by the rule; here the sizes.
  resealAmounts: z
    .object({
      key: bytes(32),
      seal: bytes(SEAL.KEY_BYTES),
      boxes: z
        .array(
          z
            .object({
              action: actionId,
              epk: bytes(SEAL.KEY_BYTES),
              wrapped: bytes(SEAL.WRAPPED_BYTES),
            })
            .strict(),
        )
        .min(1)
        .max(SEAL.MAX_RESEAL_BOXES)
        .refine((b) => new Set(b.map((x) => x.action)).size === b.length, 'must name each amount once'),
    })
    .strict(),
  acceptOffer: z.object({ offer: id }).strict(),
  declineOffer: z.object({ offer: id }).strict(),
  // D15: amounts only in `sealed`; the clear `terms`/`amount` are 0.2.0's shapes, still read (the server
  // refuses new ones: sync-server/amounts-in-the-clear.ts).
  editContractTerms: z
    .object({ contract: id, kind: kind.optional(), sealed: sealed.optional(), terms: terms.optional() })
    .strict()
    .refine((p) => p.kind || p.terms, 'must say the kind of contract')
    .refine((p) => !p.kind || !p.terms || p.kind === p.terms.kind, 'kind and terms must agree'),
  submitMilestone: z
    .object({
      contract: id,
      milestone: id,
      title: text(200),
      sealed: sealed.optional(),
      amount: cents.min(1).optional(),
    })
    .strict(),
  logTime: z
    .object({
      contract: id,
      minutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60),
      day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    })
    .strict(),
  submitProposal: z
    .object({
      job: id,
      title: text(300),
      as: proposeAs,
      connects: connects.max(1000),
      boost: connects.max(10_000),
      member: memberId.optional(),
    })
    .strict(),
  observeBalance: z.object({ balance: connects }).strict(),
  learnUpworkId: z.object({ upworkId: z.string().regex(/^\d{1,30}$/) }).strict(),
  // A refund row gives back at most one proposal's Connects and boost; its day is a real date (D9).
  refundConnects: z
    .object({ job: id, connects: connects.min(1).max(1000 + 10_000), on: calendarDay.optional() })
    .strict(),
  receiveOffer: z
    .object({
      offer: id,
      job: id,
      title: text(300),
      as: proposeAs,
      member: memberId,
      kind: kind.optional(),
      sealed: sealed.optional(),
      terms: terms.optional(),
    })
    .strict()
    .refine((p) => !p.kind || !p.terms || p.kind === p.terms.kind, 'kind and terms must agree'),
  recordPayout: z
    .object({ contract: id, sealed: sealed.optional(), amount: cents.min(1).optional() })
    .strict(),
  observeContract: z.object({ contract: id, title: text(300), kind, as: proposeAs }).strict(),
  assignContract: z.object({ contract: id, member: memberId }).strict(),
  observeBoost: z
    .object({ proposal: id, title: text(300), outcome: z.enum(['boosted', 'outbid', 'not-boosted']) })
    .strict(),
  setHoursRecording: z.object({ on: z.boolean() }).strict(),
  recordOwnHours: z
    .object({
      contract: id,
      // Upwork's work week starts on Monday: a real date (not 2026-02-31) that is a Monday.
      week: calendarDay.refine((s) => new Date(`${s}T00:00:00Z`).getUTCDay() === 1, 'must be a Monday'),
      // A week has 10,080 minutes.
      minutes: z
        .number()
        .int()
        .min(0)
        .max(7 * 24 * 60),
    })
    .strict(),
} satisfies { [T in ActionType]: z.ZodType<Payloads[T]> };

export const ACTION_TYPES = Object.keys(PayloadSchemas) as ActionType[];

/**
 * The most dependencies one action may name. An honest replica with more heads names the oldest ones
 * (core/log.ts), so later actions cover the rest and no sequence of legal actions makes an agency unwritable.
 */
export const MAX_DEPS = 64;

/** Packed ids strictly ascending: one canonical form per set of dependencies, no duplicates. */
function depsAscending(deps: Uint8Array): boolean {
  for (let i = 32; i < deps.length; i += 32) {
    let cmp = 0;
    for (let j = 0; j < 32 && cmp === 0; j++) cmp = deps[i - 32 + j]! - deps[i + j]!;
    if (cmp >= 0) return false;
  }
  return true;
}

/** An action as it sits in the Y.Doc (key: its id). Deps are the concatenated 32-byte ids of the heads. */
export const StoredActionSchema = z
  .object({
    type: z.enum(ACTION_TYPES as [ActionType, ...ActionType[]]),
    actor: bytes(32),
    payload: z.record(z.string(), z.unknown()),
    deps: z
      .instanceof(Uint8Array)
      .refine(
        (b) => b.length % 32 === 0 && b.length <= 32 * MAX_DEPS,
        `must be up to ${MAX_DEPS} ids of 32 bytes`,
      )
      .refine(depsAscending, 'must list each dependency once, in ascending byte order'),
    at: time,
    sig: bytes(64),
  })
  .strict();
export type StoredAction = z.infer<typeof StoredActionSchema>;

/** The largest canonical encoding accepted for one action (documented in ARCHITECTURE.md). */
export const MAX_ACTION_BYTES = 4096;
