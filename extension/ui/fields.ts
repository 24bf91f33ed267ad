// Reading form controls: trimmed text (core refuses names that start or end with spaces) and whole numbers;
// and marking the field a refusal is about (the background names it: messaging/schemas.ts).
import type { Outcome } from './action-result.tsx';

export const text = (form: HTMLFormElement, name: string): string =>
  String(new FormData(form).get(name) ?? '').trim();

/** A whole number ≥ 0 from a field, or null when it is empty or not one. */
export function wholeNumber(form: HTMLFormElement, name: string): number | null {
  const raw = text(form, name);
  if (raw === '') return null;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

export const DEFAULT_SERVER = 'ws://localhost:1234';

/** Time zones the browser knows (for the agency's month boundaries, P4); UTC first. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return ['UTC', ...zones.filter((z) => z !== 'UTC')];
}

/** A sync server address: ws:// or wss:// (the background checks it again). */
export const SERVER_PATTERN = 'wss?://\\S+';

/**
 * The attributes that tie a field to a refusal about it: marked invalid and described by the outcome's
 * sentence (`resultId`, the ActionResult's id). `fields` are the request's field names this input holds.
 */
export function fieldProps(
  outcome: Outcome | null,
  fields: string | readonly string[],
  resultId: string,
): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } {
  const field = outcome?.kind === 'refused' ? outcome.refusal.field : undefined;
  const mine = typeof fields === 'string' ? field === fields : field !== undefined && fields.includes(field);
  return mine ? { 'aria-invalid': 'true', 'aria-describedby': resultId } : {};
}
