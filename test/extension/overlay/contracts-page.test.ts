// @vitest-environment-options { "url": "https://www.upwork.com/" }
// The overlay on the contracts list (work-page.ts with contracts-page.ts) on the fake page, against a background
// that signs and derives with core: a plain member's page records each contract once, with no amount; a
// business manager's page shows R4/R5/R6 for a member's contract from what the member's browser recorded.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dollarsIn } from '../../../extension/features/upwork-page/read-contract-terms.ts';
import { readContracts } from '../../../extension/features/upwork-page/read-contracts.ts';
import { contractsPage } from '../../../extension/overlay/contracts-page.ts';
import { whosePage } from '../../../extension/overlay/whose-page.ts';
import { flush, loadPage } from '../upwork-page/fake-upwork.ts';
import { AgencyBackground, northwind, viewOf } from './support.ts';
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
    expect(r.value.account).toBeNull();
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

  it('D15: a business manager’s own list (the account menu names them) records their contracts with their rates', async () => {
    const fx = await northwind(300);
    const bg = new AgencyBackground(fx, 'Ana');
    loadPage(`${CONTRACTS}?variant=own`);
    start(bg);
    await until(() => bg.acts('observeContract').length === 2, 'the facts');
    expect(bg.acts('observeContract').map((a) => a.payload)).toEqual([
      {
        contract: '42000001',
        title: 'Design system audit',
        kind: 'hourly',
        as: 'agency',
        terms: { kind: 'hourly', hourlyRate: 6_500 },
      },
      {
        contract: '42000002',
        title: 'Investor pitch deck',
        kind: 'fixed',
        as: 'agency',
        terms: { kind: 'fixed', amount: 8_264_913 },
      },
    ]);
    await until(() => shadowText('contracts-whose') !== '', 'the line');
    expect(shadowText('contracts-whose')).toBe(
      'Your own contracts: recorded with their rates, which only business managers can read (D15).',
    );
    await flush();
    expect(bg.acts()).toHaveLength(2);
  });

  it('D15: a plain member’s page never reads a rate, even one Upwork shows', async () => {
    const fx = await northwind(300);
    const bg = new AgencyBackground(fx, 'Ben');
    loadPage(`${CONTRACTS}?variant=rates`);
    start(bg);
    await until(() => bg.acts('observeContract').length === 1, 'the fact');
    expect(bg.acts('observeContract').map((a) => a.payload)).toEqual([
      { contract: '43000001', title: 'Onboarding flow redesign', kind: 'fixed', as: 'agency' },
    ]);
    expect(shadowText('contracts-whose')).toBe('');
  });

  it('a business manager’s list that names the agency, or no account, records nothing and says why', async () => {
    const fx = await northwind(300);
    const bg = new AgencyBackground(fx, 'Ana');
    loadPage(CONTRACTS);
    start(bg);
    await until(() => shadowText('contracts-whose') !== '', 'the line');
    expect(shadowText('contracts-whose')).toBe(
      'Upwork’s account menu was not found, so whose list this is cannot be told: nothing on it is recorded. Your own contracts are recorded from your own account’s list.',
    );
    const menu = document.createElement('button');
    menu.dataset.qa = 'dropdown-company';
    menu.textContent = 'Northwind Pixel Works';
    document.querySelector('header')!.append(menu);
    await until(() => shadowText('contracts-whose').includes('own list'), 'the agency’s line');
    expect(shadowText('contracts-whose')).toBe(
      'Northwind Pixel Works’s contracts list: each contract is recorded from its freelancer’s own list, not from here.',
    );
    await flush();
    expect(bg.acts()).toEqual([]);
  });

  it('whose page: the agency, the member by their name (or their full name), another of their agencies, or unknown', async () => {
    const fx = await northwind(300);
    const ben = viewOf(fx, 'Ben');
    const overview = {
      agencies: [
        { agencyId: ben.agencyId, name: ben.state.name },
        { agencyId: 'other-agency', name: 'Harbor Studio' },
      ],
    };
    expect(whosePage(null, ben, overview)).toBe('unknown');
    expect(whosePage('  ', ben, overview)).toBe('unknown');
    expect(whosePage('northwind pixel  works', ben, overview)).toBe('agency');
    expect(whosePage('Ben', ben, overview)).toBe('own');
    expect(whosePage('Ben Adeyemi', ben, overview)).toBe('own');
    expect(whosePage('Benjamin Stone', ben, overview)).toBe('other');
    expect(whosePage('Harbor Studio', ben, overview)).toBe('another-agency');
    expect(whosePage('Harbor Studio', ben)).toBe('other');
  });

  it('reads a contract’s figure as cents, and none beyond core’s bound', () => {
    expect(dollarsIn('Hourly · $65.00/hr · 30 hrs/week limit')).toBe(6_500);
    expect(dollarsIn('Fixed price · $82,649.13 · 3 milestones')).toBe(8_264_913);
    expect(dollarsIn('$5 budget')).toBe(500);
    expect(dollarsIn('Hourly · 40 hrs/week limit')).toBeNull();
    expect(dollarsIn('$100,000,000.00')).toBe(10_000_000_000);
    expect(dollarsIn('$100,000,000.01')).toBeNull();
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
