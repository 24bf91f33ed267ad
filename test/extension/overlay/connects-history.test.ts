// @vitest-environment-options { "url": "https://www.upwork.com/" }
// The overlay on Upwork's Connects history (work-page.ts with connects-history-page.ts) on the fake pages, against
// a background that signs and derives with core: each refund row recorded once (D9), Upwork's balance only
// from the agency's own history, a quiet notice on markup it does not know.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConnectsHistory } from '../../../extension/features/upwork-page/read-connects-history.ts';
import { connectsHistoryPage } from '../../../extension/overlay/connects-history-page.ts';
import { mountInShadowRoot } from '../../../extension/overlay/mount.ts';
import { createUrlHub, type UrlHub } from '../../../extension/overlay/url-hub.ts';
import { startWorkPage } from '../../../extension/overlay/work-page.ts';
import { flush, loadPage } from '../upwork-page/fake-upwork.ts';
import { AgencyBackground, northwind } from './support.ts';
import { until } from './work-page-support.ts';

const HISTORY = '/nx/plans/connects/history';
const JOB = '~022001000000000000002'; // the refunded row's job on the fixture page

let controller: AbortController;
let urls: UrlHub;

beforeEach(() => {
  controller = new AbortController();
  urls = createUrlHub();
});
afterEach(() => {
  controller.abort();
  document.body.replaceChildren();
});

function start(bg: AgencyBackground, noticeAfterMs = 8_000): void {
  startWorkPage({
    win: window,
    signal: controller.signal,
    client: bg,
    mountUi: mountInShadowRoot(),
    onUrlChange: urls.hook,
    page: connectsHistoryPage,
    noticeAfterMs,
  });
}

const shadow = (): ShadowRoot | null => document.querySelector('agency-overlay')?.shadowRoot ?? null;
const text = (testId: string): string =>
  shadow()?.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim() ?? '';

/**
 * Ben proposed on the refunded job as the agency on 18 November, as the page's history says: 300 − 12. The
 * page is read on 21 November, after its refund row of the 20th (D9: a row dated after its recording is none).
 */
async function agencyWithProposal() {
  const fx = await northwind(300);
  fx.setClock(Date.UTC(2026, 10, 18, 9));
  await fx.propose('Ben', {
    job: JOB,
    title: 'React Native app: offline sync for field inspections',
    connects: 12,
  });
  fx.setClock(Date.UTC(2026, 10, 21, 9));
  return fx;
}

describe('reading the Connects history', () => {
  it('reads the balance, each row’s kind, signed Connects, day and job, and whose account it is', () => {
    loadPage(HISTORY);
    const r = readConnectsHistory(document);
    if (!r.found) throw new Error('not read');
    expect(r.balance).toBe(300);
    expect(r.account).toBe('Northwind Pixel Works');
    expect(r.rows.map((row) => [row.kind, row.delta, row.on, row.jobKey])).toEqual([
      ['refund', 12, '2026-11-20', JOB],
      ['applied', -12, '2026-11-18', JOB],
      ['added', 100, '2026-11-02', null],
    ]);
    expect(r.rows[0]?.title).toBe('React Native app: offline sync for field inspections');
  });

  it('does not take a page of unknown markup for the history', () => {
    loadPage(`${HISTORY}?variant=unknown`);
    expect(readConnectsHistory(document)).toEqual({
      found: false,
      missing: ['the balance (“My balance … Connects”)', 'the list of transactions'],
    });
  });
});

describe('the overlay on the agency’s Connects history', () => {
  it('D9: records the refund row once, and the pool gets its 12 Connects back', async () => {
    const fx = await agencyWithProposal();
    const bg = new AgencyBackground(fx, 'Ben');
    loadPage(HISTORY);
    start(bg);
    await until(
      () => bg.acts('refundConnects').length === 1 && text('log-balance') === '300 Connects',
      'the refund',
    );
    expect(bg.acts('refundConnects')[0]?.payload).toEqual({ job: JOB, connects: 12, on: '2026-11-20' });
    expect(document.querySelector('agency-overlay')?.getAttribute('data-page')).toBe('connects-history');
    expect(text('upwork-balance')).toBe('300 Connects');
    expect(text('balance-difference')).toBe('Upwork and the agency’s log agree.');
    expect(text('refunds')).toContain('in the agency’s log');
    // Upwork's 300 is what the log says once the refund is in: no observation.
    await flush();
    expect(bg.acts('observeBalance')).toEqual([]);

    // The page seen again (a reload, or a teammate's browser with the same log): nothing more is recorded.
    controller.abort();
    controller = new AbortController();
    document.body.replaceChildren();
    loadPage(HISTORY);
    const ana = new AgencyBackground(fx, 'Ana');
    start(ana);
    await until(() => text('log-balance') === '300 Connects', 'the second view');
    await flush();
    expect(ana.acts()).toEqual([]);
    expect(fx.derive().state.balance).toBe(300);
  });

  it('records Upwork’s balance, after the refunds, when it still differs from the log', async () => {
    const fx = await agencyWithProposal();
    const bg = new AgencyBackground(fx, 'Ben');
    loadPage(HISTORY);
    document.querySelector('[data-fake-agency-balance]')!.textContent = '310';
    start(bg);
    await until(() => bg.acts('observeBalance').length === 1, 'the observation');
    expect(bg.requests.filter((r) => r.kind === 'act').map((r) => (r as { type: string }).type)).toEqual([
      'refundConnects',
      'observeBalance',
    ]);
    await until(() => text('log-balance') === '310 Connects', 'the observed balance');
    expect(fx.derive().state.balance).toBe(310);
  });

  it('records nothing from a member’s own history: Connects never move between the two accounts', async () => {
    const fx = await agencyWithProposal();
    const bg = new AgencyBackground(fx, 'Ben');
    loadPage(`${HISTORY}?variant=freelancer`);
    start(bg);
    await until(() => text('balance-difference').includes('not Northwind Pixel Works’s'), 'the overlay');
    await flush();
    expect(bg.acts()).toEqual([]);
    expect(text('refunds')).toContain('not recorded');
  });

  it('shows a quiet notice naming what it did not find on markup it does not know, and records nothing', async () => {
    const fx = await agencyWithProposal();
    const bg = new AgencyBackground(fx, 'Ben');
    loadPage(`${HISTORY}?variant=unknown`);
    start(bg, 20);
    await until(() => text('unrecognised') !== '', 'the notice');
    expect(text('unrecognised')).toContain(
      'Not found: the balance (“My balance … Connects”), the list of transactions.',
    );
    expect(document.querySelector('agency-overlay')?.getAttribute('data-state')).toBe('unrecognised');
    expect(bg.acts()).toEqual([]);
  });

  it('one overlay per page across in-app navigation, none once the member leaves the page', async () => {
    const fx = await agencyWithProposal();
    const bg = new AgencyBackground(fx, 'Ben');
    loadPage(HISTORY);
    start(bg);
    await until(() => text('log-balance') !== '', 'the overlay');
    window.history.pushState(null, '', `${HISTORY}?page=2`);
    urls.emit(window.location.href);
    await flush();
    expect(document.querySelectorAll('agency-overlay')).toHaveLength(1);
    window.history.pushState(null, '', '/nx/find-work/best-matches');
    urls.emit(window.location.href);
    await flush();
    expect(document.querySelectorAll('agency-overlay')).toHaveLength(0);
    expect(bg.subscribers).toBe(0);
  });
});
