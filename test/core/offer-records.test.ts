// Who records an offer, and whose amount managers read (D12, D15, R2). Written from domain.md: facts are
// recorded by "any member, about what they saw"; an offer shows on Upwork to its freelancer and the business
// managers, and its rate to the managers only (D15). So a plain member's record of a teammate's offer holds
// nothing, a plain member's sealed amount is read by no one, and a manager's later record gives an offer
// its amount. Each outcome is checked in both tie-break orders and against back-dated, concurrent records.
import { describe, expect, it } from 'vitest';
import { type Action, type Amounts, amountsView, type Derivation } from '../../core/index.ts';
import { AgencyFixture, codesOf, MINUTE, rulesOf, T0 } from './support/agency.ts';

/** An envelope of the schema's shape; what it holds is given to amountsView directly (a manager's browser
 * that could open every envelope: Eve sealed hers to the managers' published keys). */
const envelope = (fill: number) => ({
  epk: new Uint8Array(32).fill(fill),
  iv: new Uint8Array(12),
  box: new Uint8Array(64).fill(fill),
  to: (() => {
    const to = new Uint8Array(80);
    to[0] = fill;
    return to;
  })(),
});

async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Max', { role: 'manager' });
  await f.join('Bob');
  await f.join('Eve', { relationship: 'non-exclusive' });
  return f;
}

const OFFER = 'offer-777';
const clear = (f: AgencyFixture, member: string) => ({
  offer: OFFER,
  job: '~0aaaaaaaaaa',
  title: 'Bob real job',
  as: 'agency' as const,
  member: f.id(member),
  kind: 'hourly' as const,
});

/** What a manager's Contracts and earnings reads for the offer and its contract, every envelope opened. */
function figures(d: Derivation, opened: [Action, Amounts][]) {
  const view = amountsView(d.state, new Map(opened.map(([a, x]) => [a.id, x])));
  return { offer: view.offers[OFFER]?.figure ?? null, contract: view.contracts[OFFER]?.figure ?? null };
}

/** The same derivation in both tie-break orders (concurrent actions of equal depth sorted either way). */
const bothOrders = (f: AgencyFixture) => [f.derive(), f.deriveReversed()];

describe('D12: a plain member records only their own offer', () => {
  it('D12: Eve’s record of Bob’s offer is flagged and holds nothing; the manager’s later record is the offer', async () => {
    const f = await agency();
    const eve = await f.act('Eve', 'receiveOffer', { ...clear(f, 'Bob'), sealed: envelope(1) });
    let d = f.derive();
    expect(codesOf(d, eve).sort()).toEqual(['AMOUNT_NOT_BY_MANAGER', 'OFFER_FOR_OTHER']);
    expect(rulesOf(d, eve).sort()).toEqual(['D12', 'D15']);
    expect(d.state.offers[OFFER]).toBeUndefined();
    // the manager's browser knew Eve's record when it recorded the real offer
    const olga = await f.act('Olga', 'receiveOffer', { ...clear(f, 'Bob'), sealed: envelope(2) });
    const accept = await f.act('Max', 'acceptOffer', { offer: OFFER });
    for (d of bothOrders(f)) {
      expect(codesOf(d, olga)).toEqual([]);
      expect(codesOf(d, accept)).toEqual([]);
      expect(d.state.offers[OFFER]).toMatchObject({
        record: olga.id,
        member: f.id('Bob'),
        status: 'accepted',
      });
      expect(d.state.contracts[OFFER]?.termsBy).toBe(olga.id);
      const opened: [Action, Amounts][] = [
        [eve, { hourlyRate: 100 }],
        [olga, { hourlyRate: 5000 }],
      ];
      expect(figures(d, opened)).toEqual({ offer: 5000, contract: 5000 });
    }
  });

  it('D12: a record for a teammate, back-dated and concurrent with the manager’s, holds nothing in either order', async () => {
    const f = await agency();
    const base = f.heads();
    const olga = await f.act(
      'Olga',
      'receiveOffer',
      { ...clear(f, 'Bob'), sealed: envelope(2) },
      { deps: base },
    );
    // Eve claims an earlier time and a past that does not hold Olga's record
    const eve = await f.act(
      'Eve',
      'receiveOffer',
      { ...clear(f, 'Bob'), title: 'Something else', sealed: envelope(1) },
      { deps: base, at: T0 + MINUTE },
    );
    for (const d of bothOrders(f)) {
      expect(codesOf(d, eve).sort()).toEqual(['AMOUNT_NOT_BY_MANAGER', 'OFFER_FOR_OTHER']);
      expect(codesOf(d, olga)).toEqual([]); // no OFFER_CONFLICT: Eve's record is no record of the offer
      expect(d.state.offers[OFFER]).toMatchObject({ record: olga.id, title: 'Bob real job' });
      expect(
        figures(d, [
          [eve, { hourlyRate: 100 }],
          [olga, { hourlyRate: 5000 }],
        ]).offer,
      ).toBe(5000);
    }
  });

  it('D12, D5: a manager’s record for a teammate, concurrent with their demotion, is judged as a plain member’s', async () => {
    const f = await agency();
    const base = f.heads();
    const max = await f.act(
      'Max',
      'receiveOffer',
      { ...clear(f, 'Bob'), sealed: envelope(3) },
      { deps: base },
    );
    const demote = await f.act(
      'Olga',
      'changeRole',
      { member: f.id('Max'), role: 'member' },
      { deps: base, at: T0 },
    );
    for (const d of bothOrders(f)) {
      expect(codesOf(d, demote)).toEqual([]);
      expect(codesOf(d, max).sort()).toEqual(['AMOUNT_NOT_BY_MANAGER', 'OFFER_FOR_OTHER']);
      expect(d.state.offers[OFFER]).toBeUndefined();
    }
  });
});

