// D9 against an attacker: a refund is a fact any member records, with a job, a day and Connects of their
// choosing. Whatever they write — many rows, rows larger than the spend, rows at the same time on old
// dependencies, rows on jobs nobody proposed to, rows after leaving — the Connects a job's refunds restore
// never exceed what the agency spent on it (its proposals and boosts), and no verdict depends on which
// concurrent refund sorts first. Expected numbers are worked out by hand from domain.md.
import { describe, expect, it } from 'vitest';
import { type Action, applyActions, type Derivation, derive, PayloadSchemas } from '../../core/index.ts';
import { AgencyFixture, outcomeOf, T0 } from './support/agency.ts';

/** Olga (owner, 100 Connects), Ann and Bob; Ann spends 12 + a boost of 4 on ~0111 as the agency: 84. */
async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Ann');
  await f.join('Bob');
  await f.propose('Ann', { job: '~0111', connects: 12, boost: 4 });
  return f;
}

const day = (n: number) => `2026-10-${String(n).padStart(2, '0')}`;

/** Both tie-break orders: the same balance and the same outcome for every action. */
function inBothOrders(f: AgencyFixture, check: (d: Derivation) => void): void {
  const a = f.derive();
  const b = f.deriveReversed();
  check(a);
  check(b);
  const outcomes = (d: Derivation) => f.actions.map((x) => outcomeOf(d, x));
  expect(outcomes(b)).toEqual(outcomes(a));
  expect(b.state.balance).toBe(a.state.balance);
}

const refund = (f: AgencyFixture, who: string, connects: number, on: string, opts = {}) =>
  f.act(who, 'refundConnects', { job: '~0111', connects, on }, opts);

