// Durability: kill -9 the server at random moments while members write; after a restart every update any
// client saw relayed (or ACKed) is there. The kill points come from a seeded generator.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Signer } from '../../core/index.ts';
import { DB_FILE, Store } from '../../sync-server/persistence.ts';
import { type ChildServer, kill, spawnServer } from './support/child.ts';
import { createAgency, TestClient } from './support/client.ts';
import { testServer } from './support/server.ts';
import { rng, until } from './support/wait.ts';

const SOAK = process.env.SOAK === '1';
const TRIALS = SOAK ? 60 : 8;

let dir = '';
let server: ChildServer | null = null;
afterAll(async () => {
  if (server) await kill(server);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function open(url: string, room: string, signer: Signer): Promise<TestClient> {
  const c = await TestClient.open({ url, room, signer });
  await c.whenSynced(20_000);
  return c;
}

describe('durability', () => {
  it(
    `SIGKILL at ${TRIALS} random moments while members write loses no relayed or acknowledged update`,
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'agency-sync-kill-'));
      const next = rng(20261127);
      server = await spawnServer(['--port', '0', '--data', dir, '--log-level', 'warn']);
      const agency = await createAgency(server.url);
      const bob = await agency.join('Bob');
      const cat = await agency.join('Cat');
      const room = agency.id;
      const writers = [agency.owner.signer, bob.signer];
      const observer = cat.signer;
      agency.destroy();
      let port = server.port;
      let total = 0;

      for (let trial = 0; trial < TRIALS; trial++) {
        const url = `ws://127.0.0.1:${port}`;
        const clients = await Promise.all([...writers, observer].map((s) => open(url, room, s)));
        const watcher = clients[2]!;
        const before = new Set(watcher.ids());
        const relayed = new Set<string>();
        const acked = new Set<string>();
        const onChange = () => {
          for (const id of watcher.ids()) if (!before.has(id)) relayed.add(id);
        };
        watcher.doc.on('update', onChange);
        let stop = false;
        const writing = clients.slice(0, 2).map(async (c, k) => {
          for (let i = 0; !stop; i++) {
            const r = await c.append('submitProposal', {
              job: `t${trial}-w${k}-${i}`,
              title: `Trial ${trial} write ${i}`,
              as: 'agency',
              connects: 1,
              boost: 0,
            });
            if (!r.ok) throw new Error(r.message);
            if (c.acked) for (const id of c.ids()) acked.add(id);
            await new Promise((res) => setTimeout(res, 1 + Math.floor(next() * 4)));
          }
        });
        // kill somewhere between 30 and 400 ms into the writes
        await new Promise((res) => setTimeout(res, 30 + Math.floor(next() * 370)));
        await kill(server);
        stop = true;
        await Promise.all(writing);
        for (const c of clients) if (c.acked) for (const id of c.ids()) acked.add(id);
        for (const c of clients) c.destroy();

        server = await spawnServer(['--port', '0', '--data', dir, '--log-level', 'warn']);
        port = server.port;
        const check = await open(server.url, room, observer);
        const stored = new Set(check.ids());
        check.destroy();
        const lostRelayed = [...relayed].filter((id) => !stored.has(id));
        const lostAcked = [...acked].filter((id) => !stored.has(id));
        expect({ trial, lostRelayed, lostAcked }).toEqual({ trial, lostRelayed: [], lostAcked: [] });
        total += relayed.size;
      }
      // the trials did exercise relays
      expect(total).toBeGreaterThan(TRIALS);
      await until(() => true);
    },
    (SOAK ? 20 : 3) * 60_000,
  );
});

describe('restoring a backup', () => {
  it("members' catch-up brings back everything written since the backup, other members' actions included", async () => {
    const first = await testServer();
    const agency = await createAgency(first.url);
    const bob = await agency.join('Bob');
    const backupDir = await mkdtemp(join(tmpdir(), 'agency-sync-backup-'));
    const store = Store.open(first.dataDir);
    store.backup(join(backupDir, DB_FILE));
    store.close();
    const olgaLater = await agency.owner.appendOk('recordPurchase', { connects: 40 });
    const bobLater = await bob.appendOk('observeBalance', { balance: 530 });
    await until(() => bob.log.has(olgaLater) && agency.owner.log.has(bobLater) && bob.acked);
    const ids = bob.ids();
    agency.owner.destroy();
    bob.provider.disconnect();
    await first.dispose();

    // the server comes back from the backup; only Bob reconnects, holding Olga's newer action too
    const restored = await testServer({}, backupDir);
    try {
      const back = await TestClient.open({
        url: restored.url,
        room: agency.id,
        signer: bob.signer,
        doc: bob.doc,
      });
      await back.whenSynced();
      await until(() => back.acked, { what: "Bob's catch-up to be stored" });
      expect(back.closes).toEqual([]);
      const check = await TestClient.open({
        url: restored.url,
        room: agency.id,
        signer: agency.owner.signer,
      });
      await check.whenSynced();
      await until(() => check.ids().length === ids.length, { what: 'everything back on the server' });
      expect(check.ids()).toEqual(ids);
      expect(check.log.has(olgaLater)).toBe(true);
      back.destroy();
      check.destroy();
    } finally {
      bob.destroy();
      await restored.dispose();
      await rm(backupDir, { recursive: true, force: true });
    }
  });
});