describe('D15: amounts count only when a business manager stated them', () => {
  it('D15: a plain member’s sealed rate on their own offer is flagged and read by no one', async () => {
    const f = await agency();
    const eve = await f.act('Eve', 'receiveOffer', { ...clear(f, 'Eve'), sealed: envelope(1) });
    for (const d of bothOrders(f)) {
      expect(codesOf(d, eve)).toEqual(['AMOUNT_NOT_BY_MANAGER']);
      expect(rulesOf(d, eve)).toEqual(['D15']);
      expect(d.state.offers[OFFER]).toMatchObject({ member: f.id('Eve'), record: eve.id });
      expect(figures(d, [[eve, { hourlyRate: 100 }]]).offer).toBeNull();
    }
  });

  it('D15: a manager’s later record of an offer recorded by its member gives it its amount (not a repeat)', async () => {
    const f = await agency();
    const own = await f.act('Eve', 'receiveOffer', clear(f, 'Eve')); // the overlay's record: no amount
    const max = await f.act('Max', 'receiveOffer', { ...clear(f, 'Eve'), sealed: envelope(3) });
    const accept = await f.act('Olga', 'acceptOffer', { offer: OFFER });
    for (const d of bothOrders(f)) {
      expect(codesOf(d, own)).toEqual([]);
      expect(codesOf(d, max)).toEqual([]);
      expect(codesOf(d, accept)).toEqual([]);
      expect(d.state.offers[OFFER]).toMatchObject({ record: max.id, member: f.id('Eve') });
      expect(d.state.contracts[OFFER]?.termsBy).toBe(max.id);
      expect(figures(d, [[max, { hourlyRate: 4200 }]])).toEqual({ offer: 4200, contract: 4200 });
    }
  });

  it('D15: after a sealed fake rate on the member’s own offer, the manager’s rate stands, whichever is recorded first', async () => {
    const f = await agency();
    const base = f.heads();
    const eve = await f.act(
      'Eve',
      'receiveOffer',
      { ...clear(f, 'Eve'), sealed: envelope(1) },
      { deps: base },
    );
    const max = await f.act(
      'Max',
      'receiveOffer',
      { ...clear(f, 'Eve'), sealed: envelope(3) },
      { deps: base, at: T0 + 30 * 24 * 60 * MINUTE },
    );
    const opened: [Action, Amounts][] = [
      [eve, { hourlyRate: 100 }],
      [max, { hourlyRate: 5000 }],
    ];
    for (const d of bothOrders(f)) {
      expect(codesOf(d, eve)).toEqual(['AMOUNT_NOT_BY_MANAGER']);
      expect(codesOf(d, max)).toEqual([]);
      expect(d.state.offers[OFFER]?.record).toBe(max.id);
      expect(figures(d, opened).offer).toBe(5000);
    }
  });

  it('D15: a second manager record after a manager’s amount is a repeat: the first amount stands', async () => {
    const f = await agency();
    const olga = await f.act('Olga', 'receiveOffer', { ...clear(f, 'Bob'), sealed: envelope(2) });
    const max = await f.act('Max', 'receiveOffer', { ...clear(f, 'Bob'), sealed: envelope(3) });
    const d = f.derive();
    expect(codesOf(d, max)).toEqual([]);
    expect(d.state.offers[OFFER]?.record).toBe(olga.id);
    expect(
      figures(d, [
        [olga, { hourlyRate: 5000 }],
        [max, { hourlyRate: 6000 }],
      ]).offer,
    ).toBe(5000);
  });

  it('D15: a plain member’s sealed payout on an agency contract is flagged and not read', async () => {
    const f = await agency();
    await f.act('Olga', 'receiveOffer', { ...clear(f, 'Bob'), sealed: envelope(2) });
    await f.act('Olga', 'acceptOffer', { offer: OFFER });
    const pay = await f.act('Max', 'recordPayout', { contract: OFFER, sealed: envelope(3) });
    const fake = await f.act('Bob', 'recordPayout', { contract: OFFER, sealed: envelope(4) });
    const d = f.derive();
    expect(codesOf(d, pay)).toEqual([]);
    expect(codesOf(d, fake)).toContain('AMOUNT_NOT_BY_MANAGER');
    const view = amountsView(
      d.state,
      new Map<string, Amounts>([
        [pay.id, { amount: 900 }],
        [fake.id, { amount: 1 }],
      ]),
    );
    expect(view.contracts[OFFER]?.paid).toBe(900);
  });
});
