// The data file: one SQLite file, WAL with synchronous=NORMAL, checkpoints off the relaying thread,
// compaction that loses nothing.
import { statSync } from 'node:fs';
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
async function open(checkpointEveryMs = 0): Promise<Store> {
  const dir = await mkdtemp(join(tmpdir(), 'agency-store-'));
  dirs.push(dir);
  const store = Store.open(dir, checkpointEveryMs);
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

  it('a worker thread checkpoints the WAL, so it stops growing while rows keep coming', async () => {
    const store = await open(20);
    const wal = `${store.path}-wal`;
    const write = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        store.append([{ room: 'room-wal1', update: update(i) }]);
        if (i % 100 === 0) await new Promise((r) => setTimeout(r, 30));
      }
    };
    await write(0, 600);
    const early = statSync(wal).size;
    await write(600, 3_000);
    // SQLite's own checkpoints are off (wal_autocheckpoint=0): without the worker the WAL would hold
    // every page written, about five times what it held after the first 600 rows
    expect(statSync(wal).size).toBeLessThan(early * 1.5 + 200_000);
    expect(store.rows('room-wal1')).toBe(3_000);
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
