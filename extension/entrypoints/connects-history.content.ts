// The content script for Upwork's Connects history (extension/overlay/connects-history-page.ts). Matches every
// Upwork page, as the proposal form's script does, because the page is reached by in-app navigation; it acts
// only on its own URL. One script per work page keeps each within the content-script budget (25 KB gzipped).
import { defineContentScript } from 'wxt/utils/define-content-script';
import { runWorkPage } from '../content/run-work-page.ts';
import { connectsHistoryPage } from '../overlay/connects-history-page.ts';

export default defineContentScript({
  matches: ['https://www.upwork.com/*'],
  cssInjectionMode: 'ui',
  main: (ctx) => runWorkPage(ctx, connectsHistoryPage),
});
