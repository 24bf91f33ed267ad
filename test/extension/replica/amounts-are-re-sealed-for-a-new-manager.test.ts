// @vitest-environment node
// D15 re-sealing against the product's own sync server on loopback, with real WebCrypto envelopes: a member
// promoted to business manager publishes a seal key, and the managers' browsers online re-seal the agency's
// earlier rates, milestone amounts and payouts to it — two of them at once, without a refusal or a missing
// figure — so the new manager reads the whole history. A plain member's replica and every byte its socket
// received still hold no amount; a demoted manager is re-sealed nothing written after the demotion.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type AmountsView, type Payloads, resealNeeds, toBase64Url } from '../../../core/index.ts';
import type { Replica } from '../../../extension/replica/replica.ts';
import { amountFoundIn } from './support/amount-encodings.ts';
import { converged, createdAgency, joined } from './support/peers.ts';
import { acted, serverAndBrowsers } from './support/server-and-browsers.ts';

const WAIT = 20_000;
// Each above 2^20 cents, so even its shortest binary encoding is 4 bytes long (amount-encodings.ts).
const RATE = 4_736_291;
const FIXED = 9_182_735;
const MILESTONE = 3_141_593;
const PAYOUT = 2_718_282;
const LATE_PAYOUT = 6_020_447;
const ALL = [RATE, FIXED, MILESTONE, PAYOUT, LATE_PAYOUT];

const env = serverAndBrowsers('reseal-');
const browser = env.browser;
const ok = async (...args: Parameters<typeof acted>) => (await acted(...args)).id;

const leaks = (chunks: readonly Uint8Array[], amounts: readonly number[] = ALL): string[] =>
  chunks.flatMap((bytes) => amounts.flatMap((n) => amountFoundIn(bytes, n).map((e) => `${n}: ${e}`)));

/** Asks for the replica's amounts after each change until `done` holds (the view is async, waitFor is not). */
async function viewWhen(r: Replica, done: (v: AmountsView) => boolean): Promise<AmountsView> {
  const deadline = Date.now() + WAIT;
  for (;;) {
    const v = await r.amountsView();
    if (done(v) || Date.now() > deadline) return v;
    const size = r.log.size;
    await r.waitFor((x) => x.log.size !== size, Math.max(1, deadline - Date.now()));
  }
}

const reseals = (r: Replica) =>
  [...r.log.derived.actions.values()].filter((a) => a.type === 'resealAmounts') as {
    id: string;
    payload: Payloads['resealAmounts'];
  }[];

