// @vitest-environment node
// The record kept outside IndexedDB (extension/replica/keep.ts) and what opening does with it
// (recovery.ts), against a browser.storage.local kept in memory.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  batchKey,
  encodeSv,
  headKey,
  KEEP_LIMIT,
  Keep,
  readKeep,
  readKept,
  unreadableHeadKey,
} from '../../../extension/replica/keep.ts';
import { planRecovery } from '../../../extension/replica/recovery.ts';
import { MemoryKeep } from './support/memory-keep.ts';

const AGENCY = 'agency-1';
const KEY = 'key-1';
const now = () => 1_800_000_000_000;

/** A doc writing actions one transaction each, as the log does; each write's update, its client and clock. */
function writer() {
  const doc = new Y.Doc();
  const map = doc.getMap('actions');
  const write = (id: string) => {
    let update: Uint8Array = new Uint8Array();
    const clock = Y.getState(doc.store, doc.clientID);
    const take = (u: Uint8Array) => {
      update = u;
    };
    doc.once('update', take);
    map.set(id, { type: 'recordPurchase', payload: { connects: 10 } });
    return { ref: { id, client: doc.clientID, clock, type: 'recordPurchase', at: now() }, update };
  };
  return { doc, map, write };
}

const opened = (doc: Y.Doc) => ({
  sv: Y.decodeStateVector(Y.encodeStateVector(doc)),
  has: (id: string) => doc.getMap('actions').has(id),
});

