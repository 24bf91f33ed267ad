// Reads a Workroom timesheet or the Work diary (upwork-dom.md "Work pages": seen, text only): this week's
// hours and the weekly limit when the page shows one. Only to show R5 beside them: nothing of another
// member's timesheet is ever recorded. Pure over a Document.
import { textOf } from './dom.ts';
import * as S from './work-selectors.ts';

export interface TimesheetReading {
  thisWeek: string | null;
  weeklyLimit: number | null;
}

export const TIMESHEET_MISSING = { week: 'this week’s hours (“This week … hrs”)' } as const;

export function readTimesheet(
  doc: Document,
): { found: true; value: TimesheetReading } | { found: false; missing: string[] } {
  const text = textOf(doc.body);
  const thisWeek = S.THIS_WEEK_TEXT.exec(text)?.[1] ?? null;
  const limit = S.WEEKLY_LIMIT_TEXT.exec(text)?.[1];
  if (!thisWeek && !limit) return { found: false, missing: [TIMESHEET_MISSING.week] };
  return { found: true, value: { thisWeek, weeklyLimit: limit ? Number(limit) : null } };
}
