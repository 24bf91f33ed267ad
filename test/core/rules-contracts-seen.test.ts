// Contracts seen on a member's Upwork contracts page (issue 11): the member who records is the contract's
// member, an exclusive member's contract is the agency's (R7), the latest record stands whatever the order,
// and no amount is ever part of it (D15).
import { describe, expect, it } from 'vitest';
import { AgencyFixture, codesOf, DAY, T0 } from './support/agency.ts';

async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Ann'); // exclusive
  await f.join('Bob', { relationship: 'non-exclusive' });
  return f;
}

describe('contracts seen on Upwork', () => {
  it('a member records their own contract: id, title, kind, agency or independent — no amount', async () => {
    const f = await agency();
    const seen = await f.act('Bob', 'observeContract', {
      contract: '41000001',
      title: 'Storefront audit',
      kind: 'hourly',
      as: 'independent',
    });
    const d = f.derive();
    expect(codesOf(d, seen)).toEqual([]);
    expect(d.state.contractsSeen['41000001']).toEqual({
      id: '41000001',
      title: 'Storefront audit',
      kind: 'hourly',
      as: 'independent',
      member: f.id('Bob'),
      by: seen.id,
      at: seen.at,
    });
  });

  it('R7: an exclusive member’s contract recorded as independent is the agency’s, flagged', async () => {
    const f = await agency();
    const seen = await f.act('Ann', 'observeContract', {
      contract: '41000002',
      title: 'Logo',
      kind: 'fixed',
      as: 'independent',
    });
    const d = f.derive();
    expect(codesOf(d, seen)).toEqual(['OFFER_EXCLUSIVE']);
    expect(d.state.contractsSeen['41000002']?.as).toBe('agency');
  });

  it('of two records of one contract the later stands, in either order', async () => {
    const f = await agency();
    const base = f.heads();
    await f.act(
      'Bob',
      'observeContract',
      { contract: '41000003', title: 'Old title', kind: 'fixed', as: 'agency' },
      { at: T0 + DAY, deps: base },
    );
    const later = await f.act(
      'Bob',
      'observeContract',
      { contract: '41000003', title: 'New title', kind: 'fixed', as: 'agency' },
      { at: T0 + 2 * DAY, deps: base },
    );
    for (const d of [f.derive(), f.deriveReversed()]) {
      expect(d.state.contractsSeen['41000003']).toMatchObject({ title: 'New title', by: later.id });
    }
  });

  it('D15: a rate or amount is no part of the record', async () => {
    const f = await agency();
    await expect(
      f.act('Bob', 'observeContract', {
        contract: '41000004',
        title: 'Logo',
        kind: 'hourly',
        as: 'agency',
        hourlyRate: 4500,
      } as never),
    ).rejects.toThrow();
  });
});
