// domain.md "Decisions where the rules met real cases (D1–D15)", one describe per decision, written from
// domain.md alone. Tests assert what a member can see — applied, refused or flagged, the rule id a verdict
// names, and the numbers and state that follow — never a refusal code (codes are free to be renamed).
//
// "Concurrent" means neither action is in the other's causal past: such actions are built on the same deps
// and every scenario is derived twice, with the log's tie-break (depth, then id) and with it reversed. Both
// derivations must give each action the same outcome: domain.md lets the order decide only which
// unreserved spend carries a P1 overdraft flag, and list order.
import { describe, expect, it } from 'vitest';
import {
  type Action,
  type Contract,
  connectsSummary,
  type Derivation,
  derive,
  type Payloads,
  VERDICTS,
} from '../../core/index.ts';
import { AgencyFixture, DAY, MINUTE, outcomeOf, T0, withoutAmounts } from './support/agency.ts';

type Terms = NonNullable<Payloads['receiveOffer']['terms']>;
const HOURLY: Terms = { kind: 'hourly', hourlyRate: 4500 };
const FIXED: Terms = { kind: 'fixed', amount: 120_000 };
const DEC = Date.UTC(2026, 11, 2, 9, 0); // 2 December 2026, the month after T0's
const NOV = monthOf(T0);
function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

// --- what a verdict says, by rule id ------------------------------------------------------------------------

function applied(d: Derivation, a: Action, why = ''): void {
  expect(outcomeOf(d, a).refused, `${a.type} should be applied ${why}`).toBeNull();
}
function clean(d: Derivation, a: Action, why = ''): void {
  expect(outcomeOf(d, a), `${a.type} should be applied with no flag ${why}`).toEqual({
    refused: null,
    flags: [],
  });
}
function refusedBy(d: Derivation, a: Action, rules: string[], why = ''): void {
  const { refused } = outcomeOf(d, a);
  expect(refused, `${a.type} should be refused ${why}`).not.toBeNull();
  expect(rules, `${a.type} refused under ${refused}, expected one of ${rules.join(', ')} ${why}`).toContain(
    refused,
  );
}
function refusedAtAll(d: Derivation, a: Action, why = ''): void {
  expect(outcomeOf(d, a).refused, `${a.type} should be refused ${why}`).not.toBeNull();
}
function flagged(d: Derivation, a: Action, rules: string[], why = ''): void {
  const o = outcomeOf(d, a);
  expect(o.refused, `${a.type} is a fact: kept, not refused ${why}`).toBeNull();
  expect(
    o.flags.some((r) => rules.includes(r)),
    `${a.type} flagged ${JSON.stringify(o.flags)}, expected one of ${rules.join(', ')} ${why}`,
  ).toBe(true);
}
function notFlagged(d: Derivation, a: Action, rule: string, why = ''): void {
  expect(outcomeOf(d, a).flags, `${a.type} must not carry a ${rule} flag ${why}`).not.toContain(rule);
}

/**
 * Derives the fixture's actions in both tie-break orders, runs `check` on each, and requires every action
 * to get the same outcome in both (P1 flags aside when `p1MayMove`: domain.md lets the order pick which
 * unreserved spend is flagged).
 */
function inBothOrders(
  f: AgencyFixture,
  check: (d: Derivation, order: string) => void,
  opts: { p1MayMove?: boolean } = {},
): void {
  const byId = f.derive();
  const reversed = f.deriveReversed();
  check(byId, '(tie-break by id)');
  check(reversed, '(tie-break reversed)');
  const outcomes = (d: Derivation) =>
    f.actions.map((a) => {
      const o = outcomeOf(d, a);
      return { type: a.type, ...o, flags: opts.p1MayMove ? o.flags.filter((r) => r !== 'P1') : o.flags };
    });
  expect(outcomes(reversed), 'the same outcome for every action whichever order ties sort in').toEqual(
    outcomes(byId),
  );
}

/** The owner is always an active business manager (D4), checked after every scenario that touches roles. */
function ownerHolds(d: Derivation): void {
  const owner = d.state.ownerId ? d.state.members[d.state.ownerId] : undefined;
  expect(owner, 'there is an owner').toBeDefined();
  expect(owner).toMatchObject({ role: 'manager', status: 'active' });
}

// --- small stories ------------------------------------------------------------------------------------------

async function agency(balance = 100, build?: (f: AgencyFixture) => Promise<void>) {
  const f = new AgencyFixture();
  await f.create('Olga', balance);
  await build?.(f);
  return f;
}

let offers = 0;
/** `recorder` records an offer made to `member` on Upwork (a fact) and returns its id. */
async function offer(
  f: AgencyFixture,
  recorder: string,
  p: { member?: string; as?: 'agency' | 'independent'; terms?: Terms; job?: string } = {},
  opts: { deps?: string[]; at?: number } = {},
): Promise<{ id: string; action: Action<'receiveOffer'> }> {
  const id = `offer-${++offers}`;
  const action = await f.act(
    recorder,
    'receiveOffer',
    {
      offer: id,
      job: p.job ?? `~0job${offers}`,
      title: `Work ${offers}`,
      as: p.as ?? 'agency',
      member: f.id(p.member ?? recorder),
      terms: p.terms ?? FIXED,
    },
    opts,
  );
  return { id, action };
}

/** An agency contract for `member`, accepted by the owner. */
async function contract(f: AgencyFixture, member: string, terms: Terms): Promise<string> {
  const { id } = await offer(f, member, { terms });
  await f.act('Olga', 'acceptOffer', { offer: id });
  return id;
}

const contractOf = (d: Derivation, id: string): Contract | undefined => d.state.contracts[id];

// --- D1 -----------------------------------------------------------------------------------------------------

