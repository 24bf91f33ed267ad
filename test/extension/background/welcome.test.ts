// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openAgencyPagesOnInstall } from '../../../extension/background/welcome.ts';

beforeEach(() => fakeBrowser.reset());

/** One launch of the background: its own onInstalled event, the profile's storage kept between launches. */
function launch() {
  const listeners: ((details: { reason: string }) => Promise<void> | undefined)[] = [];
  const openOptionsPage = vi.fn(async () => {});
  const runtime = {
    onInstalled: { addListener: (fn: (typeof listeners)[number]) => listeners.push(fn) },
    openOptionsPage,
  };
  openAgencyPagesOnInstall(runtime, fakeBrowser.storage.local);
  const installed = (reason: string) => Promise.all(listeners.map((l) => l({ reason })));
  return { openOptionsPage, installed };
}

describe('the agency pages on install', () => {
  it('open on a new install, and not when the extension or the browser is updated', async () => {
    const { openOptionsPage, installed } = launch();
    await installed('update');
    await installed('chrome_update');
    expect(openOptionsPage).not.toHaveBeenCalled();
    await installed('install');
    expect(openOptionsPage).toHaveBeenCalledTimes(1);
  });

  it('open once per profile, though Chromium reports "install" on each launch of an unpacked extension', async () => {
    const first = launch();
    await first.installed('install');
    expect(first.openOptionsPage).toHaveBeenCalledTimes(1);
    const relaunch = launch();
    await relaunch.installed('install');
    expect(relaunch.openOptionsPage).not.toHaveBeenCalled();
  });
});
