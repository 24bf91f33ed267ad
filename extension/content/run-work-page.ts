// The few lines every work page's content script runs: WXT's in-app navigation events, the shadow-root UI and
// the messaging client, handed to extension/overlay/work-page.ts.
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { send, subscribe } from '../messaging/client.ts';
import { createUrlHub } from '../overlay/url-hub.ts';
import { startWorkPage, type WorkPageDef } from '../overlay/work-page.ts';
import { shadowMountUi } from './shadow-ui.ts';

export function runWorkPage<R>(ctx: ContentScriptContext, page: WorkPageDef<R>): void {
  const urls = createUrlHub();
  ctx.addEventListener(window, 'wxt:locationchange', (event) => urls.emit(String(event.newUrl)));
  startWorkPage({
    win: window,
    signal: ctx.signal,
    client: { send, subscribe },
    mountUi: shadowMountUi(ctx),
    onUrlChange: urls.hook,
    page,
  });
}
