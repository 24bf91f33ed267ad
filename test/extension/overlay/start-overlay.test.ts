// @vitest-environment-options { "url": "https://www.upwork.com/" }
// The overlay on the fake Upwork pages (the single-page app running in happy-dom), against a background
// that signs and derives with core: what the member sees, what is recorded, and what is never recorded.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountInShadowRoot } from '../../../extension/overlay/mount.ts';
import { type Overlay, startOverlay } from '../../../extension/overlay/start-overlay.ts';
import { createUrlHub, type UrlHub } from '../../../extension/overlay/url-hub.ts';
import {
  $,
  AGENCY,
  applyPath,
  buttonByText,
  flush,
  installFake,
  JOB_KEYS,
  jobPath,
  loadApp,
  loadPage,
} from '../upwork-page/fake-upwork.ts';
import { AgencyBackground, type AgencyFixture, northwind, nowOf } from './support.ts';

let controller: AbortController;
let urls: UrlHub;
let overlay: Overlay;

function start(bg: AgencyBackground, options: { unrecognisedAfterMs?: number } = {}): Overlay {
  overlay = startOverlay({
    win: window,
    signal: controller.signal,
    client: bg,
    mountUi: mountInShadowRoot(),
    onUrlChange: urls.hook,
    now: () => nowOf(bg.fx),
    ...options,
  });
  return overlay;
}

/** Opens `path` with the fake app running, as a page load. Fast answers from "Upwork": latency=1. */
async function open(path: string): Promise<{ settled(): Promise<void> }> {
  const url = new URL(path, 'https://www.upwork.com');
  url.searchParams.set('latency', '1');
  const fake = loadApp(url.pathname + url.search);
  await flush();
  return fake;
}

async function begin(fx: AgencyFixture, member: string, path: string) {
  const bg = new AgencyBackground(fx, member);
  const fake = await open(path);
  start(bg);
  await settle();
  return { bg, fake };
}

/** Lets the fake answer, the URL hub announce, the watchers look and the overlay render. */
async function settle(fake?: { settled(): Promise<void> }): Promise<void> {
  await fake?.settled();
  urls.emit(window.location.href);
  await flush();
  await flush();
}

const hosts = () => document.querySelectorAll('agency-overlay');
const badges = () => document.querySelectorAll('agency-overlay-badge');

function shadow(): ShadowRoot {
  const list = hosts();
  expect(list).toHaveLength(1);
  const root = list[0]?.shadowRoot;
  if (!root) throw new Error('no shadow root');
  return root;
}

const inOverlay = (testId: string): HTMLElement | null =>
  shadow().querySelector<HTMLElement>(`[data-testid="${testId}"]`);
const textOf = (testId: string): string => inOverlay(testId)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

function overlayButton(text: RegExp): HTMLButtonElement {
  const found = Array.from(shadow().querySelectorAll('button')).find((b) => text.test(b.textContent ?? ''));
  if (!found) throw new Error(`no overlay button ${text}`);
  return found;
}

const sendButton = (): HTMLElement => buttonByText(/^Send for \d+ Connects$/);
const modalShown = (): boolean => document.querySelector('.fake-modal-backdrop') !== null;
const form = (): HTMLElement => $('.fe-job-apply');

function modalButton(text: RegExp): HTMLElement {
  const found = Array.from($('[role="dialog"]').querySelectorAll('button')).find((b) =>
    text.test(b.textContent ?? ''),
  );
  if (!found) throw new Error(`no ${text} in the modal`);
  return found;
}

beforeEach(() => {
  controller = new AbortController();
  urls = createUrlHub();
  vi.spyOn(console, 'info').mockImplementation(() => {});
});

afterEach(() => {
  controller.abort();
  document.querySelector('.fake-modal-backdrop')?.remove();
  vi.restoreAllMocks();
});

