// The Yjs updates the server accepts, read and written without a Y.Doc and without Yjs's own update
// functions. The agency log is one Y.Map of plain values, append-only (design.md §2, §5), so an acceptable
// update is a list of new map entries and nothing else: in Yjs's V1 encoding each one is an Item whose
// parent is the root 'actions', with a key (parentSub), no origins (so it overwrites nothing), and
// ContentAny holding one value; the delete set is empty.
//
// Why not Y.decodeUpdate / Y.diffUpdate / Y.mergeUpdates: each decodes a whole update in one synchronous
// call (measured here: 0.8 s, 0.95 s and 3 s for 9 MB, a 30,000-action catch-up), stalling every agency
// on the server. UpdateReader reads a few structs at a time, so the caller can yield between slices, and
// every struct it accepts keeps its own bytes: what is stored and relayed is those bytes, re-framed by
// encodeRuns, never a re-encoding (Yjs's V1 structs are self-contained).
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ACTIONS_ROOT } from '../core/index.ts';

/** One entry of the actions map as it sits in an update. */
export interface Entry {
  client: number;
  clock: number;
  /** The map key: the action id. */
  key: string;
  /** The stored action, as lib0 decoded it. */
  value: unknown;
  /** The struct's own bytes (a view into the update). */
  bytes: Uint8Array;
}

export type ReadProblem =
  | { kind: 'refuse'; close: 'LOG_TAMPERED' | 'MALFORMED'; message: string }
  /** A Skip struct: the sender knows of structs it did not include (a gap). */
  | { kind: 'gap' };

const ITEM_PARENT_SUB = 0x20; // BIT6
const ITEM_RIGHT_ORIGIN = 0x40; // BIT7
const ITEM_ORIGIN = 0x80; // BIT8
const CONTENT_ANY = 8;
const SKIP = 10;
/** An entry as the server writes it: ContentAny, with a parentSub, no origins. */
const ENTRY_INFO = CONTENT_ANY | ITEM_PARENT_SUB;

const tampered = (message: string): ReadProblem => ({ kind: 'refuse', close: 'LOG_TAMPERED', message });
const malformed: ReadProblem = {
  kind: 'refuse',
  close: 'MALFORMED',
  message: 'The update could not be decoded.',
};

/**
 * Reads an update a few entries at a time (resumable). `read` returns the entries read, a problem that
 * rejects the whole update, or [] once done (then `done` is true).
 */
export class UpdateReader {
  readonly update: Uint8Array;
  done = false;
  private readonly d: decoding.Decoder;
  private sections: number;
  private structsLeft = 0;
  private client = 0;
  private clock = 0;

  constructor(update: Uint8Array) {
    this.update = update;
    this.d = decoding.createDecoder(update);
    try {
      this.sections = decoding.readVarUint(this.d);
    } catch {
      this.sections = -1;
    }
  }

  read(max: number): Entry[] | ReadProblem {
    if (this.sections < 0) return malformed;
    const out: Entry[] = [];
    try {
      while (out.length < max) {
        if (this.structsLeft === 0) {
          if (this.sections === 0) {
            const problem = this.readDeleteSet();
            if (problem) return problem;
            this.done = true;
            return out;
          }
          this.sections--;
          this.structsLeft = decoding.readVarUint(this.d);
          this.client = decoding.readVarUint(this.d);
          this.clock = decoding.readVarUint(this.d);
          continue;
        }
        this.structsLeft--;
        const start = this.d.pos;
        const info = decoding.readUint8(this.d);
        if (info === SKIP) return { kind: 'gap' };
        if ((info & 0x1f) === 0) return tampered('The update carries deleted content.');
        if (info & (ITEM_ORIGIN | ITEM_RIGHT_ORIGIN))
          return tampered('The update overwrites an entry of the log.');
        // Decoded alone, an item names its parent by root name or (a nested type) by item id.
        if (decoding.readVarUint(this.d) !== 1 || decoding.readVarString(this.d) !== ACTIONS_ROOT)
          return tampered('Only new entries of the actions map are accepted.');
        if (!(info & ITEM_PARENT_SUB)) return tampered('Only new entries of the actions map are accepted.');
        const key = decoding.readVarString(this.d);
        if ((info & 0x1f) !== CONTENT_ANY || decoding.readVarUint(this.d) !== 1)
          return tampered('An entry of the log must be one plain value.');
        const value = decoding.readAny(this.d);
        out.push({
          client: this.client,
          clock: this.clock,
          key,
          value,
          bytes: this.update.subarray(start, this.d.pos),
        });
        this.clock++;
      }
      return out;
    } catch {
      return malformed;
    }
  }

