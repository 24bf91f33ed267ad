// The content script for Upwork's work pages (issue 11): My proposals, contracts, timesheet and Work diary,
// Connects history, and the offer, milestone and "Add manual time" pages. Like the proposal form's script it
// matches every Upwork page, because these pages are reached by in-app navigation; each page definition acts
// only on its own URLs. One script for them all, not one per page: every script starts on every Upwork page
// load. Form → overlay on a page load (test/e2e/overlay.test.ts, one run each, same session, loaded machine):
// 104 ms with the proposal form's script alone, 870 ms beside five work-page scripts, 256 ms beside this one.
// It has its own 25 KB budget (test/e2e/overlay-budget.test.ts).
import { defineContentScript } from 'wxt/utils/define-content-script';
import { runWorkPages } from '../content/run-work-page.ts';
import { connectsHistoryPage } from '../overlay/connects-history-page.ts';
import { contractsPage } from '../overlay/contracts-page.ts';
import { proposalsPage } from '../overlay/proposals-page.ts';
import { timesheetPage } from '../overlay/timesheet-page.tsx';
import { workNoticePage } from '../overlay/work-notice-page.ts';

export default defineContentScript({
  matches: ['https://www.upwork.com/*'],
  cssInjectionMode: 'ui',
  main: (ctx) =>
    runWorkPages(ctx, [connectsHistoryPage, proposalsPage, contractsPage, timesheetPage, workNoticePage]),
});