describe('D1: escrow holds', () => {
  it('D1: spends within allowances are never flagged for an overdraft; the unreserved spend is (issue 9, item 1)', async () => {
    const f = await agency(60, async (f) => {
      await f.join('Ann');
      await f.join('Bob');
      await f.join('Cy');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 30 });
      await f.act('Olga', 'setAllowance', { member: f.id('Bob'), monthly: 30 });
    });
    const base = f.heads();
    const ann = await f.propose('Ann', { connects: 30 }, { deps: base });
    const bob = await f.propose('Bob', { connects: 30 }, { deps: base });
    const cy = await f.propose('Cy', { connects: 1 }, { deps: base });
    inBothOrders(f, (d, order) => {
      clean(d, ann, order);
      clean(d, bob, order);
      flagged(d, cy, ['P1'], order);
      expect(d.state.balance).toBe(-1);
    });
  });

  it('D1: when unreserved spends overdraw together, only they carry P1 flags; the escrowed spend never does', async () => {
    const f = await agency(60, async (f) => {
      await f.join('Ann');
      await f.join('Bob');
      await f.join('Cy');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 30 });
    });
    const base = f.heads();
    const ann = await f.propose('Ann', { connects: 30 }, { deps: base });
    const bob = await f.propose('Bob', { connects: 20 }, { deps: base });
    const cy = await f.propose('Cy', { connects: 20 }, { deps: base });
    inBothOrders(
      f,
      (d, order) => {
        clean(d, ann, order);
        const p1 = [bob, cy].filter((p) => outcomeOf(d, p).flags.includes('P1'));
        expect(p1, `one unreserved spend overdrew the 30 free ${order}`).toHaveLength(1);
        expect(d.state.balance).toBe(-10);
      },
      { p1MayMove: true },
    );
  });

  it('D1: a spend within the allowance it knew of is not flagged even when a concurrent spend emptied the pool', async () => {
    const f = await agency(50, async (f) => {
      await f.join('Ann');
      await f.join('Bob');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 20 });
    });
    const base = f.heads();
    const ann = await f.propose('Ann', { connects: 20 }, { deps: base });
    const bob = await f.propose('Bob', { connects: 40 }, { deps: base });
    inBothOrders(f, (d, order) => {
      clean(d, ann, order);
      flagged(d, bob, ['P1'], order);
      expect(d.state.balance).toBe(-10);
    });
  });
});

// --- D2 -----------------------------------------------------------------------------------------------------

describe('D2: allowances renew from the grant, capped by the balance', () => {
  it('D2: allowances all spent in November leave nothing to offer in December when the balance is 0 (issue 9, item 4)', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.join('Bob');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 60 });
      await f.act('Olga', 'setAllowance', { member: f.id('Bob'), monthly: 40 });
      await f.propose('Ann', { connects: 60 });
      await f.propose('Bob', { connects: 40 });
    });
    const d = f.derive();
    expect(d.state.balance).toBe(0);
    for (const name of ['Ann', 'Bob', 'Olga']) {
      const s = connectsSummary(d.state, DEC, f.id(name));
      expect(s.month).toBe('2026-12');
      expect(s.spendable, `${name} may not be offered Connects the agency does not have`).toBe(0);
      expect(s.reserved).toBe(0);
      expect(s.availableToTeam).toBe(0);
      if (name !== 'Olga') expect(s.allowanceLeft).toBe(0);
    }
    expect(connectsSummary(d.state, DEC, null).reserved).toBe(0);
  });

  it('D2: an agency spend in December with a balance of 0 is flagged as an overdraft, allowance or not', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 60 });
      await f.propose('Olga', { connects: 40 });
      await f.propose('Ann', { connects: 60 });
    });
    const dec = await f.propose('Ann', { connects: 10 }, { at: DEC });
    const d = f.derive();
    flagged(d, dec, ['P1']);
    expect(d.state.balance).toBe(-10);
  });

  it('D2: a November shrink lowers November’s reservation only; the grant stands and renews in December (issue 9, item 4)', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.join('Bob');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 60 });
    });
    const obs = await f.act('Bob', 'observeBalance', { balance: 30 });
    const nov = f.derive();
    flagged(nov, obs, ['P4']);
    expect(connectsSummary(nov.state, obs.at + MINUTE, f.id('Ann'))).toMatchObject({
      balance: 30,
      reserved: 30,
      allowanceLeft: 30,
      availableToTeam: 0,
    });
    expect(nov.state.members[f.id('Ann')]?.allowance, 'the manager’s grant stands').toBe(60);

    await f.act('Olga', 'recordPurchase', { connects: 100 }, { at: DEC });
    const spend = await f.propose('Ann', { connects: 50 }, { at: DEC + MINUTE });
    const d = f.derive();
    clean(d, spend, '(50 of a renewed 60)');
    expect(connectsSummary(d.state, DEC + 2 * MINUTE, f.id('Ann'))).toMatchObject({
      month: '2026-12',
      balance: 80,
      allowance: 60,
      allowanceLeft: 10,
      reserved: 10,
      availableToTeam: 70,
    });
  });

  it('D2: at the start of a month renewed grants beyond the balance shrink by the same rule (proportionally)', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.join('Bob');
      await f.join('Cy');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 60 });
      await f.act('Olga', 'setAllowance', { member: f.id('Bob'), monthly: 40 });
      await f.propose('Ann', { connects: 60 }); // November: 40 left, all Bob's
    });
    const d = f.derive();
    expect(d.state.balance).toBe(40);
    // December: grants of 60 and 40 renew, but only 40 exist: 60·40/100 = 24 and 40·40/100 = 16.
    expect(connectsSummary(d.state, DEC, f.id('Ann'))).toMatchObject({
      reserved: 40,
      allowanceLeft: 24,
      spendable: 24,
      availableToTeam: 0,
    });
    expect(connectsSummary(d.state, DEC, f.id('Bob'))).toMatchObject({ allowanceLeft: 16, spendable: 16 });
    expect(connectsSummary(d.state, DEC, f.id('Cy')).spendable).toBe(0);
  });

  it('D2: no summary offers more than the balance, at any moment of the month, for any member', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.join('Bob');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 50 });
      await f.act('Olga', 'setAllowance', { member: f.id('Bob'), monthly: 30 });
      await f.propose('Bob', { connects: 30 });
      await f.act('Ann', 'observeBalance', { balance: 25 });
      await f.propose('Olga', { connects: 20 });
    });
    const d = f.derive();
    for (const now of [f.now, f.now + DAY, DEC, Date.UTC(2027, 0, 3)]) {
      for (const who of [f.id('Ann'), f.id('Bob'), f.id('Olga'), null]) {
        const s = connectsSummary(d.state, now, who);
        const room = Math.max(0, d.state.balance);
        expect(s.spendable, `spendable on ${monthOf(now)}`).toBeLessThanOrEqual(room);
        expect(s.reserved).toBeLessThanOrEqual(room);
        expect(s.availableToTeam).toBeGreaterThanOrEqual(0);
        if (s.allowanceLeft !== null) expect(s.allowanceLeft).toBeLessThanOrEqual(room);
      }
    }
  });

  it('D2: leaving releases a reservation, as removal does', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.join('Bob');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 60 });
      await f.act('Ann', 'leaveAgency', {});
    });
    const d = f.derive();
    expect(connectsSummary(d.state, f.now, f.id('Bob'))).toMatchObject({
      reserved: 0,
      availableToTeam: 100,
      spendable: 100,
    });
    expect(connectsSummary(d.state, DEC, null).reserved).toBe(0);
  });

  it('D2: a proposal recorded for a removed member does not eat another member’s reservation (issue 9, item 7)', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.join('Bob');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 60 });
      await f.act('Olga', 'setAllowance', { member: f.id('Bob'), monthly: 40 });
      await f.act('Olga', 'removeMember', { member: f.id('Ann') });
    });
    // Ann's 60 were released: 60 unreserved, Bob's 40 reserved. 70 for Ann takes 10 of Bob's.
    const forAnn = await f.propose('Olga', { member: f.id('Ann'), connects: 70 });
    const d = f.derive();
    flagged(d, forAnn, ['P1'], '(it drew on the unreserved pool and overdrew it)');
    notFlagged(d, forAnn, 'P4', '(no stale allowance of Ann’s is drawn on)');
    expect(d.state.balance).toBe(30);
    expect(connectsSummary(d.state, f.now, f.id('Bob'))).toMatchObject({ allowanceLeft: 30, reserved: 30 });
  });
});