describe('the overlay on the proposal form', () => {
  it('mounts once in an open shadow root just after the proposal settings, with the agency’s balance, the cost and the balance after sending', async () => {
    const fx = await northwind(1204);
    await begin(fx, 'Ben', applyPath(JOB_KEYS['exclusive-agency']));
    const host = hosts()[0] as HTMLElement;
    expect(host.previousElementSibling?.classList.contains('fe-proposal-settings')).toBe(true);
    expect(host.shadowRoot?.mode).toBe('open');
    expect(textOf('overlay-balance')).toBe('1,204');
    expect(textOf('overlay-balance-after')).toBe('1,192');
    expect(textOf('overlay-cost')).toBe('12 Connects');
    expect(textOf('overlay-allowance')).toContain('No monthly allowance');
    expect(host.dataset.state).toBe('ready');
    expect(Number(host.dataset.balanceShownAt)).toBeGreaterThanOrEqual(Number(host.dataset.formSeenAt));
  });

  it('counts the boost in the cost', async () => {
    const fx = await northwind(312);
    await begin(fx, 'Ben', applyPath(JOB_KEYS.boost));
    expect(textOf('overlay-cost')).toBe('24 Connects (16 + 8 boost)');
    expect(textOf('overlay-balance-after')).toBe('288');
  });

  it('records the agency option’s balance once per page view, and only when it differs from the shared state', async () => {
    const fx = await northwind(1000);
    const { bg } = await begin(fx, 'Ben', applyPath(JOB_KEYS['exclusive-agency']));
    expect(bg.acts('observeBalance').map((a) => a.payload)).toEqual([{ balance: 1204 }]);
    expect(textOf('overlay-balance')).toBe('1,204');
    // More changes of the state during the same page view record nothing more.
    bg.post();
    await flush();
    expect(bg.acts('observeBalance')).toHaveLength(1);
    // The agency's Upwork id, learned from the option found by name, is recorded once too.
    expect(bg.acts('learnUpworkId').map((a) => a.payload)).toEqual([{ upworkId: AGENCY.upworkId }]);

    // A new page view of a page that agrees with the shared state records nothing.
    controller.abort();
    controller = new AbortController();
    await open(applyPath(JOB_KEYS['exclusive-freelancer']));
    start(bg);
    await settle();
    expect(bg.acts('observeBalance')).toHaveLength(1);
  });

  it('shows a quiet notice while the background has not answered, then the balance', async () => {
    const fx = await northwind(1204);
    const bg = new AgencyBackground(fx, 'Ben');
    bg.ready = false;
    await open(applyPath(JOB_KEYS['exclusive-agency']));
    start(bg);
    await settle();
    expect(inOverlay('overlay-loading')?.textContent).toContain("loading the agency's state");
    bg.ready = true;
    bg.post();
    await flush();
    expect(textOf('overlay-balance')).toBe('1,204');
  });

  it('R7: an exclusive member on the freelancer option reads what is wrong with the form, and fixes it in one click', async () => {
    const fx = await northwind(1204);
    await begin(fx, 'Ben', applyPath(JOB_KEYS['exclusive-freelancer']));
    expect(textOf('warning-R7')).toMatch(
      /^This form is set to propose as a freelancer, but you are an exclusive member: every proposal goes as the agency\./,
    );
    // The exclusive member sees the agency choice only.
    expect(inOverlay('propose-as-independent')).toBeNull();
    expect(form().dataset.proposeAsChanges).toBeUndefined();

    overlayButton(/^Propose as Northwind Pixel Works$/).click();
    await flush();
    // Upwork's own model saw the change (a change event, as Vue needs), once.
    expect(form().dataset.proposeAs).toBe(AGENCY.upworkId);
    expect(form().dataset.proposeAsChanges).toBe('1');
    expect(inOverlay('warning-R7')).toBeNull();
    expect((inOverlay('propose-as-agency') as HTMLInputElement).checked).toBe(true);
  });

  it('R10: follows Upwork’s control in both directions, changing it only on the member’s click in the overlay', async () => {
    const fx = await northwind(312);
    const { bg } = await begin(fx, 'Noor', applyPath(JOB_KEYS['member-hourly']));
    const agency = () => inOverlay('propose-as-agency') as HTMLInputElement;
    const independent = () => inOverlay('propose-as-independent') as HTMLInputElement;
    expect(independent().checked).toBe(true);
    expect(textOf('default-team')).toContain(
      'Upwork pre-selected independent freelancer: your default team. You choose on every proposal.',
    );
    // R9: what Upwork pre-selected is recorded as the member's default team.
    expect(bg.acts('setDefaultTeam').map((a) => a.payload)).toEqual([
      { member: fx.id('Noor'), team: 'independent' },
    ]);
    expect(form().dataset.proposeAsChanges).toBeUndefined();

    // The member changes Upwork's own radio: the overlay follows.
    ($('#contractor-selector-1') as HTMLInputElement).click();
    await flush();
    expect(agency().checked).toBe(true);
    expect(textOf('overlay-balance-after')).toBe('296');

    // The member clicks in the overlay: Upwork's radio follows.
    independent().click();
    await flush();
    expect(($('#contractor-selector-0') as HTMLInputElement).checked).toBe(true);
    expect(form().dataset.proposeAs).toBe('true');
    expect(form().dataset.proposeAsChanges).toBe('2');
    expect(inOverlay('overlay-balance-after')).toBeNull();
  });

  it('a page whose markup is missing pieces gets a quiet notice that names them, and records nothing', async () => {
    const fx = await northwind(312);
    const { bg } = await begin(fx, 'Noor', applyPath(JOB_KEYS.broken));
    expect(textOf('unrecognised')).toContain('Not found: the Connects required.');
    expect(hosts()[0]?.getAttribute('data-state')).toBe('unrecognised');
    expect(bg.acts()).toEqual([]);
  });

  it('an apply URL that never shows a form it knows gets the quiet notice after a while', async () => {
    const fx = await northwind(312);
    const bg = new AgencyBackground(fx, 'Noor');
    loadPage(applyPath(JOB_KEYS['member-hourly']));
    document.body.innerHTML = '<main><p>Something else entirely</p></main>';
    start(bg, { unrecognisedAfterMs: 5 });
    await vi.waitFor(() => expect(hosts()).toHaveLength(1));
    expect(textOf('unrecognised')).toContain('Not found: the proposal form.');
  });

  it('P5: shows who in the agency already proposed on this job, and when', async () => {
    const fx = await northwind(312);
    await fx.propose('Ana', { job: JOB_KEYS['exclusive-agency'], title: 'RN app', connects: 12 });
    await begin(fx, 'Ben', applyPath(JOB_KEYS['exclusive-agency']));
    expect(textOf('teammates-summary')).toBe('Ana proposed on this job.');
    expect(textOf('teammates')).toMatch(
      /Ana proposed as the agency — 12 Connects, (just now|\d+ minutes? ago) \(2 Nov, \d\d:\d\d\)$/,
    );
  });
});

