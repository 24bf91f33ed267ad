// CSV as RFC 4180 writes it (comma, CRLF, a field quoted when it holds a quote, comma or line break, quotes
// doubled), UTF-8 with a byte order mark so spreadsheets read the names' accents right, and times in ISO
// 8601 with the agency's offset.

export type Cell = string | number | null;

/**
 * A spreadsheet runs a cell starting with = + - @ (or a tab or carriage return) as a formula: a job title
 * or a member's name is chosen by whoever wrote it, so such text gets a leading apostrophe (OWASP "CSV
 * injection"). Numbers are written as numbers.
 */
const FORMULA = /^[=+\-@\t\r]/;

export function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = FORMULA.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const BOM = '\uFEFF';

/** A whole file: the header, then one record per row, every line ended by CRLF. */
export function csvText(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const QUARTER_HOUR = 900_000;
const offsets = new Map<string, number>();

/**
 * The offset of `timeZone` from UTC at `ms`, in minutes. Every zone offset is a multiple of 15 minutes and
 * changes on a quarter hour, so it is cached per quarter-hour bucket: an export of 100k rows asks Intl a few
 * thousand times, not 100k.
 */
function offsetMinutes(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const bucket = Math.floor(ms / QUARTER_HOUR);
  const key = `${timeZone}|${bucket}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const at = bucket * QUARTER_HOUR;
    const parts: Record<string, string> = {};
    for (const p of formatter(timeZone).formatToParts(at)) parts[p.type] = p.value;
    const wall = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    offset = Math.round((wall - at) / 60_000);
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** "2026-11-03T14:05:09+01:00": `ms` as the wall clock in `timeZone`, with its offset (Z for UTC). */
export function isoInZone(ms: number, timeZone: string): string {
  const offset = offsetMinutes(ms, timeZone);
  const text = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  if (offset === 0) return `${text}Z`;
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${text}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}
