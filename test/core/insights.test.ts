// Agency insights (issue 12) on a built log: every figure below was worked out by hand from the story in
// `november()`, not by calling the code's own helpers.
import { describe, expect, it } from 'vitest';
import {
  type BoostOutcome,
  type Derivation,
  insights,
  lastDays,
  monthPeriod,
  monthStart,
  observedBalances,
  spentInMonth,
} from '../../core/index.ts';
import { AgencyFixture } from './support/agency.ts';

const at = (day: number, hour = 10, month = 10) => Date.UTC(2026, month, day, hour);
const NOV = { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) };
const DEC = { from: Date.UTC(2026, 11, 1), to: Date.UTC(2027, 0, 1) };

/**
 * Olga creates the agency with 100 Connects on 2 Nov; Ann (exclusive, allowance 20) and Bob (non-exclusive)
 * join. 3 Nov Ann proposes on A for 16 + 4 boost (80); 4 Nov Bob proposes on A as the agency for 12 (68,
 * a duplicate); 5 Nov Bob proposes independently on B for 8 (no agency effect); 6 Nov Upwork shows 70;
 * 7 Nov Olga records a purchase of 50 (120); 8 Nov Ann proposes on C for 10 (110); 9 Nov a refund of 10 on C
 * (120). Offers: Ann on A (agency), Bob on B (independent). 1 Dec Ann proposes on D for 16 (104).
 */
async function november() {
  const f = new AgencyFixture();
  await f.create('Olga', 100, { at: at(2, 9) });
  await f.join('Ann');
  await f.join('Bob', { relationship: 'non-exclusive' });
  await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 20 }, { at: at(2, 12) });
  await f.propose('Ann', { job: '~A', title: 'Build a Shopify app', connects: 16, boost: 4 }, { at: at(3) });
  await f.propose('Bob', { job: '~A', title: 'Build a Shopify app', connects: 12 }, { at: at(4) });
  await f.propose('Bob', { job: '~B', title: 'Own gig', as: 'independent', connects: 8 }, { at: at(5) });
  await f.act('Ann', 'observeBalance', { balance: 70 }, { at: at(6) });
  await f.act('Olga', 'recordPurchase', { connects: 50 }, { at: at(7) });
  await f.propose('Ann', { job: '~C', title: 'Logo', connects: 10 }, { at: at(8) });
  await f.act('Ann', 'refundConnects', { job: '~C', connects: 10 }, { at: at(9) });
  const terms = { kind: 'fixed', amount: 0 } as const;
  await f.act(
    'Ann',
    'receiveOffer',
    { offer: 'o-1', job: '~A', title: 'Build a Shopify app', as: 'agency', member: f.id('Ann'), terms },
    { at: at(10) },
  );
  await f.act(
    'Bob',
    'receiveOffer',
    { offer: 'o-2', job: '~B', title: 'Own gig', as: 'independent', member: f.id('Bob'), terms },
    { at: at(11) },
  );
  await f.propose('Ann', { job: '~D', title: 'Later', connects: 16 }, { at: at(1, 10, 11) });
  const d = f.derive();
  expect(d.state.counts.refused).toBe(0);
  return { f, d };
}

const obs = (d: Derivation) => observedBalances(d.book.observations);