describe('recording the proposal', () => {
  it('records nothing on the click, and the proposal once Upwork confirms it (modal, then the page moves on)', async () => {
    const fx = await northwind(1204);
    const { bg, fake } = await begin(fx, 'Ben', applyPath(JOB_KEYS['exclusive-agency']));
    sendButton().click();
    await flush();
    expect(modalShown()).toBe(true);
    expect(bg.acts('submitProposal')).toEqual([]);
    modalButton(/Yes, submit/).click();
    await settle(fake);
    expect(bg.acts('submitProposal').map((a) => a.payload)).toEqual([
      {
        job: JOB_KEYS['exclusive-agency'],
        title: 'React Native app: offline sync for field inspections',
        as: 'agency',
        connects: 12,
        boost: 0,
      },
    ]);
    // The page left the form: the overlay went with it.
    expect(hosts()).toHaveLength(0);
    expect(fx.derive().state.balance).toBe(1192);
  });

  it('shows what was recorded when Upwork confirms with a notice on the same page', async () => {
    const fx = await northwind(312);
    const { bg, fake } = await begin(fx, 'Noor', `${applyPath(JOB_KEYS['member-hourly'])}?success=alert`);
    sendButton().click();
    await settle(fake);
    expect(bg.acts('submitProposal').map((a) => a.payload.as)).toEqual(['independent']);
    await vi.waitFor(() =>
      expect(textOf('sent-headline')).toBe(
        "Sent independently — your own Connects; the agency's balance stays 312.",
      ),
    );
  });

  it('after a send Upwork confirms on the same page, shows the state after it and projects no second spend', async () => {
    // The page shows the agency's 1,204 Connects; Ben already spent 16 of his 30 this month.
    const fx = await northwind(1220);
    await fx.act('Ana', 'setAllowance', { member: fx.id('Ben'), monthly: 30 });
    await fx.propose('Ben', { connects: 16 });
    const { bg, fake } = await begin(fx, 'Ben', `${applyPath(JOB_KEYS['exclusive-agency'])}?success=alert`);
    expect(textOf('overlay-balance')).toBe('1,204');
    expect(textOf('overlay-balance-after')).toBe('1,192');
    sendButton().click();
    await flush();
    modalButton(/Yes, submit/).click();
    await settle(fake);
    expect(bg.acts('submitProposal')).toHaveLength(1);
    await vi.waitFor(() =>
      expect(textOf('sent-headline')).toBe('Sent as the agency — 12 Connects; balance now 1,192.'),
    );
    expect(textOf('sent-allowance')).toBe('Your allowance: 2 left of 30 this month.');
    // The form is still on the page, but nothing projects the same spend again, and nothing warns.
    expect(inOverlay('overlay-balance-after')).toBeNull();
    expect(inOverlay('warnings')?.textContent ?? '').toBe('');
    expect(overlay.session?.snapshot()).toBeNull();
    // A later click on Send (Upwork refuses a repeat itself) is not held and records nothing more.
    sendButton().click();
    await settle(fake);
    expect(inOverlay('send-hold')).toBeNull();
    expect(bg.acts('submitProposal')).toHaveLength(1);
  });

  it('Cancel after filling the form records nothing', async () => {
    const fx = await northwind(1204);
    const { bg, fake } = await begin(fx, 'Ben', applyPath(JOB_KEYS['exclusive-agency']));
    ($('#cover-letter') as HTMLTextAreaElement).value = 'Dear client, I have built offline sync twice.';
    buttonByText(/^Cancel$/).click();
    await settle(fake);
    expect(window.location.pathname).toBe(jobPath(JOB_KEYS['exclusive-agency']));
    expect(hosts()).toHaveLength(0);
    expect(bg.acts('submitProposal')).toEqual([]);
  });

  it('a failed send ("already has a pending proposal") records nothing and says why', async () => {
    const fx = await northwind(312);
    const { bg, fake } = await begin(fx, 'Noor', `${applyPath(JOB_KEYS['member-hourly'])}?fail=pending`);
    sendButton().click();
    await settle(fake);
    expect(bg.acts('submitProposal')).toEqual([]);
    expect(textOf('send-note')).toContain('already has a pending proposal');
    expect(textOf('send-note')).toContain('nothing was recorded');
  });

  it('on a business manager’s form, records the proposal for the member chosen there, by the manager', async () => {
    const fx = await northwind(312);
    const { bg, fake } = await begin(fx, 'Ana', applyPath(JOB_KEYS.manager));
    expect(textOf('propose-as-manager')).toBe('As Northwind Pixel Works for Dana Okafor, recorded by you.');
    sendButton().click();
    await settle(fake);
    expect(bg.acts('submitProposal').map((a) => a.payload)).toEqual([
      expect.objectContaining({ as: 'agency', connects: 10, member: fx.id('Dana Okafor') }),
    ]);
    const [proposal] = fx.derive().state.proposals;
    expect(proposal).toMatchObject({ member: fx.id('Dana Okafor'), recordedBy: fx.id('Ana') });
  });
});

