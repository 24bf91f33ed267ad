// Calendar months in the agency's time zone ("2026-11"), for monthly allowances (P4).

const formatters = new Map<string, Intl.DateTimeFormat>();
const cache = new Map<string, string>();
const HOUR = 3_600_000;
let utc = { from: 0, to: 0, key: '' };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The month `ms` falls in, in `timeZone`. UTC is plain arithmetic; other zones go through Intl, cached per
 * quarter-hour bucket (every zone offset is a multiple of 15 minutes, so a bucket never straddles a month).
 */
export function monthKey(ms: number, timeZone: string): string {
  if (timeZone === 'UTC') {
    // Logs are read in time order: the month of the previous call usually still holds.
    if (ms >= utc.from && ms < utc.to) return utc.key;
    const d = new Date(ms);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth();
    utc = {
      from: Date.UTC(y, m, 1),
      to: Date.UTC(y, m + 1, 1),
      key: `${y}-${String(m + 1).padStart(2, '0')}`,
    };
    return utc.key;
  }
  const key = `${timeZone}|${Math.floor(ms / (HOUR / 4))}`;
  let month = cache.get(key);
  if (!month) {
    const parts = formatter(timeZone).formatToParts(ms);
    month = `${parts.find((p) => p.type === 'year')?.value}-${parts.find((p) => p.type === 'month')?.value}`;
    if (cache.size > 50_000) cache.clear();
    cache.set(key, month);
  }
  return month;
}
