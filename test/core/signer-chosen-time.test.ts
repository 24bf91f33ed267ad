// An outside review attacked the work-page facts as a hostile member: `at` (the signer's clock) and an old
// causal past are the attacker's to choose. Each case below is written from domain.md (D8, D9, D10, D11, R5,
// D15 and the "Who may do what" table), with expected values worked out by hand, checked in both tie-break
// orders and delivered one by one in both directions, with the attacker's record back-dated and stamped 1 ms
// after the honest one.
import { describe, expect, it } from 'vitest';
import { type Action, PayloadSchemas } from '../../core/index.ts';
import { AgencyFixture, codesOf, DAY, MINUTE, outcomeOf, T0 } from './support/agency.ts';
import { inBothOrders } from './support/both-orders.ts';

/** Olga owns the agency (100 Connects); Bob and Mallory are plain non-exclusive members, Max a manager. */
async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Bob', { relationship: 'non-exclusive' });
  await f.join('Mallory', { relationship: 'non-exclusive' });
  await f.join('Max', { role: 'manager' });
  return f;
}

const CONTRACT = { contract: '41000042', title: 'Storefront audit', kind: 'hourly', as: 'agency' } as const;

/** Bob records his contract; Mallory records the same contract on Bob's record's deps, stamped `shift` from his. */
async function takeOverAttempt(shift: number) {
  const f = await agency();
  const base = f.heads();
  const bob = await f.act('Bob', 'observeContract', CONTRACT, { deps: base, at: T0 + DAY });
  const mallory = await f.act(
    'Mallory',
    'observeContract',
    { ...CONTRACT, title: 'Mine now', kind: 'fixed' },
    { deps: base, at: T0 + DAY + shift },
  );
  return { f, bob, mallory, from: f.actions.length - 2 };
}

describe('D8: a contract recorded at the same time by two members is held by neither', () => {
  for (const [label, shift] of [
    ['stamped 1 ms after', 1],
    ['back-dated a day', -DAY],
    ['stamped at the same millisecond', 0],
  ] as const) {
    it(`D8: Mallory's concurrent record (${label}) does not take Bob's contract: disputed, both flagged`, async () => {
      const { f, bob, mallory, from } = await takeOverAttempt(shift);
      inBothOrders(
        f,
        (d, order) => {
          const seen = d.state.contractsSeen[CONTRACT.contract]!;
          expect(seen.member, `no one holds it ${order}`).toBeNull();
          expect(seen.disputed, order).toEqual([f.id('Bob'), f.id('Mallory')].sort());
          expect(codesOf(d, bob), order).toEqual(['CONTRACT_DISPUTED']);
          expect(codesOf(d, mallory), order).toEqual(['CONTRACT_DISPUTED']);
          expect(outcomeOf(d, mallory), order).toEqual({ refused: null, flags: ['D8'] });
        },
        { from },
      );
    });
  }

  it('D8: a record that knew Bob’s first record disputes it (a counter-claim), however far back it is stamped', async () => {
    const f = await agency();
    await f.act('Bob', 'observeContract', CONTRACT, { at: T0 + DAY });
    const mallory = await f.act(
      'Mallory',
      'observeContract',
      { ...CONTRACT, title: 'Mine' },
      { at: T0 - DAY },
    );
    inBothOrders(f, (d, order) => {
      const seen = d.state.contractsSeen[CONTRACT.contract]!;
      expect(seen.member, order).toBeNull();
      expect(seen.disputed, order).toEqual([f.id('Bob'), f.id('Mallory')].sort());
      // a counter-claim: flagged as recorded over a teammate's, and it disputes the contract
      expect(codesOf(d, mallory), order).toEqual(['CONTRACT_TAKEN']);
    });
  });

  it('D8: while disputed, a further record by either changes nothing and is flagged; a teammate’s too', async () => {
    const { f } = await takeOverAttempt(1);
    const again = await f.act('Mallory', 'observeContract', { ...CONTRACT, title: 'Still mine' });
    const bobAgain = await f.act('Bob', 'observeContract', { ...CONTRACT, title: 'Audit, phase 2' });
    inBothOrders(f, (d, order) => {
      const seen = d.state.contractsSeen[CONTRACT.contract]!;
      expect(seen.member, order).toBeNull();
      expect(codesOf(d, again), order).toEqual(['CONTRACT_DISPUTED']);
      expect(codesOf(d, bobAgain), order).toEqual(['CONTRACT_DISPUTED']);
      // the title shown is one of the first records', never a later one's
      expect(['Storefront audit', 'Mine now'], order).toContain(seen.title);
    });
  });

  it('D8: a business manager decides whose it is; then the other’s records are CONTRACT_TAKEN and the holder’s count', async () => {
    const { f, mallory } = await takeOverAttempt(1);
    const decided = await f.act('Max', 'assignContract', {
      contract: CONTRACT.contract,
      member: f.id('Bob'),
    });
    const after = await f.act('Mallory', 'observeContract', { ...CONTRACT, title: 'Mine now' });
    const renamed = await f.act('Bob', 'observeContract', { ...CONTRACT, title: 'Audit, phase 2' });
    inBothOrders(f, (d, order) => {
      const seen = d.state.contractsSeen[CONTRACT.contract]!;
      expect(seen, order).toMatchObject({ member: f.id('Bob'), title: 'Audit, phase 2', kind: 'hourly' });
      expect(seen.disputed, order).toBeUndefined();
      expect(codesOf(d, decided), order).toEqual([]);
      expect(codesOf(d, after), order).toEqual(['CONTRACT_TAKEN']);
      expect(codesOf(d, renamed), order).toEqual([]);
      // the concurrent first record stays flagged as what it was
      expect(codesOf(d, mallory), order).toEqual(['CONTRACT_DISPUTED']);
    });
  });

  it('P2: a plain member cannot decide whose a contract is, nor can anyone decide an unknown contract or for a non-member', async () => {
    const { f } = await takeOverAttempt(1);
    const byMallory = await f.act('Mallory', 'assignContract', {
      contract: CONTRACT.contract,
      member: f.id('Mallory'),
    });
    const unknown = await f.act('Max', 'assignContract', { contract: '41009999', member: f.id('Bob') });
    const nobody = await f.act('Max', 'assignContract', {
      contract: CONTRACT.contract,
      member: 'x'.repeat(43),
    });
    inBothOrders(f, (d, order) => {
      expect(codesOf(d, byMallory), order).toEqual(['NOT_BUSINESS_MANAGER']);
      expect(codesOf(d, unknown), order).toEqual(['UNKNOWN_CONTRACT']);
      expect(codesOf(d, nobody), order).toEqual(['UNKNOWN_MEMBER']);
      expect(d.state.contractsSeen[CONTRACT.contract]?.member, order).toBeNull();
    });
  });

  it('D8: two managers deciding differently at the same time settle on one member, whatever their clocks', async () => {
    for (const late of [1, -DAY]) {
      const { f } = await takeOverAttempt(1);
      const base = f.heads();
      await f.act(
        'Olga',
        'assignContract',
        { contract: CONTRACT.contract, member: f.id('Mallory') },
        { deps: base },
      );
      await f.act(
        'Max',
        'assignContract',
        { contract: CONTRACT.contract, member: f.id('Bob') },
        { deps: base, at: f.now + late },
      );
      const expected = [f.id('Bob'), f.id('Mallory')].sort()[0];
      inBothOrders(f, (d, order) => {
        expect(d.state.contractsSeen[CONTRACT.contract]?.member, order).toBe(expected);
      });
    }
  });
});