describe('the held Send', () => {
  it('P4: a Send beyond the allowance is held once; "send anyway" lets the next click through, and the proposal is recorded and flagged', async () => {
    const fx = await northwind(312);
    await fx.act('Ana', 'setAllowance', { member: fx.id('Ben'), monthly: 20 });
    const { bg, fake } = await begin(fx, 'Ben', applyPath(JOB_KEYS.boost));
    expect(textOf('warning-P4')).toContain(
      'This proposal needs 24 Connects; 20 Connects are left of your monthly allowance of 20.',
    );

    sendButton().click();
    await flush();
    // Held: Upwork never saw the click (no confirmation modal), nor did the send watcher.
    expect(modalShown()).toBe(false);
    expect(overlay.sends.state).toBe('idle');
    expect(shadow().querySelector('[role="alertdialog"]')?.textContent).toMatch(
      /^Before you sendThis proposal needs 24 Connects; 20 Connects are left of your monthly allowance of 20\./,
    );

    overlayButton(/^Send anyway$/).click();
    await flush();
    expect(inOverlay('send-hold')).toBeNull();
    expect(textOf('send-note')).toBe(
      'Click “Send for 24 Connects” again to send. The overlay never sends for you.',
    );
    expect(bg.acts('submitProposal')).toEqual([]);

    sendButton().click();
    await flush();
    expect(modalShown()).toBe(true);
    modalButton(/Yes, submit/).click();
    await settle(fake);
    expect(bg.acts('submitProposal').map((a) => a.payload)).toEqual([
      expect.objectContaining({ as: 'agency', connects: 16, boost: 8 }),
    ]);
    const flags = fx
      .derive()
      .state.verdicts.filter((v) => v.kind === 'flagged')
      .map((v) => v.rule);
    expect(flags).toEqual(['P4']);
  });

  it('R7: "fix it" from the held Send switches Upwork’s control, and the next click goes to Upwork unheld', async () => {
    const fx = await northwind(1204);
    const { bg } = await begin(fx, 'Ben', applyPath(JOB_KEYS['exclusive-freelancer']));
    sendButton().click();
    await flush();
    expect(modalShown()).toBe(false);
    overlayButton(/^Fix it: propose as northwind pixel works$/i).click();
    await flush();
    expect(form().dataset.proposeAs).toBe(AGENCY.upworkId);
    expect(inOverlay('send-hold')).toBeNull();
    sendButton().click();
    await flush();
    expect(modalShown()).toBe(true);
    expect(bg.acts('submitProposal')).toEqual([]);
  });

  it('10: "go back to the form" closes the hold and leaves focus on the warnings, not on the page’s body', async () => {
    const fx = await northwind(312);
    await fx.act('Ana', 'setAllowance', { member: fx.id('Ben'), monthly: 20 });
    await begin(fx, 'Ben', applyPath(JOB_KEYS.boost));
    sendButton().click();
    await flush();
    overlayButton(/^Go back to the form$/).click();
    await flush();
    expect(inOverlay('send-hold')).toBeNull();
    expect(document.activeElement).toBe(hosts()[0]);
    expect(shadow().activeElement?.getAttribute('aria-label')).toBe('Before you send');
  });

  it('5: a teammate’s agency proposal on the job holds the Send once, saying who and when', async () => {
    const fx = await northwind(1204);
    await fx.propose('Ana', { job: JOB_KEYS['exclusive-agency'], title: 'RN app', connects: 12 });
    const { bg } = await begin(fx, 'Ben', applyPath(JOB_KEYS['exclusive-agency']));
    expect(textOf('warning-P5')).toMatch(
      /^Ana proposed on this job (just now|\d+ minutes? ago) as the agency\./,
    );
    sendButton().click();
    await flush();
    expect(modalShown()).toBe(false);
    expect(shadow().querySelector('[role="alertdialog"]')?.textContent).toMatch(
      /^Before you sendAna proposed on this job (just now|\d+ minutes? ago) as the agency\./,
    );
    overlayButton(/^Send anyway$/).click();
    await flush();
    sendButton().click();
    await flush();
    expect(modalShown()).toBe(true);
    expect(bg.acts('submitProposal')).toEqual([]);
  });

  it('never holds a Send when nothing stands against it', async () => {
    const fx = await northwind(1204);
    await begin(fx, 'Ben', applyPath(JOB_KEYS['exclusive-agency']));
    sendButton().click();
    await flush();
    expect(inOverlay('send-hold')).toBeNull();
    expect(modalShown()).toBe(true);
  });
});

