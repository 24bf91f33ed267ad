// The agency pages' flows in Firefox, as a member goes through them (test/e2e/support/pages.ts is the same
// for Chromium, on Playwright's locators).
import type { Page } from 'puppeteer-core';
import { click, controlValue, fill, UI_TIMEOUT, waitForText } from './dom.ts';

const CREATE = 'form[aria-labelledby="create-title"]';
const INVITE = 'section[aria-labelledby="invite-title"]';
const JOIN = 'form[aria-labelledby="join-title"]';
const JOIN_STEP = '[data-testid="join-step"]';

/** The page has become the agency's page: its name is the page's heading. */
export const agencyHeading = (page: Page, agencyName: string): Promise<string> =>
  waitForText(page, 'h1', new RegExp(`^${agencyName}$`));

export async function createAgency(
  page: Page,
  a: { agencyName: string; memberName: string; balance: number; server: string },
): Promise<void> {
  await fill(page, 'Agency name', a.agencyName, CREATE);
  await fill(page, 'Your name', a.memberName, CREATE);
  await fill(page, 'Agency Connects balance', String(a.balance), CREATE);
  await fill(page, 'Sync server address', a.server, CREATE);
  await click(page, 'Create the agency', CREATE);
  await agencyHeading(page, a.agencyName);
}

/** Makes an invite; `previous` is the code the page still shows from the last one, which is not this one. */
export async function createInvite(
  page: Page,
  invite: { role: 'member' | 'manager'; relationship: 'exclusive' | 'non-exclusive' },
  previous = '',
): Promise<string> {
  await fill(page, 'Role', invite.role, INVITE);
  await fill(page, 'Relationship', invite.relationship, INVITE);
  await click(page, 'Create invite', INVITE);
  return controlValue(page, '[data-testid="invite-code"]', previous);
}

export async function joinAgency(
  page: Page,
  code: string,
  memberName: string,
  agencyName: string,
): Promise<void> {
  await fill(page, 'Invite code', code, JOIN);
  await click(page, 'Continue', JOIN);
  await page.waitForSelector(JOIN_STEP, { timeout: UI_TIMEOUT });
  await fill(page, 'Your name', memberName, JOIN_STEP);
  await click(page, 'Join the agency', JOIN_STEP);
  await agencyHeading(page, agencyName);
}
