// The Connects arithmetic of domain.md ("How the Connects numbers fit together"): agency proposals (R1),
// observations by time, purchases and refunds, overdrafts (P1), monthly allowances as escrow (P4), and who
// already applied (P5).
import { describe, expect, it } from 'vitest';
import { connectsSummary, monthKey } from '../../core/index.ts';
import { AgencyFixture, codesOf, DAY, MINUTE, rulesOf, T0 } from './support/agency.ts';

async function agency(balance = 100) {
  const f = new AgencyFixture();
  await f.create('Olga', balance);
  await f.join('Ann');
  await f.join('Bob');
  return f;
}

describe('R1: agency proposals', () => {
  it('R1: every member submits proposals; one sent as the agency draws its Connects and boost from the agency', async () => {
    const f = await agency();
    const p = await f.propose('Ann', { title: 'Logo', connects: 16, boost: 4 });
    const d = f.derive();
    expect(codesOf(d, p)).toEqual([]);
    expect(d.state.balance).toBe(80);
    expect(d.state.spent[f.id('Ann')]).toEqual({ [monthKey(p.at, 'UTC')]: 20 });
    expect(d.state.ledger).toEqual([{ id: p.id, at: p.at, delta: -20, kind: 'proposal' }]);
    expect(d.state.activity.at(-1)?.text).toBe("Ann proposed as the agency on 'Logo' — 20 Connects");
  });

  it('R1, R10: an independent proposal spends the member’s own Connects and never touches agency numbers', async () => {
    const f = new AgencyFixture();
    await f.create('Olga', 100);
    await f.join('Nia', { relationship: 'non-exclusive' });
    const p = await f.propose('Nia', { as: 'independent', connects: 16, title: 'Own gig' });
    const d = f.derive();
    expect(codesOf(d, p)).toEqual([]);
    expect(d.state.balance).toBe(100);
    expect(d.state.ledger).toEqual([]);
    expect(d.state.spent).toEqual({});
    expect(d.state.proposals).toEqual([
      expect.objectContaining({ id: p.id, as: 'independent', member: f.id('Nia') }),
    ]);
    expect(d.state.activity.at(-1)?.text).toBe("Nia proposed independently on 'Own gig'");
  });

  it('a business manager may record a proposal sent for a member; it counts as that member’s spend', async () => {
    const f = await agency();
    const p = await f.propose('Olga', { member: f.id('Ann'), connects: 10 });
    const d = f.derive();
    expect(codesOf(d, p)).toEqual([]);
    expect(d.state.proposals.at(-1)).toMatchObject({ member: f.id('Ann'), recordedBy: f.id('Olga') });
    expect(d.state.spent[f.id('Ann')]).toBeDefined();
    expect(d.state.spent[f.id('Olga')]).toBeUndefined();
  });

  it('P2: a plain member’s proposal recorded for someone else is kept and flagged', async () => {
    const f = await agency();
    const p = await f.propose('Bob', { member: f.id('Ann'), connects: 10 });
    const d = f.derive();
    expect(codesOf(d, p)).toEqual(['RECORDED_FOR_OTHER']);
    expect(rulesOf(d, p)).toEqual(['P2']);
    expect(d.state.balance).toBe(90);
  });
});

describe('P1: the agency balance never silently goes below zero', () => {
  it('P1: a proposal within the balance is not flagged', async () => {
    const f = await agency(20);
    const p = await f.propose('Ann', { connects: 20 });
    const d = f.derive();
    expect(codesOf(d, p)).toEqual([]);
    expect(d.state.balance).toBe(0);
  });

  it('P1: a proposal sent anyway beyond the balance is recorded, counted and flagged as an overdraft', async () => {
    const f = await agency(10);
    const p = await f.propose('Ann', { connects: 8, boost: 4 });
    const d = f.derive();
    expect(codesOf(d, p)).toEqual(['OVERDRAFT']);
    expect(rulesOf(d, p)).toEqual(['P1']);
    expect(d.state.balance).toBe(-2);
    expect(d.state.proposals.map((x) => x.id)).toEqual([p.id]);
    expect(d.state.counts).toMatchObject({ flagged: 1, refused: 0 });
    expect(d.state.verdicts[0]).toMatchObject({ kind: 'flagged', actor: f.id('Ann') });
  });
});