describe('a single-page app', () => {
  it('follows in-app navigation: job page badge, apply form overlay, and after ten round trips one overlay and nothing left behind', async () => {
    const fx = await northwind(1204);
    await fx.propose('Ana', { job: JOB_KEYS['exclusive-agency'], title: 'RN app', connects: 12 });
    const bg = new AgencyBackground(fx, 'Ben');
    const fake = await open(jobPath(JOB_KEYS['exclusive-agency']));
    start(bg);
    await settle();
    expect(badges()).toHaveLength(1);
    expect(badges()[0]?.shadowRoot?.textContent).toContain('Ana proposed on this job');
    const listenersAtStart = urls.size;

    for (let i = 0; i < 10; i++) {
      buttonByText(/^Apply now$/).click();
      await settle(fake);
      expect(hosts()).toHaveLength(1);
      expect(badges()).toHaveLength(0);
      // The static page shows 1,204 while the log predicts 1,192: the first view records Upwork's number.
      expect(textOf('overlay-balance')).toBe('1,204');
      buttonByText(/^Cancel$/).click();
      await settle(fake);
      expect(hosts()).toHaveLength(0);
      expect(badges()).toHaveLength(1);
    }
    // Nothing accumulates: one subscription to the background, no URL listener per page view.
    expect(bg.subscribers).toBe(1);
    expect(urls.size).toBe(listenersAtStart);
    expect(bg.acts('submitProposal')).toEqual([]);
    expect(bg.acts('observeBalance')).toHaveLength(1);
  });

  it('a badge appears on a job page the moment a teammate’s proposal arrives', async () => {
    const fx = await northwind(312);
    const bg = new AgencyBackground(fx, 'Ben');
    await open(jobPath(JOB_KEYS.boost));
    start(bg);
    await settle();
    expect(badges()[0]?.shadowRoot?.textContent ?? '').toBe('');
    await fx.propose('Noor', { job: JOB_KEYS.boost, title: 'SEO', as: 'independent' });
    bg.post();
    await flush();
    expect(badges()[0]?.shadowRoot?.textContent).toContain('Noor proposed on this job · independently');
  });

  it('P5: the find-work slide-over gets the badge too, placed just before the row of “Apply now”', async () => {
    const fx = await northwind(312);
    await fx.propose('Ana', { job: JOB_KEYS.boost, title: 'SEO' });
    const bg = new AgencyBackground(fx, 'Ben');
    await open(`/nx/find-work/best-matches/details/${JOB_KEYS.boost}`);
    start(bg);
    await settle();
    const badge = badges()[0] as HTMLElement;
    expect(badge.nextElementSibling?.classList.contains('job-actions')).toBe(true);
    expect(badge.shadowRoot?.textContent).toContain('Ana proposed on this job · as the agency');
    expect(hosts()).toHaveLength(0);
  });

  it('removes everything when the content script’s signal aborts', async () => {
    const fx = await northwind(312);
    const { bg } = await begin(fx, 'Ben', applyPath(JOB_KEYS.boost));
    expect(hosts()).toHaveLength(1);
    controller.abort();
    await flush();
    expect(hosts()).toHaveLength(0);
    expect(bg.subscribers).toBe(0);
    expect(urls.size).toBe(0);
    // And the page keeps working on its own: a Send reaches Upwork.
    sendButton().click();
    await flush();
    expect(modalShown()).toBe(true);
    installFake();
  });
});
