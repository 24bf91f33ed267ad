// @vitest-environment-options { "url": "https://www.upwork.com/" }
// The overlay on a Workroom timesheet (R5) and on the pages no capture exists of — the offer page and "Add
// manual time" — matched by URL and words, degrading to a quiet notice; none of them records anything but the
// timesheet's own member's hours, once the agency turned that on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timesheetPage } from '../../../extension/overlay/timesheet-page.tsx';
import { workNoticePage } from '../../../extension/overlay/work-notice-page.ts';
import type { WorkPageDef } from '../../../extension/overlay/work-page.ts';
import { flush, loadPage } from '../upwork-page/fake-upwork.ts';
import { AgencyBackground, northwind } from './support.ts';
import { shadowText, startOn, until } from './work-page-support.ts';

let controller: AbortController;
beforeEach(() => {
  controller = new AbortController();
});
afterEach(() => {
  controller.abort();
  document.body.replaceChildren();
});

function start<R>(bg: AgencyBackground, page: WorkPageDef<R>, noticeAfterMs = 8_000): void {
  startOn(page, bg, controller.signal, noticeAfterMs);
}

async function agencyWithBensContract() {
  const fx = await northwind(300);
  await fx.act('Ben', 'observeContract', {
    contract: '41000001',
    title: 'Field inspections app (React Native)',
    kind: 'hourly',
    as: 'agency',
  });
  return fx;
}

describe('the timesheet', () => {
  it('R5: tells anyone but the contract’s member that only that member logs time, with the weekly limit', async () => {
    const bg = new AgencyBackground(await agencyWithBensContract(), 'Ana');
    loadPage('/nx/wm/workroom/41000001/timesheet');
    start(bg, timesheetPage);
    await until(() => shadowText('timesheet-lines') !== '', 'the lines');
    expect(document.querySelector('agency-overlay')?.getAttribute('data-page')).toBe('timesheet');
    expect(shadowText('timesheet-lines')).toBe(
      'Ben’s contract: only Ben can log time here (R5).Weekly limit 40 hrs, 12:30 this week: Upwork does not bill hours beyond it.',
    );
    await flush();
    expect(bg.acts()).toEqual([]);
  });

  it('D8: a contract two members recorded at the same time reads as disputed, to anyone', async () => {
    const fx = await northwind(300);
    const base = fx.heads();
    const payload = {
      contract: '41000001',
      title: 'Field inspections app',
      kind: 'hourly',
      as: 'agency',
    } as const;
    await fx.act('Ben', 'observeContract', payload, { deps: base });
    await fx.act('Dana Okafor', 'observeContract', payload, { deps: base, at: fx.now + 1 });
    const bg = new AgencyBackground(fx, 'Ana');
    loadPage('/nx/wm/workroom/41000001/timesheet');
    start(bg, timesheetPage);
    await until(() => shadowText('timesheet-lines') !== '', 'the lines');
    expect(shadowText('timesheet-lines')).toBe(
      'Disputed — Ben and Dana Okafor each recorded this contract as their own: a business manager decides whose it is (D8).Weekly limit 40 hrs, 12:30 this week: Upwork does not bill hours beyond it.',
    );
    await flush();
    expect(bg.acts()).toEqual([]);
  });

  it('R5: the contract’s own member reads that the time is theirs to log; nothing is recorded', async () => {
    const bg = new AgencyBackground(await agencyWithBensContract(), 'Ben');
    loadPage('/nx/wm/workroom/41000001/timesheet');
    start(bg, timesheetPage);
    await until(() => shadowText('timesheet-lines') !== '', 'the lines');
    expect(shadowText('timesheet-lines')).toContain('Your contract: only you log time here (R5).');
    await flush();
    expect(bg.acts()).toEqual([]);
  });

  it('once a business manager turned it on, the contract’s own member records their hours of this week, once; no one else’s page does', async () => {
    const fx = await agencyWithBensContract();
    await fx.act('Ana', 'setHoursRecording', { on: true });
    const ana = new AgencyBackground(fx, 'Ana');
    loadPage('/nx/wm/workroom/41000001/timesheet');
    start(ana, timesheetPage);
    await until(() => shadowText('timesheet-lines') !== '', 'Ana’s lines');
    await flush();
    expect(ana.acts()).toEqual([]);
    controller.abort();
    document.body.replaceChildren();
    controller = new AbortController();

    const ben = new AgencyBackground(fx, 'Ben');
    loadPage('/nx/wm/workroom/41000001/timesheet');
    start(ben, timesheetPage);
    await until(() => ben.acts('recordOwnHours').length === 1, 'Ben’s hours');
    await flush();
    // Upwork's week starts on Monday, in UTC.
    const today = new Date();
    const monday = new Date(
      Date.UTC(
        today.getUTCFullYear(),
        today.getUTCMonth(),
        today.getUTCDate() - ((today.getUTCDay() + 6) % 7),
      ),
    );
    expect(ben.acts('recordOwnHours').map((a) => a.payload)).toEqual([
      { contract: '41000001', week: monday.toISOString().slice(0, 10), minutes: 12 * 60 + 30 },
    ]);
  });

  it('a quiet notice names the week’s hours when the markup is unknown', async () => {
    const bg = new AgencyBackground(await agencyWithBensContract(), 'Ana');
    loadPage('/nx/wm/workroom/41000001/timesheet?variant=unknown');
    start(bg, timesheetPage, 20);
    await until(() => shadowText('unrecognised') !== '', 'the notice');
    expect(shadowText('unrecognised')).toContain('Not found: this week’s hours (“This week … hrs”).');
  });
});

describe('pages no capture exists of', () => {
  it('R2: the offer page, by its words, tells a member to ask the managers', async () => {
    const bg = new AgencyBackground(await agencyWithBensContract(), 'Ben');
    loadPage('/nx/wm/offers/1999000000000000001');
    start(bg, workNoticePage);
    await until(() => shadowText('work-rule') !== '', 'the rule');
    expect(shadowText('work-rule')).toContain(
      'only a business manager accepts Northwind Pixel Works’s offers (R2): ask Ana.',
    );
    expect(document.querySelector('agency-overlay')?.getAttribute('data-page')).toBe('offer');
    await flush();
    expect(bg.acts()).toEqual([]);
  });

  it('R5: "Add manual time" on another member’s contract says only they log time', async () => {
    const bg = new AgencyBackground(await agencyWithBensContract(), 'Ana');
    loadPage('/nx/wm/workroom/41000001/manual-time');
    start(bg, workNoticePage);
    await until(() => shadowText('work-rule') !== '', 'the rule');
    expect(shadowText('work-rule')).toContain('only Ben can log time on this contract (R5).');
  });

  it('without the words it knows, the offer page gets the quiet notice naming them', async () => {
    const bg = new AgencyBackground(await agencyWithBensContract(), 'Ben');
    loadPage('/nx/wm/offers/1999000000000000001?variant=unknown');
    start(bg, workNoticePage, 20);
    await until(() => shadowText('unrecognised') !== '', 'the notice');
    expect(shadowText('unrecognised')).toContain('Not found: “Accept offer”.');
    expect(bg.acts()).toEqual([]);
  });
});
