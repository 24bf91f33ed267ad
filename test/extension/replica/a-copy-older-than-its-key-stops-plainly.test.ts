// @vitest-environment node
// What is left of the honest fork once nothing is sent before it is stored (send-when-stored.ts): a browser
// whose copy of the agency is older than what its own key already sent — its profile restored from an old
// backup, or a power cut taking writes IndexedDB had reported done. Its next action does not build on its
// key's last action (core/key-chain.ts), so the server refuses it. Against the product's own server: the
// link stops with KEY_FORKED and says why in plain words, never dials again on its own, the server stores
// nothing of the fork, and the agency is untouched for everyone else; the way out README gives works.
import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseInviteCode } from '../../../core/protocol.ts';
import { createDeviceInvite, joinAgency } from '../../../extension/replica/flows.ts';
import { Replica } from '../../../extension/replica/replica.ts';
import { canRetrySync, syncText } from '../../../extension/ui/format.ts';
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
  it('stops with KEY_FORKED and a plain reason, does not dial again, and the server keeps nothing of the fork', async () => {
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
    expect((await manager.act('recordPurchase', { connects: 10 })).ok).toBe(true);
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
    expect(await back.act('recordPurchase', { connects: 5 })).toMatchObject({ ok: true, status: 'saved' });

    back.reconnect();
    expect(await back.waitFor((r) => r.syncView().status === 'stopped', WAIT)).toBe(true);
    const sync = back.syncView();
    expect(sync.stoppedBy).toBe('KEY_FORKED');
    expect(sync.stoppedReason).toMatch(/missing an action it had already sent/);
    // What the popup says, and no "Try again": the server would refuse the same fork again.
    expect(syncText(sync, Date.now())).toMatch(
      /^Not syncing: this browser's copy of the agency is older than what it had already sent/,
    );
    expect(canRetrySync(sync)).toBe(false);
    const opened = sockets.opened;
    expect(opened).toBe(1);

    // The alarm's wake-up leaves a stopped link alone; meanwhile the agency goes on for everyone else.
    back.ensureConnected();
    const proposal = await member.act('submitProposal', {
      job: '~01abc',
      title: 'Logo for a coffee shop',
      as: 'agency',
      connects: 1,
      boost: 0,
    });
    expect(proposal.ok).toBe(true);
    expect(await member.waitFor((r) => r.waiting === 0, WAIT)).toBe(true);
    // 100, Olga's purchase of 10, Ann's proposal of 1: never the fork's 5
    expect(member.view().connects.balance).toBe(109);
    expect(sockets.opened).toBe(opened);
    expect(back.syncView().status).toBe('stopped');
    expect(back.waiting).toBe(1);

    // The way out README gives: remove the agency from that browser, then open a code of the agency there.
    // The browser is still a member: it takes the agency as the server has it, and the code stays unused.
    await back.destroyData();
    restored.replicas = [];
    const code = await createDeviceInvite(member, { member: member.me, expiresInDays: 7 });
    if (!code.ok) throw new Error(code.message);
    const parsed = parseInviteCode(code.code);
    if (!parsed.ok) throw new Error(parsed.message);
    const again = await joinAgency({ ...restored.base, invite: parsed.invite, name: 'Olga' });
    if (!again.ok) throw new Error(again.message);
    const fresh = restored.track(again.replica);
    expect(fresh.me).toBe(manager.me);
    expect(await fresh.waitFor((r) => r.view().connects.balance === 109, WAIT)).toBe(true);
    expect(await fresh.act('recordPurchase', { connects: 5 })).toMatchObject({ ok: true, status: 'saved' });
    expect(await fresh.waitFor((r) => r.syncView().status === 'synced' && r.waiting === 0, WAIT)).toBe(true);
    expect(await member.waitFor((r) => r.view().connects.balance === 114, WAIT)).toBe(true);
    expect(member.view().state.invites[code.invite]?.usedBy).toBeNull();
  });
});