describe('observations, purchases and refunds', () => {
  it('the balance is the latest observation plus the movements after it', async () => {
    const f = await agency(100);
    await f.propose('Ann', { connects: 10 }); // before the observation: Upwork's number already has it
    const obs = await f.act('Bob', 'observeBalance', { balance: 85 });
    await f.propose('Ann', { job: '~0199', connects: 6 });
    await f.act('Olga', 'recordPurchase', { connects: 50 });
    await f.act('Ann', 'refundConnects', { job: '~0199', connects: 2 }); // D9: a job proposed to as the agency
    const d = f.derive();
    expect(d.state.observation).toMatchObject({ id: obs.id, value: 85, source: 'page', drift: -5 });
    expect(d.state.balance).toBe(85 - 6 + 50 + 2);
    expect(connectsSummary(d.state, f.now, null).since).toEqual({ spent: 6, refunded: 2, purchased: 50 });
  });

  it('of two concurrent observations the later one stands, whatever order they sort in', async () => {
    const f = await agency(100);
    const base = f.heads();
    const newer = await f.act('Ann', 'observeBalance', { balance: 70 }, { at: T0 + DAY, deps: base });
    const older = await f.act(
      'Bob',
      'observeBalance',
      { balance: 30 },
      { at: T0 + DAY - MINUTE, deps: base },
    );
    for (const d of [f.derive(), f.deriveReversed()]) {
      expect(codesOf(d, older)).toEqual([]);
      expect(codesOf(d, newer)).toEqual([]);
      expect(d.state.observation?.id).toBe(newer.id);
      expect(d.state.balance).toBe(70);
    }
  });

  it('P2: a business manager enters the balance and records purchases; a member cannot', async () => {
    const f = await agency(100);
    const enter = await f.act('Olga', 'enterBalance', { balance: 300 });
    const buy = await f.act('Olga', 'recordPurchase', { connects: 40 });
    const enterByMember = await f.act('Ann', 'enterBalance', { balance: 9999 });
    const buyByMember = await f.act('Ann', 'recordPurchase', { connects: 9999 });
    const d = f.derive();
    expect(codesOf(d, enter)).toEqual([]);
    expect(codesOf(d, buy)).toEqual([]);
    expect(codesOf(d, enterByMember)).toEqual(['NOT_BUSINESS_MANAGER']);
    expect(codesOf(d, buyByMember)).toEqual(['NOT_BUSINESS_MANAGER']);
    expect(d.state.balance).toBe(340);
    expect(d.state.observation).toMatchObject({ value: 300, source: 'manager' });
  });

  it('a refund is a fact any member records; it goes back to the pool', async () => {
    const f = await agency(10);
    await f.propose('Ann', { job: '~0111', connects: 10 });
    const refund = await f.act('Bob', 'refundConnects', { job: '~0111', connects: 10 });
    const d = f.derive();
    expect(codesOf(d, refund)).toEqual([]);
    expect(d.state.balance).toBe(10);
  });

  it('a spend counts at its own time, never earlier than the latest of its dependencies', async () => {
    const f = await agency(100);
    const late = await f.act('Bob', 'observeBalance', { balance: 100 }, { at: T0 + 10 * DAY });
    // Ann's clock is behind, but she had seen the observation: the spend counts just after it, so it is
    // not taken as already included in Upwork's number.
    const p = await f.propose('Ann', { connects: 10 }, { at: T0 + DAY, deps: [late.id] });
    const d = f.derive();
    expect(d.state.proposals.at(-1)).toMatchObject({ id: p.id, at: late.at + 1 });
    expect(d.state.balance).toBe(90);
  });
});