// --- D3 -----------------------------------------------------------------------------------------------------

describe('D3: a lowered allowance is judged by what the member knew', () => {
  it('D3: a spend within the allowance is not flagged when a manager concurrently lowers it; nothing is left after', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 30 });
    });
    const base = f.heads();
    const spend = await f.propose('Ann', { connects: 25 }, { deps: base });
    const lower = await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 10 }, { deps: base });
    inBothOrders(f, (d, order) => {
      clean(d, spend, order);
      applied(d, lower, order);
      expect(d.state.balance).toBe(75);
      // left = max(0, 10 − 25)
      expect(connectsSummary(d.state, f.now, f.id('Ann'))).toMatchObject({
        allowance: 10,
        allowanceLeft: 0,
        reserved: 0,
        availableToTeam: 75,
      });
    });
  });

  it('D3: the new allowance applies to what is left of the month (left = new − spent)', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 30 });
    });
    const base = f.heads();
    const spend = await f.propose('Ann', { connects: 25 }, { deps: base });
    await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 40 }, { deps: base });
    inBothOrders(f, (d, order) => {
      clean(d, spend, order);
      expect(connectsSummary(d.state, f.now, f.id('Ann')), order).toMatchObject({
        allowanceLeft: 15,
        reserved: 15,
      });
    });
    const next = await f.propose('Ann', { connects: 20 });
    flagged(f.derive(), next, ['P4'], '(20 beyond the 15 left of the new allowance)');
  });
});

// --- D4 -----------------------------------------------------------------------------------------------------

describe('D4: the owner', () => {
  const withManagers = () =>
    agency(100, async (f) => {
      await f.join('Max', { role: 'manager' });
      await f.join('Ann');
    });

  it('D4: a junior business manager cannot demote the owner (issue 9, item 3)', async () => {
    const f = await withManagers();
    const demote = await f.act('Max', 'changeRole', { member: f.id('Olga'), role: 'member' });
    const d = f.derive();
    refusedBy(d, demote, ['D4']);
    expect(d.state.members[f.id('Olga')]).toMatchObject({ role: 'manager', status: 'active' });
    expect(d.state.ownerId).toBe(f.id('Olga'));
    ownerHolds(d);
  });

  it('D4: a junior business manager cannot remove the owner (issue 9, item 3)', async () => {
    const f = await withManagers();
    const remove = await f.act('Max', 'removeMember', { member: f.id('Olga') });
    const d = f.derive();
    refusedBy(d, remove, ['D4']);
    expect(d.state.members[f.id('Olga')]?.status).toBe('active');
    ownerHolds(d);
  });

  it('D4: the owner cannot demote themselves away, even with another manager beside them', async () => {
    const f = await withManagers();
    const self = await f.act('Olga', 'changeRole', { member: f.id('Olga'), role: 'member' });
    const d = f.derive();
    refusedBy(d, self, ['D4']);
    ownerHolds(d);
  });

  it('D4: ownership moves when the owner leaves, to the successor they name, who becomes a business manager', async () => {
    const f = await withManagers();
    const leave = await f.act('Olga', 'leaveAgency', { successor: f.id('Ann') });
    const d = f.derive();
    clean(d, leave);
    expect(d.state.ownerId).toBe(f.id('Ann'));
    expect(d.state.members[f.id('Ann')]).toMatchObject({ role: 'manager', status: 'active' });
    expect(d.state.members[f.id('Olga')]?.status).toBe('left');
    ownerHolds(d);
  });

  it('D4: a successor who is already a business manager becomes the owner', async () => {
    const f = await withManagers();
    await f.act('Olga', 'leaveAgency', { successor: f.id('Max') });
    const d = f.derive();
    expect(d.state.ownerId).toBe(f.id('Max'));
    ownerHolds(d);
  });

  it('D4: the new owner is protected in turn — a manager senior to them still cannot demote or remove them', async () => {
    const f = await withManagers();
    await f.act('Olga', 'leaveAgency', { successor: f.id('Ann') });
    const demote = await f.act('Max', 'changeRole', { member: f.id('Ann'), role: 'member' });
    const remove = await f.act('Max', 'removeMember', { member: f.id('Ann') });
    const d = f.derive();
    refusedBy(d, demote, ['D4']);
    refusedBy(d, remove, ['D4']);
    expect(d.state.ownerId).toBe(f.id('Ann'));
    ownerHolds(d);
  });

  it('D4: the new owner cannot demote themselves either (found by the coverage generator)', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
    });
    await f.act('Olga', 'leaveAgency', { successor: f.id('Ann') });
    const self = await f.act('Ann', 'changeRole', { member: f.id('Ann'), role: 'member' });
    const d = f.derive();
    refusedBy(d, self, ['D4']);
    expect(d.state.ownerId).toBe(f.id('Ann'));
    ownerHolds(d);
  });

  it('D4: the successor demoting themselves while the owner leaves naming them stays a manager and becomes the owner, in both orders', async () => {
    const f = await withManagers();
    const base = f.heads();
    const leave = await f.act('Olga', 'leaveAgency', { successor: f.id('Max') }, { deps: base });
    const self = await f.act('Max', 'changeRole', { member: f.id('Max'), role: 'member' }, { deps: base });
    inBothOrders(f, (d, order) => {
      applied(d, leave, order);
      refusedBy(d, self, ['D4'], order);
      expect(d.state.ownerId, order).toBe(f.id('Max'));
      expect(d.state.members[f.id('Olga')]?.status, order).toBe('left');
      ownerHolds(d);
    });
  });

  it('D4: a successor who demoted themselves before the owner named them is made a manager by the leave', async () => {
    const f = await withManagers();
    await f.act('Max', 'changeRole', { member: f.id('Max'), role: 'member' });
    await f.act('Olga', 'leaveAgency', { successor: f.id('Max') });
    const d = f.derive();
    expect(d.state.ownerId).toBe(f.id('Max'));
    ownerHolds(d);
  });

  it('D4: the owner cannot leave without naming a successor, even when other managers remain', async () => {
    const f = await withManagers();
    const leave = await f.act('Olga', 'leaveAgency', {});
    const d = f.derive();
    refusedBy(d, leave, ['D4', 'P3']);
    expect(d.state.ownerId).toBe(f.id('Olga'));
    ownerHolds(d);
  });

  it('D4: a demotion of the owner concurrent with the owner’s own manager intents is refused, whatever order', async () => {
    const f = await withManagers();
    const base = f.heads();
    const demote = await f.act('Max', 'changeRole', { member: f.id('Olga'), role: 'member' }, { deps: base });
    const buy = await f.act('Olga', 'recordPurchase', { connects: 50 }, { deps: base });
    inBothOrders(f, (d, order) => {
      refusedBy(d, demote, ['D4'], order);
      clean(d, buy, order);
      expect(d.state.balance).toBe(150);
      ownerHolds(d);
    });
  });

  it('D4: the owner demoting or removing a manager who concurrently tries the same on the owner wins', async () => {
    const f = await withManagers();
    const base = f.heads();
    const olga = await f.act('Olga', 'removeMember', { member: f.id('Max') }, { deps: base });
    const max = await f.act('Max', 'removeMember', { member: f.id('Olga') }, { deps: base });
    inBothOrders(f, (d, order) => {
      applied(d, olga, order);
      refusedAtAll(d, max, order);
      expect(d.state.members[f.id('Max')]?.status).toBe('removed');
      ownerHolds(d);
    });
  });
});

