// The content script for Upwork's contracts list (extension/overlay/contracts-page.ts): on every Upwork page,
// acting only on its own URL, as connects-history.content.ts explains.
import { defineContentScript } from 'wxt/utils/define-content-script';
import { runWorkPage } from '../content/run-work-page.ts';
import { contractsPage } from '../overlay/contracts-page.ts';

export default defineContentScript({
  matches: ['https://www.upwork.com/*'],
  cssInjectionMode: 'ui',
  main: (ctx) => runWorkPage(ctx, contractsPage),
});