describe('P4: monthly allowances', () => {
  it('P4: a business manager gives a member a monthly allowance, reserved out of the balance', async () => {
    const f = await agency(100);
    const set = await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 40 });
    const d = f.derive();
    expect(codesOf(d, set)).toEqual([]);
    expect(d.state.members[f.id('Ann')]?.allowance).toBe(40);
    const summary = connectsSummary(d.state, f.now, f.id('Ann'));
    expect(summary).toMatchObject({
      balance: 100,
      reserved: 40,
      availableToTeam: 60,
      allowance: 40,
      allowanceLeft: 40,
    });
    expect(summary.spendable).toBe(100);
    expect(connectsSummary(d.state, f.now, f.id('Bob')).spendable).toBe(60);
  });

  it('P4: only a business manager sets allowances', async () => {
    const f = await agency(100);
    const set = await f.act('Ann', 'setAllowance', { member: f.id('Ann'), monthly: 40 });
    const d = f.derive();
    expect(codesOf(d, set)).toEqual(['NOT_BUSINESS_MANAGER']);
    expect(d.state.members[f.id('Ann')]?.allowance).toBeNull();
  });

  it('P4: a manager cannot reserve more than the unreserved balance', async () => {
    const f = await agency(100);
    await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 70 });
    const over = await f.act('Olga', 'setAllowance', { member: f.id('Bob'), monthly: 31 });
    const fits = await f.act('Olga', 'setAllowance', { member: f.id('Bob'), monthly: 30 });
    const d = f.derive();
    expect(codesOf(d, over)).toEqual(['ALLOWANCE_OVER_BALANCE']);
    expect(rulesOf(d, over)).toEqual(['P4']);
    expect(codesOf(d, fits)).toEqual([]);
    expect(connectsSummary(d.state, f.now, null).availableToTeam).toBe(0);
  });

  it('P4: a manager may change an allowance within what the balance holds, counting what was spent', async () => {
    const f = await agency(100);
    await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 50 });
    await f.propose('Ann', { connects: 30 });
    // 70 left; Ann has spent 30 of a new 100: 70 unspent to reserve, which fits.
    const raise = await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 100 });
    const off = await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: null });
    const d = f.derive();
    expect(codesOf(d, raise)).toEqual([]);
    expect(codesOf(d, off)).toEqual([]);
    expect(d.state.members[f.id('Ann')]?.allowance).toBeNull();
  });

  it('P4: a spend within the allowance is not flagged; one beyond it is recorded and flagged', async () => {
    const f = await agency(100);
    await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 30 });
    const within = await f.propose('Ann', { connects: 20 });
    const beyond = await f.propose('Ann', { connects: 16 });
    const d = f.derive();
    expect(codesOf(d, within)).toEqual([]);
    expect(codesOf(d, beyond)).toEqual(['ALLOWANCE_EXCEEDED']);
    expect(rulesOf(d, beyond)).toEqual(['P4']);
    expect(d.state.spent[f.id('Ann')]?.[monthKey(beyond.at, 'UTC')]).toBe(36);
    expect(d.state.balance).toBe(64);
  });

  it('P4, P1: members without an allowance spend from the unreserved balance; dipping into reservations is flagged', async () => {
    const f = await agency(100);
    await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 80 });
    const fits = await f.propose('Bob', { connects: 20 });
    const intoEscrow = await f.propose('Bob', { connects: 1 });
    const d = f.derive();
    expect(codesOf(d, fits)).toEqual([]);
    expect(codesOf(d, intoEscrow)).toEqual(['OVERDRAFT']);
    expect(d.state.balance).toBe(79);
  });

  it('P4: a proposal a business manager sends for a member draws on that member’s allowance', async () => {
    const f = await agency(100);
    await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 30 });
    const forAnn = await f.propose('Olga', { member: f.id('Ann'), connects: 30 });
    const d = f.derive();
    expect(codesOf(d, forAnn)).toEqual([]);
    expect(connectsSummary(d.state, f.now, f.id('Ann')).allowanceLeft).toBe(0);
  });

  it('P4: allowances are per calendar month in the agency’s time zone', async () => {
    const f = new AgencyFixture();
    f.setClock(Date.UTC(2026, 10, 30, 10, 0)); // 30 November, 19:00 in Tokyo
    await f.create('Olga', 100);
    await f.join('Ann');
    await f.act('Olga', 'setTimeZone', { timeZone: 'Asia/Tokyo' });
    await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 10 });
    const nov = await f.propose('Ann', { connects: 10 }, { at: Date.UTC(2026, 10, 30, 14, 0) }); // 23:00 Tokyo
    const dec = await f.propose('Ann', { connects: 10 }, { at: Date.UTC(2026, 10, 30, 15, 30) }); // 00:30 Tokyo
    const d = f.derive();
    expect(codesOf(d, nov)).toEqual([]);
    expect(codesOf(d, dec)).toEqual([]);
    expect(d.state.spent[f.id('Ann')]).toEqual({ '2026-11': 10, '2026-12': 10 });
  });

  it('P4: in UTC the same two spends fall in one month, and the second goes beyond the allowance', async () => {
    const f = new AgencyFixture();
    f.setClock(Date.UTC(2026, 10, 30, 10, 0));
    await f.create('Olga', 100);
    await f.join('Ann');
    await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 10 });
    await f.propose('Ann', { connects: 10 }, { at: Date.UTC(2026, 10, 30, 14, 0) });
    const second = await f.propose('Ann', { connects: 10 }, { at: Date.UTC(2026, 10, 30, 15, 30) });
    expect(codesOf(f.derive(), second)).toEqual(['ALLOWANCE_EXCEEDED']);
  });

  it('P4: allowances shrink to fit when Upwork shows a lower balance, and the shrink is flagged', async () => {
    const f = await agency(100);
    await f.join('Cy');
    await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 50 });
    await f.act('Olga', 'setAllowance', { member: f.id('Bob'), monthly: 30 });
    await f.act('Olga', 'setAllowance', { member: f.id('Cy'), monthly: 20 });
    await f.propose('Ann', { connects: 10 });
    const obs = await f.act('Bob', 'observeBalance', { balance: 45 });
    const d = f.derive();
    expect(codesOf(d, obs)).toEqual(['ALLOWANCE_SHRUNK']);
    expect(rulesOf(d, obs)).toEqual(['P4']);
    // Unspent 40 + 30 + 20 = 90 shrink to 45: 20, 15, 10 exactly (Ann keeps her 10 spent). D2: that is
    // this month's reservation; the manager's grants stand.
    const left = (name: string) => connectsSummary(d.state, f.now, f.id(name)).allowanceLeft;
    expect([left('Ann'), left('Bob'), left('Cy')]).toEqual([20, 15, 10]);
    const m = d.state.members;
    expect([m[f.id('Ann')]?.allowance, m[f.id('Bob')]?.allowance, m[f.id('Cy')]?.allowance]).toEqual([
      50, 30, 20,
    ]);
    expect(connectsSummary(d.state, f.now, null)).toMatchObject({
      balance: 45,
      reserved: 45,
      availableToTeam: 0,
    });
  });

  it('P4: an observation that leaves room for every reservation shrinks nothing', async () => {
    const f = await agency(100);
    await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 50 });
    const obs = await f.act('Bob', 'observeBalance', { balance: 60 });
    const d = f.derive();
    expect(codesOf(d, obs)).toEqual([]);
    expect(d.state.members[f.id('Ann')]?.allowance).toBe(50);
  });

  it('P4: a removed member’s allowance is no longer reserved', async () => {
    const f = await agency(100);
    await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 60 });
    await f.act('Olga', 'removeMember', { member: f.id('Ann') });
    const d = f.derive();
    expect(connectsSummary(d.state, f.now, null).reserved).toBe(0);
  });
});

describe('P5: who already applied', () => {
  it('P5: every teammate’s proposal is in the log with who, when, and how it was sent', async () => {
    const f = new AgencyFixture();
    await f.create('Olga', 100);
    await f.join('Ann');
    await f.join('Nia', { relationship: 'non-exclusive' });
    const first = await f.propose('Ann', { job: '~01job', title: 'Shop' });
    const second = await f.propose('Nia', { job: '~01job', title: 'Shop', as: 'independent' });
    const d = f.derive();
    const sameJob = d.state.proposals.filter((p) => p.job === '~01job');
    expect(sameJob).toEqual([
      expect.objectContaining({ id: first.id, member: f.id('Ann'), as: 'agency', at: first.at }),
      expect.objectContaining({ id: second.id, member: f.id('Nia'), as: 'independent', at: second.at }),
    ]);
    // P5 is a warning of the overlay, never a refusal: a second proposal on the same job is a fact.
    expect(codesOf(d, second)).toEqual([]);
  });
});
