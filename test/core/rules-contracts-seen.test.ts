// Contracts seen on a member's Upwork contracts page (issue 11): the member who records is the contract's
// member and holds it (no teammate takes it over, D8), an exclusive member's contract is the agency's (R7),
// the holder's latest record stands whatever the order, and no amount is ever part of it (D15).
import { describe, expect, it } from 'vitest';
import { applyActions, derive } from '../../core/index.ts';
import { AgencyFixture, codesOf, DAY, outcomeOf, T0 } from './support/agency.ts';

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
      first: seen.id,
      since: seen.at,
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
    // two of Bob's browsers (one browser's writes always build on each other)
    const laptop = (await f.addBrowser('Bob', 'laptop')).signer;
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
      { at: T0 + 2 * DAY, deps: base, signer: laptop },
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

  it('D8: a contract belongs to the member who recorded it first: a teammate’s later record takes nothing', async () => {
    const f = await agency();
    const bobs = await f.act('Bob', 'observeContract', {
      contract: '41000005',
      title: 'Storefront audit',
      kind: 'hourly',
      as: 'agency',
    });
    const takeover = await f.act('Ann', 'observeContract', {
      contract: '41000005',
      title: 'Mine now',
      kind: 'fixed',
      as: 'agency',
    });
    const d = f.derive();
    expect(codesOf(d, bobs)).toEqual([]);
    expect(outcomeOf(d, takeover)).toEqual({ refused: null, flags: ['D8'] });
    expect(d.state.contractsSeen['41000005']).toMatchObject({
      member: f.id('Bob'),
      title: 'Storefront audit',
      kind: 'hourly',
      by: bobs.id,
    });
    // Bob's own later record still updates the title
    const renamed = await f.act('Bob', 'observeContract', {
      contract: '41000005',
      title: 'Storefront audit, phase 2',
      kind: 'hourly',
      as: 'agency',
    });
    expect(codesOf(f.derive(), renamed)).toEqual([]);
    expect(f.derive().state.contractsSeen['41000005']).toMatchObject({
      member: f.id('Bob'),
      title: 'Storefront audit, phase 2',
    });
  });

  it('D8: two members recording one contract at the same time: the earlier record holds it, in both orders', async () => {
    for (const annFirst of [true, false]) {
      const f = await agency();
      const base = f.heads();
      const ann = await f.act(
        'Ann',
        'observeContract',
        { contract: '41000006', title: 'Ann’s title', kind: 'fixed', as: 'agency' },
        { at: T0 + DAY + (annFirst ? 0 : 5000), deps: base },
      );
      const bob = await f.act(
        'Bob',
        'observeContract',
        { contract: '41000006', title: 'Bob’s title', kind: 'hourly', as: 'agency' },
        { at: T0 + DAY + (annFirst ? 5000 : 0), deps: base },
      );
      const [holder, loser] = annFirst ? [ann, bob] : [bob, ann];
      const outcomes: unknown[] = [];
      for (const d of [f.derive(), f.deriveReversed()]) {
        expect(d.state.contractsSeen['41000006']).toMatchObject({
          member: f.id(annFirst ? 'Ann' : 'Bob'),
          by: holder.id,
        });
        expect(outcomeOf(d, holder)).toEqual({ refused: null, flags: [] });
        expect(outcomeOf(d, loser)).toEqual({ refused: null, flags: ['D8'] });
        outcomes.push(f.actions.map((a) => outcomeOf(d, a)));
      }
      expect(outcomes[1]).toEqual(outcomes[0]);
      // a replica that receives them one by one, in either order, agrees
      for (const order of [
        [ann, bob],
        [bob, ann],
      ]) {
        let d = derive(f.agencyId, f.actions.slice(0, -2));
        for (const a of order) d = applyActions(d, [a]);
        expect(d.state.contractsSeen['41000006']?.by).toBe(holder.id);
        expect(outcomeOf(d, loser).flags).toEqual(['D8']);
      }
    }
  });

  it('D10: the holder’s later record keeps the contract’s kind, flagged', async () => {
    const f = await agency();
    await f.act('Bob', 'observeContract', {
      contract: '41000007',
      title: 'Audit',
      kind: 'hourly',
      as: 'agency',
    });
    const changed = await f.act('Bob', 'observeContract', {
      contract: '41000007',
      title: 'Audit',
      kind: 'fixed',
      as: 'agency',
    });
    const d = f.derive();
    expect(outcomeOf(d, changed).flags).toEqual(['D10']);
    expect(d.state.contractsSeen['41000007']?.kind).toBe('hourly');
  });
});
