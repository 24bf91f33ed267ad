// The content script for Upwork's work notice page(s) (extension/overlay/work-notice-page.ts): on every Upwork page, acting only on
// its own URLs, as connects-history.content.ts explains.
import { defineContentScript } from 'wxt/utils/define-content-script';
import { runWorkPage } from '../content/run-work-page.ts';
import { workNoticePage } from '../overlay/work-notice-page.ts';

export default defineContentScript({
  matches: ['https://www.upwork.com/*'],
  cssInjectionMode: 'ui',
  main: (ctx) => runWorkPage(ctx, workNoticePage),
});