  private readDeleteSet(): ReadProblem | null {
    const clients = decoding.readVarUint(this.d);
    for (let i = 0; i < clients; i++) {
      decoding.readVarUint(this.d);
      const deletes = decoding.readVarUint(this.d);
      for (let j = 0; j < deletes; j++) {
        decoding.readVarUint(this.d);
        if (decoding.readVarUint(this.d) > 0) return tampered('The update deletes entries of the log.');
      }
    }
    return decoding.hasContent(this.d) ? malformed : null;
  }
}

/** Reads a whole update at once (small updates, stored rows); entries, or the problem. */
export function readAll(update: Uint8Array): Entry[] | ReadProblem {
  const reader = new UpdateReader(update);
  const out: Entry[] = [];
  while (!reader.done) {
    const r = reader.read(4096);
    if (!Array.isArray(r)) return r;
    for (const e of r) out.push(e);
  }
  return out;
}

/** A run of one client's consecutive entries, as bytes. */
export interface Run {
  client: number;
  /** Clock of the first entry. */
  clock: number;
  /** Number of entries (each has length 1). */
  length: number;
  /** The entries' bytes, concatenated. */
  parts: Uint8Array[];
}

/** Groups entries into runs of consecutive clocks per client (the entries of one client in clock order). */
export function runsOf(entries: readonly Entry[]): Run[] {
  const byClient = new Map<number, Run[]>();
  const out: Run[] = [];
  for (const e of entries) {
    const runs = byClient.get(e.client);
    const last = runs?.[runs.length - 1];
    if (last && last.clock + last.length === e.clock) {
      last.length++;
      last.parts.push(e.bytes);
      continue;
    }
    const run: Run = { client: e.client, clock: e.clock, length: 1, parts: [e.bytes] };
    if (runs) runs.push(run);
    else byClient.set(e.client, [run]);
    out.push(run);
  }
  return out;
}

/**
 * Joins views that sit next to each other in one buffer (entries read one after another from a message):
 * copying a 30,000-entry run is then one copy, not 30,000.
 */
export function regions(parts: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start: Uint8Array | null = null;
  let end = 0;
  for (const p of parts) {
    if (start && p.buffer === start.buffer && p.byteOffset === end) {
      end += p.length;
      continue;
    }
    if (start) out.push(new Uint8Array(start.buffer, start.byteOffset, end - start.byteOffset));
    start = p;
    end = p.byteOffset + p.length;
  }
  if (start) out.push(new Uint8Array(start.buffer, start.byteOffset, end - start.byteOffset));
  return out;
}

/** Concatenates `pieces` into one new buffer. */
export function concat(pieces: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of pieces) size += p.length;
  // never pooled (a kept view would pin a shared slab), not zero-filled (every byte is written below)
  const out: Uint8Array = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function varUints(...numbers: number[]): Uint8Array {
  const e = encoding.createEncoder();
  for (const n of numbers) encoding.writeVarUint(e, n);
  return encoding.toUint8Array(e);
}

/** A V1 update holding `runs` (and an empty delete set). Each client appears in one run at most. */
export function encodeRuns(runs: readonly Run[]): Uint8Array {
  const pieces: Uint8Array[] = [varUints(runs.length)];
  for (const run of runs) {
    pieces.push(varUints(run.length, run.client, run.clock));
    for (const r of regions(run.parts)) pieces.push(r);
  }
  pieces.push(varUints(0));
  return concat(pieces);
}

/** The bytes of one entry as the server would write it (tests and tools build updates with it). */
export function encodeEntry(key: string, value: unknown): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeUint8(e, ENTRY_INFO);
  encoding.writeVarUint(e, 1);
  encoding.writeVarString(e, ACTIONS_ROOT);
  encoding.writeVarString(e, key);
  encoding.writeVarUint(e, 1);
  encoding.writeAny(e, value as encoding.AnyEncodable);
  return encoding.toUint8Array(e);
}
