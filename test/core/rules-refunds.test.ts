// D9 on the Connects history page: each row of refunds is recorded once however often it is seen. A row is
// its job, its day and its Connects; a second record of it moves nothing, whoever made it and in whatever
// order concurrent records sort.
import { describe, expect, it } from 'vitest';
import { AgencyFixture, codesOf, DAY, T0 } from './support/agency.ts';

async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Ann');
  await f.join('Bob');
  // 100 − 12: Ann's agency proposal on ~0111
  await f.propose('Ann', { job: '~0111', connects: 12 });
  return f;
}

describe('D9: a refund row is recorded once', () => {
  it('D9: the same row recorded twice credits the pool once', async () => {
    const f = await agency();
    const first = await f.act('Ann', 'refundConnects', { job: '~0111', connects: 12, on: '2026-11-01' });
    const again = await f.act('Ann', 'refundConnects', { job: '~0111', connects: 12, on: '2026-11-01' });
    const d = f.derive();
    expect(codesOf(d, first)).toEqual([]);
    expect(codesOf(d, again)).toEqual([]);
    expect(d.state.balance).toBe(100);
    expect(d.state.refunds['~0111|2026-11-01|12']).toBe(first.id);
  });

  it('D9: two members recording the same row at the same time credit it once, in either order', async () => {
    const f = await agency();
    const base = f.heads();
    const ann = await f.act(
      'Ann',
      'refundConnects',
      { job: '~0111', connects: 12, on: '2026-11-01' },
      { at: T0 + DAY, deps: base },
    );
    const bob = await f.act(
      'Bob',
      'refundConnects',
      { job: '~0111', connects: 12, on: '2026-11-01' },
      { at: T0 + DAY, deps: base },
    );
    for (const d of [f.derive(), f.deriveReversed()]) {
      expect(d.state.balance).toBe(100);
      expect([ann.id, bob.id]).toContain(d.state.refunds['~0111|2026-11-01|12']);
    }
  });

  it('D9: rows of other days or other amounts are other refunds', async () => {
    const f = await agency();
    await f.act('Ann', 'refundConnects', { job: '~0111', connects: 2, on: '2026-11-01' });
    await f.act('Ann', 'refundConnects', { job: '~0111', connects: 2, on: '2026-11-02' });
    await f.act('Ann', 'refundConnects', { job: '~0111', connects: 3, on: '2026-11-02' });
    expect(f.derive().state.balance).toBe(88 + 2 + 2 + 3);
  });

  it('D9: a row on a job with no agency proposal moves nothing, and does not keep a later agency row out', async () => {
    const f = await agency();
    await f.act('Bob', 'refundConnects', { job: '~0222', connects: 5, on: '2026-11-01' });
    expect(f.derive().state.balance).toBe(88);
    await f.propose('Bob', { job: '~0222', connects: 5 });
    await f.act('Bob', 'refundConnects', { job: '~0222', connects: 5, on: '2026-11-01' });
    expect(f.derive().state.balance).toBe(88);
  });

  it('a refund without its day (recorded before rows were keyed) counts each time, as it did', async () => {
    const f = await agency();
    await f.act('Ann', 'refundConnects', { job: '~0111', connects: 1 });
    await f.act('Ann', 'refundConnects', { job: '~0111', connects: 1 });
    expect(f.derive().state.balance).toBe(90);
  });

  it('a refund day must be a date', async () => {
    const f = await agency();
    await expect(
      f.act('Ann', 'refundConnects', { job: '~0111', connects: 1, on: 'yesterday' }),
    ).rejects.toThrow();
  });
});