describe('insights: the balance over time', () => {
  it('follows observations and the movements between them, with purchases and refunds marked', async () => {
    const { f, d } = await november();
    const ins = insights(d.state, obs(d), NOV, f.id('Olga'));
    // November begins before the agency: the period starts at its creation, with the 100 entered then.
    expect(ins.period).toEqual({ from: at(2, 9), to: NOV.to });
    expect(ins.balance.points.map((p) => [p.kind, p.balance])).toEqual([
      ['start', 100],
      ['proposal', 80],
      ['proposal', 68],
      ['observation', 70],
      ['purchase', 120],
      ['proposal', 110],
      ['refund', 120],
    ]);
    expect(ins.balance.points[3]!.delta).toBe(2); // Upwork showed 2 more than the log predicted
    expect(ins.balance).toMatchObject({
      start: 100,
      end: 120,
      spent: 42,
      purchased: 50,
      refunded: 10,
      observations: 1,
    });
    const dec = insights(d.state, obs(d), DEC, f.id('Olga'));
    expect(dec.balance).toMatchObject({ start: 120, end: 104, spent: 16, purchased: 0, refunded: 0 });
    expect(dec.balance.end).toBe(d.state.balance);
  });

  it('counts a movement stamped at an observation’s millisecond as included in Upwork’s number', async () => {
    const f = new AgencyFixture();
    await f.create('Olga', 100, { at: at(2) });
    const p = await f.propose('Olga', { connects: 16 }, { at: at(3) });
    await f.act('Olga', 'observeBalance', { balance: 84 }, { at: p.at, deps: [p.id] });
    const d = f.derive();
    const ins = insights(d.state, obs(d), NOV, f.id('Olga'));
    expect(ins.balance.end).toBe(84);
    expect(d.state.balance).toBe(84);
  });

  it('P4, D2: next month’s allowances are shown as reserved, capped by the balance', async () => {
    const { f, d } = await november();
    expect(insights(d.state, obs(d), NOV, f.id('Olga')).reservedNextMonth).toBe(20);
  });
});

describe('insights: per member', () => {
  it('splits cost and boost, counts independent proposals without their Connects, offers and the offer rate', async () => {
    const { f, d } = await november();
    const ins = insights(d.state, obs(d), NOV, f.id('Olga'));
    expect(ins.everyRow).toBe(true);
    expect(ins.members.map((m) => m.name)).toEqual(['Ann', 'Bob', 'Olga']);
    const [ann, bob, olga] = ins.members;
    expect(ann).toMatchObject({
      spent: 30, // 16 + 4 boost + 10: a boost is Connects spent
      boost: 4,
      agencyProposals: 2,
      independentProposals: 0,
      offers: 1,
      offerRate: 0.5,
      boosted: 1,
      boostedWithOffer: 1,
      duplicates: 0,
      wasted: 0,
    });
    expect(bob).toMatchObject({
      spent: 12,
      boost: 0,
      agencyProposals: 1,
      independentProposals: 1,
      offers: 1,
      offerRate: 0,
      boosted: 0,
      duplicates: 1,
      wasted: 12,
    });
    expect(olga).toMatchObject({ spent: 0, agencyProposals: 0, offerRate: null });
    expect(ins.totals).toEqual({
      spent: 42,
      boost: 4,
      agencyProposals: 3,
      independentProposals: 1,
      offers: 2,
      offerRate: 1 / 3,
      duplicates: 1,
      wasted: 12,
    });
  });

  it('counts the boost outcomes Upwork showed each member, in the period they were seen (issue 12)', async () => {
    const { f } = await november();
    const seen = (who: string, proposal: string, outcome: BoostOutcome, day: number, month = 10) =>
      f.act(who, 'observeBoost', { proposal, title: `P ${proposal}`, outcome }, { at: at(day, 12, month) });
    // after the fixture's last action (1 Dec), so in December
    await seen('Ann', '1', 'boosted', 20, 11);
    await seen('Ann', '2', 'outbid', 21, 11);
    await seen('Ann', '3', 'outbid', 22, 11);
    await seen('Bob', '4', 'not-boosted', 23, 11);
    await seen('Bob', '4', 'boosted', 24, 11); // the same proposal seen again: its latest outcome stands
    await seen('Ann', '5', 'boosted', 2, 12); // January: not December's
    const d = f.derive();
    const DEC = monthPeriod('2026-12', 'UTC');
    const ins = insights(d.state, obs(d), DEC, f.id('Olga'));
    const [ann, bob, olga] = ins.members;
    expect(ann!.outcomes).toEqual({ boosted: 1, outbid: 2, notBoosted: 0 });
    expect(bob!.outcomes).toEqual({ boosted: 1, outbid: 0, notBoosted: 0 });
    expect(olga!.outcomes).toEqual({ boosted: 0, outbid: 0, notBoosted: 0 });
    const mine = insights(d.state, obs(d), DEC, f.id('Bob'));
    expect(mine.members.map((m) => [m.name, m.outcomes.boosted])).toEqual([['Bob', 1]]);
  });

  it('D15, issue 12: a plain member sees the agency-wide figures and only their own row and jobs', async () => {
    const { f, d } = await november();
    const ins = insights(d.state, obs(d), NOV, f.id('Bob'));
    expect(ins.everyRow).toBe(false);
    expect(ins.members.map((m) => m.name)).toEqual(['Bob']);
    expect(ins.totals.spent).toBe(42);
    expect(ins.jobs.map((j) => j.job).sort()).toEqual(['~A', '~B']);
    expect(JSON.stringify(ins)).not.toContain('amount');
  });

  it('D13: a proposal concurrent with its author’s removal is listed but spends nothing', async () => {
    const f = new AgencyFixture();
    await f.create('Olga', 100, { at: at(2) });
    await f.join('Ann');
    const seen = f.heads();
    await f.act('Olga', 'removeMember', { member: f.id('Ann') }, { at: at(3) });
    const p = await f.propose('Ann', { job: '~Z', connects: 16 }, { at: at(4), deps: seen });
    const d = f.derive();
    expect(d.state.verdicts.filter((v) => v.id === p.id).map((v) => v.code)).toEqual(['MEMBER_GONE_FACT']);
    const ins = insights(d.state, obs(d), NOV, f.id('Olga'));
    expect(ins.members.find((m) => m.name === 'Ann')).toMatchObject({ agencyProposals: 1, spent: 0 });
    expect(ins.totals.spent).toBe(0);
    expect(ins.balance.end).toBe(100);
  });

  it('a month counts only its own proposals', async () => {
    const { f, d } = await november();
    const dec = insights(d.state, obs(d), DEC, f.id('Olga'));
    expect(dec.members.find((m) => m.name === 'Ann')).toMatchObject({ spent: 16, agencyProposals: 1 });
    expect(dec.totals.agencyProposals).toBe(1);
  });
});

