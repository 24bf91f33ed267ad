// Validation of every Request at the background's boundary: popup, options and content scripts are less
// trusted than the background (a content script runs inside Upwork's page), so nothing reaches a replica
// unchecked. Payloads of `act` are checked against core's own schema for that action type.
import { z } from 'zod';
import { ACTION_TYPES, type ActionType, PayloadSchemas } from '../../core/index.ts';
import { RoomIdSchema } from '../../core/protocol.ts';
import type { Request, Response, UiActionType } from './types.ts';

/** Action types whose payloads carry bytes or keys: the background builds those itself (types.ts). */
const BACKGROUND_ONLY: readonly ActionType[] = [
  'createAgency',
  'joinAgency',
  'grantInvite',
  'grantDeviceInvite',
  'revokeInvite',
  'removeDeviceKey',
];
export const UI_ACTION_TYPES = ACTION_TYPES.filter((t) => !BACKGROUND_ONLY.includes(t)) as UiActionType[];

const agencyId = RoomIdSchema;
const serverUrl = z
  .string()
  .trim()
  .max(2048)
  .regex(/^wss?:\/\/[^\s/]+(\/[^\s]*)?$/, 'The server address must start with ws:// or wss://');
const name = z.string().trim().min(1, 'A name is required').max(120, 'At most 120 characters');
const base64Key = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a 32-byte key in base64url');
const inviteCode = z.string().trim().min(1, 'Paste the code you were sent').max(4096);
const expiresInDays = z.number().min(0.01).max(365);
const label = z.string().trim().min(1).max(120).optional();

export const RequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('overview') }).strict(),
  z.object({ kind: z.literal('select'), agencyId }).strict(),
  z
    .object({
      kind: z.literal('createAgency'),
      server: serverUrl,
      creationToken: z.string().max(256).optional(),
      agencyName: name,
      memberName: name,
      balance: z.number().int().min(0).max(1_000_000),
      timeZone: z.string().max(64).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('checkInvite'), code: inviteCode }).strict(),
  z.object({ kind: z.literal('joinAgency'), code: inviteCode, name }).strict(),
  z
    .object({
      kind: z.literal('createInvite'),
      agencyId,
      role: z.enum(['manager', 'member']),
      relationship: z.enum(['exclusive', 'non-exclusive']),
      expiresInDays,
      label,
    })
    .strict(),
  z
    .object({ kind: z.literal('createDeviceInvite'), agencyId, member: base64Key, expiresInDays, label })
    .strict(),
  z.object({ kind: z.literal('revokeInvite'), agencyId, invite: base64Key }).strict(),
  z
    .object({
      kind: z.literal('act'),
      agencyId,
      type: z.enum(UI_ACTION_TYPES as [UiActionType, ...UiActionType[]]),
      payload: z.record(z.string(), z.unknown()),
    })
    .strict()
    .superRefine((r, ctx) => {
      const parsed = PayloadSchemas[r.type].safeParse(r.payload);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        ctx.addIssue({
          code: 'custom',
          path: ['payload', ...(issue?.path ?? [])],
          message: issue?.message ?? 'invalid payload',
        });
      }
    }),
  z.object({ kind: z.literal('exportLog'), agencyId }).strict(),
  z.object({ kind: z.literal('removeAgency'), agencyId }).strict(),
  z.object({ kind: z.literal('setServer'), agencyId, server: serverUrl }).strict(),
  z.object({ kind: z.literal('reconnect'), agencyId }).strict(),
]);

export type Refusal = Extract<Response, { ok: false }>;
export type ParsedRequest = { ok: true; request: Request } | { ok: false; response: Refusal };

/** The refusal every malformed request gets; `rule` is REQUEST since no agency rule was consulted. */
export function badRequest(message: string): Refusal {
  return { ok: false, code: 'BAD_REQUEST', rule: 'REQUEST', message };
}

export function parseRequest(input: unknown): ParsedRequest {
  const parsed = RequestSchema.safeParse(input);
  if (parsed.success) return { ok: true, request: parsed.data as Request };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return { ok: false, response: badRequest(`${where}${issue?.message ?? 'malformed request'}`) };
}