// --- D5 -----------------------------------------------------------------------------------------------------

describe('D5: strong remove covers authority, not a list of types', () => {
  // Olga (owner), Max (business manager, non-exclusive), Ann and Bob (plain members).
  const team = () =>
    agency(100, async (f) => {
      await f.join('Max', { role: 'manager', relationship: 'non-exclusive' });
      await f.join('Ann');
      await f.join('Bob');
    });
  // Refused because the demotion took the authority it needed: D5 itself, or the rule a plain member's
  // attempt would break.
  const demoted = (rule: string) => ['D5', 'P2', rule];

  it('D5: a demoted manager’s concurrent milestone on a teammate’s contract is refused (issue 9, item 6)', async () => {
    const f = await team();
    const id = await contract(f, 'Ann', FIXED);
    const base = f.heads();
    await f.act('Olga', 'changeRole', { member: f.id('Max'), role: 'member' }, { deps: base });
    const m = await f.act(
      'Max',
      'submitMilestone',
      { contract: id, milestone: 'm1', title: 'Final', amount: 80_000 },
      { deps: base },
    );
    inBothOrders(f, (d, order) => {
      refusedBy(d, m, demoted('R4'), order);
      expect(contractOf(d, id)?.milestones, order).toEqual([]);
    });
  });

  it('D5: a demoted manager’s concurrent milestone on his own contract stands (a freelancer may)', async () => {
    const f = await team();
    const id = await contract(f, 'Max', FIXED);
    const base = f.heads();
    await f.act('Olga', 'changeRole', { member: f.id('Max'), role: 'member' }, { deps: base });
    const m = await f.act(
      'Max',
      'submitMilestone',
      { contract: id, milestone: 'm1', title: 'Mine', amount: 10_000 },
      { deps: base },
    );
    inBothOrders(f, (d, order) => {
      clean(d, m, order);
      expect(contractOf(d, id)?.milestones.map((x) => x.id)).toEqual(['m1']);
    });
  });

  it('D5: a demoted manager’s concurrent browser for another member is refused: he keeps no key that signs as her (issue 9, item 6)', async () => {
    const f = await team();
    const base = f.heads();
    await f.act('Olga', 'changeRole', { member: f.id('Max'), role: 'member' }, { deps: base });
    const invite = f.inviteKey();
    const grant = await f.act(
      'Max',
      'grantDeviceInvite',
      { invite: invite.publicKey, member: f.id('Ann'), expiresAt: f.now + DAY },
      { deps: base },
    );
    const held = f.deviceKey('Max', 'as-ann');
    const join = await f.joinWith('Ann', invite, { signer: held, deps: [grant.id], label: 'max-laptop' });
    const asAnn = await f.propose('Ann', { connects: 5 }, { signer: held, deps: [join.id] });
    inBothOrders(f, (d, order) => {
      refusedBy(d, grant, demoted('P2'), order);
      refusedAtAll(d, join, order);
      refusedAtAll(d, asAnn, order);
      expect(d.state.keys[held.keyId]?.active ?? false, order).toBe(false);
      expect(d.state.members[f.id('Ann')]?.keys).toEqual([f.id('Ann')]);
      expect(d.state.balance).toBe(100);
    });
  });

  // D5 takes from a concurrent action what needed the manager's authority; a leave itself needs none (R11:
  // a member may leave at any time), so the leave stands and only the promotion it carried is refused.
  it('D5: a leave naming a successor, concurrent with the leaver’s demotion, promotes nobody (issue 9, item 6)', async () => {
    const f = await team();
    const base = f.heads();
    const demote = await f.act('Olga', 'changeRole', { member: f.id('Max'), role: 'member' }, { deps: base });
    const leave = await f.act('Max', 'leaveAgency', { successor: f.id('Ann') }, { deps: base });
    inBothOrders(f, (d, order) => {
      applied(d, demote, order);
      applied(d, leave, order);
      expect(d.state.members[f.id('Ann')]?.role, order).toBe('member');
      expect(d.state.members[f.id('Max')]).toMatchObject({ role: 'member', status: 'left' });
      ownerHolds(d);
    });
  });

  it('D5: an invite granted concurrently with the granter’s demotion is refused, and admits nobody', async () => {
    const f = await team();
    const base = f.heads();
    await f.act('Olga', 'changeRole', { member: f.id('Max'), role: 'member' }, { deps: base });
    const { invite, grant } = await f.invite('Max', { deps: base });
    const join = await f.joinWith('Cy', invite, { deps: [grant.id] });
    inBothOrders(f, (d, order) => {
      refusedBy(d, grant, demoted('P2'), order);
      refusedAtAll(d, join, order);
      expect(d.state.members[f.id('Cy')], order).toBeUndefined();
    });
  });

  it('D5: every concurrent manager-only intent of the demoted manager is refused, whatever its type', async () => {
    const f = await team();
    const id = await contract(f, 'Ann', HOURLY);
    const { id: open } = await offer(f, 'Bob', { terms: HOURLY });
    const base = f.heads();
    await f.act('Olga', 'changeRole', { member: f.id('Max'), role: 'member' }, { deps: base });
    const intents: [Action, string][] = [
      [await f.act('Max', 'acceptOffer', { offer: open }, { deps: base }), 'R2'],
      [
        await f.act(
          'Max',
          'editContractTerms',
          { contract: id, terms: { kind: 'hourly', hourlyRate: 9000 } },
          { deps: base },
        ),
        'R3',
      ],
      [await f.act('Max', 'setAllowance', { member: f.id('Bob'), monthly: 10 }, { deps: base }), 'P2'],
      [await f.act('Max', 'recordPurchase', { connects: 50 }, { deps: base }), 'P2'],
      [await f.act('Max', 'removeMember', { member: f.id('Bob') }, { deps: base }), 'P2'],
      [
        await f.act(
          'Max',
          'changeRelationship',
          { member: f.id('Ann'), relationship: 'non-exclusive' },
          {
            deps: base,
          },
        ),
        'P2',
      ],
    ];
    inBothOrders(f, (d, order) => {
      for (const [a, rule] of intents) refusedBy(d, a, demoted(rule), order);
      expect(d.state.contracts[open], order).toBeUndefined();
      expect(d.state.balance).toBe(100);
      expect(d.state.members[f.id('Bob')]?.status).toBe('active');
    });
  });

  it('D5: what a plain member could do too stands — his own independent offer, his own settings, his facts (issue 9, item 6)', async () => {
    const f = await team();
    await f.propose('Max', { job: '~0own', as: 'independent' });
    const { id } = await offer(f, 'Max', { as: 'independent', job: '~0own', terms: HOURLY });
    const base = f.heads();
    await f.act('Olga', 'changeRole', { member: f.id('Max'), role: 'member' }, { deps: base });
    // Max's browser chains its own writes (key-chain.ts), all concurrent with the demotion
    const accept = await f.act('Max', 'acceptOffer', { offer: id }, { deps: base });
    const team_ = await f.act(
      'Max',
      'setDefaultTeam',
      { member: f.id('Max'), team: 'agency' },
      { deps: [accept.id] },
    );
    const seen = await f.act('Max', 'observeBalance', { balance: 90 }, { deps: [team_.id] });
    const spend = await f.propose('Max', { connects: 10 }, { deps: [seen.id] });
    inBothOrders(f, (d, order) => {
      clean(d, accept, order);
      clean(d, team_, order);
      clean(d, seen, order);
      clean(d, spend, order);
      expect(contractOf(d, id)?.payee, order).toBe(f.id('Max'));
      expect(d.state.members[f.id('Max')]?.defaultTeam).toBe('agency');
    });
  });

  it('D5: a removal refuses every concurrent intent of the removed member, manager or not, and keeps their facts', async () => {
    const f = await team();
    const base = f.heads();
    await f.act('Olga', 'removeMember', { member: f.id('Max') }, { deps: base });
    // Max's browser chains its own writes (key-chain.ts), all concurrent with the removal
    const own = await f.act('Max', 'setDefaultTeam', { member: f.id('Max'), team: 'agency' }, { deps: base });
    const buy = await f.act('Max', 'recordPurchase', { connects: 50 }, { deps: [own.id] });
    const spend = await f.propose('Max', { connects: 10 }, { deps: [buy.id] });
    inBothOrders(f, (d, order) => {
      refusedBy(d, own, ['P6', 'D5'], order);
      refusedBy(d, buy, ['P6', 'D5'], order);
      flagged(d, spend, ['P6'], order);
      // D13 (issue 8, item 7): a removed member's fact concurrent with the removal is history, not state
      expect(d.state.balance).toBe(100);
    });
  });
});

