// The server reads and writes the log's Yjs updates itself (sync-server/codec.ts, room-log.ts): it must read
// exactly what Yjs writes, and Yjs must read exactly what it writes.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ACTIONS_ROOT } from '../../core/index.ts';
import { readAll, runsOf, UpdateReader } from '../../sync-server/codec.ts';
import { RoomLog } from '../../sync-server/room-log.ts';
import { rng } from './support/wait.ts';

const value = (next: () => number, i: number) => ({
  type: 'observeBalance',
  actor: new Uint8Array(32).map(() => Math.floor(next() * 256)),
  payload: { balance: i, note: 'x'.repeat(Math.floor(next() * 40)) },
  deps: new Uint8Array(32 * Math.floor(next() * 3)),
  at: 1_700_000_000_000 + i,
  sig: new Uint8Array(64).fill(i % 256),
});

/** A few Yjs clients writing entries, exchanging updates now and then; the seed picks who and when. */
function replicas(seed: number): { docs: Y.Doc[]; updates: Uint8Array[] } {
  const next = rng(seed);
  const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  const updates: Uint8Array[] = [];
  for (let i = 0; i < 60; i++) {
    const doc = docs[Math.floor(next() * docs.length)]!;
    const before = Y.encodeStateVector(doc);
    doc.getMap(ACTIONS_ROOT).set(`id-${seed}-${i}`, value(next, i));
    updates.push(Y.encodeStateAsUpdate(doc, before));
    if (next() < 0.3) {
      const other = docs[Math.floor(next() * docs.length)]!;
      Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
    }
  }
  return { docs, updates };
}

const keysOf = (update: Uint8Array): string[] => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return [...doc.getMap(ACTIONS_ROOT).keys()].sort();
};

describe('the server’s Yjs codec', () => {
  it('reads every entry Yjs writes, with its client, clock, key and value', () => {
    for (const seed of [1, 2, 3]) {
      const { docs } = replicas(seed);
      for (const doc of docs) {
        const update = Y.encodeStateAsUpdate(doc);
        const ours = readAll(update);
        if (!Array.isArray(ours)) throw new Error(ours.kind);
        const theirs = Y.decodeUpdate(update).structs as Y.Item[];
        expect(ours.map((e) => [e.client, e.clock, e.key])).toEqual(
          theirs.map((s) => [s.id.client, s.id.clock, s.parentSub]),
        );
        expect(ours.map((e) => e.value)).toEqual(theirs.map((s) => (s.content as Y.ContentAny).arr[0]));
      }
    }
  });

  it('a room log built from updates answers any state vector with what Yjs would give', () => {
    for (const seed of [4, 5, 6]) {
      const { docs, updates } = replicas(seed);
      const full = new Y.Doc();
      const log = new RoomLog();
      for (const u of updates) {
        // the server appends what it does not hold yet (here: everything, in order)
        const entries = readAll(u);
        if (!Array.isArray(entries)) throw new Error(entries.kind);
        log.append(runsOf(entries));
        Y.applyUpdate(full, u);
      }
      log.consolidate();
      expect(log.size).toBe(full.getMap(ACTIONS_ROOT).size);
      expect(keysOf(log.encode())).toEqual([...full.getMap(ACTIONS_ROOT).keys()].sort());
      for (const doc of docs) {
        const sv = Y.decodeStateVector(Y.encodeStateVector(doc));
        const diff = log.diff(sv);
        const copy = new Y.Doc();
        Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
        Y.applyUpdate(copy, diff);
        expect([...copy.getMap(ACTIONS_ROOT).keys()].sort()).toEqual(keysOf(log.encode()));
        // only what the replica lacked
        const lacked = readAll(diff);
        if (!Array.isArray(lacked)) throw new Error(lacked.kind);
        expect(lacked.every((e) => e.clock >= (sv.get(e.client) ?? 0))).toBe(true);
        expect(lacked.length).toBe(log.size - doc.getMap(ACTIONS_ROOT).size);
      }
    }
  });

  it('refuses deletes, overwrites, other roots, nested types and other content; reports gaps', () => {
    const problem = (update: Uint8Array) => {
      const r = new UpdateReader(update).read(1_000);
      return Array.isArray(r) ? null : r.kind === 'gap' ? 'gap' : `${r.close}: ${r.message}`;
    };
    const doc = new Y.Doc();
    doc.getMap(ACTIONS_ROOT).set('a', { x: 1 });
    const sv = Y.encodeStateVector(doc);
    doc.getMap(ACTIONS_ROOT).delete('a');
    expect(problem(Y.encodeStateAsUpdate(doc, sv))).toMatch(/LOG_TAMPERED.*deletes/);

    const over = new Y.Doc();
    over.getMap(ACTIONS_ROOT).set('a', { x: 1 });
    const sv2 = Y.encodeStateVector(over);
    over.getMap(ACTIONS_ROOT).set('a', { x: 2 });
    expect(problem(Y.encodeStateAsUpdate(over, sv2))).toMatch(/LOG_TAMPERED.*overwrites/);

    const other = new Y.Doc();
    other.getArray('elsewhere').push(['x']);
    expect(problem(Y.encodeStateAsUpdate(other))).toMatch(/LOG_TAMPERED/);

    const nested = new Y.Doc();
    nested.getMap(ACTIONS_ROOT).set('n', new Y.Map());
    expect(problem(Y.encodeStateAsUpdate(nested))).toMatch(/LOG_TAMPERED.*plain value/);

    const text = new Y.Doc();
    text.getText(ACTIONS_ROOT).insert(0, 'hi');
    expect(problem(Y.encodeStateAsUpdate(text))).toMatch(/LOG_TAMPERED/);

    // three writes of one client; the first and the third merged: Yjs writes a Skip for the hole
    const gappy = new Y.Doc();
    const steps: Uint8Array[] = [];
    for (const key of ['a', 'b', 'c']) {
      const before = Y.encodeStateVector(gappy);
      gappy.getMap(ACTIONS_ROOT).set(key, key);
      steps.push(Y.encodeStateAsUpdate(gappy, before));
    }
    expect(problem(Y.mergeUpdates(steps))).toBeNull();
    expect(problem(Y.mergeUpdates([steps[0]!, steps[2]!]))).toBe('gap');

    // trailing bytes, a truncated update
    const good = steps[0]!;
    expect(problem(new Uint8Array([...good, 1, 2, 3]))).toMatch(/MALFORMED/);
    expect(problem(good.subarray(0, good.length - 3))).toMatch(/MALFORMED/);
  });
});
