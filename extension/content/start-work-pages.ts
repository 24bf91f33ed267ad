// The proposal form's content script runs on every Upwork page; the work pages' script only where a page load
// is one of them (features/upwork-page/work-urls.ts). When Upwork's app navigates in place to another URL, and
// the work pages' script is not in the page yet, this asks the background to start it there: the background
// decides whether the URL is a work page (background/work-pages-starter.ts), so this side stays a few bytes
// of the proposal form's budget.
import { browser } from 'wxt/browser';
import { START_WORK_PAGES, type StartWorkPagesRequest } from '../messaging/start-work-pages.ts';
import { workPagesStarted } from './work-pages-started.ts';

export function startWorkPagesOn(url: string): void {
  if (workPagesStarted()) return;
  const request: StartWorkPagesRequest = { kind: START_WORK_PAGES, url };
  // Not awaited: a refusal (not a work page) or a background gone with an update changes nothing here.
  browser.runtime?.sendMessage(request).catch(() => {});
}
