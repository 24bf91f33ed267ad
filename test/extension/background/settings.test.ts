import { beforeAll, describe, expect, it } from 'vitest';

// @wxt-dev/storage binds to the extension API when it is imported: give it WXT's fake browser first.
beforeAll(async () => {
  const { fakeBrowser } = await import('wxt/testing/fake-browser');
  (globalThis as { chrome?: unknown }).chrome = fakeBrowser;
});

describe('settings (versioned wxt storage items)', () => {
  it('start empty with the default server, and keep what is set in extension storage', async () => {
    const { wxtSettings, DEFAULT_SERVER } = await import('../../../extension/background/settings.ts');
    const { fakeBrowser } = await import('wxt/testing/fake-browser');
    const s = wxtSettings();
    expect(await s.agencies()).toEqual([]);
    expect(await s.selected()).toBeNull();
    expect(await s.defaultServer()).toBe(DEFAULT_SERVER);
    const entry = { agencyId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'Acme', server: 'ws://x:1', addedAt: 1 };
    await s.setAgencies([entry]);
    await s.setSelected(entry.agencyId);
    // A new worker start reads the same values back.
    const again = wxtSettings();
    expect(await again.agencies()).toEqual([entry]);
    expect(await again.selected()).toBe(entry.agencyId);
    const raw = await fakeBrowser.storage.local.get('agencies');
    expect(raw.agencies).toEqual([entry]);
  });
});
