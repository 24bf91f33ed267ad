// A fork of another member's key chain carried by a writer (core/carried-forks.ts): after a restore that
// lost Ann's action X, Ann writes X' in its place and Bob's catch-up carries X. admitBatch keeps X (one
// branch is refused KEY_FORKED, the same on every replica, in any order), never a fork of a key of the
// writer's own member, and at most MAX_BRANCHES branches of one key counted over the whole log.
import { describe, expect, it } from 'vitest';
import { MAX_BRANCHES } from '../../core/carried-forks.ts';
import { type Action, admitBatch, derive } from '../../core/index.ts';
import { AgencyFixture, codesOf } from './support/agency.ts';

async function restored() {
  const f = new AgencyFixture();
  await f.create('Olga', 500);
  await f.join('Ann');
  await f.join('Bob');
  const base = f.heads();
  // X, lost with the restore; X' and two more of Ann's writes on top of it, stored
  const x = await f.act('Ann', 'observeBalance', { balance: 40 }, { deps: base, keep: false });
  const x2 = await f.act('Ann', 'observeBalance', { balance: 41 }, { deps: base });
  await f.act('Ann', 'observeBalance', { balance: 42 });
  await f.act('Ann', 'observeBalance', { balance: 43 });
  return { f, base, x, x2 };
}

const verdicts = (d: ReturnType<typeof derive>) =>
  d.state.verdicts.map((v) => `${v.id}:${v.kind}:${v.code}`).sort();

describe("a fork of another member's key chain, carried", () => {
  it('is kept when another member carries it, and every order derives the same verdicts', async () => {
    const { f, x, x2 } = await restored();
    const room = derive(f.agencyId, f.actions);
    const r = admitBatch(room, [x], f.id('Bob'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const all = [...f.actions, x];
    // exactly one of X and X' is refused KEY_FORKED, never as a race
    expect([codesOf(r.derivation, x), codesOf(r.derivation, x2)].flat()).toContain('KEY_FORKED');
    expect(codesOf(r.derivation, x).length + codesOf(r.derivation, x2).length).toBe(1);
    for (const order of [all, [...all].reverse(), [x, ...f.actions]])
      expect(verdicts(derive(f.agencyId, order))).toEqual(verdicts(r.derivation));
  });

  it('is refused when it comes without a writer, from its own key, or from another key of the same member', async () => {
    const { f, x } = await restored();
    const room = derive(f.agencyId, f.actions);
    expect(admitBatch(room, [x]).ok).toBe(false);
    expect(admitBatch(room, [x], f.id('Ann')).ok).toBe(false);
    const laptop = await f.addBrowser('Ann', 'laptop');
    const withLaptop = derive(f.agencyId, f.actions);
    const r = admitBatch(withLaptop, [x], laptop.signer.keyId);
    expect(r.ok === false && r.code).toBe('KEY_FORKED');
    expect(r.derivation.actions.has(x.id)).toBe(false);
  });

  it(`counts branches over the whole log: ${MAX_BRANCHES} carried over several batches stand, the next is refused`, async () => {
    const { f, base } = await restored();
    let room = derive(f.agencyId, f.actions);
    const planted: Action[] = [];
    for (let k = 0; k < MAX_BRANCHES + 1; k++)
      planted.push(await f.act('Ann', 'observeBalance', { balance: 100 + k }, { deps: base, keep: false }));
    // X' and its chain are one branch; the first planted ones make up to MAX_BRANCHES refused leaves
    const oks: boolean[] = [];
    for (const a of planted) {
      const r = admitBatch(room, [a], f.id('Bob'));
      oks.push(r.ok);
      room = r.derivation;
    }
    const forkedLeaves = MAX_BRANCHES; // every branch but the standing one is refused
    expect(oks.filter(Boolean).length).toBe(forkedLeaves);
    expect(oks[oks.length - 1]).toBe(false);
  });

  it('counts a fan under one forked action as many branches (its leaves), and a chain as one', async () => {
    const { f, x } = await restored();
    const room = derive(f.agencyId, f.actions);
    const fan: Action[] = [x];
    for (let k = 0; k < MAX_BRANCHES + 1; k++)
      fan.push(await f.act('Ann', 'observeBalance', { balance: 200 + k }, { deps: [x.id], keep: false }));
    expect(admitBatch(room, fan, f.id('Bob')).ok).toBe(false);
    const chain: Action[] = [x];
    for (let k = 0; k < MAX_BRANCHES + 1; k++)
      chain.push(
        await f.act('Ann', 'observeBalance', { balance: 300 + k }, { deps: [chain.at(-1)!.id], keep: false }),
      );
    expect(admitBatch(room, chain, f.id('Bob')).ok).toBe(true);
  });
});
