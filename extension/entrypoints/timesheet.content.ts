// The content script for Upwork's timesheet page(s) (extension/overlay/timesheet-page.tsx): on every Upwork page, acting only on
// its own URLs, as connects-history.content.ts explains.
import { defineContentScript } from 'wxt/utils/define-content-script';
import { runWorkPage } from '../content/run-work-page.ts';
import { timesheetPage } from '../overlay/timesheet-page.tsx';

export default defineContentScript({
  matches: ['https://www.upwork.com/*'],
  cssInjectionMode: 'ui',
  main: (ctx) => runWorkPage(ctx, timesheetPage),
});
