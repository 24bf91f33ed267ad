// The freelancer's own hours of this week on their timesheet (issue 11), recorded only while the agency turned
// recording on (a business manager's setting, off by default: core/rules/own-hours.ts), only on a contract the
// agency's log has as the viewer's own, and again only when the page shows another figure than the log holds.
// Never anyone else's hours. Pure: the page reading, the agency's view and the clock in.
import type { TimesheetReading } from '../features/upwork-page/read-timesheet.ts';
import type { FactRequest } from './page-facts.ts';
import type { PageContext } from './work-page.ts';

/** The Monday (UTC, as Upwork's work week runs) of the week holding `ms`, as YYYY-MM-DD. */
export function weekStart(ms: number): string {
  const d = new Date(ms);
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - sinceMonday))
    .toISOString()
    .slice(0, 10);
}

/** "12:30" → 750; null for anything else or beyond a week. */
export function minutesOf(hours: string): number | null {
  const m = /^(\d{1,3}):([0-5]\d)$/.exec(hours);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 7 * 24 * 60 ? minutes : null;
}

export function ownHoursFacts(
  page: TimesheetReading,
  ctx: PageContext,
): { key: string; request: FactRequest }[] {
  const view = ctx.view;
  const contract = ctx.url.id;
  if (!view || !contract || !view.state.hoursRecording) return [];
  if (view.state.members[view.me]?.status !== 'active') return [];
  if (view.state.contractsSeen?.[contract]?.member !== view.me) return [];
  const minutes = page.thisWeek ? minutesOf(page.thisWeek) : null;
  if (minutes === null) return [];
  const week = weekStart(ctx.now);
  if (view.state.ownHours?.[`${view.me}|${contract}|${week}`]?.minutes === minutes) return [];
  return [
    {
      key: `hours|${contract}|${week}|${minutes}`,
      request: {
        kind: 'act',
        agencyId: view.agencyId,
        type: 'recordOwnHours',
        payload: { contract, week, minutes },
      },
    },
  ];
}
