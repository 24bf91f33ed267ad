// @vitest-environment-options { "url": "https://www.upwork.com/" }
// The overlay on My proposals (work-page.ts with proposals-page.ts) on the fake page, against a background that
// signs and derives with core: R2 worded by the viewer's role and naming the managers, D8 deciding whose an
// offer is, the offer recorded once and without any amount, boost badges explained, a notice on unknown markup.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readProposals } from '../../../extension/features/upwork-page/read-proposals.ts';
import { proposalsPage } from '../../../extension/overlay/proposals-page.ts';
import { flush, loadPage } from '../upwork-page/fake-upwork.ts';
import { AgencyBackground, northwind, overviewOf, viewOf } from './support.ts';
import { shadowText, startOn, until } from './work-page-support.ts';

const PROPOSALS = '/nx/proposals/';
const JOB = '~022001000000000000002';
const TITLE = 'React Native app: offline sync for field inspections';

let controller: AbortController;
beforeEach(() => {
  controller = new AbortController();
});
afterEach(() => {
  controller.abort();
  document.body.replaceChildren();
});

function start(bg: AgencyBackground, noticeAfterMs = 8_000): void {
  startOn(proposalsPage, bg, controller.signal, noticeAfterMs);
}

/** A member of this agency and of Harbor Studio: the overview lists both. */
class TwoAgencies extends AgencyBackground {
  override get overview() {
    return overviewOf(viewOf(this.fx, this.member), [
      { agencyId: 'agency-harbor-01', name: 'Harbor Studio' },
    ]);
  }
}

/** Upwork's agency company picker, naming `name`, as the page shows it when it does. */
function picker(name: string): void {
  const b = document.createElement('button');
  b.dataset.qa = 'dropdown-company';
  b.textContent = name;
  document.querySelector('#app')!.prepend(b);
}

