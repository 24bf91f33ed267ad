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

/**
 * The sync server address a member meant: ws:// and wss:// as typed; http(s):// as the WebSocket scheme of the
 * same security; with no scheme, ws:// on this machine or a private address (a server a member runs for
 * testing) and wss:// anywhere else. The background checks the result again; the field shows what was used.
 */
export function serverAddress(typed: string): string {
  const t = typed.trim();
  const ws = /^(wss?):\/\/(.*)$/i.exec(t);
  if (ws) return `${ws[1]!.toLowerCase()}://${ws[2]}`;
  const http = /^(https?):\/\/(.*)$/i.exec(t);
  if (http) return `${http[1]!.toLowerCase() === 'https' ? 'wss' : 'ws'}://${http[2]}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return t; // another scheme: the background says it is not one
  const host = (/^\[([^\]]*)\]/.exec(t)?.[1] ?? t.split(/[/:?#]/)[0] ?? '').toLowerCase();
  const local =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^(127|10)\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
    host === '::1';
  return `${local ? 'ws' : 'wss'}://${t}`;
}

/** The form's `name` field read as a sync server address (serverAddress), written back so the member sees it. */
export function serverField(form: HTMLFormElement, name: string): string {
  const address = serverAddress(text(form, name));
  const input = form.elements.namedItem(name);
  if (input instanceof HTMLInputElement) input.value = address;
  return address;
}

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