describe('D9: refunds restore no more than the agency spent on the job', () => {
  it('D9: a refund of what was spent (proposal and boost) restores all of it, unflagged', async () => {
    const f = await agency();
    const r = await refund(f, 'Ann', 16, day(30));
    const d = f.derive();
    expect(outcomeOf(d, r)).toEqual({ refused: null, flags: [] });
    expect(d.state.balance).toBe(100);
  });

  it('D9: a refund larger than the spend restores only the spend, and is flagged', async () => {
    const f = await agency();
    const r = await refund(f, 'Bob', 10_000, day(30));
    const d = f.derive();
    expect(outcomeOf(d, r)).toEqual({ refused: null, flags: ['D9'] });
    expect(d.state.balance).toBe(100);
  });

  it('D9: fifty refunds on new days restore the spend once: the balance never passes what it was', async () => {
    const f = await agency();
    const made: Action[] = [];
    for (let i = 1; i <= 50; i++) {
      made.push(
        await refund(
          f,
          i % 2 ? 'Bob' : 'Ann',
          16,
          `2026-${String(1 + (i % 10)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        ),
      );
      expect(f.derive().state.balance).toBeLessThanOrEqual(100);
    }
    const d = f.derive();
    expect(d.state.balance).toBe(100);
    expect(outcomeOf(d, made[0]!).flags).toEqual([]);
    for (const r of made.slice(1)) expect(outcomeOf(d, r).flags).toEqual(['D9']);
  });

  it('D9: refunds after a part came back restore only the rest', async () => {
    const f = await agency();
    const first = await refund(f, 'Ann', 10, day(28));
    const second = await refund(f, 'Bob', 10, day(29));
    const d = f.derive();
    expect(outcomeOf(d, first).flags).toEqual([]);
    expect(outcomeOf(d, second).flags).toEqual(['D9']);
    expect(d.state.balance).toBe(100); // 84 + 10 + 6
  });

  it('D9: two concurrent refunds that together exceed the spend restore it once, the later one flagged, in both orders', async () => {
    const f = await agency();
    const base = f.heads();
    const early = await refund(f, 'Ann', 16, day(29), { deps: base, at: T0 + 1000 });
    const late = await refund(f, 'Bob', 16, day(30), { deps: base, at: T0 + 2000 });
    inBothOrders(f, (d) => {
      expect(d.state.balance).toBe(100);
      expect(outcomeOf(d, early).flags).toEqual([]);
      expect(outcomeOf(d, late).flags).toEqual(['D9']);
    });
  });

  it('D9: twenty refunds written on the same old past restore the spend once, in both orders', async () => {
    const f = await agency();
    // twenty of Bob's browsers: one browser's writes always build on each other (key-chain.ts)
    const browsers = [];
    for (let i = 0; i < 20; i++) browsers.push((await f.addBrowser('Bob', `b${i}`)).signer);
    const base = f.heads();
    for (let i = 0; i < 20; i++)
      await refund(f, 'Bob', 16, day(1 + i), { deps: base, at: T0 + i, signer: browsers[i] });
    inBothOrders(f, (d) => expect(d.state.balance).toBe(100));
  });

  it('D9: the same result when the refunds arrive one by one at a replica as when derived at once', async () => {
    const f = await agency();
    const base = f.heads();
    await refund(f, 'Ann', 16, day(29), { deps: base, at: T0 + 2000 });
    await refund(f, 'Bob', 12, day(30), { deps: base, at: T0 + 1000 });
    await refund(f, 'Bob', 9, day(27));
    const full = f.derive();
    for (const order of [f.actions, [...f.actions].reverse()]) {
      let d = derive(f.agencyId, f.actions.slice(0, 5));
      for (const a of order) d = applyActions(d, [a]);
      expect(d.state.balance).toBe(full.state.balance);
      expect(d.state.verdicts.map((v) => [v.id, v.code]).sort()).toEqual(
        full.state.verdicts.map((v) => [v.id, v.code]).sort(),
      );
    }
    expect(full.state.balance).toBe(100);
  });

  it('D9: a refund on a job nobody proposed to as the agency restores nothing', async () => {
    const f = await agency();
    const r = await f.act('Bob', 'refundConnects', { job: '~0999', connects: 500, on: day(30) });
    const d = f.derive();
    expect(outcomeOf(d, r).refused).toBeNull();
    expect(d.state.balance).toBe(84);
  });

  it('D9: a later proposal on the job does not unlock what an earlier refund claimed beyond the spend', async () => {
    const f = await agency();
    await refund(f, 'Bob', 1000, day(28)); // 84 + 16
    await f.propose('Ann', { job: '~0111', connects: 12 }); // 88
    const d = f.derive();
    expect(d.state.balance).toBe(88);
    await refund(f, 'Ann', 12, day(29)); // the second proposal's refund: 100
    expect(f.derive().state.balance).toBe(100);
  });

  it('P6/D13: a refund recorded by a former member restores nothing and is flagged', async () => {
    const f = await agency();
    await f.act('Olga', 'removeMember', { member: f.id('Bob') });
    // Bob's browser writes on what it knew before the removal, a moment later
    const r = await refund(f, 'Bob', 16, day(30), { deps: f.heads(f.actions.slice(0, -1)) });
    const d = f.derive();
    expect(outcomeOf(d, r).flags).toContain('P6');
    expect(d.state.balance).toBe(84);
  });

  it('D9: a row dated after the day it was recorded is flagged and restores nothing', async () => {
    const f = await agency();
    const r = await refund(f, 'Bob', 16, '2026-11-20'); // recorded on 2 November
    const d = f.derive();
    expect(outcomeOf(d, r)).toEqual({ refused: null, flags: ['D9'] });
    expect(d.state.balance).toBe(84);
    // a row of the next day is fine in a time zone ahead of UTC
    const ok = await refund(f, 'Bob', 16, '2026-11-03', { at: T0 + 14 * 3_600_000 });
    expect(outcomeOf(f.derive(), ok).flags).toEqual([]);
    expect(f.derive().state.balance).toBe(100);
  });

  it('D9: a refund row is at most one proposal and its boost, on a real date', () => {
    const ok = (p: object) => PayloadSchemas.refundConnects.safeParse({ job: '~0111', ...p }).success;
    expect(ok({ connects: 11_000, on: '2026-11-02' })).toBe(true);
    expect(ok({ connects: 11_001, on: '2026-11-02' })).toBe(false);
    expect(ok({ connects: 0, on: '2026-11-02' })).toBe(false);
    expect(ok({ connects: 5, on: '2026-02-31' })).toBe(false);
    expect(ok({ connects: 5, on: '2026-13-01' })).toBe(false);
    expect(ok({ connects: 5, on: '1999-12-31' })).toBe(false);
    expect(ok({ connects: 5, on: '2028-02-29' })).toBe(true);
  });
});
