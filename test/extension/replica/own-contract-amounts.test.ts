// @vitest-environment node
// D15, issue 11: a business manager's own contract, recorded from their own Upwork contracts page with its
// rate, against the product's own sync server on loopback. The rate is sealed to the managers' browsers:
// another manager reads it beside the contract seen on Upwork; a plain member's replica and every byte its
// socket received hold none of it, and a plain member's sealed figure counts nowhere (AMOUNT_NOT_BY_MANAGER).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Payloads, SEAL } from '../../../core/index.ts';
import { amountFoundIn } from './support/amount-encodings.ts';
import { converged, createdAgency, joined } from './support/peers.ts';
import type { RecordingBrowser } from './support/recording-browser.ts';
import { acted, serverAndBrowsers } from './support/server-and-browsers.ts';

const WAIT = 15_000;
// Above 2^20 cents, so even the shortest binary encoding is 4 bytes long (amount-encodings.ts).
const RATE = 6_150_427;
const PRICE = 8_264_913;
const MEMBER_RATE = 3_377_219;

const env = serverAndBrowsers('own-contracts-');
const browser = env.browser;
const ok = acted;

function leaks(chunks: readonly Uint8Array[], amounts: readonly number[]): string[] {
  return chunks.flatMap((bytes) => amounts.flatMap((n) => amountFoundIn(bytes, n).map((e) => `${n}: ${e}`)));
}

describe('D15: a business manager’s own contract with its rate, from their own contracts page', () => {
  it('D15: sealed to the managers, read by the other manager beside the contract seen, never by a plain member', async () => {
    const olgaB = await browser('Olga');
    const maxB = await browser('Max');
    const annB = (await browser('Ann')) as RecordingBrowser;
    const olga = await createdAgency(olgaB, env.server().url);
    const max = await joined(olga, maxB, { role: 'manager' });
    const ann = await joined(olga, annB);
    await max.waitFor((r) => r.syncView().status === 'synced', WAIT);
    await max.amountsView(); // publishes Max's seal key

    expect(await olga.waitFor((r) => Object.keys(r.log.state.sealKeys).length === 1, WAIT)).toBe(true);
    const hourly = await ok(olga, 'observeContract', {
      contract: '42000001',
      title: 'Design system audit',
      kind: 'hourly',
      as: 'agency',
      terms: { kind: 'hourly', hourlyRate: RATE },
    });
    const fixed = await ok(olga, 'observeContract', {
      contract: '42000002',
      title: 'Pitch deck',
      kind: 'fixed',
      as: 'agency',
      terms: { kind: 'fixed', amount: PRICE },
    });
    expect(hourly.flags).toEqual([]);
    expect(fixed.flags).toEqual([]);
    // What Olga signed: the contract in the clear, the rate only in an envelope.
    const signed = olga.log.derived.actions.get(hourly.id)!.payload as Payloads['observeContract'];
    expect(signed.terms).toBeUndefined();
    expect(signed).toMatchObject({ contract: '42000001', kind: 'hourly', as: 'agency' });
    expect(signed.sealed?.box.length).toBe(SEAL.BOX_BYTES);
    // Ann, a plain member, records her own contract; were her page to show a rate, it would count nowhere.
    const annOwn = await ok(ann, 'observeContract', {
      contract: '43000001',
      title: 'Ann’s landing page',
      kind: 'hourly',
      as: 'agency',
      terms: { kind: 'hourly', hourlyRate: MEMBER_RATE },
    });
    expect(annOwn.flags.map((f) => f.code)).toEqual(['AMOUNT_NOT_BY_MANAGER']);

    for (const r of [olga, max, ann])
      expect(
        await r.waitFor(
          (x) =>
            x.log.derived.actions.has(fixed.id) && x.log.derived.actions.has(annOwn.id) && converged(x, olga),
          WAIT,
        ),
      ).toBe(true);

    for (const manager of [olga, max]) {
      const view = await manager.amountsView();
      expect(view.seen).toEqual({ '42000001': RATE, '42000002': PRICE });
      expect(manager.view().state.contractsSeen['42000001']).toMatchObject({
        member: olga.me,
        kind: 'hourly',
      });
    }
    // Ann sees her own contract as before, and no figure of anyone's.
    expect(ann.view().state.contractsSeen['43000001']).toMatchObject({ member: ann.me });
    expect((await ann.amountsView()).seen).toEqual({});
    const kept = [
      Y.encodeStateAsUpdate(ann.doc),
      new TextEncoder().encode(JSON.stringify(ann.log.snapshot())),
    ];
    expect(annB.received.length).toBeGreaterThan(5);
    expect(leaks([...kept, ...annB.received], [RATE, PRICE])).toEqual([]);
  }, 60_000);

  it('D15: a manager’s contract whose rate cannot be sealed is still recorded, without the rate, flagged AMOUNT_NOT_SEALED', async () => {
    const olgaB = await browser('Olga');
    // A browser without a seal key (none was made, or its WebCrypto has no X25519): no manager's browser
    // publishes one, so there is nothing to seal to.
    (olgaB as { sealKey?: CryptoKeyPair }).sealKey = undefined;
    const olga = await createdAgency(olgaB, env.server().url);
    const result = await olga.act('observeContract', {
      contract: '42000009',
      title: 'Brand refresh',
      kind: 'hourly',
      as: 'agency',
      terms: { kind: 'hourly', hourlyRate: RATE },
    });
    expect(result).toMatchObject({
      ok: true,
      status: 'saved',
      flags: [
        { code: 'AMOUNT_NOT_SEALED', rule: 'D15', message: expect.stringMatching(/without its amount/) },
      ],
    });
    const id = (result as { id: string }).id;
    const signed = olga.log.derived.actions.get(id)!.payload as Payloads['observeContract'];
    expect(signed).toEqual({ contract: '42000009', title: 'Brand refresh', kind: 'hourly', as: 'agency' });
    expect(olga.log.state.contractsSeen['42000009']).toMatchObject({ member: olga.me });
    expect(olga.log.state.sealKeys).toEqual({});
    expect(olga.view().recent[0]).toMatchObject({ id, note: { code: 'AMOUNT_NOT_SEALED' } });
  });
});
