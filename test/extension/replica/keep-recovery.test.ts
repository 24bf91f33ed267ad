// @vitest-environment node
// A replica whose IndexedDB the browser discarded (issue 13: Chromium 156 sometimes does after a SIGKILL),
// against the product's own sync server on loopback: the member's actions the server had not acknowledged
// come back from the record kept outside IndexedDB (browser.storage.local, here in memory), reach the
// server, and the member is told; an intact database opens without a word.
import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadDeviceKey, loadKeptDeviceKey } from '../../../extension/replica/device-key.ts';
import { DocStore } from '../../../extension/replica/doc-store.ts';
import { createAgency } from '../../../extension/replica/flows.ts';
import { readKept } from '../../../extension/replica/keep.ts';
import { Replica, replicaDbName } from '../../../extension/replica/replica.ts';
import { type SyncServer, startSyncServer } from '../../../sync-server/server.ts';
import { MemoryKeep } from './support/memory-keep.ts';
import { Browser, joined } from './support/peers.ts';

const WAIT = 15_000;
let dataDir: string;
let server: SyncServer;
let browsers: Browser[] = [];

const start = (port = 0) => startSyncServer({ port, dataDir, logLevel: 'error' });

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'replica-keep-'));
  server = await start();
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

/** Olga's agency (balance 100) with Ann as a member; Olga's browser keeps its record in `keep`. */
async function agency(keep: MemoryKeep) {
  const olga = await browser('Olga');
  const created = await createAgency({
    ...olga.base,
    keep,
    server: server.url,
    agencyName: 'Acme Studio',
    memberName: 'Olga',
    balance: 100,
  });
  if (!created.ok) throw new Error(created.message);
  const manager = olga.track(created.replica);
  const member = await joined(manager, await browser('Ann'));
  // The join is sent once Ann's browser stored it (send-when-stored.ts): wait until the server has it and
  // Olga's browser has seen it.
  expect(await member.waitFor((r) => r.syncView().status === 'synced' && r.waiting === 0, WAIT)).toBe(true);
  expect(
    await manager.waitFor(
      (r) => r.syncView().status === 'synced' && r.waiting === 0 && !!r.log.state.members[member.me],
      WAIT,
    ),
  ).toBe(true);
  return { olga, manager, member };
}

/** Three purchases of 10 Connects while the server is down: saved here, not acknowledged. */
async function offlinePurchases(manager: Replica) {
  const port = server.port;
  await server.close();
  expect(await manager.waitFor((r) => r.syncView().status === 'offline', WAIT)).toBe(true);
  for (let i = 0; i < 3; i++)
    expect(await manager.act('recordPurchase', { connects: 10 })).toMatchObject({
      ok: true,
      status: 'saved',
    });
  expect(manager.waiting).toBe(3);
  return port;
}

/** The browser closes, and its IndexedDB copy of the agency is gone when it starts again. */
async function closeAndDiscard(browser: Browser, r: Replica) {
  await r.close();
  browser.replicas = browser.replicas.filter((x) => x !== r);
  await DocStore.delete(replicaDbName(r.agencyId), browser.idb);
}

