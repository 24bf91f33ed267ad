// D15 re-sealing, as an attacker would try it: who may re-seal (a business manager), to whom (only the key an
// active manager's active browser published, as the re-seal knew it), what (sealed amounts in its past, each
// once per recipient) and how much (the schema's sizes). And what browsers read from it: resealNeeds (what a
// manager's browser is missing) and resealsTo (the wraps addressed to a seal key).
import { describe, expect, it } from 'vitest';
import {
  createAction,
  type Derivation,
  managerSealKeys,
  PayloadSchemas,
  type ResealBox,
  resealNeeds,
  resealsTo,
  toBase64Url,
} from '../../core/index.ts';
import { AgencyFixture, codesOf } from './support/agency.ts';

/** Seal keys: fixed bytes, one per browser (core never opens an envelope, so any 32 bytes do). */
const SEAL_OF = { Olga: 1, Ann: 2, Leo: 3, Bob: 4 } as const;
const seal = (name: keyof typeof SEAL_OF) => new Uint8Array(32).fill(SEAL_OF[name]);

/** An envelope addressed to `names` (the bytes of the box do not matter to core). */
const envelope = (...names: (keyof typeof SEAL_OF)[]) => {
  const to = new Uint8Array(names.length * 80);
  for (const [i, n] of names.entries()) to.set(seal(n), i * 80);
  return { epk: new Uint8Array(32).fill(9), iv: new Uint8Array(12), box: new Uint8Array(64), to };
};

const box = (action: string): ResealBox => ({
  action,
  epk: new Uint8Array(32).fill(7),
  wrapped: new Uint8Array(48).fill(8),
});

/**
 * Olga (owner) and Leo are business managers, Ann and Bob plain members; each browser published its seal key.
 * Olga recorded an agency offer for Ann and a payout on it, both sealed to Olga's and Leo's browsers only.
 */
async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Leo', { role: 'manager' });
  await f.join('Ann');
  await f.join('Bob');
  for (const n of ['Olga', 'Leo', 'Ann', 'Bob'] as const) await f.act(n, 'publishSealKey', { key: seal(n) });
  const offer = await f.act('Olga', 'receiveOffer', {
    offer: 'o1',
    job: '~01',
    title: 'Logo',
    as: 'agency',
    member: f.id('Ann'),
    kind: 'fixed',
    sealed: envelope('Olga', 'Leo'),
  });
  await f.act('Olga', 'acceptOffer', { offer: 'o1' });
  const payout = await f.act('Olga', 'recordPayout', { contract: 'o1', sealed: envelope('Olga', 'Leo') });
  return { f, offer, payout };
}

const reseal = (f: AgencyFixture, by: string, to: keyof typeof SEAL_OF, ids: string[], opts = {}) =>
  f.act(by, 'resealAmounts', { key: f.key(to).publicKey, seal: seal(to), boxes: ids.map(box) }, opts);

const needsOf = (d: Derivation) => resealNeeds(d).map((n) => ({ key: n.key, actions: n.actions }));

describe('D15: the seal keys an amount is sealed to', () => {
  it('D15: each business manager’s seal key once, even when a second manager publishes the same key', async () => {
    const { f } = await agency();
    const b64 = (name: keyof typeof SEAL_OF) => toBase64Url(seal(name));
    expect(managerSealKeys(f.derive().state)).toEqual([b64('Olga'), b64('Leo')].sort());
    // Ann, promoted, republishes Leo's seal key from her browser: an envelope names each recipient once, so
    // a repeated key must not make every later amount unsealable.
    await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'manager' });
    await f.act('Ann', 'publishSealKey', { key: seal('Leo') });
    const keys = managerSealKeys(f.derive().state);
    expect(keys).toEqual([...new Set(keys)]);
    expect(keys).toContain(b64('Leo'));
  });
});