describe('D15: a newly promoted business manager reads the earlier amounts', () => {
  it('D15: two managers online re-seal the history to the promoted member’s browser, nothing doubled or refused; the plain member still receives no amount', async () => {
    const [olgaB, maxB, annB, bobB] = await Promise.all(['Olga', 'Max', 'Ann', 'Bob'].map((n) => browser(n)));
    const olga = await createdAgency(olgaB!, env.server().url);
    const max = await joined(olga, maxB!, { role: 'manager' });
    const ann = await joined(olga, annB!);
    const bob = await joined(olga, bobB!);
    await max.waitFor((r) => r.syncView().status === 'synced', WAIT);
    await max.amountsView(); // publishes Max's seal key
    await ann.amountsView(); // a plain member's browser publishes none
    expect(await olga.waitFor((r) => Object.keys(r.log.state.sealKeys).length === 1, WAIT)).toBe(true);

    await ok(olga, 'receiveOffer', {
      offer: 'offer-hourly',
      job: '~01hourly',
      title: 'Brand site',
      as: 'agency',
      member: ann.me,
      terms: { kind: 'hourly', hourlyRate: RATE },
    });
    await ok(olga, 'receiveOffer', {
      offer: 'offer-fixed',
      job: '~01fixed',
      title: 'Logo',
      as: 'agency',
      member: ann.me,
      terms: { kind: 'fixed', amount: FIXED },
    });
    await ok(olga, 'acceptOffer', { offer: 'offer-hourly' });
    await ok(olga, 'acceptOffer', { offer: 'offer-fixed' });
    await ok(olga, 'submitMilestone', {
      contract: 'offer-fixed',
      milestone: 'm1',
      title: 'Sketches',
      amount: MILESTONE,
    });
    const payout = await ok(olga, 'recordPayout', { contract: 'offer-fixed', amount: PAYOUT });
    for (const r of [max, ann, bob])
      expect(await r.waitFor((x) => x.log.derived.actions.has(payout), WAIT)).toBe(true);
    const before = await ann.amountsView();
    expect(before.contracts['offer-fixed']?.figure).toBeNull();

    // The promotion: Ann's browser publishes its key when she opens the amounts; Olga and Max re-seal.
    await ok(olga, 'changeRole', { member: ann.me, role: 'manager' });
    expect(await ann.waitFor((r) => r.log.state.members[r.me]?.role === 'manager', WAIT)).toBe(true);
    const complete = (v: AmountsView) =>
      v.contracts['offer-fixed']?.paid === PAYOUT && v.offers['offer-hourly']?.figure === RATE;
    const annView = await viewWhen(ann, complete);
    expect(annView.offers['offer-hourly']).toEqual({ kind: 'hourly', figure: RATE });
    expect(annView.offers['offer-fixed']).toEqual({ kind: 'fixed', figure: FIXED });
    expect(annView.contracts['offer-fixed']).toEqual({
      kind: 'fixed',
      figure: FIXED,
      milestones: { m1: MILESTONE },
      paid: PAYOUT,
      unread: 0,
    });
    // The same figures as a manager who was sealed to from the start.
    expect(annView).toEqual(await max.amountsView());

    // Idempotent: once every browser has settled, nothing is missing, and no re-seal was refused.
    await Promise.all([olga.resealed(), max.resealed()]);
    for (const r of [olga, max, ann])
      expect(await r.waitFor((x) => converged(x, olga) && converged(x, max), WAIT)).toBe(true);
    expect(resealNeeds(olga.log.derived)).toEqual([]);
    expect(olga.log.state.verdicts.filter((v) => v.type === 'resealAmounts')).toEqual([]);
    const annKey = toBase64Url(annB!.signer.publicKey);
    const boxes = reseals(olga).flatMap((a) => a.payload.boxes.map((b) => b.action));
    // Four amounts (two offers, a milestone, a payout); each re-sealed by Olga, Max or both (concurrently).
    expect(new Set(boxes).size).toBe(4);
    expect(boxes.length).toBeLessThanOrEqual(8);
    expect(reseals(olga).every((a) => toBase64Url(a.payload.key) === annKey)).toBe(true);

    // Bob, a plain member, received every re-seal, and still no amount in any encoding, and reads none.
    expect(await bob.waitFor((x) => converged(x, olga), WAIT)).toBe(true);
    expect(
      leaks([Y.encodeStateAsUpdate(bob.doc), new TextEncoder().encode(JSON.stringify(bob.log.snapshot()))]),
    ).toEqual([]);
    expect(leaks(bobB!.received)).toEqual([]);
    const bobView = await bob.amountsView();
    expect(bobView.contracts['offer-fixed']).toMatchObject({ figure: null, paid: 0, unread: 1 });
    expect(Object.keys(bob.log.state.sealKeys)).not.toContain(toBase64Url(bobB!.signer.publicKey));
  }, 90_000);

  it('D15: a demoted manager is re-sealed nothing; the next promoted member gets everything, the later amount too', async () => {
    const [olgaB, annB, bobB] = await Promise.all(['Olga', 'Ann', 'Bob'].map((n) => browser(n)));
    const olga = await createdAgency(olgaB!, env.server().url);
    const ann = await joined(olga, annB!, { role: 'manager' });
    const bob = await joined(olga, bobB!);
    await ann.waitFor((r) => r.syncView().status === 'synced', WAIT);
    await ann.amountsView();
    expect(await olga.waitFor((r) => Object.keys(r.log.state.sealKeys).length === 1, WAIT)).toBe(true);
    await ok(olga, 'receiveOffer', {
      offer: 'o1',
      job: '~01',
      title: 'Logo',
      as: 'agency',
      member: bob.me,
      terms: { kind: 'fixed', amount: FIXED },
    });
    await ok(olga, 'acceptOffer', { offer: 'o1' });
    const payout = await ok(olga, 'recordPayout', { contract: 'o1', amount: PAYOUT });
    expect(await ann.waitFor((x) => x.log.derived.actions.has(payout), WAIT)).toBe(true);

    await ok(olga, 'changeRole', { member: ann.me, role: 'member' });
    const late = await ok(olga, 'recordPayout', { contract: 'o1', amount: LATE_PAYOUT });
    await ok(olga, 'changeRole', { member: bob.me, role: 'manager' });
    expect(await bob.waitFor((r) => r.log.state.members[r.me]?.role === 'manager', WAIT)).toBe(true);
    const bobView = await viewWhen(bob, (v) => v.contracts.o1?.paid === PAYOUT + LATE_PAYOUT);
    expect(bobView.contracts.o1).toMatchObject({ figure: FIXED, paid: PAYOUT + LATE_PAYOUT, unread: 0 });

    await olga.resealed();
    expect(await ann.waitFor((x) => converged(x, olga), WAIT)).toBe(true);
    const annView = await ann.amountsView();
    // What was sealed to Ann before her demotion stays readable (it cannot be unsent); nothing after it.
    expect(annView.payouts[payout]).toBe(PAYOUT);
    expect(annView.payouts[late]).toBeNull();
    const annKey = toBase64Url(annB!.signer.publicKey);
    expect(reseals(olga).map((a) => toBase64Url(a.payload.key))).not.toContain(annKey);
    expect(leaks(annB!.received, [LATE_PAYOUT])).toEqual([]);
  }, 90_000);
});
