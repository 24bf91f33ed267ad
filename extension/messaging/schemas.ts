// Validation of every Request at the background's boundary: popup, options and content scripts are less
// trusted than the background (a content script runs inside Upwork's page), so nothing reaches a replica
// unchecked. Payloads of `act` are checked against core's own schema for that action type.
import { z } from 'zod';
import {
  ACTION_TYPES,
  ACTIVITY_PAGE_MAX,
  ACTIVITY_TEXT_MAX,
  type ActionType,
  PayloadSchemas,
} from '../../core/index.ts';
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
  // the background publishes its own browser's seal key when its member manages (replica-amounts.ts)
  'publishSealKey',
  // and re-seals, to whom and what it chooses after each log change (replica-amounts.ts, D15)
  'resealAmounts',
];
export const UI_ACTION_TYPES = ACTION_TYPES.filter((t) => !BACKGROUND_ONLY.includes(t)) as UiActionType[];

const agencyId = RoomIdSchema;
const serverUrl = z
  .string()
  .trim()
  .max(2048)
  .regex(
    /^wss?:\/\/[^\s/]+(\/[^\s]*)?$/,
    'The sync server address must start with ws:// or wss://, e.g. wss://sync.example.com.',
  );
const name = z.string().trim().min(1).max(120);
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
      offline: z.literal(true).optional(),
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
          // core's schema speaks to developers ("Too big: expected number to be <=1000000"): said plainly here
          message: issue ? plainIssue(issue) : 'Something in this request is not valid.',
        });
      }
    }),
  z.object({ kind: z.literal('amounts'), agencyId }).strict(),
  z
    .object({
      kind: z.literal('activity'),
      agencyId,
      filter: z
        .object({
          member: base64Key.optional(),
          kind: z.enum(['proposals', 'connects', 'offers', 'work', 'team']).optional(),
          month: z
            .string()
            .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'The month must be written like 2026-12.')
            .optional(),
          text: z.string().max(ACTIVITY_TEXT_MAX).optional(),
        })
        .strict(),
      page: z.number().int().min(0).max(1_000_000),
      size: z.number().int().min(1).max(ACTIVITY_PAGE_MAX),
    })
    .strict(),
  z.object({ kind: z.literal('exportLog'), agencyId }).strict(),
  z.object({ kind: z.literal('removeAgency'), agencyId }).strict(),
  z.object({ kind: z.literal('setServer'), agencyId, server: serverUrl }).strict(),
  z.object({ kind: z.literal('reconnect'), agencyId }).strict(),
  z.object({ kind: z.literal('dismissRecovery'), agencyId }).strict(),
]);

export type Refusal = Extract<Response, { ok: false }>;
export type ParsedRequest = { ok: true; request: Request } | { ok: false; response: Refusal };

/**
 * The refusal every malformed request gets; `rule` is REQUEST since no agency rule was consulted. `field` names
 * the request's field it is about (e.g. "agencyName", "connects"), so a form marks that field.
 */
export function badRequest(message: string, field?: string): Refusal {
  return { ok: false, code: 'BAD_REQUEST', rule: 'REQUEST', message, ...(field ? { field } : {}) };
}

/** How a request's fields are called in a sentence ("The number of Connects must be at most 1,000,000."). */
const FIELD_WORDS: Record<string, string> = {
  agencyName: "The agency's name",
  memberName: 'Your name',
  name: 'The name',
  balance: 'The balance',
  connects: 'The number of Connects',
  monthly: 'The monthly allowance',
  timeZone: 'The time zone',
  server: 'The sync server address',
  creationToken: 'The creation token',
  code: 'The invite code',
  expiresInDays: 'The number of days',
  label: 'The note',
  upworkId: "The agency's Upwork id",
  successor: 'The successor',
  member: 'The member',
  title: 'The title',
  job: 'The job',
  boost: 'The boost',
};

/** Fields counted in Connects, whose limits read "… 1,000,000 Connects". */
const CONNECTS_FIELDS = new Set(['balance', 'connects', 'monthly', 'boost']);

type Issue = z.core.$ZodIssue;

/** The field an issue is about: the last named key of its path (payload fields are named as the form has them). */
export function fieldOf(issue: Issue | undefined): string | undefined {
  const key = [...(issue?.path ?? [])].reverse().find((k): k is string => typeof k === 'string');
  return key === 'payload' ? undefined : key;
}

const amount = (n: number | bigint, field: string | undefined): string => {
  const shown = Number(n).toLocaleString('en-US');
  return field && CONNECTS_FIELDS.has(field) ? `${shown} Connect${Number(n) === 1 ? '' : 's'}` : shown;
};

/** One validation issue as a sentence a member reads: what is wrong with which field, never a path. */
export function plainIssue(issue: Issue): string {
  const field = fieldOf(issue);
  const what = (field && FIELD_WORDS[field]) ?? 'A value';
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'string'
        ? `${what} can be at most ${issue.maximum} characters.`
        : `${what} can be at most ${amount(issue.maximum, field)}.`;
    case 'too_small':
      if (issue.origin === 'string') return `${what} is required.`;
      return `${what} must be at least ${amount(issue.minimum, field)}.`;
    case 'invalid_type':
      return issue.expected === 'number' || issue.expected === 'int'
        ? `${what} must be a whole number.`
        : `${what} is missing or not valid.`;
    case 'invalid_value':
      return `${what} is not one of the choices offered.`;
    case 'unrecognized_keys':
      return 'The request has fields the extension does not know; reload the page and try again.';
    default:
      // A sentence of ours (a pattern with its message) stands as it is; core's refinements say what a value
      // "must be", after the field's name.
      if (/^[A-Z]/.test(issue.message)) return issue.message;
      return /^must\b/.test(issue.message) ? `${what} ${issue.message}.` : `${what} is not valid.`;
  }
}

export function parseRequest(input: unknown): ParsedRequest {
  const parsed = RequestSchema.safeParse(input);
  if (parsed.success) return { ok: true, request: parsed.data as Request };
  const issue = parsed.error.issues[0];
  if (!issue) return { ok: false, response: badRequest('The extension could not read this request.') };
  // The `act` payload check words its issue already (superRefine above).
  const message = issue.code === 'custom' && issue.path[0] === 'payload' ? issue.message : plainIssue(issue);
  return { ok: false, response: badRequest(message, fieldOf(issue)) };
}