describe('D15: re-sealing earlier amounts for a new business manager', () => {
  it('D15: a promoted member’s browser misses the earlier amounts, newest first, until a manager re-seals them', async () => {
    const { f, offer, payout } = await agency();
    // Before the promotion no browser misses anything: plain members are never sealed to.
    expect(needsOf(f.derive())).toEqual([]);
    await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'manager' });
    expect(needsOf(f.derive())).toEqual([{ key: f.id('Ann'), actions: [payout.id, offer.id] }]);

    const r = await reseal(f, 'Leo', 'Ann', [payout.id, offer.id]);
    const d = f.derive();
    expect(codesOf(d, r)).toEqual([]);
    expect(needsOf(d)).toEqual([]);
    expect([...resealsTo(d, toBase64Url(seal('Ann'))).keys()].sort()).toEqual([offer.id, payout.id].sort());
    expect(resealsTo(d, toBase64Url(seal('Bob'))).size).toBe(0);
    expect(d.state.activity.at(-1)?.text).toBe('Leo let Ann’s browser read 2 earlier amounts');
  });

  it('D15: a plain member cannot re-seal, not even to their own key, nor to a manager', async () => {
    const { f, offer } = await agency();
    const own = await reseal(f, 'Bob', 'Bob', [offer.id]);
    const toManager = await reseal(f, 'Ann', 'Leo', [offer.id]);
    const d = f.derive();
    expect(codesOf(d, own)).toEqual(['RESEAL_NOT_MANAGER']);
    expect(codesOf(d, toManager)).toEqual(['RESEAL_NOT_MANAGER']);
    expect(resealsTo(d, toBase64Url(seal('Bob'))).size).toBe(0);
  });

  it('D15: a manager cannot re-seal to a plain member, a demoted manager, a removed browser or a seal key it did not publish', async () => {
    const { f, offer } = await agency();
    const toMember = await reseal(f, 'Olga', 'Bob', [offer.id]);
    // Ann's browser key with Leo's seal key: only the key that browser itself published counts.
    const borrowed = await f.act('Olga', 'resealAmounts', {
      key: f.key('Ann').publicKey,
      seal: seal('Leo'),
      boxes: [box(offer.id)],
    });
    await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'manager' });
    const wrongSeal = await f.act('Olga', 'resealAmounts', {
      key: f.key('Ann').publicKey,
      seal: seal('Bob'),
      boxes: [box(offer.id)],
    });
    await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'member' });
    const demoted = await reseal(f, 'Olga', 'Ann', [offer.id]);
    const stranger = await f.act('Olga', 'resealAmounts', {
      key: new Uint8Array(32).fill(5),
      seal: seal('Ann'),
      boxes: [box(offer.id)],
    });
    const d = f.derive();
    for (const a of [toMember, borrowed, wrongSeal, demoted, stranger])
      expect(codesOf(d, a), a.id).toEqual(['RESEAL_NOT_MANAGER_KEY']);
    // A demoted manager's browser is no longer a target at all.
    expect(needsOf(d)).toEqual([]);
  });

  it('D15: a manager’s browser removed from them is not re-sealed to', async () => {
    const f = new AgencyFixture();
    await f.create('Olga', 100);
    const { signer } = await f.addBrowser('Olga', 'laptop');
    await f.act('Olga', 'publishSealKey', { key: seal('Olga') });
    const offer = await f.act('Olga', 'recordPayout', { contract: 'c1', sealed: envelope('Olga') });
    await f.act('Olga', 'publishSealKey', { key: seal('Leo') }, { signer });
    expect(needsOf(f.derive())).toEqual([{ key: signer.keyId, actions: [offer.id] }]);
    await f.act('Olga', 'removeDeviceKey', { member: f.id('Olga'), key: signer.publicKey });
    const late = await f.act('Olga', 'resealAmounts', {
      key: signer.publicKey,
      seal: seal('Leo'),
      boxes: [box(offer.id)],
    });
    const d = f.derive();
    expect(codesOf(d, late)).toEqual(['RESEAL_NOT_MANAGER_KEY']);
    expect(needsOf(d)).toEqual([]);
  });

  it('D15: only sealed amounts in the re-seal’s past: not an unknown id, an action without an envelope, or one it did not know', async () => {
    const { f, offer } = await agency();
    await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'manager' });
    const before = f.heads();
    const later = await f.act('Olga', 'recordPayout', { contract: 'o1', sealed: envelope('Olga', 'Leo') });
    const unknown = await reseal(f, 'Olga', 'Ann', ['A'.repeat(43)]);
    const notAmount = await reseal(f, 'Olga', 'Ann', [f.actions[0]!.id]);
    const unsealed = await f.act('Olga', 'submitMilestone', {
      contract: 'o1',
      milestone: 'm1',
      title: 'Sketch',
    });
    const noEnvelope = await reseal(f, 'Olga', 'Ann', [unsealed.id]);
    // Leo, having seen only what came before the later payout, names it anyway (and an amount he knew).
    const unseen = await reseal(f, 'Leo', 'Ann', [offer.id, later.id], { deps: before });
    const d = f.derive();
    for (const a of [unknown, notAmount, noEnvelope, unseen])
      expect(codesOf(d, a), a.id).toEqual(['RESEAL_NOT_SEALED']);
  });

  it('D15: a refused action holds no amount to re-seal: a box naming one is refused as it would be were the action not there', async () => {
    const { f } = await agency();
    await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'manager' });
    // a milestone on a contract that does not exist is refused (R4), sealed or not
    const refusedMilestone = await f.act('Leo', 'submitMilestone', {
      contract: 'no-such-contract',
      milestone: 'm9',
      title: 'Ghost',
      sealed: envelope('Olga', 'Leo'),
    });
    const naming = await reseal(f, 'Olga', 'Ann', [refusedMilestone.id]);
    const d = f.derive();
    expect(codesOf(d, refusedMilestone)).toEqual(['UNKNOWN_CONTRACT_MILESTONE']);
    expect(codesOf(d, naming)).toEqual(['RESEAL_NOT_SEALED']);
  });

  it('D15: an amount is re-sealed to a browser once: not again, and not to a browser its envelope names', async () => {
    const { f, offer, payout } = await agency();
    await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'manager' });
    const first = await reseal(f, 'Olga', 'Ann', [offer.id]);
    const again = await reseal(f, 'Leo', 'Ann', [payout.id, offer.id]);
    const toSealed = await reseal(f, 'Olga', 'Leo', [offer.id]);
    const d = f.derive();
    expect(codesOf(d, first)).toEqual([]);
    expect(codesOf(d, again)).toEqual(['RESEAL_REPEATED']);
    expect(codesOf(d, toSealed)).toEqual(['RESEAL_REPEATED']);
    expect(needsOf(d)).toEqual([{ key: f.id('Ann'), actions: [payout.id] }]);
  });

  it('D15: two managers re-sealing the same amounts concurrently both stand, the same in either order, and leave nothing missing', async () => {
    const { f, offer, payout } = await agency();
    await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'manager' });
    const seen = f.heads();
    const byOlga = await reseal(f, 'Olga', 'Ann', [payout.id, offer.id], { deps: seen });
    const byLeo = await reseal(f, 'Leo', 'Ann', [payout.id, offer.id], { deps: seen });
    const after = await f.act('Olga', 'recordPurchase', { connects: 10 });
    for (const d of [f.derive(), f.deriveReversed()]) {
      expect(codesOf(d, byOlga)).toEqual([]);
      expect(codesOf(d, byLeo)).toEqual([]);
      expect(codesOf(d, after)).toEqual([]);
      expect(needsOf(d)).toEqual([]);
      // One wrap per amount is what Ann's browser reads, whichever it finds first.
      expect(resealsTo(d, toBase64Url(seal('Ann'))).size).toBe(2);
    }
  });

  it('D15/D5: a re-seal concurrent with its signer’s demotion is refused; one concurrent with the recipient’s demotion was sent before its signer knew', async () => {
    const { f, offer, payout } = await agency();
    await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'manager' });
    const seen = f.heads();
    await f.act('Olga', 'changeRole', { member: f.id('Leo'), role: 'member' }, { deps: seen });
    const byLeo = await reseal(f, 'Leo', 'Ann', [offer.id], { deps: seen });
    const f2 = (await agency()).f;
    await f2.act('Olga', 'changeRole', { member: f2.id('Ann'), role: 'manager' });
    const seen2 = f2.heads();
    await f2.act('Olga', 'changeRole', { member: f2.id('Ann'), role: 'member' }, { deps: seen2 });
    const toAnn = await reseal(f2, 'Leo', 'Ann', [payout.id], { deps: seen2 });
    for (const d of [f.derive(), f.deriveReversed()]) expect(codesOf(d, byLeo)).toEqual(['DEMOTED']);
    for (const d of [f2.derive(), f2.deriveReversed()]) expect(codesOf(d, toAnn)).toEqual([]);
  });

  it('D15: sizes: 1 to 16 boxes, each amount once, fixed byte lengths; the largest fits one action', async () => {
    const { f } = await agency();
    const id = (n: number) => `${'A'.repeat(42)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef'[n]}`;
    const payload = (n: number, over: Partial<ResealBox> = {}) => ({
      key: new Uint8Array(32),
      seal: new Uint8Array(32),
      boxes: Array.from({ length: n }, (_, i) => ({ ...box(id(i)), ...over })),
    });
    const ok = (p: unknown) => PayloadSchemas.resealAmounts.safeParse(p).success;
    expect(ok(payload(1))).toBe(true);
    expect(ok(payload(16))).toBe(true);
    expect(ok(payload(17))).toBe(false);
    expect(ok(payload(0))).toBe(false);
    expect(ok({ ...payload(2), boxes: [box(id(1)), box(id(1))] })).toBe(false);
    expect(ok(payload(1, { wrapped: new Uint8Array(49) }))).toBe(false);
    expect(ok(payload(1, { epk: new Uint8Array(31) }))).toBe(false);
    expect(ok(payload(1, { action: 'not an id' }))).toBe(false);
    expect(ok({ ...payload(1), seal: new Uint8Array(33) })).toBe(false);
    expect(ok({ ...payload(1), extra: true })).toBe(false);
    const largest = await createAction(
      f.agencyId,
      f.key('Olga'),
      'resealAmounts',
      payload(16),
      f.heads(),
      f.now,
    );
    expect(largest.ok).toBe(true);
  });
});