describe('My proposals', () => {
  it('reads the Offers card, its offers and the boost badges of the proposal rows', () => {
    loadPage(PROPOSALS);
    const r = readProposals(document);
    if (!r.found) throw new Error('not read');
    expect(r.value.offerCount).toBe(1);
    expect(r.value.account).toBeNull();
    expect(r.value.offers).toEqual([{ id: '1999000000000000001', title: TITLE }]);
    expect(r.value.boosts.map((b) => [b.title, b.boost])).toEqual([
      ['Technical SEO audit for a B2B SaaS site', 'outbid'],
      ['Migrate a WordPress blog to Astro', 'boosted'],
    ]);
  });

  it('R2: a member is told to ask the business managers by name, and the agency offer is recorded once, without terms', async () => {
    const fx = await northwind(300);
    await fx.act('Ana', 'changeRole', { member: fx.id('Noor'), role: 'manager' });
    await fx.propose('Ben', { job: JOB, title: TITLE, connects: 12 });
    const bg = new AgencyBackground(fx, 'Ben');
    loadPage(PROPOSALS);
    start(bg);
    await until(() => bg.acts('receiveOffer').length === 1 && shadowText('offer') !== '', 'the offer');
    expect(shadowText('offer')).toBe(
      `${TITLE}: Only a business manager accepts Northwind Pixel Works’s offers: ask Ana or Noor. Accepting needs Northwind Pixel Works’s Agency Plus membership; any acceptance fee is charged to the agency owner, Ana.`,
    );
    expect(bg.acts('receiveOffer')[0]?.payload).toEqual({
      offer: '1999000000000000001',
      job: JOB,
      title: TITLE,
      as: 'agency',
      member: fx.id('Ben'),
    });
    expect(fx.derive().state.offers['1999000000000000001']).toMatchObject({ as: 'agency', status: 'open' });
    expect(shadowText('boosts')).toContain('Boost outbid: Upwork refunds the bid');
    await flush();
    expect(bg.acts('receiveOffer')).toHaveLength(1);
  });

  it('each proposal’s boost outcome is recorded once, as the member’s; a later page view records none again', async () => {
    const fx = await northwind(300);
    const bg = new AgencyBackground(fx, 'Ben');
    loadPage(PROPOSALS);
    start(bg);
    await until(() => bg.acts('observeBoost').length === 2, 'the boost outcomes');
    await flush();
    expect(bg.acts('observeBoost').map((a) => a.payload)).toEqual([
      {
        proposal: '1999000000000000002',
        title: 'Technical SEO audit for a B2B SaaS site',
        outcome: 'outbid',
      },
      { proposal: '1999000000000000003', title: 'Migrate a WordPress blog to Astro', outcome: 'boosted' },
    ]);
    expect(fx.derive().state.boostsSeen['1999000000000000002']).toMatchObject({
      outcome: 'outbid',
      member: fx.id('Ben'),
    });
    // The same page again, in a new page view: the log already holds both outcomes.
    controller.abort();
    document.body.replaceChildren();
    controller = new AbortController();
    loadPage(PROPOSALS);
    start(bg);
    await until(() => shadowText('boosts') !== '', 'the boosts again');
    await flush();
    expect(bg.acts('observeBoost')).toHaveLength(2);
  });

  it('R2: a business manager reads that they can accept it', async () => {
    const fx = await northwind(300);
    await fx.propose('Ben', { job: JOB, title: TITLE, connects: 12 });
    const bg = new AgencyBackground(fx, 'Ana');
    loadPage(PROPOSALS);
    start(bg);
    await until(() => shadowText('offer') !== '', 'the offer');
    expect(shadowText('offer')).toContain(': You can accept this for Northwind Pixel Works.');
    // Ana did not propose on the job: the offer on her page is not recorded as hers.
    await flush();
    expect(bg.acts('receiveOffer')).toEqual([]);
  });

  it('D8: a non-exclusive member’s offer with no proposal in the log is not guessed, and not recorded', async () => {
    const fx = await northwind(300);
    const bg = new AgencyBackground(fx, 'Noor');
    loadPage(PROPOSALS);
    start(bg);
    await until(() => shadowText('offer') !== '', 'the offer');
    expect(shadowText('offer')).toContain('cannot say whether this offer is Northwind Pixel Works’s (D8)');
    await flush();
    expect(bg.acts('receiveOffer')).toEqual([]);
  });

  it('another of the member’s agencies, by Upwork’s company picker: says whose the offers are, and records nothing', async () => {
    const fx = await northwind(300);
    await fx.propose('Noor', { job: JOB, title: TITLE, connects: 12 });
    const bg = new TwoAgencies(fx, 'Noor');
    loadPage(PROPOSALS);
    picker('Harbor Studio');
    start(bg);
    await until(() => shadowText('proposals-whose') !== '', 'the line');
    expect(shadowText('proposals-whose')).toBe(
      'These are the offers of “Harbor Studio”, another of your agencies (Upwork’s account menu), not Northwind Pixel Works’s: nothing here is recorded for Northwind Pixel Works.',
    );
    expect(shadowText('offers')).toBe('');
    await flush();
    expect(bg.acts()).toEqual([]);
  });

  it('a picker naming neither the agency nor the member: nothing said about the offers, nothing recorded', async () => {
    const fx = await northwind(300);
    await fx.propose('Ben', { job: JOB, title: TITLE, connects: 12 });
    const bg = new AgencyBackground(fx, 'Ben');
    loadPage(PROPOSALS);
    picker('Bluefin Collective');
    start(bg);
    await until(() => shadowText('proposals-whose') !== '', 'the line');
    expect(shadowText('proposals-whose')).toContain('names “Bluefin Collective”, neither you nor Northwind');
    expect(shadowText('offers')).toBe('');
    await flush();
    expect(bg.acts()).toEqual([]);
  });

  it('R8: on a non-exclusive member’s own account (the picker names them), an offer the log knows nothing of is their own', async () => {
    const fx = await northwind(300);
    const bg = new AgencyBackground(fx, 'Noor');
    loadPage(PROPOSALS);
    picker('Noor Haddad');
    start(bg);
    await until(() => shadowText('offer') !== '', 'the offer');
    expect(shadowText('offer')).toBe(
      `${TITLE}: Your own offer (R8): you accept it, and its contract pays you.`,
    );
    expect(shadowText('proposals-whose')).toBe('');
    await flush();
    expect(bg.acts('receiveOffer')).toEqual([]); // no job to record it under
  });

  it('the picker naming the agency reads as before: an exclusive member is told to ask a manager', async () => {
    const fx = await northwind(300);
    const bg = new AgencyBackground(fx, 'Ben');
    loadPage(PROPOSALS);
    picker('Northwind Pixel Works');
    start(bg);
    await until(() => shadowText('offer') !== '', 'the offer');
    expect(shadowText('offer')).toContain(
      'Only a business manager accepts Northwind Pixel Works’s offers: ask Ana.',
    );
  });

  it('a quiet notice names the Offers card when the markup is unknown', async () => {
    const fx = await northwind(300);
    const bg = new AgencyBackground(fx, 'Ben');
    loadPage(`${PROPOSALS}?variant=unknown`);
    start(bg, 20);
    await until(() => shadowText('unrecognised') !== '', 'the notice');
    expect(shadowText('unrecognised')).toContain('Not found: the Offers card.');
    expect(bg.acts()).toEqual([]);
  });
});