// --- D6 -----------------------------------------------------------------------------------------------------

describe('D6: facts survive key removal races', () => {
  async function withLaptop() {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
    });
    const { signer: laptop } = await f.addBrowser('Ann', 'laptop');
    return { f, laptop, t: f.now };
  }
  const removeLaptop = (f: AgencyFixture, laptop: { publicKey: Uint8Array }, opts: object) =>
    f.act('Ann', 'removeDeviceKey', { member: f.id('Ann'), key: laptop.publicKey }, opts);

  it('D6: a proposal from a browser whose removal is concurrent, stamped before it, is kept and flagged P6 (issue 9, item 5)', async () => {
    const { f, laptop, t } = await withLaptop();
    const base = f.heads();
    await removeLaptop(f, laptop, { deps: base, at: t + 10 * MINUTE });
    const p = await f.propose('Ann', { connects: 16 }, { deps: base, at: t + 5 * MINUTE, signer: laptop });
    inBothOrders(f, (d, order) => {
      flagged(d, p, ['P6'], order);
      expect(
        d.state.proposals.map((x) => x.id),
        order,
      ).toContain(p.id);
      expect(d.state.balance, `its Connects left the balance ${order}`).toBe(84);
    });
  });

  it('D6: a fact stamped after a concurrent removal of its key is refused, whatever order', async () => {
    const { f, laptop, t } = await withLaptop();
    const base = f.heads();
    await removeLaptop(f, laptop, { deps: base, at: t + 10 * MINUTE });
    const p = await f.propose('Ann', { connects: 16 }, { deps: base, at: t + 15 * MINUTE, signer: laptop });
    inBothOrders(f, (d, order) => {
      refusedAtAll(d, p, order);
      expect(d.state.balance).toBe(100);
    });
  });

  it('D6: a fact whose key removal is in its causal past is refused', async () => {
    const { f, laptop } = await withLaptop();
    const removal = await removeLaptop(f, laptop, {});
    const p = await f.propose('Ann', { connects: 16 }, { deps: [removal.id], signer: laptop });
    const d = f.derive();
    refusedAtAll(d, p);
    expect(d.state.balance).toBe(100);
  });

  it('D6: an intent signed by a browser key concurrently removed is refused, whatever order (strong remove of a key)', async () => {
    const { f, laptop, t } = await withLaptop();
    const base = f.heads();
    await removeLaptop(f, laptop, { deps: base, at: t + 10 * MINUTE });
    const intent = await f.act(
      'Ann',
      'setDefaultTeam',
      { member: f.id('Ann'), team: 'agency' },
      { deps: base, at: t + 5 * MINUTE, signer: laptop },
    );
    inBothOrders(f, (d, order) => {
      refusedAtAll(d, intent, order);
      expect(d.state.members[f.id('Ann')]?.defaultTeam).toBeNull();
    });
  });
});

// --- D7 -----------------------------------------------------------------------------------------------------

