// The content script on www.upwork.com: the overlay on the proposal form and the badge on job pages
// (extension/overlay/start-overlay.ts). Matches every Upwork page because the proposal form is usually
// reached by in-app navigation, which does not inject content scripts again. It imports no yjs and no zod:
// state comes from the background over messaging (design.md §4, §6). The work pages (proposals list,
// contracts, timesheet, Connects history, offer) have their own script (work-pages.content.ts), injected only
// on a page load of those pages; this script asks the background to start it when the app navigates to one
// in place (content/start-work-pages.ts).

import { defineContentScript } from 'wxt/utils/define-content-script';
import { shadowMountUi } from '../../content/shadow-ui.ts';
import { startWorkPagesOn } from '../../content/start-work-pages.ts';
import { send, subscribe } from '../../messaging/client.ts';
import { startOverlay } from '../../overlay/start-overlay.ts';
import { createUrlHub } from '../../overlay/url-hub.ts';

export default defineContentScript({
  matches: ['https://www.upwork.com/*'],
  // Never into Upwork's page: only into the overlay's shadow roots.
  cssInjectionMode: 'ui',
  // From the start, so the agency's state is on its way before a form loaded with the page appears.
  runAt: 'document_start',
  main(ctx) {
    const urls = createUrlHub();
    ctx.addEventListener(window, 'wxt:locationchange', (event) => {
      urls.emit(String(event.newUrl));
      startWorkPagesOn(String(event.newUrl));
    });
    startOverlay({
      win: window,
      signal: ctx.signal,
      client: { send, subscribe },
      mountUi: shadowMountUi(ctx),
      onUrlChange: urls.hook,
    });
  },
});