describe('the keep', () => {
  it('an unreadable batch survives new writes: new batches are numbered past every stored one', async () => {
    const area = new MemoryKeep();
    const first = new Keep(area, AGENCY, KEY, null, now);
    const w = writer();
    for (const id of ['a0', 'a1']) {
      const a = w.write(id);
      first.track(a.ref, a.update);
    }
    await first.saved();
    const [stored] = [...area.items.keys()].filter((k) => k !== headKey(AGENCY));
    const n = Number(stored!.split(':').pop());
    // The next batch number holds something this version cannot read (a later version's, a torn write).
    const garbage = JSON.stringify({ refs: 'not refs', data: 42 });
    area.items.set(batchKey(AGENCY, n + 1), garbage);
    const read = await readKeep(area, AGENCY);
    expect(read.kept?.own.map((r) => r.id)).toEqual(['a0', 'a1']);
    const again = new Keep(area, AGENCY, KEY, read.kept, now, read.found);
    const b = w.write('b0');
    again.track(b.ref, b.update);
    await again.saved();
    again.acknowledged(new Set(['a0', 'a1', 'b0']));
    again.allAcknowledged();
    await again.saved();
    // Never overwritten, never removed: only what this keep wrote is gone.
    expect(area.items.get(batchKey(AGENCY, n + 1))).toBe(garbage);
    expect([...area.items.keys()].sort()).toEqual([headKey(AGENCY), batchKey(AGENCY, n + 1)].sort());
  });

  it('with a head it cannot read, the keep sets the head aside and writes past every stored batch', async () => {
    const area = new MemoryKeep();
    const oldHead = JSON.stringify({ v: 9, what: 'a later version' });
    const oldBatch = JSON.stringify({ refs: [], data: '', v: 9 });
    area.items.set(headKey(AGENCY), oldHead);
    area.items.set(batchKey(AGENCY, 0), oldBatch);
    area.items.set(batchKey(AGENCY, now()), oldBatch);
    const read = await readKeep(area, AGENCY);
    expect(read.kept).toBeNull();
    const keep = new Keep(area, AGENCY, KEY, read.kept, now, read.found);
    const w = writer();
    const a = w.write('a0');
    keep.track(a.ref, a.update);
    await keep.saved();
    expect(area.items.get(batchKey(AGENCY, 0))).toBe(oldBatch);
    expect(area.items.get(batchKey(AGENCY, now()))).toBe(oldBatch);
    expect(area.items.get(unreadableHeadKey(AGENCY, now()))).toBe(oldHead);
    expect((await readKept(area, AGENCY))?.own.map((r) => r.id)).toEqual(['a0']);
  });

  it('an action the server state vector covers is dropped, whether a status tracks it or not', async () => {
    const area = new MemoryKeep();
    const keep = new Keep(area, AGENCY, KEY, null, now);
    const w = writer();
    const a = w.write('a0');
    const b = w.write('a1');
    keep.track(a.ref, a.update);
    keep.track(b.ref, b.update);
    expect([...keep.coveredBy(new Map([[a.ref.client, a.ref.clock + 1]]))]).toEqual(['a0']);
  });

  it('writes the changes of one tick in one set, and "saved" waits for it', async () => {
    const area = new MemoryKeep();
    const keep = new Keep(area, AGENCY, KEY, null, now);
    const w = writer();
    for (let i = 0; i < 20; i++) {
      const { ref, update } = w.write(`a${i}`);
      keep.track(ref, update);
    }
    await keep.saved();
    expect(area.sets).toBe(1);
    const kept = await readKept(area, AGENCY);
    expect(kept?.own.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`));
    expect(kept?.updates.size).toBe(20);
  });

  it('keeps the oldest 500 unacknowledged actions; later ones are counted, and the count clears once all are acknowledged', async () => {
    const area = new MemoryKeep();
    const keep = new Keep(area, AGENCY, KEY, null, now);
    const w = writer();
    const ids: string[] = [];
    for (let i = 0; i < 503; i++) {
      const { ref, update } = w.write(`a${i}`);
      ids.push(ref.id);
      expect(keep.track(ref, update)).toBe(i < 500);
    }
    // Room made by an acknowledgement does not let a newer one in: it would depend on one left out.
    keep.acknowledged(new Set(ids.slice(0, 10)));
    const { ref, update } = w.write('a503');
    expect(keep.track(ref, update)).toBe(false);
    await keep.saved();
    let kept = await readKept(area, AGENCY);
    expect(kept?.own).toHaveLength(490);
    expect(kept?.head.notKept).toBe(4);
    // The 500 went out as one batch; the acknowledgement wrote it again with the 490 left.
    expect([...area.items.keys()].filter((k) => k.startsWith(`keep:${AGENCY}:`))).toEqual([
      batchKey(AGENCY, now()),
    ]);
    expect(JSON.parse(area.items.get(batchKey(AGENCY, now()))!).refs).toHaveLength(490);
    keep.acknowledged(new Set(ids));
    keep.allAcknowledged();
    await keep.saved();
    kept = await readKept(area, AGENCY);
    expect(kept?.own).toEqual([]);
    expect(kept?.head.notKept).toBe(0);
    expect([...area.items.keys()]).toEqual([headKey(AGENCY)]);
  });

  it('a write carries only what changed: a batch of the new action and a head of constant size, however many are kept', async () => {
    const area = new MemoryKeep();
    const keep = new Keep(area, AGENCY, KEY, null, now);
    const w = writer();
    for (let i = 0; i < 300; i++) {
      const { ref, update } = w.write(`a${i}`);
      keep.track(ref, update);
    }
    await keep.saved();
    const headSize = area.items.get(headKey(AGENCY))!.length;
    const { ref, update } = w.write('a300');
    keep.track(ref, update);
    await keep.saved();
    expect(area.lastSet.sort()).toEqual([headKey(AGENCY), batchKey(AGENCY, now() + 1)].sort());
    expect(
      JSON.parse(area.items.get(batchKey(AGENCY, now() + 1))!).refs.map((r: { id: string }) => r.id),
    ).toEqual(['a300']);
    expect(area.items.get(headKey(AGENCY))!.length).toBeLessThanOrEqual(headSize + 8);
  });

  it('a burst of appends is one entry whatever its size, and each action comes back as the update that wrote it', async () => {
    const area = new MemoryKeep();
    const keep = new Keep(area, AGENCY, KEY, null, now);
    const w = writer();
    const written = new Map<string, Uint8Array>();
    for (let i = 0; i < 400; i++) {
      const { ref, update } = w.write(`a${i}`);
      written.set(ref.id, update);
      keep.track(ref, update);
    }
    await keep.saved();
    expect(area.sets).toBe(1);
    expect([...area.items.keys()].sort()).toEqual([headKey(AGENCY), batchKey(AGENCY, now())].sort());
    const kept = (await readKept(area, AGENCY))!;
    expect(kept.own).toHaveLength(400);
    for (const [id, update] of written) expect(kept.updates.get(id)).toEqual(update);
  });

  it('an acknowledgement of part of a batch writes the rest again; of all of it, removes it', async () => {
    const area = new MemoryKeep();
    const keep = new Keep(area, AGENCY, KEY, null, now);
    const w = writer();
    const ids: string[] = [];
    const batch = async (from: number, n: number) => {
      for (let i = from; i < from + n; i++) {
        const { ref, update } = w.write(`a${i}`);
        ids.push(ref.id);
        keep.track(ref, update);
      }
      await keep.saved();
    };
    await batch(0, 3); // batch 0: a0–a2
    await batch(3, 3); // batch 1: a3–a5
    keep.acknowledged(new Set(['a0', 'a1', 'a2', 'a3']));
    await keep.saved();
    expect([...area.items.keys()].sort()).toEqual([headKey(AGENCY), batchKey(AGENCY, now() + 1)].sort());
    expect(area.lastSet.sort()).toEqual([headKey(AGENCY), batchKey(AGENCY, now() + 1)].sort());
    const kept = (await readKept(area, AGENCY))!;
    expect(kept.own.map((r) => r.id)).toEqual(['a4', 'a5']);
    expect(kept.updates.size).toBe(2);
  });

  it('a keep opened from a record goes on from it: new batches under new numbers, acknowledgements remove the old ones', async () => {
    const area = new MemoryKeep();
    const w = writer();
    const first = new Keep(area, AGENCY, KEY, null, now);
    for (const id of ['a0', 'a1']) {
      const { ref, update } = w.write(id);
      first.track(ref, update);
    }
    await first.saved();
    const again = new Keep(area, AGENCY, KEY, await readKept(area, AGENCY), now);
    const { ref, update } = w.write('a2');
    again.track(ref, update);
    await again.saved();
    expect((await readKept(area, AGENCY))!.own.map((r) => r.id)).toEqual(['a0', 'a1', 'a2']);
    again.acknowledged(new Set(['a0', 'a1']));
    await again.saved();
    expect([...area.items.keys()].sort()).toEqual([headKey(AGENCY), batchKey(AGENCY, now() + 1)].sort());
    expect((await readKept(area, AGENCY))!.own.map((r) => r.id)).toEqual(['a2']);
  });

  it('a batch whose refs do not match its bytes is left out; the others are read', async () => {
    const area = new MemoryKeep();
    const keep = new Keep(area, AGENCY, KEY, null, now);
    const w = writer();
    for (const id of ['a0', 'a1']) {
      const { ref, update } = w.write(id);
      keep.track(ref, update);
      await keep.saved();
    }
    const b0 = JSON.parse(area.items.get(batchKey(AGENCY, now()))!);
    for (const bad of [
      { ...b0, refs: [{ ...b0.refs[0], bytes: b0.refs[0].bytes + 1 }] },
      { ...b0, refs: [{ ...b0.refs[0], bytes: -1 }] },
      { ...b0, data: `${b0.data}!` },
      { refs: 'x', data: b0.data },
    ]) {
      area.items.set(batchKey(AGENCY, now()), JSON.stringify(bad));
      expect((await readKept(area, AGENCY))!.own.map((r) => r.id)).toEqual(['a1']);
    }
  });

  it(`bounds the bytes kept (${KEEP_LIMIT.bytes} bytes of updates)`, () => {
    const keep = new Keep(new MemoryKeep(), AGENCY, KEY, null, now);
    const big = new Uint8Array(KEEP_LIMIT.bytes - 10);
    expect(keep.track({ id: 'x', client: 1, clock: 0, type: 't', at: 0 }, big)).toBe(true);
    expect(keep.track({ id: 'y', client: 1, clock: 1, type: 't', at: 0 }, new Uint8Array(11))).toBe(false);
    expect(keep.head.notKept).toBe(1);
  });

  it('a write that fails rejects "saved" and is retried with the next change', async () => {
    const area = new MemoryKeep();
    const keep = new Keep(area, AGENCY, KEY, null, now);
    const w = writer();
    area.failing = new Error('QUOTA_BYTES quota exceeded');
    const first = w.write('a0');
    keep.track(first.ref, first.update);
    await expect(keep.saved()).rejects.toThrow('QUOTA');
    area.failing = null;
    const second = w.write('a1');
    keep.track(second.ref, second.update);
    await keep.saved();
    expect((await readKept(area, AGENCY))?.updates.size).toBe(2);
  });

  it('a record this version did not write (another agency, another shape) is not read', async () => {
    const area = new MemoryKeep();
    await area.set({
      [headKey(AGENCY)]: { v: 2, agencyId: 'other', keyId: KEY, actions: 0, sv: '', notKept: 0 },
    });
    expect(await readKept(area, AGENCY)).toBeNull();
    await area.set({ [headKey(AGENCY)]: { v: 2, agencyId: AGENCY } });
    expect(await readKept(area, AGENCY)).toBeNull();
    // The version before batches (one entry per action, head version 1).
    await area.set({
      [headKey(AGENCY)]: { v: 1, agencyId: AGENCY, keyId: KEY, actions: 0, sv: '', notKept: 0 },
    });
    expect(await readKept(area, AGENCY)).toBeNull();
  });
});

describe('recovery on open', () => {
  async function keptAfter(actions: number, acked: number) {
    const area = new MemoryKeep();
    const keep = new Keep(area, AGENCY, KEY, null, now);
    const w = writer();
    const ids: string[] = [];
    for (let i = 0; i < actions; i++) {
      const { ref, update } = w.write(`a${i}`);
      ids.push(ref.id);
      keep.track(ref, update);
    }
    keep.acknowledged(new Set(ids.slice(0, acked)));
    keep.stored(Y.encodeStateVector(w.doc), actions, true);
    await keep.saved();
    return { kept: (await readKept(area, AGENCY))!, source: w.doc, ids };
  }

  it('a database found empty: the unacknowledged actions are written back and the member is told nothing of theirs is lost', async () => {
    const { kept, ids } = await keptAfter(5, 2);
    const doc = new Y.Doc();
    const plan = planRecovery(kept, opened(doc), KEY, now());
    expect(plan.readd.map((r) => r.ref.id)).toEqual(ids.slice(2));
    expect(plan.notice).toEqual({ at: now(), held: 5, restored: 3, notKept: 0, keyLost: false });
  });

  it('written back as the same Yjs items: a doc that holds them already (from the server) is unchanged', async () => {
    const { kept, source } = await keptAfter(5, 2);
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(source));
    const before = Y.encodeStateAsUpdate(server);
    for (const r of planRecovery(kept, opened(new Y.Doc()), KEY, now()).readd)
      Y.applyUpdate(server, r.update);
    expect(Y.encodeStateAsUpdate(server)).toEqual(before);
    expect(server.getMap('actions').size).toBe(5);
  });

  it('written back into an empty doc, items whose earlier clocks are missing wait for them (the server sends them)', async () => {
    const { kept, source } = await keptAfter(5, 2);
    const doc = new Y.Doc();
    for (const r of planRecovery(kept, opened(doc), KEY, now()).readd) Y.applyUpdate(doc, r.update);
    expect(doc.getMap('actions').size).toBe(0);
    // What the server holds (the acknowledged prefix) arrives: the kept ones join it.
    const acked = new Y.Doc();
    Y.applyUpdate(acked, Y.encodeStateAsUpdate(source));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(acked));
    expect([...doc.getMap('actions').keys()].sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
  });

  it('an intact database: nothing written back, no notice', async () => {
    const { kept, source } = await keptAfter(5, 2);
    expect(planRecovery(kept, opened(source), KEY, now())).toEqual({ readd: [], notice: null });
  });

  it('only a kept action missing (its IndexedDB write cut short, never reported saved): written back, no notice', async () => {
    const { kept, source, ids } = await keptAfter(5, 2);
    // IndexedDB committed the first four actions (the same items), and its state vector is what the keep
    // recorded; the keep also holds the fifth, whose transaction the crash cut short.
    const four = new Y.Doc();
    four.clientID = source.clientID;
    four.transact(() => {
      for (const id of ids.slice(0, 4)) four.getMap('actions').set(id, source.getMap('actions').get(id));
    });
    const sv = encodeSv(Y.encodeStateVector(four));
    const plan = planRecovery({ ...kept, head: { ...kept.head, sv } }, opened(four), KEY, now());
    expect(plan.readd.map((r) => r.ref.id)).toEqual(['a4']);
    expect(plan.notice).toBeNull();
  });

  it("says so when this browser's key is not the one the record was kept with, and counts what was beyond the bound", async () => {
    const { kept } = await keptAfter(3, 0);
    const plan = planRecovery(
      { ...kept, head: { ...kept.head, notKept: 7 } },
      opened(new Y.Doc()),
      'key-2',
      now(),
    );
    expect(plan.notice).toMatchObject({ restored: 3, notKept: 7, keyLost: true });
  });

  it('no record (a new install, or one from before the keep): nothing to do', () => {
    expect(planRecovery(null, opened(new Y.Doc()), KEY, now())).toEqual({ readd: [], notice: null });
  });
});