describe('D7: invites die with their issuer’s authority', () => {
  const invalid = ['D7', 'P2'];
  const withMax = () =>
    agency(100, async (f) => {
      await f.join('Max', { role: 'manager' });
      await f.join('Ann');
    });

  it('D7: an invite granted by a manager later demoted admits nobody', async () => {
    const f = await withMax();
    const { invite } = await f.invite('Max');
    await f.act('Olga', 'changeRole', { member: f.id('Max'), role: 'member' });
    const join = await f.joinWith('Cy', invite);
    const d = f.derive();
    refusedBy(d, join, invalid);
    expect(d.state.members[f.id('Cy')]).toBeUndefined();
  });

  it('D7: an invite granted by a manager later removed admits nobody', async () => {
    const f = await withMax();
    const { invite } = await f.invite('Max');
    await f.act('Olga', 'removeMember', { member: f.id('Max') });
    const join = await f.joinWith('Cy', invite);
    refusedBy(f.derive(), join, invalid);
  });

  it('D7: an invite granted by a manager who left admits nobody', async () => {
    const f = await withMax();
    const { invite } = await f.invite('Max');
    await f.act('Max', 'leaveAgency', {});
    const join = await f.joinWith('Cy', invite);
    refusedBy(f.derive(), join, invalid);
  });

  it('D7: a browser invite a manager made for a member dies with his authority; the member’s own does not', async () => {
    const f = await withMax();
    const byMax = f.inviteKey();
    await f.act('Max', 'grantDeviceInvite', {
      invite: byMax.publicKey,
      member: f.id('Ann'),
      expiresAt: f.now + DAY,
    });
    const own = f.inviteKey();
    await f.act('Ann', 'grantDeviceInvite', {
      invite: own.publicKey,
      member: f.id('Ann'),
      expiresAt: f.now + DAY,
    });
    await f.act('Olga', 'changeRole', { member: f.id('Max'), role: 'member' });
    const phone = f.deviceKey('Ann', 'phone');
    const tablet = f.deviceKey('Ann', 'tablet');
    const viaMax = await f.joinWith('Ann', byMax, { signer: phone, label: 'phone' });
    const viaOwn = await f.joinWith('Ann', own, { signer: tablet, label: 'tablet' });
    const d = f.derive();
    refusedBy(d, viaMax, invalid);
    clean(d, viaOwn);
    expect(d.state.members[f.id('Ann')]?.keys).toEqual([f.id('Ann'), tablet.keyId]);
  });

  it('D7: an invite admits one browser once', async () => {
    const f = await withMax();
    const { invite } = await f.invite('Olga');
    const first = await f.joinWith('Cy', invite);
    const again = await f.joinWith('Dee', invite);
    const d = f.derive();
    clean(d, first);
    refusedBy(d, again, invalid);
    expect(d.state.members[f.id('Dee')]).toBeUndefined();
  });

  it('D7: a join concurrent with its issuer’s demotion gets one verdict, whatever order', async () => {
    const f = await withMax();
    const { invite } = await f.invite('Max');
    const base = f.heads();
    await f.act('Olga', 'changeRole', { member: f.id('Max'), role: 'member' }, { deps: base });
    await f.joinWith('Cy', invite, { deps: base });
    inBothOrders(f, () => {});
  });
});

// --- D8 -----------------------------------------------------------------------------------------------------

describe('D8: where a contract’s money goes', () => {
  const team = () =>
    agency(100, async (f) => {
      await f.join('Ann'); // exclusive
      await f.join('Nia', { relationship: 'non-exclusive' });
    });

  it('D8: an exclusive member’s “independent” offer is the agency’s: flagged R7, she cannot accept it, it pays the agency (issue 9, item 2)', async () => {
    const f = await team();
    const { id, action } = await offer(f, 'Ann', { as: 'independent', terms: HOURLY });
    const own = await f.act('Ann', 'acceptOffer', { offer: id });
    const byManager = await f.act('Olga', 'acceptOffer', { offer: id });
    const pay = await f.act('Olga', 'recordPayout', { contract: id, amount: 9000 });
    const d = f.derive();
    flagged(d, action, ['R7']);
    refusedBy(d, own, ['R2']);
    applied(d, byManager);
    applied(d, pay);
    expect(contractOf(d, id)?.payee).toBe('agency');
    expect(d.state.payouts.at(-1)).toMatchObject({ id: pay.id, payee: 'agency' });
  });

  it('D8: an offer on a job proposed to as the agency is an agency offer: flagged R8, accepted by a manager only', async () => {
    const f = await team();
    await f.propose('Nia', { job: '~0shop', as: 'agency' });
    const { id, action } = await offer(f, 'Nia', { as: 'independent', job: '~0shop', terms: FIXED });
    const own = await f.act('Nia', 'acceptOffer', { offer: id });
    const byManager = await f.act('Olga', 'acceptOffer', { offer: id });
    const d = f.derive();
    flagged(d, action, ['R8']);
    refusedBy(d, own, ['R2']);
    applied(d, byManager);
    expect(contractOf(d, id)?.payee).toBe('agency');
  });

  it('D8: a non-exclusive member’s independent offer on her independent proposal is hers: she accepts, it pays her', async () => {
    const f = await team();
    await f.propose('Nia', { job: '~0gig', as: 'independent' });
    const { id, action } = await offer(f, 'Nia', { as: 'independent', job: '~0gig', terms: HOURLY });
    const own = await f.act('Nia', 'acceptOffer', { offer: id });
    const d = f.derive();
    clean(d, action);
    clean(d, own);
    expect(contractOf(d, id)?.payee).toBe(f.id('Nia'));
  });

  it('D8: accepting an agency offer needs a business manager in every case — not the member, not a teammate', async () => {
    const f = await team();
    const { id } = await offer(f, 'Nia', { as: 'agency' });
    const own = await f.act('Nia', 'acceptOffer', { offer: id });
    const teammate = await f.act('Ann', 'acceptOffer', { offer: id });
    const d = f.derive();
    refusedBy(d, own, ['R2']);
    refusedBy(d, teammate, ['R2']);
    expect(d.state.contracts[id]).toBeUndefined();
  });
});

// --- D9 -----------------------------------------------------------------------------------------------------

describe('D9: refunds go back where the Connects came from', () => {
  it('D9: a refund on a job with an agency proposal credits the pool; on a job with only independent proposals it has no agency effect', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.join('Nia', { relationship: 'non-exclusive' });
    });
    await f.propose('Ann', { job: '~0agency', connects: 16 });
    await f.propose('Nia', { job: '~0own', as: 'independent', connects: 12 });
    const agencyRefund = await f.act('Ann', 'refundConnects', { job: '~0agency', connects: 16 });
    const ownRefund = await f.act('Nia', 'refundConnects', { job: '~0own', connects: 12 });
    const d = f.derive();
    applied(d, agencyRefund);
    applied(d, ownRefund);
    expect(d.state.balance).toBe(100);
    expect(d.state.ledger.filter((e) => e.kind === 'refund').map((e) => e.id)).toEqual([agencyRefund.id]);
    expect(connectsSummary(d.state, f.now, null).since.refunded).toBe(16);
  });

  it('D9: a job with both an agency and an independent proposal is refunded to the pool', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.join('Nia', { relationship: 'non-exclusive' });
    });
    await f.propose('Nia', { job: '~0both', as: 'independent', connects: 10 });
    await f.propose('Ann', { job: '~0both', connects: 10 });
    await f.act('Ann', 'refundConnects', { job: '~0both', connects: 10 });
    expect(f.derive().state.balance).toBe(100);
  });
});