describe('a replica whose IndexedDB the browser discarded', () => {
  it('gets back the member’s unacknowledged actions from the keep, sends them, resyncs the rest and says nothing is lost', async () => {
    const keep = new MemoryKeep();
    const { olga, manager, member } = await agency(keep);
    const port = await offlinePurchases(manager);
    const agencyId = manager.agencyId;
    await closeAndDiscard(olga, manager);
    server = await start(port);

    const back = olga.track(await Replica.open({ ...olga.base, keep, agencyId, server: server.url }));
    expect(back.view().recovered).toEqual({
      at: expect.any(Number),
      held: expect.any(Number),
      restored: 3,
      notKept: 0,
      keyLost: false,
    });
    expect(
      back.view().recent.filter((r) => r.type === 'recordPurchase' && r.status === 'saved'),
    ).toHaveLength(3);
    expect(await back.waitFor((r) => r.syncView().status === 'synced' && r.waiting === 0, WAIT)).toBe(true);
    // The whole agency is back (from the server), with the three purchases counted once.
    expect(await back.waitFor((r) => r.view().connects.balance === 130, WAIT)).toBe(true);
    expect(back.view().state.members[member.me]?.name).toBe('Ann');
    expect(await member.waitFor((m) => m.view().connects.balance === 130, WAIT)).toBe(true);
    expect(
      back.view().recent.filter((r) => r.type === 'recordPurchase' && r.status === 'synced'),
    ).toHaveLength(3);
    await back.keep?.saved();
    expect((await readKept(keep, agencyId))?.own).toEqual([]);

    // The member reads the notice; it stays dismissed, and the next open finds nothing missing.
    back.dismissRecovery();
    expect(back.view().recovered).toBeNull();
    await back.close();
    olga.replicas = [];
    const again = olga.track(await Replica.open({ ...olga.base, keep, agencyId, server: server.url }));
    expect(again.view().recovered).toBeNull();
    expect(again.view().connects.balance).toBe(130);
  });

  it('an action the server stored but never acknowledged is written back as the same item: not an overwrite, counted once', async () => {
    const keep = new MemoryKeep();
    const { olga, manager, member } = await agency(keep);
    const port = await offlinePurchases(manager);
    await manager.keep?.saved();
    // The record as it was before the server's acknowledgement (the crash took the acknowledgement).
    const beforeAck = keep.copy();
    server = await start(port);
    expect(await manager.waitFor((r) => r.syncView().status === 'synced' && r.waiting === 0, WAIT)).toBe(
      true,
    );
    const agencyId = manager.agencyId;
    await closeAndDiscard(olga, manager);

    const back = olga.track(
      await Replica.open({ ...olga.base, keep: beforeAck, agencyId, server: server.url }),
    );
    expect(back.view().recovered).toMatchObject({ restored: 3, notKept: 0 });
    expect(await back.waitFor((r) => r.syncView().status === 'synced' && r.waiting === 0, WAIT)).toBe(true);
    expect(back.connection.stoppedBy).toBeNull();
    expect(await back.waitFor((r) => r.view().connects.balance === 130, WAIT)).toBe(true);
    expect(member.view().connects.balance).toBe(130);
  });

  it('an action taken before the first sync waits for it, counted as waiting, then builds on the key’s own chain', async () => {
    const keep = new MemoryKeep();
    const { olga, manager, member } = await agency(keep);
    // Olga's last action is on the server (acknowledged, so no longer kept); then her database is discarded
    // and she restarts while the server is down.
    expect((await manager.act('recordPurchase', { connects: 10 })).ok).toBe(true);
    expect(await manager.waitFor((r) => r.waiting === 0, WAIT)).toBe(true);
    const port = server.port;
    const agencyId = manager.agencyId;
    await closeAndDiscard(olga, manager);
    await server.close();
    const back = olga.track(await Replica.open({ ...olga.base, keep, agencyId, server: server.url }));
    expect(back.view().recovered).toMatchObject({ restored: 0 });
    let answered = false;
    const acted = back.act('recordPurchase', { connects: 5 }).then((r) => {
      answered = true;
      return r;
    });
    // Held, not refused (this copy does not even know the agency yet), and the popup counts it as waiting.
    await vi.waitFor(() => expect(back.syncView().waiting).toBe(1), { timeout: WAIT });
    expect(answered).toBe(false);
    server = await start(port);
    expect(await acted).toMatchObject({ ok: true, status: 'saved' });
    expect(await back.waitFor((r) => r.syncView().status === 'synced' && r.waiting === 0, WAIT)).toBe(true);
    expect(back.connection.stoppedBy).toBeNull();
    expect(
      back.log.state.verdicts.filter((v) => v.code === 'KEY_FORKED' || v.code === 'KEY_BRANCHED'),
    ).toEqual([]);
    expect(await member.waitFor((m) => m.view().connects.balance === 115, WAIT)).toBe(true);
    // The wait is over for good: the next action is written at once, even offline.
    await server.close();
    expect(await back.waitFor((r) => r.syncView().status === 'offline', WAIT)).toBe(true);
    expect(await back.act('recordPurchase', { connects: 1 })).toMatchObject({ ok: true, status: 'saved' });
    server = await start(port);
  });

  it('a kept action the stored doc records as synced is dropped from the keep when opening', async () => {
    const keep = new MemoryKeep();
    const { olga, manager } = await agency(keep);
    const agencyId = manager.agencyId;
    const result = await manager.act('recordPurchase', { connects: 10 });
    expect(result).toMatchObject({ ok: true, status: 'saved' });
    const id = (result as { id: string }).id;
    // The keep as a crash left it: the server's acknowledgement reached IndexedDB, not the keep.
    const beforeAck = keep.copy();
    expect((await readKept(beforeAck, agencyId))?.own.map((r) => r.id)).toContain(id);
    expect(
      await manager.waitFor((r) => r.waiting === 0 && r.view().recent[0]?.status === 'synced', WAIT),
    ).toBe(true);
    await manager.close();
    olga.replicas = [];
    // Not connected: the drop comes from opening, not from a new ACK.
    const back = olga.track(
      await Replica.open({ ...olga.base, keep: beforeAck, agencyId, server: server.url, connect: false }),
    );
    expect(back.view().recovered).toBeNull();
    await back.keep!.saved();
    expect((await readKept(beforeAck, agencyId))?.own.map((r) => r.id)).not.toContain(id);
  });

  it('an intact database opens with no notice and writes nothing back', async () => {
    const keep = new MemoryKeep();
    const { olga, manager } = await agency(keep);
    await offlinePurchases(manager);
    const agencyId = manager.agencyId;
    await manager.close();
    olga.replicas = [];
    const kept = await readKept(keep, agencyId);
    expect(kept?.own).toHaveLength(3);
    expect(kept?.head.sv).not.toBe('');
    const back = olga.track(
      await Replica.open({ ...olga.base, keep, agencyId, server: server.url, connect: false }),
    );
    expect(back.view().recovered).toBeNull();
    expect(back.view().connects.balance).toBe(130);
    expect(back.store.unsaved).toBe(0);
  });

  it('"saved" waits for the keep as well as IndexedDB: an action reported saved is in both', async () => {
    const keep = new MemoryKeep();
    const { manager } = await agency(keep);
    let release = () => {};
    keep.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let saved = false;
    const acted = manager.act('recordPurchase', { connects: 10 }).then((r) => {
      saved = true;
      return r;
    });
    // IndexedDB has committed it and the keep's write is held: not "saved" yet.
    await vi.waitFor(() => expect(manager.store.unsaved === 0 && keep.waiting > 0).toBe(true), {
      timeout: WAIT,
    });
    expect(saved).toBe(false);
    keep.gate = null;
    release();
    expect(await acted).toMatchObject({ ok: true, status: 'saved' });
    expect(keep.sets).toBeGreaterThan(0);
  });
});

describe("this browser's device key in a storage bucket of its own", () => {
  const buckets = () => {
    const idb = new IDBFactory();
    return { idb, open: async () => ({ indexedDB: idb }) };
  };

  it('survives the default IndexedDB being discarded', async () => {
    const b = buckets();
    const first = await loadKeptDeviceKey(b, new IDBFactory());
    const afterWipe = await loadKeptDeviceKey(b, new IDBFactory());
    expect(afterWipe.signer.keyId).toBe(first.signer.keyId);
  });

  it('a key kept only in the default IndexedDB (an earlier version) is the one used, and copied to the bucket', async () => {
    const idb = new IDBFactory();
    const old = await loadDeviceKey(idb);
    const b = buckets();
    expect((await loadKeptDeviceKey(b, idb)).signer.keyId).toBe(old.signer.keyId);
    expect((await loadKeptDeviceKey(b, new IDBFactory())).signer.keyId).toBe(old.signer.keyId);
  });

  it('without storage buckets (Firefox), the default IndexedDB as before', async () => {
    const idb = new IDBFactory();
    const old = await loadDeviceKey(idb);
    expect((await loadKeptDeviceKey(undefined, idb)).signer.keyId).toBe(old.signer.keyId);
  });
});