describe('D10: of a holder’s own concurrent records, the kind is the earliest’s by time, whatever the order', () => {
  it('D10: the earlier-stamped record’s kind stays, the later one is flagged, the latest title stands', async () => {
    const f = await agency();
    // two of Bob's browsers (one browser's writes always build on each other: core/key-chain.ts)
    const laptop = (await f.addBrowser('Bob', 'laptop')).signer;
    const base = f.heads();
    const late = await f.act(
      'Bob',
      'observeContract',
      { ...CONTRACT, title: 'Later' },
      { deps: base, at: T0 + 2 * DAY, signer: laptop },
    );
    const early = await f.act(
      'Bob',
      'observeContract',
      { ...CONTRACT, title: 'Earlier', kind: 'fixed' },
      { deps: base, at: T0 + DAY },
    );
    inBothOrders(
      f,
      (d, order) => {
        expect(d.state.contractsSeen[CONTRACT.contract], order).toMatchObject({
          member: f.id('Bob'),
          kind: 'fixed',
          title: 'Later',
          by: late.id,
          first: early.id,
        });
        expect(codesOf(d, late), order).toEqual(['CONTRACT_KIND_FIXED']);
        expect(codesOf(d, early), order).toEqual([]);
      },
      { from: f.actions.length - 2 },
    );
  });
});

