// @vitest-environment node
// D15 against the product's own sync server on loopback: rates, milestone amounts and payouts recorded by a
// business manager are readable in the managers' browsers and nowhere else. A plain member's replica (its
// Y.Doc and derived snapshot) and every byte its socket received hold none of them, in any encoding; a
// manager demoted stops being sealed to at once (what was sent before stays readable: it cannot be unsent).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ACTIONS_ROOT,
  createAction,
  type Payloads,
  SEAL,
  type Sealed,
  toBase64Url,
  toStored,
} from '../../../core/index.ts';
import type { Replica } from '../../../extension/replica/replica.ts';
import { sealPublicKey } from '../../../extension/replica/sealing.ts';
import { amountFoundIn } from './support/amount-encodings.ts';
import { converged, createdAgency, joined } from './support/peers.ts';
import { RecordingBrowser } from './support/recording-browser.ts';
import { acted, serverAndBrowsers } from './support/server-and-browsers.ts';

const WAIT = 15_000;
// Each above 2^20 cents, so even its shortest binary encoding is 4 bytes long: random ciphertext matches one
// by chance with odds of about one in 40,000 per megabyte received.
const RATE = 4_736_291;
const NEW_RATE = 5_550_123;
const FIXED = 9_182_735;
const MILESTONE = 3_141_593;
const PAYOUT = 2_718_282;
const LATE_PAYOUT = 6_020_447;
const ALL = [RATE, NEW_RATE, FIXED, MILESTONE, PAYOUT, LATE_PAYOUT];

const env = serverAndBrowsers('amounts-');
const browser = env.browser;
const ok = async (...args: Parameters<typeof acted>) => (await acted(...args)).id;

/** Every amount's encodings found in these bytes, as "amount: encoding". */
function leaks(chunks: readonly Uint8Array[], amounts: readonly number[] = ALL): string[] {
  return chunks.flatMap((bytes) => amounts.flatMap((n) => amountFoundIn(bytes, n).map((e) => `${n}: ${e}`)));
}

/** What a replica keeps: its doc as an update, and its derived snapshot as JSON text. */
function kept(r: Replica): Uint8Array[] {
  return [Y.encodeStateAsUpdate(r.doc), new TextEncoder().encode(JSON.stringify(r.log.snapshot()))];
}

