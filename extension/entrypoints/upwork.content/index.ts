// The content script on www.upwork.com: the overlay on the proposal form and the badge on job pages
// (extension/overlay/start-overlay.ts). Matches every Upwork page because the proposal form is usually
// reached by in-app navigation, which does not inject content scripts again. It imports no yjs and no zod:
// state comes from the background over messaging (design.md §4, §6).

import { render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { send, subscribe } from '../../messaging/client.ts';
import { insertAt, type MountUi } from '../../overlay/mount.ts';
import overlayCss from '../../overlay/overlay.css?inline';
import { startOverlay } from '../../overlay/start-overlay.ts';
import { createUrlHub } from '../../overlay/url-hub.ts';

export default defineContentScript({
  matches: ['https://www.upwork.com/*'],
  // Never into Upwork's page: only into the overlay's shadow roots.
  cssInjectionMode: 'ui',
  // From the start, so the agency's state is on its way before a form loaded with the page appears.
  runAt: 'document_start',
  main(ctx) {
    // WXT ties each UI's removal to the context it is given: give it one per page view, so a UI removed on
    // navigation leaves nothing behind on the script's own context.
    const mountUi: MountUi = async ({ name, anchor, signal }) => {
      // The stylesheet is bundled (?inline) and handed to each UI ('manual' below): in 'ui' mode WXT fetches it
      // from the extension on every mount, which measured 60–270 ms of the form → balance time on a page load.
      const uiContext = {
        options: { ...ctx.options, cssInjectionMode: 'manual' },
        onInvalidated(cb: () => void) {
          signal.addEventListener('abort', cb, { once: true });
          return () => signal.removeEventListener('abort', cb);
        },
      } as unknown as ContentScriptContext;
      const ui = await createShadowRootUi(uiContext, {
        name,
        css: overlayCss,
        mode: 'open',
        position: 'inline',
        anchor: () => anchor().element,
        append: (_element, host) => insertAt(anchor(), host),
        onMount: (container) => container,
        onRemove: (container) => {
          if (container) render(null, container);
        },
      });
      // The page may have moved on while the UI was made: then it is not mounted at all.
      if (!signal.aborted) ui.mount();
      return { host: ui.shadowHost, container: ui.uiContainer, remount: () => ui.mount() };
    };

    const urls = createUrlHub();
    ctx.addEventListener(window, 'wxt:locationchange', (event) => urls.emit(String(event.newUrl)));
    startOverlay({
      win: window,
      signal: ctx.signal,
      client: { send, subscribe },
      mountUi,
      onUrlChange: urls.hook,
    });
  },
});
