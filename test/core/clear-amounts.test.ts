// D15 in core, not only at our server: once a business manager's browser has published its sealing key, an
// amount written in the clear (a rate, a milestone amount, a payout) in an action that knows it is flagged
// and counted nowhere — so a replica that syncs through another server sees it too. Before that cut-over
// (0.2.0's logs) clear amounts are read as they are, and no old log changes its verdicts.
import { describe, expect, it } from 'vitest';
import { type Amounts, amountsView, clearAmounts, type Derivation } from '../../core/index.ts';
import { AgencyFixture, outcomeOf } from './support/agency.ts';

const KEY = (n: number) => new Uint8Array(32).fill(n);

/** Olga (owner) and Ann; an agency offer to Ann, fixed-price, accepted: contract 'o1'. */
async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Ann');
  await f.act('Olga', 'receiveOffer', {
    offer: 'o1',
    job: '~01',
    title: 'Logo',
    as: 'agency',
    member: f.id('Ann'),
    kind: 'fixed',
  });
  await f.act('Olga', 'acceptOffer', { offer: 'o1' });
  return f;
}

/** One action of each type that carries an amount, every one with its amount in the clear. */
async function clearOnes(f: AgencyFixture, opts = {}) {
  return [
    await f.act(
      'Olga',
      'receiveOffer',
      {
        offer: 'o2',
        job: '~02',
        title: 'Site',
        as: 'agency',
        member: f.id('Ann'),
        terms: { kind: 'hourly', hourlyRate: 4500 },
      },
      opts,
    ),
    await f.act(
      'Olga',
      'editContractTerms',
      { contract: 'o1', terms: { kind: 'fixed', amount: 90_000 } },
      opts,
    ),
    await f.act(
      'Ann',
      'submitMilestone',
      { contract: 'o1', milestone: 'm1', title: 'Sketches', amount: 30_000 },
      opts,
    ),
    await f.act('Olga', 'recordPayout', { contract: 'o1', amount: 30_000 }, opts),
  ];
}

const d15 = (d: Derivation, a: { id: string }) => outcomeOf(d, a).flags.includes('D15');

describe('D15: amounts in the clear after sealing is in force', () => {
  it('D15: before any manager published a sealing key, clear amounts are read as they are (0.2.0 logs)', async () => {
    const f = await agency();
    const made = await clearOnes(f);
    const d = f.derive();
    for (const a of made) expect(outcomeOf(d, a), a.type).toEqual({ refused: null, flags: [] });
  });

  it('D15: after a manager published a sealing key, each of the four is flagged, still applied', async () => {
    const f = await agency();
    await f.act('Olga', 'publishSealKey', { key: KEY(1) });
    const made = await clearOnes(f);
    const d = f.derive();
    for (const a of made) expect(outcomeOf(d, a), a.type).toEqual({ refused: null, flags: ['D15'] });
    expect(d.state.contracts.o1?.milestones.map((m) => m.id)).toEqual(['m1']);
  });

  it('D15: the same actions without a clear amount are not flagged', async () => {
    const f = await agency();
    await f.act('Olga', 'publishSealKey', { key: KEY(1) });
    const payout = await f.act('Olga', 'recordPayout', { contract: 'o1' });
    const edit = await f.act('Olga', 'editContractTerms', { contract: 'o1', kind: 'fixed' });
    const d = f.derive();
    expect(outcomeOf(d, payout).flags).toEqual([]);
    expect(outcomeOf(d, edit).flags).toEqual([]);
  });

  it('D15: a plain member publishing a key does not start the cut-over', async () => {
    const f = await agency();
    await f.act('Ann', 'publishSealKey', { key: KEY(2) });
    const made = await clearOnes(f);
    const d = f.derive();
    for (const a of made) expect(d15(d, a), a.type).toBe(false);
  });

  it('D15: an amount written concurrently with the first publication is judged by its own past, in both orders', async () => {
    const f = await agency();
    const { signer: laptop } = await f.addBrowser('Olga', 'laptop');
    const base = f.heads();
    await f.act('Olga', 'publishSealKey', { key: KEY(1) }, { deps: base });
    // Olga's other browser, offline, records a payout it read on Upwork
    const payout = await f.act(
      'Olga',
      'recordPayout',
      { contract: 'o1', amount: 100 },
      { deps: base, signer: laptop },
    );
    for (const d of [f.derive(), f.deriveReversed()]) expect(d15(d, payout)).toBe(false);
    const after = await f.act('Olga', 'recordPayout', { contract: 'o1', amount: 100 });
    for (const d of [f.derive(), f.deriveReversed()]) expect(d15(d, after)).toBe(true);
  });

  it('D15: the amounts a browser reads do not count a flagged one', async () => {
    const f = await agency();
    const early = await f.act('Olga', 'recordPayout', { contract: 'o1', amount: 100 });
    await f.act('Olga', 'publishSealKey', { key: KEY(1) });
    const late = await f.act('Olga', 'recordPayout', { contract: 'o1', amount: 999_999 });
    const d = f.derive();
    // what a browser's replica hands amountsView: every amount it could read, clear ones included
    const opened = new Map<string, Amounts>();
    for (const a of [early, late]) opened.set(a.id, clearAmounts(a.type, a.payload)!);
    const view = amountsView(d.state, opened);
    expect(view.contracts.o1?.paid).toBe(100);
    expect(view.payouts[late.id]).toBeNull();
    expect(view.contracts.o1?.unread).toBe(1);
  });
});
