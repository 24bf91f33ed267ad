// How every content script puts its UI into Upwork's page: WXT's createShadowRootUi (host element named by
// the request, open shadow root), with the overlay's stylesheet bundled in and the UI's life tied to the
// request's signal rather than to the script's. Shared by the entrypoints so each page's script is the same
// few lines (extension/entrypoints/*.content*).
import { render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { insertAt, type MountUi } from '../overlay/mount.ts';
import overlayCss from '../overlay/overlay.css?inline';

export function shadowMountUi(ctx: ContentScriptContext): MountUi {
  // WXT ties each UI's removal to the context it is given: give it one per page view, so a UI removed on
  // navigation leaves nothing behind on the script's own context.
  return async ({ name, anchor, signal }) => {
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
}
