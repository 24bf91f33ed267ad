// Reads Upwork's Connects history page (/nx/plans/connects/history; upwork-dom.md "Work pages": seen, text
// only): the balance it shows ("My balance 300 Connects"), its rows ("Refunded…", "Applied to job…", "Added
// extra Connects", each with a signed number of Connects), and whose account it is. Pure over a Document.
import { parseCount, queryAllFirst, queryFirst, squash, textOf } from './dom.ts';
import * as S from './work-selectors.ts';

export interface ConnectsRow {
  kind: 'refund' | 'applied' | 'added' | 'other';
  /** Signed Connects of the row. */
  delta: number;
  /** The row's day, YYYY-MM-DD; null when the row shows none. */
  on: string | null;
  /** The job's key from the row's link, when it links one. */
  jobKey: string | null;
  /** The job's title as the row shows it (its link, or the words after the action). */
  title: string | null;
  text: string;
}

export type ConnectsHistoryReading =
  | {
      found: true;
      balance: number | null;
      rows: ConnectsRow[];
      /** The account switcher's name, when the page shows one. */
      account: string | null;
      missing: string[];
    }
  | { found: false; missing: string[] };

export const CONNECTS_MISSING = {
  balance: 'the balance (“My balance … Connects”)',
  rows: 'the list of transactions',
} as const;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "Nov 20, 2026" → "2026-11-20"; null when the text holds no such date. */
export function parseRowDate(text: string): string | null {
  const m = S.ROW_DATE_TEXT.exec(text);
  if (!m?.[1] || !m[2] || !m[3]) return null;
  const month = MONTHS.indexOf(m[1].slice(0, 3).toLowerCase()) + 1;
  const day = Number(m[2]);
  if (month < 1 || day < 1 || day > 31) return null;
  return `${m[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function kindOf(action: string): ConnectsRow['kind'] {
  if (S.CONNECTS_REFUND_TEXT.test(action)) return 'refund';
  if (S.CONNECTS_APPLIED_TEXT.test(action)) return 'applied';
  if (S.CONNECTS_ADDED_TEXT.test(action)) return 'added';
  return 'other';
}

function readRow(row: Element): ConnectsRow | null {
  const text = textOf(row);
  const delta = S.CONNECTS_DELTA_TEXT.exec(text);
  const count = parseCount(delta?.[2]);
  if (!delta || count === null) return null;
  // The action is the first cell that says one; without cells, the row's own text after its date.
  const cells = Array.from(row.children).map((c) => textOf(c));
  const action =
    cells.find((c) => kindOf(c) !== 'other') ?? text.replace(S.ROW_DATE_TEXT, '').replace(/^[\s,–-]+/, '');
  const link = queryFirst<HTMLAnchorElement>(row, S.JOB_LINK);
  const jobKey = S.JOB_KEY_IN_HREF.exec(link?.getAttribute('href') ?? '')?.[1]?.toLowerCase() ?? null;
  const afterAction = squash(action.replace(/^\s*(Refunded|Applied to job)\b[^A-Za-z0-9]*/i, ''))
    .replace(/\s*[+\-−–]\s?[\d,]+\s*$/, '')
    .trim();
  const title = textOf(link) || afterAction || null;
  return {
    kind: kindOf(action),
    delta: delta[1] === '+' ? count : -count,
    on: parseRowDate(text),
    jobKey,
    title,
    text: text.slice(0, 300),
  };
}

export function readConnectsHistory(doc: Document): ConnectsHistoryReading {
  const body = doc.body;
  if (!body) return { found: false, missing: [CONNECTS_MISSING.balance, CONNECTS_MISSING.rows] };
  const all = textOf(body);
  const balanceMatch = S.CONNECTS_BALANCE_TEXT.exec(all);
  const balance = balanceMatch ? parseCount(balanceMatch[1]) : null;
  const rows = queryAllFirst(body, S.CONNECTS_ROWS)
    .map(readRow)
    .filter((r): r is ConnectsRow => r !== null && r.kind !== 'other');
  const empty = S.CONNECTS_EMPTY_TEXT.test(all);
  const missing: string[] = [];
  if (balance === null) missing.push(CONNECTS_MISSING.balance);
  if (rows.length === 0 && !empty) missing.push(CONNECTS_MISSING.rows);
  // Neither the balance nor any transaction: not the page the reader knows.
  if (missing.length === 2) return { found: false, missing };
  const account = textOf(queryFirst(body, S.ACCOUNT_NAME)) || null;
  return { found: true, balance, rows, account, missing };
}
