// @vitest-environment-options { "url": "https://www.upwork.com/" }
// The overlay on the contracts list (work-page.ts with contracts-page.ts) on the fake page, against a background
// that signs and derives with core: a plain member's page records each contract once, with no amount; a
// business manager's page shows R4/R5/R6 for a member's contract from what the member's browser recorded.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readContracts } from '../../../extension/features/upwork-page/read-contracts.ts';
import { contractsPage } from '../../../extension/overlay/contracts-page.ts';
import { flush, loadPage } from '../upwork-page/fake-upwork.ts';
import { AgencyBackground, northwind } from './support.ts';
import { shadowText, startOn, until } from './work-page-support.ts';

const CONTRACTS = '/nx/wm/freelancer/contracts';

let controller: AbortController;
beforeEach(() => {
  controller = new AbortController();
});
afterEach(() => {
  controller.abort();
  document.body.replaceChildren();
});

const bg_acts = (bg: AgencyBackground) =>
  bg.acts('observeContract') as unknown as { payload: { contract: string } }[];

function start(bg: AgencyBackground, noticeAfterMs = 8_000): void {
  startOn(contractsPage, bg, controller.signal, noticeAfterMs);
}

describe('the contracts list', () => {
  it('reads each tile’s id, title, kind and status, and never its terms’ text', () => {
    loadPage(CONTRACTS);
    const r = readContracts(document);
    if (!r.found) throw new Error('not read');
    expect(r.value.contracts.map(({ tile: _tile, ...c }) => c)).toEqual([
      { id: '41000001', title: 'Field inspections app (React Native)', kind: 'hourly', status: 'active' },
      { id: '41000002', title: 'Migrate a WordPress blog to Astro', kind: 'fixed', status: 'active' },
    ]);
  });

  it('a plain member’s page records their contracts once, as the agency’s (exclusive), with no amount', async () => {
    const fx = await northwind(300);
    const bg = new AgencyBackground(fx, 'Ben');
    loadPage(CONTRACTS);
    start(bg);
    await until(
      () => bg.acts('observeContract').length === 2 && shadowText('contract-41000001') !== '',
      'the facts',
    );
    expect(bg.acts('observeContract').map((a) => a.payload)).toEqual([
      { contract: '41000001', title: 'Field inspections app (React Native)', kind: 'hourly', as: 'agency' },
      { contract: '41000002', title: 'Migrate a WordPress blog to Astro', kind: 'fixed', as: 'agency' },
    ]);
    await until(() => shadowText('contract-41000001').includes('Only you log time'), 'the lines');
    expect(shadowText('contract-41000002')).toBe(
      'Migrate a WordPress blog to Astro: You (the contracted member) or any business manager may submit milestones. Paid to Northwind Pixel Works’s account.',
    );
    await flush();
    expect(bg.acts()).toHaveLength(2);
  });

  it('R4/R5/R6: a business manager’s page names the member of each contract their browser recorded, and records nothing', async () => {
    const fx = await northwind(300);
    await fx.act('Ben', 'observeContract', {
      contract: '41000001',
      title: 'Field inspections app (React Native)',
      kind: 'hourly',
      as: 'agency',
    });
    const bg = new AgencyBackground(fx, 'Ana');
    loadPage(CONTRACTS);
    start(bg);
    await until(() => shadowText('contract-41000001') !== '', 'the lines');
    expect(shadowText('contract-41000001')).toBe(
      'Field inspections app (React Native) — Ben’s: Only Ben logs time on this contract. Paid to Northwind Pixel Works’s account.',
    );
    expect(shadowText('contract-41000002')).toBe(
      'Migrate a WordPress blog to Astro — not in the agency’s log yet: The contracted member or any business manager may submit milestones.',
    );
    await flush();
    expect(bg.acts()).toEqual([]);
  });

  it('D8: a contract two members recorded at the same time reads as disputed, a business manager deciding; no page records it again', async () => {
    const fx = await northwind(300);
    const base = fx.heads();
    const payload = {
      contract: '41000001',
      title: 'Field inspections app (React Native)',
      kind: 'hourly',
      as: 'agency',
    } as const;
    await fx.act('Ben', 'observeContract', payload, { deps: base });
    // Dana's record on the same past, stamped a minute earlier: it takes nothing, and neither holds it
    await fx.act('Dana Okafor', 'observeContract', payload, { deps: base, at: fx.now - 60_000 });
    const line =
      'Field inspections app (React Native): Disputed — Ben and Dana Okafor each recorded it as their own: a business manager decides whose it is. Paid to Northwind Pixel Works’s account.';
    const ana = new AgencyBackground(fx, 'Ana');
    loadPage(CONTRACTS);
    start(ana);
    await until(() => shadowText('contract-41000001') !== '', 'the manager’s lines');
    expect(shadowText('contract-41000001')).toBe(line);
    controller.abort();
    document.body.replaceChildren();
    controller = new AbortController();

    const ben = new AgencyBackground(fx, 'Ben');
    loadPage(CONTRACTS);
    start(ben);
    await until(() => shadowText('contract-41000001') !== '', 'Ben’s lines');
    expect(shadowText('contract-41000001')).toBe(line.replace('Ben and', 'you and'));
    await until(() => bg_acts(ben).length === 1, 'Ben’s other contract');
    await flush();
    expect(bg_acts(ben).map((a) => a.payload.contract)).toEqual(['41000002']);
  });

  it('a quiet notice names the contract tiles when the markup is unknown', async () => {
    const fx = await northwind(300);
    const bg = new AgencyBackground(fx, 'Ben');
    loadPage(`${CONTRACTS}?variant=unknown`);
    start(bg, 20);
    await until(() => shadowText('unrecognised') !== '', 'the notice');
    expect(shadowText('unrecognised')).toContain('Not found: the contract tiles.');
    expect(bg.acts()).toEqual([]);
  });
});
