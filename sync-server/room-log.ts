// An agency's committed log as the bytes of its entries, per Yjs client, in clock order: a sync answer is
// a copy of the bytes the asker lacks (no pass over the whole log, no Y.mergeUpdates or Y.diffUpdate,
// which decode everything in one synchronous call), and compaction writes the same bytes as one row.
import {
  concat,
  type Entry,
  encodeRuns,
  type ReadProblem,
  type Run,
  regions,
  runsOf,
  UpdateReader,
} from './codec.ts';
import type { Slice } from './slice.ts';

interface Chunk {
  /** Clock of the chunk's first entry. */
  start: number;
  bytes: Uint8Array;
  /** Byte offset of each entry in `bytes` (every entry has length 1: entry i has clock start + i). */
  offsets: Uint32Array;
}

const count = (c: Chunk): number => c.offsets.length;

/** Runs at least this large keep the bytes of the message they came in (a buffer of their own). */
const VIEW_BYTES = 64 * 1024;

function chunkOf(run: Run): Chunk {
  const offsets = new Uint32Array(run.parts.length);
  let at = 0;
  run.parts.forEach((p, i) => {
    offsets[i] = at;
    at += p.length;
  });
  // Small runs are copied: a view would keep alive the (pooled) buffer the message was read into.
  const joined = regions(run.parts);
  const bytes = joined.length === 1 && at >= VIEW_BYTES ? joined[0]! : concat(joined);
  return { start: run.clock, bytes, offsets };
}

export class RoomLog {
  /** Per Yjs client, its entries' chunks in clock order, contiguous. */
  private readonly clients = new Map<number, Chunk[]>();
  /** The state vector: per client, the clock after its last entry. */
  readonly sv = new Map<number, number>();
  private entryCount = 0;
  private byteCount = 0;

  /** Number of entries. */
  get size(): number {
    return this.entryCount;
  }

  get bytes(): number {
    return this.byteCount;
  }

  /**
   * Appends runs that continue the log: each starts where its client's entries end (entries before that are
   * skipped, as already held). Throws on a gap: the caller checked contiguity.
   */
  append(runs: readonly Run[]): void {
    for (let run of runs) {
      const end = this.sv.get(run.client) ?? 0;
      if (run.clock + run.length <= end) continue;
      if (run.clock < end) {
        const skip = end - run.clock;
        run = { client: run.client, clock: end, length: run.length - skip, parts: run.parts.slice(skip) };
      }
      if (run.clock !== end) throw new Error(`gap in client ${run.client}: ${end} → ${run.clock}`);
      const chunk = chunkOf(run);
      let chunks = this.clients.get(run.client);
      if (!chunks) {
        chunks = [];
        this.clients.set(run.client, chunks);
      }
      chunks.push(chunk);
      this.sv.set(run.client, end + run.length);
      this.entryCount += run.length;
      this.byteCount += chunk.bytes.length;
    }
  }

  /** Adds the entries of stored rows (loading a room), in slices. Returns them, for the room to derive. */
  async load(rows: readonly Uint8Array[], slice: Slice): Promise<Entry[]> {
    const all: Entry[] = [];
    for (const row of rows) {
      const entries = await readSliced(row, slice);
      if (!Array.isArray(entries)) throw new Error(`unreadable row: ${entries.kind}`);
      this.append(runsOf(entries));
      for (const e of entries) all.push(e);
    }
    return all;
  }

  /** An update with every entry `sv` lacks (an empty update when it lacks nothing). */
  diff(sv: ReadonlyMap<number, number>): Uint8Array {
    const runs: Run[] = [];
    for (const [client, chunks] of this.clients) {
      const from = sv.get(client) ?? 0;
      if (from >= (this.sv.get(client) ?? 0)) continue;
      const run: Run = { client, clock: from, length: 0, parts: [] };
      for (const chunk of chunks) {
        const end = chunk.start + count(chunk);
        if (end <= from) continue;
        const first = Math.max(0, from - chunk.start);
        if (!run.parts.length) run.clock = chunk.start + first;
        run.parts.push(first === 0 ? chunk.bytes : chunk.bytes.subarray(chunk.offsets[first]!));
        run.length += count(chunk) - first;
      }
      runs.push(run);
    }
    return encodeRuns(runs);
  }

  /** The whole log as one update. */
  encode(): Uint8Array {
    return this.diff(new Map());
  }

  /** Every entry, decoded again (rebuilding a room's derivation after it was dropped), in slices. */
  async entries(slice: Slice): Promise<Entry[]> {
    const out = await readSliced(this.encode(), slice);
    if (!Array.isArray(out)) throw new Error('the room log does not read back');
    return out;
  }

  /** Joins each client's chunks into one (after the rows were compacted into one). */
  consolidate(): void {
    for (const [client, chunks] of this.clients) {
      if (chunks.length < 2) continue;
      let size = 0;
      let n = 0;
      for (const c of chunks) {
        size += c.bytes.length;
        n += count(c);
      }
      const bytes = new Uint8Array(size);
      const offsets = new Uint32Array(n);
      let at = 0;
      let i = 0;
      for (const c of chunks) {
        bytes.set(c.bytes, at);
        for (const o of c.offsets) offsets[i++] = o + at;
        at += c.bytes.length;
      }
      this.clients.set(client, [{ start: chunks[0]!.start, bytes, offsets }]);
    }
  }
}

/** Reads a whole update, yielding the event loop between slices (a large room loads without a stall). */
async function readSliced(update: Uint8Array, slice: Slice): Promise<Entry[] | ReadProblem> {
  const reader = new UpdateReader(update);
  const out: Entry[] = [];
  while (!reader.done) {
    const r = reader.read(256);
    if (!Array.isArray(r)) return r;
    for (const e of r) out.push(e);
    await slice.pace();
  }
  return out;
}
