// Limits with clear refusals, rooms in memory, and compaction.

import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ACTIONS_ROOT, createAction, toStored } from '../../core/index.ts';
import { Store } from '../../sync-server/persistence.ts';
import { encodeUpdate } from '../../sync-server/wire.ts';
import { createAgency, TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { until } from './support/wait.ts';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
async function server(opts: Parameters<typeof testServer>[0] = {}): Promise<TestServer> {
  const s = await testServer(opts);
  cleanup.push(() => s.dispose());
  return s;
}

describe('limits', () => {
  it('too many actions per second from one connection are refused (RATE_LIMITED); a sync step 2 catch-up is not', async () => {
    const s = await server({ actionsPerSecond: 5, actionBurst: 10 });
    const agency = await createAgency(s.url);
    cleanup.push(() => agency.destroy());
    const bob = await agency.join('Bob');
    // Offline, Bob writes more than a burst; his catch-up on reconnect is a sync step 2 and passes.
    bob.provider.disconnect();
    for (let i = 0; i < 30; i++) await bob.appendOk('observeBalance', { balance: i });
    bob.connect();
    await until(() => bob.acked && bob.synced, { what: "Bob's catch-up to be stored" });
    expect(bob.closes).toEqual([]);
    // Online, the same amount at once is refused.
    const r = await RawClient.open(s.url, agency.id);
    cleanup.push(() => r.close());
    expect(await r.authenticate(bob.signer, agency.id)).toBe('member');
    const doc = new Y.Doc();
    let deps = bob.log.heads();
    for (let i = 0; i < 30; i++) {
      const made = await createAction(
        agency.id,
        bob.signer,
        'observeBalance',
        { balance: 100 + i },
        deps,
        Date.now(),
      );
      if (!made.ok) throw new Error(made.message);
      deps = [made.action.id];
      r.sendActions([made.action], doc);
    }
    expect((await r.whenClosed()).code).toBe(4013);
  });

  it('connections beyond the limit per address are refused (TOO_MANY_CONNECTIONS)', async () => {
    const s = await server({ maxConnectionsPerIp: 3 });
    const socks = await Promise.all([1, 2, 3, 4].map(() => RawClient.open(s.url, 'some-agency-id')));
    for (const r of socks) cleanup.push(() => r.close());
    await until(() => socks.some((r) => r.closed));
    expect(socks.filter((r) => r.closed?.code === 4015)).toHaveLength(1);
    // a slot frees when a connection leaves
    socks.find((r) => !r.closed)!.close();
    await until(() => s.stats().connections === 2);
    const again = await RawClient.open(s.url, 'some-agency-id');
    cleanup.push(() => again.close());
    await until(() => again.agency('challenge'));
    expect(again.closed).toBeNull();
  });

  it('a room with no connection is unloaded within seconds and reloads with everything on demand', async () => {
    const s = await server({ idleUnloadMs: 500 });
    const agency = await createAgency(s.url);
    const bob = await agency.join('Bob');
    for (let i = 0; i < 5; i++) await bob.appendOk('observeBalance', { balance: i });
    await until(() => bob.acked);
    const ids = agency.owner.ids();
    expect(s.stats().rooms).toBe(1);
    agency.destroy();
    const left = Date.now();
    await until(() => s.stats().rooms === 0, { what: 'the idle room to unload', timeout: 5_000 });
    expect(Date.now() - left).toBeLessThan(3_000);
    const back = await TestClient.open({ url: s.url, room: agency.id, signer: bob.signer });
    cleanup.push(() => back.destroy());
    await back.whenSynced();
    await until(() => back.ids().length === ids.length);
    expect(back.ids()).toEqual(ids);
    expect(back.log.state.members[bob.signer.keyId]?.status).toBe('active');
  });

  it('with every room slot taken by a connected agency, a new room is refused (UNAVAILABLE)', async () => {
    const s = await server({ maxRooms: 1 });
    const agency = await createAgency(s.url);
    cleanup.push(() => agency.destroy());
    const r = await RawClient.open(s.url, 'second-agency-id');
    cleanup.push(() => r.close());
    const { newSigner } = await import('./support/client.ts');
    expect(await r.authenticate(await newSigner(), 'second-agency-id')).toBeNull();
    expect(r.closed?.code).toBe(4016);
  });

  it('an update with a gap waits for the update that fills it (an honest reconnect), then both are stored', async () => {
    const s = await server();
    const agency = await createAgency(s.url);
    cleanup.push(() => agency.destroy());
    const bob = await agency.join('Bob');
    const r = await RawClient.open(s.url, agency.id);
    cleanup.push(() => r.close());
    expect(await r.authenticate(bob.signer, agency.id)).toBe('member');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(bob.doc));
    const make = async (balance: number, deps: string[]) => {
      const made = await createAction(agency.id, bob.signer, 'observeBalance', { balance }, deps, Date.now());
      if (!made.ok) throw new Error(made.message);
      return made.action;
    };
    const first = await make(1, bob.log.heads());
    const sv0 = Y.encodeStateVector(doc);
    doc.getMap(ACTIONS_ROOT).set(first.id, toStored(first));
    const sv1 = Y.encodeStateVector(doc);
    const second = await make(2, [first.id]);
    doc.getMap(ACTIONS_ROOT).set(second.id, toStored(second));
    // the second write arrives first: its Yjs clock and its dep are both missing at the server
    r.send(encodeUpdate(Y.encodeStateAsUpdate(doc, sv1)));
    await new Promise((res) => setTimeout(res, 100));
    expect(agency.owner.log.has(second.id)).toBe(false);
    r.send(
      encodeUpdate(
        Y.diffUpdate(Y.encodeStateAsUpdate(doc, sv0), sv1).length
          ? Y.encodeStateAsUpdate(doc, sv0)
          : new Uint8Array(),
      ),
    );
    await until(() => agency.owner.log.has(first.id) && agency.owner.log.has(second.id), {
      what: 'both writes relayed',
    });
    expect(r.closed).toBeNull();
  });

  it('compaction merges a room’s rows into one and loses nothing', async () => {
    const s = await server({ compactRows: 10 });
    const agency = await createAgency(s.url);
    cleanup.push(() => agency.destroy());
    for (let i = 0; i < 25; i++) await agency.owner.appendOk('observeBalance', { balance: i });
    await until(() => agency.owner.acked);
    const ids = agency.owner.ids();
    const store = Store.open(s.dataDir);
    cleanup.push(() => store.close());
    // compaction waits for a quiet second (never on the write path)
    await until(() => store.rows(agency.id) < 10, { what: 'the rows to be merged', timeout: 5_000 });
    const doc = new Y.Doc();
    for (const u of store.load(agency.id).updates) Y.applyUpdate(doc, u);
    expect([...doc.getMap(ACTIONS_ROOT).keys()].sort()).toEqual(ids);
  });
});
