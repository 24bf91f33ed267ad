// The popup and agency pages in the real extension on a fresh profile: what a new member sees first,
// reachable by keyboard, in the browser's light and dark modes. Screenshots are saved as artifacts.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/artifacts.ts';
import { Profile } from './support/browser.ts';
import { UI_TIMEOUT } from './support/pages.ts';

let profile: Profile;

const colours = (page: Page) =>
  page.evaluate(() => {
    const s = getComputedStyle(document.body);
    return { background: s.backgroundColor, text: s.color };
  });

describe('a fresh profile', () => {
  beforeAll(async () => {
    profile = await Profile.fresh('Newcomer');
  });
  afterAll(async () => {
    await profile?.dispose();
  });

  it('the popup calls a member with no agency to the agency pages, which open in a tab', async () => {
    const popup = await profile.popup();
    await popup.getByText('You are not in an agency yet.').waitFor({ timeout: UI_TIMEOUT });
    await screenshot(popup, 'popup-no-agency');
    const opened = profile.ctx.waitForEvent('page', { timeout: UI_TIMEOUT });
    await popup.getByRole('button', { name: 'Open the agency pages' }).click();
    const options = await opened;
    await options.waitForURL(/\/options\.html$/, { timeout: UI_TIMEOUT });
    await options.getByRole('heading', { name: 'Create an agency' }).waitFor({ timeout: UI_TIMEOUT });
    await options.close();
    await popup.close();
  });

  it('the agency pages offer create and join, every control labelled and reachable by keyboard', async () => {
    const options = await profile.options();
    await options.getByRole('heading', { name: 'Join an agency' }).waitFor({ timeout: UI_TIMEOUT });
    const names: string[] = [];
    for (let i = 0; i < 12; i++) {
      await options.keyboard.press('Tab');
      names.push(
        await options.evaluate(() => {
          const el = document.activeElement as HTMLInputElement | null;
          return el?.labels?.[0]?.textContent?.trim() || el?.textContent?.trim() || el?.tagName || '';
        }),
      );
    }
    expect(names[0]).toBe('Agency name');
    expect(names).toContain('Create the agency');
    expect(names.some((n) => n.startsWith('Invite code'))).toBe(true);
    expect(names).toContain('Continue');
    await screenshot(options, 'options-fresh-light');
    await options.close();
  });

  it("follows the browser's dark mode", async () => {
    const options = await profile.options();
    await options.getByRole('heading', { name: 'Create an agency' }).waitFor({ timeout: UI_TIMEOUT });
    await options.emulateMedia({ colorScheme: 'light' });
    const light = await colours(options);
    await options.emulateMedia({ colorScheme: 'dark' });
    const dark = await colours(options);
    expect(light.background).toBe('rgb(255, 255, 255)');
    expect(dark.background).toBe('rgb(21, 24, 28)');
    expect(dark.text).not.toBe(light.text);
    await screenshot(options, 'options-fresh-dark');
    await options.close();
  });
});
