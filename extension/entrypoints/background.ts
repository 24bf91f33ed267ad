// The background service worker owns every agency replica; popup, options and content scripts talk to it
// through the message protocol (extension/messaging). Listeners are registered synchronously in main() so
// an event that wakes the stopped worker (a message, a port, the reconnect alarm) finds them.
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { Agencies } from '../background/agencies.ts';
import { type AlarmsLike, installReconnectAlarm } from '../background/alarms.ts';
import { type WebRequestLike, webRequestNetErrors } from '../background/net-errors.ts';
import { Router, type StatePort } from '../background/router.ts';
import { wxtSettings } from '../background/settings.ts';
import { openAgencyPagesOnInstall, type RuntimeLike } from '../background/welcome.ts';
import { workPagesStarter } from '../background/work-pages-starter.ts';
import { deviceKey } from '../replica/device-key.ts';
import type { KeepArea } from '../replica/keep.ts';

export default defineBackground({
  type: 'module',
  main() {
    const agencies = new Agencies({
      settings: wxtSettings(),
      deviceKey,
      // The replicas' record outside IndexedDB: a LevelDB of its own, which survives the browser discarding
      // the extension's IndexedDB (replica/keep.ts).
      keep: browser.storage.local as unknown as KeepArea,
      netErrors: webRequestNetErrors(browser.webRequest as unknown as WebRequestLike | undefined),
    });
    const router = new Router(agencies, {
      extensionOrigin: browser.runtime.getURL('/'),
      // `scripting` in both builds (Firefox has it in Manifest V2 too): our own packaged file, nothing else.
      startWorkPages: workPagesStarter(async ({ tabId, frameId }, file) => {
        await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [file] });
      }),
    });
    browser.runtime.onMessage.addListener(
      router.onMessage as Parameters<typeof browser.runtime.onMessage.addListener>[0],
    );
    browser.runtime.onConnect.addListener((port) => router.onConnect(port as unknown as StatePort));
    openAgencyPagesOnInstall(browser.runtime as unknown as RuntimeLike, browser.storage.local);
    void installReconnectAlarm(browser.alarms as unknown as AlarmsLike, () => agencies.wake());
    // Idempotent: whatever woke the worker, the replicas open and reconnect.
    agencies.start().catch((e) => console.error('background: start failed', e));
  },
});
