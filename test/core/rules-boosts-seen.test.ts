// Boost outcomes seen on a member's My proposals (issue 11): "Boosted", "Boost outbid", "Not boosted" recorded
// as a fact, once per proposal — a second record of the same outcome says nothing, a different outcome later
// replaces it, and which record stands never depends on the order.
import { describe, expect, it } from 'vitest';
import { AgencyFixture, codesOf, DAY, T0 } from './support/agency.ts';

async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Bob', { relationship: 'non-exclusive' });
  return f;
}

const activityAbout = (d: ReturnType<AgencyFixture['derive']>, title: string) =>
  d.state.activity.filter((e) => e.text.includes(title)).map((e) => e.text);

describe('boost outcomes seen on My proposals', () => {
  it('a member records a proposal’s outcome: the proposal, its title, the outcome and whose it is', async () => {
    const f = await agency();
    const seen = await f.act('Bob', 'observeBoost', {
      proposal: '1999000000000000002',
      title: 'Technical SEO audit',
      outcome: 'outbid',
    });
    const d = f.derive();
    expect(codesOf(d, seen)).toEqual([]);
    expect(d.state.boostsSeen['1999000000000000002']).toEqual({
      proposal: '1999000000000000002',
      title: 'Technical SEO audit',
      outcome: 'outbid',
      member: f.id('Bob'),
      by: seen.id,
      at: seen.at,
      records: [
        {
          id: seen.id,
          member: f.id('Bob'),
          at: seen.at,
          title: 'Technical SEO audit',
          outcome: 'outbid',
          how: 'claim',
        },
      ],
    });
    expect(activityAbout(d, 'Technical SEO audit')).toEqual([
      "Bob's proposal 'Technical SEO audit': boost outbid",
    ]);
  });

  it('once: the same outcome recorded again (another browser, a reload) adds nothing to the activity', async () => {
    const f = await agency();
    const payload = {
      proposal: '1999000000000000003',
      title: 'Astro migration',
      outcome: 'boosted',
    } as const;
    await f.act('Bob', 'observeBoost', payload, { at: T0 + DAY });
    await f.act('Bob', 'observeBoost', payload, { at: T0 + 2 * DAY });
    const d = f.derive();
    expect(activityAbout(d, 'Astro migration')).toEqual(["Bob's proposal 'Astro migration': boosted"]);
    expect(d.state.boostsSeen['1999000000000000003']?.outcome).toBe('boosted');
  });

  it('a later outcome replaces the earlier one, whatever the order of two concurrent records', async () => {
    const f = await agency();
    // two of Bob's browsers (one browser's writes always build on each other)
    const laptop = (await f.addBrowser('Bob', 'laptop')).signer;
    const base = f.heads();
    await f.act(
      'Bob',
      'observeBoost',
      { proposal: '1999000000000000004', title: 'Shop', outcome: 'boosted' },
      { at: T0 + DAY, deps: base },
    );
    const later = await f.act(
      'Bob',
      'observeBoost',
      { proposal: '1999000000000000004', title: 'Shop', outcome: 'outbid' },
      { at: T0 + 2 * DAY, deps: base, signer: laptop },
    );
    for (const d of [f.derive(), f.deriveReversed()]) {
      expect(d.state.boostsSeen['1999000000000000004']).toMatchObject({ outcome: 'outbid', by: later.id });
    }
  });

  it('an outcome Upwork does not show, or a field more, is not a record', async () => {
    const f = await agency();
    await expect(
      f.act('Bob', 'observeBoost', { proposal: '1999000000000000005', title: 'X', outcome: 'won' } as never),
    ).rejects.toThrow();
    await expect(
      f.act('Bob', 'observeBoost', {
        proposal: '1999000000000000005',
        title: 'X',
        outcome: 'boosted',
        connects: 8,
      } as never),
    ).rejects.toThrow();
    await expect(
      f.act('Bob', 'observeBoost', { proposal: 'a'.repeat(81), title: 'X', outcome: 'boosted' }),
    ).rejects.toThrow();
  });
});
