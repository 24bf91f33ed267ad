// The data file: one SQLite file, WAL with synchronous=NORMAL, checkpoints between bursts (not on commit),
// compaction that loses nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DB_FILE, Store } from '../../sync-server/persistence.ts';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function open(managedCheckpoints = false): Promise<Store> {
  const dir = await mkdtemp(join(tmpdir(), 'agency-store-'));
  dirs.push(dir);
  const store = Store.open(dir, managedCheckpoints);
  stores.push(store);
  return store;
}

function update(n: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('actions').set(`key-${n}`, { n, filler: 'x'.repeat(900) });
  return Y.encodeStateAsUpdate(doc);
}

describe('persistence', () => {
  it('uses WAL with synchronous=NORMAL', async () => {
    const store = await open();
    store.append([{ room: 'room-0001', update: update(1) }]);
    const db = new DatabaseSync(store.path);
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    db.close();
    expect(store.path.endsWith(DB_FILE)).toBe(true);
  });

  it('appends a turn in one transaction and loads a room in order; compaction keeps every entry', async () => {
    const store = await open();
    const ids = store.append(
      Array.from({ length: 20 }, (_, i) => ({ room: i % 2 ? 'room-odd1' : 'room-even', update: update(i) })),
    );
    expect(ids).toHaveLength(20);
    const even = store.load('room-even');
    expect(even.updates).toHaveLength(10);
    store.compact('room-even', Y.mergeUpdates(even.updates), even.lastId);
    expect(store.rows('room-even')).toBe(1);
    expect(store.rows('room-odd1')).toBe(10);
    const doc = new Y.Doc();
    for (const u of store.load('room-even').updates) Y.applyUpdate(doc, u);
    expect([...doc.getMap('actions').keys()].sort()).toEqual(
      [0, 2, 4, 6, 8, 10, 12, 14, 16, 18].map((n) => `key-${n}`).sort(),
    );
  });

  it('with managed checkpoints SQLite never checkpoints on commit, and checkpoint() keeps the WAL from growing', async () => {
    const managed = await open(true);
    const write = async (store: Store, from: number, to: number, checkpoints: boolean) => {
      for (let i = from; i < to; i++) {
        store.append([{ room: 'room-wal1', update: update(i) }]);
        if (checkpoints && i % 100 === 0) store.checkpoint();
      }
    };
    await write(managed, 0, 600, false);
    const grown = managed.walBytes();
    await write(managed, 600, 1_200, false);
    const highWater = managed.walBytes();
    expect(highWater).toBeGreaterThan(grown * 1.5); // nothing was checkpointed on commit
    managed.checkpoint();
    await write(managed, 1_200, 3_000, true);
    // the WAL restarts after each complete checkpoint: 1,800 more rows leave it no larger than before
    expect(managed.walBytes()).toBeLessThanOrEqual(highWater);
    expect(managed.rows('room-wal1')).toBe(3_000);
  });

  it('backup writes a consistent copy while the store is open', async () => {
    const store = await open();
    store.append([{ room: 'room-back', update: update(7) }]);
    const copy = join(dirs[0]!, 'copy.sqlite');
    store.backup(copy);
    const db = new DatabaseSync(copy);
    expect((db.prepare('SELECT COUNT(*) AS n FROM updates').get() as { n: number }).n).toBe(1);
    db.close();
  });
});
