// @vitest-environment node
// What is left of the honest fork once nothing is sent before it is stored (send-when-stored.ts): a browser
// whose copy of the agency is older than what its own key already sent — its profile restored from an old
// backup, or a power cut taking writes IndexedDB had reported done. Its next action does not build on its
// key's last action: a branch of the key's chain (core/key-chain.ts), applied beside it and flagged
// KEY_BRANCHED. Against the product's own server: the browser syncs (it used to be stopped for good, with a
// way out that took the member's removal of the agency from that browser), both purchases count for
// everyone, and its next action closes the branch.
import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Replica } from '../../../extension/replica/replica.ts';
import { type SyncServer, startSyncServer } from '../../../sync-server/server.ts';
import { Browser, createdAgency, joined } from './support/peers.ts';

const WAIT = 15_000;
let dataDir: string;
let server: SyncServer;
let browsers: Browser[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'replica-older-copy-'));
  server = await startSyncServer({ port: 0, dataDir, logLevel: 'error' });
});

afterEach(async () => {
  for (const b of browsers) await b.closeAll();
  browsers = [];
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function browser(name: string) {
  const b = await Browser.make(name);
  browsers.push(b);
  return b;
}

/** A socket class that counts the sockets opened with it. */
function countingSocket(count: { opened: number }): typeof WebSocket {
  class CountingSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      count.opened++;
    }
  }
  return CountingSocket as typeof WebSocket;
}

describe('a browser whose copy is older than what its key already sent', () => {
  it('syncs its action as a branch of its key: applied and flagged for everyone, and its next action closes the branch', async () => {
    const olga = await browser('Olga');
    const manager = await createdAgency(olga, server.url);
    const member = await joined(manager, await browser('Ann'));
    expect(await member.waitFor((r) => r.syncView().status === 'synced' && r.waiting === 0, WAIT)).toBe(true);
    expect(await manager.waitFor((r) => !!r.log.state.members[member.me] && r.waiting === 0, WAIT)).toBe(
      true,
    );
    // The backup: Olga's copy as it is now.
    const backup = Y.encodeStateAsUpdate(manager.doc);
    // Then Olga records a purchase, and the server holds it.
    const first = await manager.act('recordPurchase', { connects: 10 });
    expect(first.ok).toBe(true);
    expect(await manager.waitFor((r) => r.waiting === 0, WAIT)).toBe(true);
    expect(await member.waitFor((r) => r.view().connects.balance === 110, WAIT)).toBe(true);
    await manager.close();

    // Olga's profile comes back from the backup (same browser key, the older copy), and she acts before it syncs.
    const restored = new Browser('Olga, restored');
    restored.signer = olga.signer;
    browsers.push(restored);
    const sockets = { opened: 0 };
    const back = restored.track(
      await Replica.open({
        ...restored.base,
        agencyId: manager.agencyId,
        server: server.url,
        connect: false,
        WebSocketImpl: countingSocket(sockets),
      }),
    );
    Y.applyUpdate(back.doc, backup);
    await back.log.settled();
    expect(back.view().connects.balance).toBe(100);
    const second = await back.act('recordPurchase', { connects: 5 });
    expect(second).toMatchObject({ ok: true, status: 'saved' });

    // It syncs: the server stores the branch, closes no one, and both purchases count everywhere.
    back.reconnect();
    expect(await back.waitFor((r) => r.syncView().status === 'synced' && r.waiting === 0, WAIT)).toBe(true);
    expect(back.syncView().stoppedBy).toBeNull();
    expect(sockets.opened).toBe(1);
    expect(await member.waitFor((r) => r.view().connects.balance === 115, WAIT)).toBe(true);
    expect(back.view().connects.balance).toBe(115);
    if (!first.ok || !second.ok) throw new Error('both purchases were recorded');
    for (const r of [member, back]) {
      for (const id of [first.id, second.id]) {
        expect(r.log.verdictsFor(id).map((v) => [v.kind, v.code])).toEqual([['flagged', 'KEY_BRANCHED']]);
      }
    }

    // Its next action builds on both branches: not flagged, and the agency goes on for everyone.
    const third = await back.act('recordPurchase', { connects: 1 });
    if (!third.ok) throw new Error('the third purchase was recorded');
    expect(await back.waitFor((r) => r.waiting === 0, WAIT)).toBe(true);
    expect(await member.waitFor((r) => r.view().connects.balance === 116, WAIT)).toBe(true);
    expect(member.log.verdictsFor(third.id)).toEqual([]);
    const proposal = await member.act('submitProposal', {
      job: '~01abc',
      title: 'Logo for a coffee shop',
      as: 'agency',
      connects: 1,
      boost: 0,
    });
    expect(proposal.ok).toBe(true);
    expect(await back.waitFor((r) => r.view().connects.balance === 115, WAIT)).toBe(true);
  });
});
