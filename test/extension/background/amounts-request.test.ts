// @vitest-environment node
// D15 at the background's boundary: a business manager's browser records an amount through `act` (sealed by
// the replica before signing) and reads it back with `amounts`; a plain member's browser reads nothing; a
// content script (inside Upwork's page) may not ask for amounts at all.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AmountsView } from '../../../core/lite.ts';
import { contentScriptRefusal } from '../../../extension/background/content-scripts.ts';
import { TestServer } from './server.ts';
import { TestBrowser } from './support.ts';

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

describe('D15: the amounts request', () => {
  it('D15: the manager’s browser seals what it records and reads it back; the member’s browser reads nothing', async () => {
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
    const bobId = (await bob.until((v) => v.view?.state.members[v.view.me]?.status === 'active')).view!.me;
    const act = (type: string, payload: unknown) => olga.ok({ kind: 'act', agencyId, type, payload });
    await act('receiveOffer', {
      offer: 'o1',
      job: '~01',
      title: 'Logo',
      as: 'agency',
      member: bobId,
      terms: { kind: 'fixed', amount: 150_000 },
    });
    await act('acceptOffer', { offer: 'o1' });
    await act('recordPayout', { contract: 'o1', amount: 50_000 });
    const mine = await olga.ok<AmountsView>({ kind: 'amounts', agencyId });
    expect(mine.contracts.o1).toMatchObject({ kind: 'fixed', figure: 150_000, paid: 50_000, unread: 0 });

    await bob.until((v) => (v.view?.state.payouts.length ?? 0) === 1);
    const his = await bob.ok<AmountsView>({ kind: 'amounts', agencyId });
    expect(his.contracts.o1).toMatchObject({ kind: 'fixed', figure: null, paid: 0, unread: 1 });
    // What the member's background derived holds the contract, and no amount.
    const state = bob.agencies.overview().view!.state;
    expect(JSON.stringify(state)).not.toMatch(/(?<![0-9])(150000|50000)(?![0-9])/);
  });

  it('D15: a content script cannot ask for amounts', () => {
    expect(contentScriptRefusal({ kind: 'amounts', agencyId: 'x' })).toMatchObject({ code: 'NOT_FROM_PAGE' });
  });
});