describe('D15: rates, milestone amounts and payouts reach only business managers', () => {
  it('D15: the byte search finds an amount wherever Yjs holds one in the clear (the oracle works)', async () => {
    const b = await RecordingBrowser.open('Olga');
    const clear = await createAction(
      'agency-x',
      b.signer,
      'recordPayout',
      { contract: 'c1', amount: PAYOUT },
      [],
      Date.now(),
    );
    if (!clear.ok) throw new Error(clear.message);
    const doc = new Y.Doc();
    doc.getMap(ACTIONS_ROOT).set(clear.action.id, toStored(clear.action));
    expect(leaks([Y.encodeStateAsUpdate(doc)], [PAYOUT])).toEqual([`${PAYOUT}: lib0 varint`]);
    expect(leaks([new TextEncoder().encode(`{"amount":${PAYOUT}}`)], [PAYOUT])).toContain(
      `${PAYOUT}: decimal cents`,
    );
  }, 30_000);

  it('D15: a plain member’s replica and connection never hold an amount; managers read them; a demoted manager is not sealed to again', async () => {
    const olgaB = await browser('Olga');
    const maxB = (await browser('Max')) as RecordingBrowser;
    const annB = (await browser('Ann')) as RecordingBrowser;
    const olga = await createdAgency(olgaB, env.server().url);
    const max = await joined(olga, maxB, { role: 'manager' });
    const ann = await joined(olga, annB);
    // A manager's browser publishes its seal key when it first opens the amounts (or records one).
    await max.waitFor((r) => r.syncView().status === 'synced', WAIT);
    await max.amountsView();
    expect(await olga.waitFor((r) => Object.keys(r.log.state.sealKeys).length === 1, WAIT)).toBe(true);
    // A plain member's browser publishes none: nothing is ever sealed to it.
    await ann.amountsView();

    const hourly = await ok(olga, 'receiveOffer', {
      offer: 'offer-hourly',
      job: '~01hourly',
      title: 'Brand site',
      as: 'agency',
      member: ann.me,
      terms: { kind: 'hourly', hourlyRate: RATE },
    });
    const fixed = await ok(olga, 'receiveOffer', {
      offer: 'offer-fixed',
      job: '~01fixed',
      title: 'Logo',
      as: 'agency',
      member: ann.me,
      terms: { kind: 'fixed', amount: FIXED },
    });
    await ok(olga, 'acceptOffer', { offer: 'offer-hourly' });
    await ok(olga, 'acceptOffer', { offer: 'offer-fixed' });
    await ok(olga, 'editContractTerms', {
      contract: 'offer-hourly',
      terms: { kind: 'hourly', hourlyRate: NEW_RATE },
    });
    await ok(olga, 'submitMilestone', {
      contract: 'offer-fixed',
      milestone: 'm1',
      title: 'Sketches',
      amount: MILESTONE,
    });
    const payout = await ok(olga, 'recordPayout', { contract: 'offer-fixed', amount: PAYOUT });

    // What Olga signed carries no amount in the clear, only the kind and an envelope.
    const signed = olga.log.derived.actions.get(hourly)!.payload as Payloads['receiveOffer'];
    expect(signed.terms).toBeUndefined();
    expect(signed.kind).toBe('hourly');
    expect(signed.sealed?.box.length).toBe(SEAL.BOX_BYTES);
    expect(olga.log.derived.actions.get(fixed)!.payload).not.toHaveProperty('terms');

    for (const r of [max, ann])
      expect(await r.waitFor((x) => converged(x, olga) && x.log.derived.actions.has(payout), WAIT)).toBe(
        true,
      );

    // Managers read every figure.
    for (const manager of [olga, max]) {
      const view = await manager.amountsView();
      expect(view.offers['offer-hourly']).toEqual({ kind: 'hourly', figure: RATE });
      expect(view.contracts['offer-hourly']).toMatchObject({ kind: 'hourly', figure: NEW_RATE });
      expect(view.contracts['offer-fixed']).toEqual({
        kind: 'fixed',
        figure: FIXED,
        milestones: { m1: MILESTONE },
        paid: PAYOUT,
        unread: 0,
      });
    }
    // The plain member sees the contracts (R4–R6 need them), with no figure at all.
    const annView = await ann.amountsView();
    expect(ann.view().state.contracts['offer-fixed']).toMatchObject({ kind: 'fixed', member: ann.me });
    expect(annView.contracts['offer-fixed']).toEqual({
      kind: 'fixed',
      figure: null,
      milestones: { m1: null },
      paid: 0,
      unread: 1,
    });
    expect(annView.offers['offer-hourly']?.figure).toBeNull();

    // Demotion: from the moment the writer knows it, Max's browser is no longer sealed to.
    const maxSeal = toBase64Url(await sealPublicKey(maxB.sealKey));
    await ok(olga, 'changeRole', { member: max.me, role: 'member' });
    const late = await ok(olga, 'recordPayout', { contract: 'offer-fixed', amount: LATE_PAYOUT });
    const to = (olga.log.derived.actions.get(late)!.payload as { sealed: Sealed }).sealed.to;
    const recipients: string[] = [];
    for (let i = 0; i < to.length; i += SEAL.RECIPIENT_BYTES)
      recipients.push(toBase64Url(to.subarray(i, i + SEAL.KEY_BYTES)));
    expect(recipients).not.toContain(maxSeal);
    expect(recipients).toHaveLength(1);
    for (const r of [max, ann])
      expect(await r.waitFor((x) => x.log.derived.actions.has(late), WAIT)).toBe(true);
    const maxView = await max.amountsView();
    expect(maxView.payouts[late]).toBeNull();
    // Nothing already sent can be unsent: what was sealed to Max before stays readable in his browser.
    expect(maxView.payouts[payout]).toBe(PAYOUT);

    // The plain member: no amount in her doc, her snapshot, or any frame her socket received.
    expect(annB.received.length).toBeGreaterThan(10);
    expect(leaks(kept(ann))).toEqual([]);
    expect(leaks(annB.received)).toEqual([]);
    // and the demoted manager received the late payout's bytes without its amount
    expect(leaks(maxB.received, [LATE_PAYOUT])).toEqual([]);
  }, 60_000);

  it('D15: an amount written offline, before its writer heard of a demotion, is still sealed to the demoted manager (the documented window)', async () => {
    const olgaB = await browser('Olga');
    const maxB = (await browser('Max')) as RecordingBrowser;
    const leaB = await browser('Lea');
    const olga = await createdAgency(olgaB, env.server().url);
    const max = await joined(olga, maxB, { role: 'manager' });
    const lea = await joined(olga, leaB, { role: 'manager' });
    await ok(olga, 'receiveOffer', {
      offer: 'o1',
      job: '~01',
      title: 'Logo',
      as: 'agency',
      member: lea.me,
      kind: 'fixed',
    });
    await ok(olga, 'acceptOffer', { offer: 'o1' });
    for (const r of [max, lea]) {
      expect(await r.waitFor((x) => x.syncView().status === 'synced' && converged(x, olga), WAIT)).toBe(true);
      await r.amountsView(); // publishes its seal key
    }
    // Olga's browser published its key when she recorded the offer; Max's and Lea's when they opened amounts.
    expect(await lea.waitFor((r) => Object.keys(r.log.state.sealKeys).length === 3, WAIT)).toBe(true);
    lea.connection.disconnect();
    const offline = await ok(lea, 'recordPayout', { contract: 'o1', amount: PAYOUT });
    await ok(olga, 'changeRole', { member: max.me, role: 'member' });
    const after = await ok(olga, 'recordPayout', { contract: 'o1', amount: LATE_PAYOUT });
    lea.reconnect();
    expect(
      await max.waitFor((r) => r.log.derived.actions.has(offline) && r.log.derived.actions.has(after), WAIT),
    ).toBe(true);
    const view = await max.amountsView();
    // Lea sealed to the managers she knew: Max among them. Olga, who knew of the demotion, did not.
    expect(view.payouts[offline]).toBe(PAYOUT);
    expect(view.payouts[after]).toBeNull();
  }, 60_000);
});
