// Small pure helpers: canonical bytes (what ids and signatures cover), base64url, calendar months in the
// agency's time zone (P4), and the Connects summary the popup and overlay show.
import { describe, expect, it } from 'vitest';
import { canonicalText, connectsSummary, fromBase64Url, monthKey, toBase64Url } from '../../core/index.ts';
import { AgencyFixture } from './support/agency.ts';

describe('canonical text', () => {
  it('sorts keys, drops undefined, writes bytes as #base64url tokens and strings always quoted', () => {
    expect(canonicalText({ b: 1, a: [true, null, 'x'], c: undefined, d: new Uint8Array([255, 0]) })).toBe(
      '{"a":[true,null,"x"],"b":1,"d":#_wA}',
    );
    expect(canonicalText('#_wA')).toBe('"#_wA"');
    expect(canonicalText({ z: { y: 1, x: 2 } })).toBe(canonicalText({ z: { x: 2, y: 1 } }));
  });

  it('refuses values that have no canonical form', () => {
    expect(() => canonicalText(Number.NaN)).toThrow();
    expect(() => canonicalText(Number.POSITIVE_INFINITY)).toThrow();
    expect(() => canonicalText(() => 1)).toThrow();
    expect(() => canonicalText(10n)).toThrow();
  });
});

describe('base64url', () => {
  it('round-trips every length, without padding', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n) & 255);
      const text = toBase64Url(bytes);
      expect(text).not.toMatch(/[=+/]/);
      expect(fromBase64Url(text)).toEqual(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });

  it('returns null for text that is not base64url', () => {
    expect(fromBase64Url('abc$')).toBeNull();
    expect(fromBase64Url('a')).toBeNull();
    expect(fromBase64Url('é')).toBeNull();
  });
});

describe('P4: months in the agency’s time zone', () => {
  it('P4: a month boundary falls at local midnight', () => {
    const utc = Date.UTC(2026, 10, 30, 23, 30);
    expect(monthKey(utc, 'UTC')).toBe('2026-11');
    expect(monthKey(utc, 'Europe/Berlin')).toBe('2026-12');
    expect(monthKey(utc, 'America/New_York')).toBe('2026-11');
    expect(monthKey(Date.UTC(2026, 0, 1, 4, 59), 'America/New_York')).toBe('2025-12');
    expect(monthKey(Date.UTC(2026, 0, 1, 5, 0), 'America/New_York')).toBe('2026-01');
    expect(monthKey(Date.UTC(2026, 2, 31, 21, 45), 'Asia/Kathmandu')).toBe('2026-04'); // +05:45
  });
});

describe('connectsSummary', () => {
  it('shows the balance, what moved since Upwork’s number, what allowances hold back, and what a member may spend', async () => {
    const f = new AgencyFixture();
    await f.create('Olga', 100);
    await f.join('Ann');
    await f.join('Bob');
    await f.act('Olga', 'setAllowance', { member: f.id('Ann'), monthly: 30 });
    await f.propose('Ann', { connects: 10 });
    await f.propose('Bob', { job: '~0x', connects: 5, boost: 3 });
    await f.act('Bob', 'refundConnects', { job: '~0x', connects: 4 }); // D9: a job proposed to as the agency
    await f.act('Olga', 'recordPurchase', { connects: 20 });
    const d = f.derive();
    const now = f.now;
    expect(connectsSummary(d.state, now, f.id('Ann'))).toEqual({
      month: '2026-11',
      balance: 106,
      observed: { value: 100, at: d.state.observation!.at, source: 'manager', drift: null },
      since: { spent: 18, refunded: 4, purchased: 20 },
      reserved: 20,
      availableToTeam: 86,
      allowance: 30,
      allowanceLeft: 20,
      spendable: 106,
    });
    expect(connectsSummary(d.state, now, f.id('Bob'))).toMatchObject({ allowance: null, spendable: 86 });
    expect(connectsSummary(d.state, now, null)).toMatchObject({ allowance: null, allowanceLeft: null });
  });

  it('P1: nothing is spendable without a warning when the balance is overdrawn', async () => {
    const f = new AgencyFixture();
    await f.create('Olga', 5);
    await f.join('Ann');
    await f.propose('Ann', { connects: 10 });
    const d = f.derive();
    expect(connectsSummary(d.state, f.now, f.id('Ann'))).toMatchObject({ balance: -5, spendable: 0 });
  });
});
