// Postgres's fencing numbers (sync-server/pg-store.ts) on a real Postgres 15: an instance that loaded an
// agency before it had a row keeps writing it after its first write of any kind — a saved list of Yjs client
// owners (what loading an agency seeded outside the server, or upgraded from 0.1, saves first) used to make
// the row at number 1 without the instance knowing, and its next append took the row for another instance's
// and dropped the agency (every member closed with "served by another instance now").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FencedError, PgStore } from '../../sync-server/pg-store.ts';
import { Cluster } from './support/cluster.ts';

let engines: Cluster;
beforeAll(async () => {
  engines = await Cluster.engines();
}, 120_000);
afterAll(async () => {
  await engines?.stop();
});

const update = (n: number) => new Uint8Array([0, 0, n]);

describe('fencing numbers', () => {
  it('saved owners before the first append: the append is written, not fenced', async () => {
    const store = await PgStore.open(engines.pgUrl, 'a');
    try {
      const room = 'owners-first';
      expect((await store.load(room)).updates).toEqual([]);
      store.saveOwners(room, [{ client: 7, key: 'key-a', foreign: null }]);
      await store.drain();
      const r = await store.append([{ room, update: update(1) }]);
      expect(r.fenced.size).toBe(0);
      expect(r.ids[0]).toBeGreaterThan(0);
      expect(store.fenceOf(room)).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('an instance that loads the agency after another fences the first one off', async () => {
    const [a, b] = [await PgStore.open(engines.pgUrl, 'a'), await PgStore.open(engines.pgUrl, 'b')];
    const lost: string[] = [];
    a.onLost = (room, error) => {
      if (error instanceof FencedError) lost.push(room);
    };
    try {
      const room = 'taken-over';
      await a.load(room);
      expect((await a.append([{ room, update: update(1) }])).fenced.size).toBe(0);
      const seen = await b.load(room);
      expect(seen.updates).toHaveLength(1);
      const late = await a.append([{ room, update: update(2) }]);
      expect([...late.fenced]).toEqual([room]);
      expect(late.ids).toEqual([0]);
      a.saveOwners(room, [{ client: 8, key: 'key-a', foreign: null }]);
      await a.drain();
      expect(lost).toEqual([room]);
      expect((await b.append([{ room, update: update(3) }])).fenced.size).toBe(0);
      expect((await b.load(room)).updates.map((u) => u[2])).toEqual([1, 3]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
