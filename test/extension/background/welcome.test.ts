// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openAgencyPagesOnInstall, type RuntimeLike } from '../../../extension/background/welcome.ts';

beforeEach(() => fakeBrowser.reset());

describe('the agency pages on install', () => {
  it('open once on a new install, and not when the extension or the browser is updated', async () => {
    const openOptionsPage = vi.fn(async () => {});
    const runtime = {
      onInstalled: fakeBrowser.runtime.onInstalled,
      openOptionsPage,
    } as unknown as RuntimeLike;
    openAgencyPagesOnInstall(runtime);
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.1.0' });
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'chrome_update' });
    expect(openOptionsPage).not.toHaveBeenCalled();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' });
    expect(openOptionsPage).toHaveBeenCalledTimes(1);
  });
});
