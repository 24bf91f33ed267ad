// A Workroom timesheet or the Work diary for work-page.ts (R5): whose contract it is, as the agency's log has
// it (a member's contracts page records it), "only <member> can log time here" for anyone but its freelancer,
// and the weekly limit when the page shows one. Records only the viewer's own hours of this week, and only
// while the agency turned that on (own-hours-facts.ts): another member's hours are not the viewer's to record.
import { h } from 'preact';
import { readTimesheet, type TimesheetReading } from '../features/upwork-page/read-timesheet.ts';
import { disputantNames } from './contracts-facts.ts';
import { ownHoursFacts } from './own-hours-facts.ts';
import { WorkFrame } from './work-frame.tsx';
import type { PageContext, WorkPageDef } from './work-page.ts';

export function timesheetLines(page: TimesheetReading, ctx: PageContext): string[] {
  const view = ctx.view;
  if (!view) return [];
  const id = ctx.url.id;
  const seen = id ? view.state.contractsSeen?.[id] : undefined;
  const contract = id ? view.state.contracts[id] : undefined;
  const memberId = seen ? seen.member : (contract?.member ?? null);
  const lines: string[] = [];
  if (seen && seen.member === null) {
    lines.push(
      `Disputed — ${disputantNames(seen.disputed ?? [], view)} each recorded this contract as their own: a business manager decides whose it is (D8).`,
    );
  } else if (!memberId) {
    lines.push(
      'The agency’s log does not know this contract yet: only the member hired on it logs time here (R5).',
    );
  } else if (memberId === view.me) {
    lines.push('Your contract: only you log time here (R5).');
  } else {
    const name = view.state.members[memberId]?.name ?? 'a former member';
    lines.push(`${name}’s contract: only ${name} can log time here (R5).`);
  }
  if (page.weeklyLimit !== null)
    lines.push(
      `Weekly limit ${page.weeklyLimit} hrs${page.thisWeek ? `, ${page.thisWeek} this week` : ''}: Upwork does not bill hours beyond it.`,
    );
  return lines;
}

export const timesheetPage: WorkPageDef<TimesheetReading> = {
  pages: ['timesheet'],
  read: (doc) => readTimesheet(doc),
  anchor: (doc) => {
    const heading = doc.querySelector('main h1');
    return heading
      ? { element: heading, append: 'after' }
      : { element: doc.querySelector('main') ?? doc.body, append: 'first' };
  },
  view: (page, ctx) =>
    h(WorkFrame, {
      ctx,
      testId: 'timesheet-overlay',
      children: h(
        'ul',
        { class: 'small', 'data-testid': 'timesheet-lines' },
        timesheetLines(page, ctx).map((line) => h('li', { key: line }, line)),
      ),
    }),
  facts: (page, ctx) => ownHoursFacts(page, ctx),
};
