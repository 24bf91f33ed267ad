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
      records: [
        {
          id: seen.id,
          member: f.id('Bob'),
          at: seen.at,
          title: 'Storefront audit',
          kind: 'hourly',
          as: 'independent',
          how: 'claim',
        },
      ],
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

  it('D8: a teammate’s later record of a member’s contract disputes it rather than taking it; once a business manager decides, a later one takes nothing', async () => {
    const f = await agency();
    const bobs = await f.act('Bob', 'observeContract', {
      contract: '41000005',
      title: 'Storefront audit',
      kind: 'hourly',
      as: 'agency',
    });
    // Upwork lists a contract on one freelancer's page: Ann recording it too (a guessed id, say) is a claim
    const claim = await f.act('Ann', 'observeContract', {
      contract: '41000005',
      title: 'Mine now',
      kind: 'fixed',
      as: 'agency',
    });
    let d = f.derive();
    expect(d.state.contractsSeen['41000005']?.member).toBeNull();
    expect(d.state.contractsSeen['41000005']?.disputed).toEqual([f.id('Ann'), f.id('Bob')].sort());
    expect(outcomeOf(d, claim)).toEqual({ refused: null, flags: ['D8'] });
    // Bob's record was not a dispute when it was made: its verdict stays; the contract's state says the rest
    expect(outcomeOf(d, bobs)).toEqual({ refused: null, flags: [] });
    await f.act('Olga', 'assignContract', { contract: '41000005', member: f.id('Bob') });
    const takeover = await f.act('Ann', 'observeContract', {
      contract: '41000005',
      title: 'Mine again',
      kind: 'fixed',
      as: 'agency',
    });
    d = f.derive();
    expect(codesOf(d, takeover)).toEqual(['CONTRACT_TAKEN']);
    expect(d.state.contractsSeen['41000005']).toMatchObject({
      member: f.id('Bob'),
      title: 'Storefront audit',
      kind: 'hourly',
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

  it('D8: two members recording one contract at the same time: neither holds it, whichever is stamped first, in both orders', async () => {
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
      const outcomes: unknown[] = [];
      for (const d of [f.derive(), f.deriveReversed()]) {
        expect(d.state.contractsSeen['41000006']).toMatchObject({
          member: null,
          disputed: [f.id('Ann'), f.id('Bob')].sort(),
        });
        expect(outcomeOf(d, ann)).toEqual({ refused: null, flags: ['D8'] });
        expect(outcomeOf(d, bob)).toEqual({ refused: null, flags: ['D8'] });
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
        expect(d.state.contractsSeen['41000006']?.member).toBeNull();
        expect(codesOf(d, ann)).toEqual(['CONTRACT_DISPUTED']);
        expect(codesOf(d, bob)).toEqual(['CONTRACT_DISPUTED']);
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