describe('D9: copies of one refund row are one credit, wherever their signers stamped them', () => {
  /**
   * Bob spends 16 on ~0700 (100 → 84). Ann's form shows 84 at noon on 2 November (an observation before the
   * refund). Upwork gives the 16 back on 3 November; Bob records that row from his history page. Mallory
   * copies the row on a past without the observation, stamped before it.
   */
  async function refundStory(malloryAt: number | null) {
    const f = await agency();
    await f.join('Ann');
    await f.propose('Bob', { job: '~0700', connects: 16 }, { at: T0 + 10 * MINUTE });
    const beforeObservation = f.heads();
    await f.act('Ann', 'observeBalance', { balance: 84 }, { at: T0 + 3 * 60 * MINUTE });
    const row = { job: '~0700', connects: 16, on: '2026-11-03' };
    const bob = await f.act('Bob', 'refundConnects', row, { at: T0 + DAY });
    const mallory =
      malloryAt === null
        ? null
        : await f.act('Mallory', 'refundConnects', row, { deps: beforeObservation, at: malloryAt });
    return { f, bob, mallory };
  }

  it('D9: the honest row alone restores the 16', async () => {
    const { f, bob } = await refundStory(null);
    inBothOrders(f, (d, order) => {
      expect(d.state.balance, order).toBe(100);
      expect(codesOf(d, bob), order).toEqual([]);
    });
  });

  for (const [label, at] of [
    ['back-dated before the observation', T0 + 2 * 60 * MINUTE],
    ['stamped 1 ms after Bob’s', T0 + DAY + 1],
  ] as const) {
    it(`D9: Mallory's copy (${label}) neither cancels it nor counts again: one credit, unflagged`, async () => {
      const { f, bob, mallory } = await refundStory(at);
      inBothOrders(
        f,
        (d, order) => {
          expect(d.state.balance, order).toBe(100);
          expect(codesOf(d, bob), order).toEqual([]);
          expect(codesOf(d, mallory!), order).toEqual([]);
          expect(Object.keys(d.state.refunds), order).toEqual(['~0700|2026-11-03|16']);
        },
        { from: f.actions.length - 2 },
      );
    });
  }

  it('D9: a row Upwork had already counted in a later observation is not counted again, whoever records it when', async () => {
    const f = await agency();
    await f.propose('Bob', { job: '~0701', connects: 16 }, { at: T0 + 10 * MINUTE });
    // Upwork refunded on 3 November; Max's form showed 100 (the refund included) that afternoon.
    await f.act('Max', 'observeBalance', { balance: 100 }, { at: T0 + DAY + 6 * 60 * MINUTE });
    const row = { job: '~0701', connects: 16, on: '2026-11-03' };
    const base = f.heads();
    await f.act('Bob', 'refundConnects', row, { deps: base, at: T0 + DAY + 8 * 60 * MINUTE });
    await f.act('Mallory', 'refundConnects', row, { deps: base, at: T0 + DAY + 8 * 60 * MINUTE + 1 });
    inBothOrders(
      f,
      (d, order) => {
        expect(d.state.balance, order).toBe(100);
      },
      { from: f.actions.length - 2 },
    );
  });
});

