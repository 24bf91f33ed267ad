// What the work pages' content script runs: WXT's in-app navigation events, the shadow-root UI and the
// messaging client, handed to extension/overlay/work-page.ts once per page definition.
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { send, subscribe } from '../messaging/client.ts';
import { createUrlHub } from '../overlay/url-hub.ts';
import { startWorkPage, type WorkPageDef } from '../overlay/work-page.ts';
import { shadowMountUi } from './shadow-ui.ts';

// biome-ignore lint/suspicious/noExplicitAny: each definition reads its own page's shape
export function runWorkPages(ctx: ContentScriptContext, pages: readonly WorkPageDef<any>[]): void {
  const urls = createUrlHub();
  ctx.addEventListener(window, 'wxt:locationchange', (event) => urls.emit(String(event.newUrl)));
  const mountUi = shadowMountUi(ctx);
  for (const page of pages) {
    startWorkPage({
      win: window,
      signal: ctx.signal,
      client: { send, subscribe },
      mountUi,
      onUrlChange: urls.hook,
      page,
    });
  }
}