// --- D10 ----------------------------------------------------------------------------------------------------

describe('D10: a contract’s kind never changes', () => {
  it('D10: editing an hourly agency contract into a fixed-price one is refused; the rate can change', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
    });
    const id = await contract(f, 'Ann', HOURLY);
    const toFixed = await f.act('Olga', 'editContractTerms', { contract: id, terms: FIXED });
    const rate = await f.act('Olga', 'editContractTerms', {
      contract: id,
      terms: { kind: 'hourly', hourlyRate: 6000 },
    });
    const d = f.derive();
    refusedBy(d, toFixed, ['D10', 'R3']);
    clean(d, rate);
    expect(contractOf(d, id)).toMatchObject({ kind: 'hourly', termsBy: rate.id });
  });

  it('D10: a fixed-price contract stays fixed-price', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
    });
    const id = await contract(f, 'Ann', FIXED);
    const toHourly = await f.act('Olga', 'editContractTerms', { contract: id, terms: HOURLY });
    const log = await f.act('Ann', 'logTime', { contract: id, minutes: 60, day: '2026-11-03' });
    const d = f.derive();
    refusedBy(d, toHourly, ['D10', 'R3']);
    refusedBy(d, log, ['R5']);
    expect(contractOf(d, id)?.kind).toBe('fixed');
    expect(contractOf(d, id)?.termsBy).not.toBe(toHourly.id);
  });

  it('D10: not even the member changes the kind of her own independent contract', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Nia', { relationship: 'non-exclusive' });
    });
    await f.propose('Nia', { job: '~0gig', as: 'independent' });
    const { id } = await offer(f, 'Nia', { as: 'independent', job: '~0gig', terms: FIXED });
    await f.act('Nia', 'acceptOffer', { offer: id });
    const toHourly = await f.act('Nia', 'editContractTerms', { contract: id, terms: HOURLY });
    const amount = await f.act('Nia', 'editContractTerms', {
      contract: id,
      terms: { kind: 'fixed', amount: 99_000 },
    });
    const d = f.derive();
    refusedBy(d, toHourly, ['D10', 'R8']);
    clean(d, amount);
    expect(contractOf(d, id)).toMatchObject({ kind: 'fixed', termsBy: amount.id });
  });
});

// --- D11 ----------------------------------------------------------------------------------------------------

describe('D11: work records are records', () => {
  it('D11: a milestone submitted again is the same milestone', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
    });
    const id = await contract(f, 'Ann', FIXED);
    await f.act('Ann', 'submitMilestone', {
      contract: id,
      milestone: 'm1',
      title: 'Sketches',
      amount: 40_000,
    });
    await f.act('Ann', 'submitMilestone', {
      contract: id,
      milestone: 'm1',
      title: 'Sketches',
      amount: 40_000,
    });
    await f.act('Olga', 'submitMilestone', { contract: id, milestone: 'm2', title: 'Final', amount: 80_000 });
    const d = f.derive();
    expect(contractOf(d, id)?.milestones.map((m) => m.id)).toEqual(['m1', 'm2']);
  });

  it('D11: the freelancer and a manager submitting the same milestone at once make one milestone, whatever order', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
    });
    const id = await contract(f, 'Ann', FIXED);
    const base = f.heads();
    await f.act(
      'Ann',
      'submitMilestone',
      { contract: id, milestone: 'm1', title: 'Draft', amount: 40_000 },
      {
        deps: base,
      },
    );
    await f.act(
      'Olga',
      'submitMilestone',
      { contract: id, milestone: 'm1', title: 'Draft', amount: 40_000 },
      {
        deps: base,
      },
    );
    inBothOrders(f, (d, order) => {
      expect(
        contractOf(d, id)?.milestones.map((m) => m.id),
        order,
      ).toEqual(['m1']);
    });
  });

  it('D11: every time log entry is kept with its day, minutes and who, so a week’s hours can be shown', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
    });
    const id = await contract(f, 'Ann', HOURLY);
    const { signer: laptop } = await f.addBrowser('Ann', 'laptop');
    await f.act('Ann', 'logTime', { contract: id, minutes: 90, day: '2026-11-03' });
    await f.act('Ann', 'logTime', { contract: id, minutes: 30, day: '2026-11-04' });
    const base = f.heads();
    // The same day and minutes from two browsers at once: two entries, not one.
    await f.act('Ann', 'logTime', { contract: id, minutes: 45, day: '2026-11-05' }, { deps: base });
    await f.act(
      'Ann',
      'logTime',
      { contract: id, minutes: 45, day: '2026-11-05' },
      {
        deps: base,
        signer: laptop,
      },
    );
    inBothOrders(f, (d, order) => {
      const c = contractOf(d, id)!;
      const entries = c.timeLog.map(({ day, minutes, by }) => ({ day, minutes, by }));
      const ann = f.id('Ann');
      expect(
        [...entries].sort((x, y) => x.day.localeCompare(y.day)),
        order,
      ).toEqual([
        { day: '2026-11-03', minutes: 90, by: ann },
        { day: '2026-11-04', minutes: 30, by: ann },
        { day: '2026-11-05', minutes: 45, by: ann },
        { day: '2026-11-05', minutes: 45, by: ann },
      ]);
      expect(new Set(c.timeLog.map((e) => e.id)).size).toBe(4);
      expect(c.minutesLogged).toBe(210);
    });
  });
});

// --- D12 ----------------------------------------------------------------------------------------------------

describe('D12: proposals for someone', () => {
  it('D12: a proposal recorded “for” an id that is no member is kept as the manager’s own, and flagged (issue 9, item 7)', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
    });
    const p = await f.propose('Olga', { member: f.id('Nobody'), connects: 10 });
    const d = f.derive();
    flagged(d, p, ['D12', 'P2']);
    expect(d.state.proposals.at(-1)).toMatchObject({
      id: p.id,
      member: f.id('Olga'),
      recordedBy: f.id('Olga'),
    });
    expect(d.state.spent[f.id('Olga')]?.[NOV]).toBe(10);
    expect(d.state.spent[f.id('Nobody')]).toBeUndefined();
    expect(d.state.balance).toBe(90);
  });

  it('D12: a proposal recorded for an active member is that member’s, unflagged', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 30 });
    });
    const p = await f.propose('Olga', { member: f.id('Ann'), connects: 10 });
    const d = f.derive();
    clean(d, p);
    expect(d.state.proposals.at(-1)).toMatchObject({ member: f.id('Ann'), recordedBy: f.id('Olga') });
    expect(connectsSummary(d.state, f.now, f.id('Ann')).allowanceLeft).toBe(20);
  });

  it('D12: a proposal recorded for a departed member is flagged and draws on the unreserved pool, never her stale allowance', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.join('Bob');
      await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 50 });
      await f.act('Olga', 'setAllowance', { member: f.id('Bob'), monthly: 50 });
      await f.act('Ann', 'leaveAgency', {});
    });
    const p = await f.propose('Olga', { member: f.id('Ann'), connects: 20 });
    const d = f.derive();
    expect(outcomeOf(d, p).refused).toBeNull();
    expect(outcomeOf(d, p).flags.length, 'flagged: it names no active member').toBeGreaterThan(0);
    notFlagged(d, p, 'P4');
    notFlagged(d, p, 'P1', '(20 of the 50 unreserved)');
    expect(connectsSummary(d.state, f.now, f.id('Bob'))).toMatchObject({ allowanceLeft: 50, reserved: 50 });
    expect(d.state.balance).toBe(80);
  });
});

