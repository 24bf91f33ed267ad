// The content script for Upwork's work pages (issue 11): My proposals, contracts, timesheet and Work diary,
// Connects history, and the offer, milestone and "Add manual time" pages; each page definition acts only on
// its own URLs. The manifest injects it on a page load of those pages only (WORK_PAGE_MATCHES), never on the
// proposal form's: a script that starts on a page load runs on the page's main thread beside the form's
// overlay. When Upwork's app reaches a work page in place, the proposal form's script (which runs on every
// Upwork page) asks the background to inject this one (background/work-pages-starter.ts). It has its own
// 25 KB budget (test/e2e/overlay-budget.test.ts).
import { defineContentScript } from 'wxt/utils/define-content-script';
import { runWorkPages } from '../content/run-work-page.ts';
import { markWorkPagesStarted } from '../content/work-pages-started.ts';
import { WORK_PAGE_MATCHES } from '../features/upwork-page/work-urls.ts';
import { connectsHistoryPage } from '../overlay/connects-history-page.ts';
import { contractsPage } from '../overlay/contracts-page.ts';
import { proposalsPage } from '../overlay/proposals-page.ts';
import { timesheetPage } from '../overlay/timesheet-page.tsx';
import { workNoticePage } from '../overlay/work-notice-page.ts';

export default defineContentScript({
  matches: [...WORK_PAGE_MATCHES],
  cssInjectionMode: 'ui',
  main(ctx) {
    // Injected twice only in a race (a page load and an in-app navigation at once): WXT then ends the first
    // one's context as this one starts, so this one runs.
    markWorkPagesStarted();
    runWorkPages(ctx, [connectsHistoryPage, proposalsPage, contractsPage, timesheetPage, workNoticePage]);
  },
});