describe('R5, D11: members’ own hours are bounded in core', () => {
  async function recording() {
    const f = await agency();
    await f.act('Max', 'setHoursRecording', { on: true });
    await f.act('Bob', 'observeContract', CONTRACT);
    return f;
  }
  // 2 November 2026 (T0) is a Monday.
  const WEEK = '2026-11-02';

  it('R5: hours on a teammate’s contract are flagged and count nowhere', async () => {
    const f = await recording();
    const hours = await f.act('Mallory', 'recordOwnHours', {
      contract: CONTRACT.contract,
      week: WEEK,
      minutes: 600,
    });
    inBothOrders(f, (d, order) => {
      expect(codesOf(d, hours), order).toEqual(['HOURS_NOT_OWN_CONTRACT']);
      expect(d.state.ownHours, order).toEqual({});
    });
  });

  it('R5: hours recorded concurrently with the contract’s own record (not knowing it) are flagged, in both orders', async () => {
    const f = await agency();
    await f.act('Max', 'setHoursRecording', { on: true });
    // the record and the hours from two of Bob's browsers (one browser's writes always build on each other)
    const laptop = (await f.addBrowser('Bob', 'laptop')).signer;
    const base = f.heads();
    await f.act('Bob', 'observeContract', CONTRACT, { deps: base, signer: laptop });
    const hours = await f.act(
      'Bob',
      'recordOwnHours',
      { contract: CONTRACT.contract, week: WEEK, minutes: 60 },
      { deps: base, at: f.now - MINUTE },
    );
    inBothOrders(f, (d, order) => expect(codesOf(d, hours), order).toEqual(['HOURS_NOT_OWN_CONTRACT']), {
      from: f.actions.length - 2,
    });
  });

  it('D11: a week that had not begun on the day it was recorded (2099) is flagged; back-dating only makes it further ahead', async () => {
    const f = await recording();
    const future = await f.act('Bob', 'recordOwnHours', {
      contract: CONTRACT.contract,
      week: '2099-01-05',
      minutes: 60,
    });
    const backDated = await f.act(
      'Bob',
      'recordOwnHours',
      { contract: CONTRACT.contract, week: '2026-11-09', minutes: 60 },
      { at: T0 - DAY },
    );
    const own = await f.act('Bob', 'recordOwnHours', {
      contract: CONTRACT.contract,
      week: WEEK,
      minutes: 750,
    });
    inBothOrders(f, (d, order) => {
      expect(codesOf(d, future), order).toEqual(['HOURS_WEEK_AHEAD']);
      expect(codesOf(d, backDated), order).toEqual(['HOURS_WEEK_AHEAD']);
      expect(codesOf(d, own), order).toEqual([]);
      expect(
        Object.values(d.state.ownHours).map((h) => [h.week, h.minutes]),
        order,
      ).toEqual([[WEEK, 750]]);
    });
  });

  it('D11: a week starts on a Monday on a real date: a Tuesday, 2026-02-31 or more than a week of minutes is no record', () => {
    const schema = PayloadSchemas.recordOwnHours;
    expect(schema.safeParse({ contract: '41000042', week: WEEK, minutes: 10_080 }).success).toBe(true);
    for (const bad of [
      { contract: '41000042', week: '2026-11-03', minutes: 60 },
      { contract: '41000042', week: '2026-02-31', minutes: 60 },
      { contract: '41000042', week: '2026-02-30', minutes: 60 },
      { contract: '41000042', week: WEEK, minutes: 10_081 },
      { contract: '41000042', week: WEEK, minutes: -1 },
    ])
      expect(schema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe('R1: a proposal’s boost outcome is its author’s to record', () => {
  const P = { proposal: '1999000000000000777', title: 'Shop audit' } as const;

  it('R1: a teammate’s record of Bob’s proposal changes neither the outcome nor its member, and is flagged', async () => {
    const f = await agency();
    const bob = await f.act('Bob', 'observeBoost', { ...P, outcome: 'boosted' });
    const mallory = await f.act(
      'Mallory',
      'observeBoost',
      { ...P, outcome: 'outbid' },
      { at: T0 + 30 * DAY },
    );
    inBothOrders(f, (d, order) => {
      expect(d.state.boostsSeen[P.proposal], order).toMatchObject({
        member: f.id('Bob'),
        outcome: 'boosted',
        by: bob.id,
      });
      expect(codesOf(d, mallory), order).toEqual(['BOOST_NOT_OWN']);
    });
  });

  for (const [label, shift] of [
    ['stamped 1 ms after', 1],
    ['back-dated', -DAY],
  ] as const) {
    it(`R1: first records of two members at the same time (${label}) count for neither, in both orders`, async () => {
      const f = await agency();
      const base = f.heads();
      const bob = await f.act(
        'Bob',
        'observeBoost',
        { ...P, outcome: 'boosted' },
        { deps: base, at: T0 + DAY },
      );
      const mallory = await f.act(
        'Mallory',
        'observeBoost',
        { ...P, outcome: 'outbid' },
        { deps: base, at: T0 + DAY + shift },
      );
      inBothOrders(
        f,
        (d, order) => {
          expect(d.state.boostsSeen[P.proposal]?.member, order).toBeNull();
          expect(codesOf(d, bob), order).toEqual(['BOOST_NOT_OWN']);
          expect(codesOf(d, mallory), order).toEqual(['BOOST_NOT_OWN']);
        },
        { from: f.actions.length - 2 },
      );
    });
  }

  it('R1: the author’s own later outcome still replaces the earlier one', async () => {
    const f = await agency();
    await f.act('Bob', 'observeBoost', { ...P, outcome: 'boosted' });
    const later = await f.act('Bob', 'observeBoost', { ...P, outcome: 'outbid' });
    inBothOrders(f, (d, order) => {
      expect(d.state.boostsSeen[P.proposal], order).toMatchObject({ outcome: 'outbid', by: later.id });
      expect(codesOf(d, later), order).toEqual([]);
    });
  });
});

describe('D15: a sealing key published while plain starts sealing when its member is promoted', () => {
  const clearOffer = (f: AgencyFixture, n: number): Promise<Action> =>
    f.act('Bob', 'receiveOffer', {
      offer: `offer-${n}`,
      job: `~09${n}`,
      title: 'Offer',
      as: 'agency',
      member: f.id('Bob'),
      terms: { kind: 'hourly', hourlyRate: 4500 },
    });

  it('D15: after the promotion, an amount in the clear is flagged; before it, read as it is', async () => {
    const f = await agency();
    await f.act('Bob', 'publishSealKey', { key: new Uint8Array(32).fill(7) });
    const before = await clearOffer(f, 1);
    await f.act('Olga', 'changeRole', { member: f.id('Bob'), role: 'manager' });
    const after = await clearOffer(f, 2);
    inBothOrders(f, (d, order) => {
      expect(codesOf(d, before), order).toEqual([]);
      expect(codesOf(d, after), order).toEqual(['AMOUNT_IN_THE_CLEAR']);
    });
  });
});