// --- D13 ----------------------------------------------------------------------------------------------------

describe('D13: departed members’ facts are history, not state', () => {
  for (const how of ['removed', 'left'] as const) {
    it(`D13: a ${how} member’s observed balance and Upwork id are kept and flagged P6 but move nothing`, async () => {
      const f = await agency(100, async (f) => {
        await f.join('Ann');
        await f.act('Olga', 'learnUpworkId', { upworkId: '1111' });
      });
      if (how === 'removed') await f.act('Olga', 'removeMember', { member: f.id('Ann') });
      else await f.act('Ann', 'leaveAgency', {});
      const obs = await f.act('Ann', 'observeBalance', { balance: 5 });
      const id = await f.act('Ann', 'learnUpworkId', { upworkId: '2222' });
      const d = f.derive();
      flagged(d, obs, ['P6']);
      flagged(d, id, ['P6']);
      expect(d.state.balance).toBe(100);
      expect(d.state.observation?.id).not.toBe(obs.id);
      expect(d.state.upworkId).toBe('1111');
    });

    it(`D13: a ${how} member’s agency proposal recorded after leaving is kept and flagged P6, and its Connects do not move the balance`, async () => {
      const f = await agency(100, async (f) => {
        await f.join('Ann');
      });
      if (how === 'removed') await f.act('Olga', 'removeMember', { member: f.id('Ann') });
      else await f.act('Ann', 'leaveAgency', {});
      const p = await f.propose('Ann', { connects: 16 });
      const d = f.derive();
      flagged(d, p, ['P6']);
      expect(d.state.proposals.map((x) => x.id)).toContain(p.id);
      expect(d.state.balance).toBe(100);
    });
  }
});

// --- D14 ----------------------------------------------------------------------------------------------------

describe('D14: refusals name their rule', () => {
  it('D14: a bad successor on leaving is refused under P3 (issue 9, item 8)', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
      await f.join('Bob');
      await f.act('Bob', 'leaveAgency', {});
    });
    const self = await f.act('Olga', 'leaveAgency', { successor: f.id('Olga') });
    const stranger = await f.act('Olga', 'leaveAgency', { successor: f.id('Nobody') });
    const departed = await f.act('Olga', 'leaveAgency', { successor: f.id('Bob') });
    const d = f.derive();
    for (const a of [self, stranger, departed]) refusedBy(d, a, ['P3']);
    expect(d.state.members[f.id('Olga')]?.status).toBe('active');
  });

  it('D14: logging time on an unknown contract is refused under R5, a milestone on one under R4 (issue 9, item 8)', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Ann');
    });
    const log = await f.act('Ann', 'logTime', { contract: 'no-such', minutes: 30, day: '2026-11-03' });
    const milestone = await f.act('Ann', 'submitMilestone', {
      contract: 'no-such',
      milestone: 'm1',
      title: 'Ghost',
      amount: 100,
    });
    const terms = await f.act('Olga', 'editContractTerms', { contract: 'no-such', terms: FIXED });
    const d = f.derive();
    refusedBy(d, log, ['R5']);
    refusedBy(d, milestone, ['R4']);
    refusedBy(d, terms, ['R3']);
  });

  it('D14: every refusal and flag core can give names a rule of domain.md and reads as a sentence', () => {
    const rule = /^(R([1-9]|1[01])|P[1-6]|D([1-9]|1[0-5])|LOG)$/;
    for (const [code, v] of Object.entries(VERDICTS)) {
      expect(v.rule, code).toMatch(rule);
      expect(v.message, code).toMatch(/^[A-Z].{15,}[.!]$/);
    }
  });
});

// --- D15 ----------------------------------------------------------------------------------------------------

describe('D15: what Upwork hides stays hidden (core’s part)', () => {
  it('D15: verdicts never depend on rates, milestone amounts or payouts — a plain member’s view without them derives the same', async () => {
    const f = await agency(100, async (f) => {
      await f.join('Max', { role: 'manager' });
      await f.join('Ann');
      await f.join('Nia', { relationship: 'non-exclusive' });
    });
    const hourly = await contract(f, 'Ann', HOURLY);
    const fixed = await contract(f, 'Nia', FIXED);
    await f.act('Ann', 'logTime', { contract: hourly, minutes: 60, day: '2026-11-03' });
    await f.act('Max', 'editContractTerms', {
      contract: hourly,
      terms: { kind: 'hourly', hourlyRate: 5100 },
    });
    await f.act('Max', 'editContractTerms', { contract: fixed, terms: HOURLY });
    await f.act('Nia', 'submitMilestone', { contract: fixed, milestone: 'm1', title: 'One', amount: 50_000 });
    await f.act('Ann', 'submitMilestone', { contract: fixed, milestone: 'm2', title: 'Two', amount: 1 });
    await f.act('Max', 'submitMilestone', { contract: fixed, milestone: 'm1', title: 'One', amount: 70_000 });
    await f.act('Nia', 'recordPayout', { contract: fixed, amount: 50_000 });
    await f.act('Ann', 'recordPayout', { contract: 'unknown', amount: 7 });
    const { id } = await offer(f, 'Nia', { as: 'independent', terms: HOURLY });
    await f.act('Nia', 'acceptOffer', { offer: id });
    await f.act('Nia', 'recordPayout', { contract: id, amount: 1234 });
    const full = f.derive();
    const blind = derive(f.agencyId, withoutAmounts(f.actions));
    const verdicts = (d: Derivation) =>
      d.state.verdicts.map(({ id, kind, code, rule }) => ({ id, kind, code, rule }));
    expect(verdicts(blind)).toEqual(verdicts(full));
    expect(blind.state.counts).toEqual(full.state.counts);
    expect(Object.keys(blind.state.contracts).sort()).toEqual(Object.keys(full.state.contracts).sort());
    expect(blind.state.balance).toBe(full.state.balance);
    // and the state itself holds no amount: the same whatever the amounts were
    expect(JSON.stringify(blind.state)).toBe(JSON.stringify(full.state));
  });
});