describe('insights: per job', () => {
  it('P5: a second agency proposal on a job is a duplicate, its Connects wasted; independent ones are counts', async () => {
    const { f, d } = await november();
    const ins = insights(d.state, obs(d), NOV, f.id('Olga'));
    const a = ins.jobs.find((j) => j.job === '~A')!;
    expect(a.proposals.map((p) => [p.name, p.cost, p.duplicate])).toEqual([
      ['Ann', 20, false],
      ['Bob', 12, true],
    ]);
    expect(a.wasted).toBe(12);
    const b = ins.jobs.find((j) => j.job === '~B')!;
    expect(b).toMatchObject({ independent: 1, proposals: [], wasted: 0 });
    expect(ins.jobs.map((j) => j.job)).toEqual(['~C', '~B', '~A']); // the latest first
  });
});

describe('periods', () => {
  it('a month starts at midnight in the agency’s time zone', () => {
    expect(monthStart('2026-12', 'UTC')).toBe(Date.UTC(2026, 11, 1));
    expect(monthStart('2026-12', 'America/New_York')).toBe(Date.UTC(2026, 11, 1, 5));
    expect(monthStart('2026-12', 'Asia/Kolkata')).toBe(Date.UTC(2026, 10, 30, 18, 30));
    expect(monthStart('2027-01', 'Pacific/Kiritimati')).toBe(Date.UTC(2026, 11, 31, 10));
    expect(monthPeriod('2026-12', 'UTC')).toEqual({ from: Date.UTC(2026, 11, 1), to: Date.UTC(2027, 0, 1) });
  });

  it('the last 30 days end with now', () => {
    const now = Date.UTC(2026, 11, 2, 12);
    expect(lastDays(30, now)).toEqual({ from: now + 1 - 30 * 86_400_000, to: now + 1 });
  });

  it('spent this month: the agency’s and the viewer’s part', async () => {
    const { f, d } = await november();
    expect(spentInMonth(d.state, '2026-11', f.id('Bob'))).toEqual({ agency: 38 + 4, mine: 12 });
    expect(spentInMonth(d.state, '2026-12', f.id('Ann'))).toEqual({ agency: 16, mine: 16 });
  });
});
