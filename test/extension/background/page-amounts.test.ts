// @vitest-environment node
// D15 at the background's boundary, issue 11: the one amount a content script may carry — the rate or price
// of a contract on the member's own Upwork contracts page — is kept only when the agency's log derives this
// browser's member as an active business manager. A plain member's request is recorded without it (the
// answer says so), and nothing of it reaches the replica. A page never sends an envelope of its own.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AmountsView } from '../../../core/lite.ts';
import type { Response } from '../../../extension/messaging/types.ts';
import { TestServer } from './server.ts';
import { TestBrowser } from './support.ts';

const RATE = 7_512_309;

let server: TestServer;
let browsers: TestBrowser[] = [];
const browser = () => {
  const b = new TestBrowser();
  browsers.push(b);
  return b;
};

beforeEach(async () => {
  server = await TestServer.start();
});
afterEach(async () => {
  for (const b of browsers) await b.stop();
  browsers = [];
  await server.dispose();
});

/** A request as a content script sends it: from a tab (router.ts tells pages from the extension's own). */
const fromPage = (b: TestBrowser, message: unknown): Promise<Response> =>
  b.router.dispatch(message, { tab: {} });

const contract = (agencyId: string, id: string) => ({
  kind: 'act',
  agencyId,
  type: 'observeContract',
  payload: {
    contract: id,
    title: `Contract ${id}`,
    kind: 'hourly',
    as: 'agency',
    terms: { kind: 'hourly', hourlyRate: RATE },
  },
});

describe('D15: a contract’s rate from an Upwork page', () => {
  it('D15: kept and sealed from a business manager’s browser; dropped before the replica from a plain member’s', async () => {
    const olga = browser();
    const bob = browser();
    const { agencyId } = await olga.ok<{ agencyId: string }>({
      kind: 'createAgency',
      server: server.url,
      agencyName: 'Acme Studio',
      memberName: 'Olga',
      balance: 100,
    });
    const { code } = await olga.ok<{ code: string }>({
      kind: 'createInvite',
      agencyId,
      role: 'member',
      relationship: 'exclusive',
      expiresInDays: 7,
    });
    await bob.ok({ kind: 'joinAgency', code, name: 'Bob' });
    await bob.until((v) => v.view?.state.members[v.view.me]?.status === 'active');

    const hers = await fromPage(olga, contract(agencyId, '42000001'));
    expect(hers).toMatchObject({ ok: true, value: { flags: [] } });
    const his = await fromPage(bob, contract(agencyId, '43000001'));
    expect(his).toMatchObject({ ok: true, value: { flags: [{ code: 'AMOUNT_NOT_RECORDED', rule: 'D15' }] } });

    const signed = (b: TestBrowser, id: string) =>
      b.agencies.replicas
        .get(agencyId)!
        .log.ordered()
        .find((a) => a.id === id)!.payload;
    const herId = (hers as { value: { id: string } }).value.id;
    const hisId = (his as { value: { id: string } }).value.id;
    expect(Object.keys(signed(olga, herId)).sort()).toEqual(['as', 'contract', 'kind', 'sealed', 'title']);
    expect(Object.keys(signed(bob, hisId)).sort()).toEqual(['as', 'contract', 'kind', 'title']);

    const amounts = await olga.ok<AmountsView>({ kind: 'amounts', agencyId });
    expect(amounts.seen).toEqual({ '42000001': RATE });
    // Bob's contract is recorded (his, the agency's) all the same: nothing but the rate is lost.
    await olga.until((v) => v.view?.state.contractsSeen['43000001'] !== undefined);
    const bobView = bob.agencies.overview().view!;
    expect(bobView.state.contractsSeen['43000001']).toMatchObject({ member: bobView.me, kind: 'hourly' });
    expect(JSON.stringify(bobView.state)).not.toContain(String(RATE));
  });

  it('D15: a page cannot hand the background an envelope, nor an amount on any other fact', async () => {
    const olga = browser();
    const { agencyId } = await olga.ok<{ agencyId: string }>({
      kind: 'createAgency',
      server: server.url,
      agencyName: 'Acme Studio',
      memberName: 'Olga',
      balance: 100,
    });
    const sealed = contract(agencyId, '42000009');
    const { terms: _t, ...clear } = sealed.payload;
    const envelope = {
      epk: new Uint8Array(32),
      iv: new Uint8Array(12),
      box: new Uint8Array(64),
      to: new Uint8Array(80),
    };
    expect(await fromPage(olga, { ...sealed, payload: { ...clear, sealed: envelope } })).toMatchObject({
      ok: false,
      code: 'NOT_FROM_PAGE',
      rule: 'D15',
    });
    expect(
      await fromPage(olga, {
        kind: 'act',
        agencyId,
        type: 'recordPayout',
        payload: { contract: '42000009', amount: 5_000 },
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FROM_PAGE' });
  });
});
