// Driving the extension's own pages the way a member does: by roles and labels, as the component tests do.
import type { Locator, Page } from 'playwright-core';

/** Generous: a change crosses two service workers and a server; the measured figure is printed apart. */
export const UI_TIMEOUT = 30_000;

export interface NewAgency {
  agencyName: string;
  memberName: string;
  balance: number;
  server: string;
}

export async function createAgency(options: Page, a: NewAgency): Promise<void> {
  await options.getByLabel('Agency name').fill(a.agencyName);
  await options.getByRole('textbox', { name: 'Your name' }).first().fill(a.memberName);
  await options.getByLabel(/Agency Connects balance/).fill(String(a.balance));
  await options.getByLabel('Sync server address').fill(a.server);
  await options.getByRole('button', { name: 'Create the agency' }).click();
  // The page turns into the agency's page once the background posts the new view.
  await options.getByRole('heading', { level: 1, name: a.agencyName }).waitFor({ timeout: UI_TIMEOUT });
}

export async function createInvite(
  options: Page,
  invite: { role: 'member' | 'manager'; relationship: 'exclusive' | 'non-exclusive'; days?: number },
): Promise<string> {
  const section = options.getByRole('region', { name: 'Invite a member' });
  await section.getByLabel('Role').selectOption(invite.role);
  await section.getByLabel('Relationship').selectOption(invite.relationship);
  await section.getByLabel('Expires in (days)').fill(String(invite.days ?? 7));
  await section.getByRole('button', { name: 'Create invite' }).click();
  const code = options.getByTestId('invite-code');
  await code.waitFor({ timeout: UI_TIMEOUT });
  return code.inputValue();
}

/** Pastes a code into the join form and continues: the page then says what the code admits. */
export async function checkCode(options: Page, code: string): Promise<Locator> {
  await options.getByLabel(/Invite code/).fill(code);
  await options.getByRole('button', { name: 'Continue' }).click();
  const step = options.getByTestId('join-step');
  await step.waitFor({ timeout: UI_TIMEOUT });
  return step;
}

export async function joinAgency(
  options: Page,
  code: string,
  memberName: string,
  agencyName: string,
): Promise<void> {
  const step = await checkCode(options, code);
  await step.getByRole('textbox', { name: 'Your name' }).fill(memberName);
  await step.getByRole('button', { name: 'Join the agency' }).click();
  await options.getByRole('heading', { level: 1, name: agencyName }).waitFor({ timeout: UI_TIMEOUT });
}

/** Makes a code for another browser in the Browsers section (for `member`, when a manager chooses). */
export async function makeBrowserCode(options: Page, member?: string): Promise<string> {
  const section = options.getByRole('region', { name: 'Browsers' });
  if (member) await section.getByLabel('For').selectOption({ label: member });
  await section.getByRole('button', { name: 'Make a code' }).click();
  const code = section.getByTestId('device-code');
  await code.waitFor({ timeout: UI_TIMEOUT });
  return code.inputValue();
}

/**
 * The outcome line of the request just made in a section, once it names `subject` (so an earlier request's
 * line still on screen is never taken for it) and is no longer "Working…".
 */
export async function outcomeIn(section: Locator, subject: string): Promise<string> {
  const result = section.locator('.result').filter({ hasText: subject }).filter({ hasNotText: 'Working…' });
  await result.first().waitFor({ timeout: UI_TIMEOUT });
  return ((await result.first().textContent()) ?? '').trim();
}

/** The member's line in the popup's team list, e.g. "Bob (you) Business manager · Non-exclusive · …". */
export const teamLine = (popup: Page, name: string): Locator =>
  popup.getByRole('list', { name: 'Team members' }).getByRole('listitem').filter({ hasText: name });

/**
 * Waits until `page` shows `text` somewhere in `selector`, and returns the wall-clock time (Date.now(), the
 * same clock for every browser on this machine) at which the page's DOM first held it, observed from inside
 * the page so the figure does not include the test's polling.
 */
export async function shownAt(
  page: Page,
  selector: string,
  text: string | RegExp,
  timeout = UI_TIMEOUT,
): Promise<number> {
  const pattern =
    typeof text === 'string'
      ? { source: escapeRegExp(text), flags: '' }
      : { source: text.source, flags: text.flags };
  const handle = await page.waitForFunction(
    ({ selector, pattern }) => {
      const re = new RegExp(pattern.source, pattern.flags);
      const w = window as unknown as { __shownAt?: Record<string, number> };
      const key = `${selector}|${pattern.source}`;
      w.__shownAt ??= {};
      if (w.__shownAt[key]) return w.__shownAt[key];
      const hit = Array.from(document.querySelectorAll(selector)).some((el) => re.test(el.textContent ?? ''));
      if (!hit) {
        if (!(key in w.__shownAt)) {
          // Record the exact moment of the mutation that brings the text, not the next poll.
          w.__shownAt[key] = 0;
          new MutationObserver((_, observer) => {
            if (Array.from(document.querySelectorAll(selector)).some((el) => re.test(el.textContent ?? ''))) {
              w.__shownAt![key] = Date.now();
              observer.disconnect();
            }
          }).observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        return false;
      }
      return w.__shownAt[key] || Date.now();
    },
    { selector, pattern },
    { timeout, polling: 100 },
  );
  return (await handle.jsonValue()) as number;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
