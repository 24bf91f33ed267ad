// Reading form controls: trimmed text (core refuses names that start or end with spaces) and whole numbers.

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
