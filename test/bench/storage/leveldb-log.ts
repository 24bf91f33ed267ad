// Reads a LevelDB log file (a write-ahead `*.log` or a `MANIFEST-*`: 32 KiB blocks of records, each a 7-byte
// header — masked CRC-32C, length, type — and its payload) to tell why Chromium discarded a database.
//
// Chromium opens IndexedDB's LevelDB with `reuse_logs` and `paranoid_checks`. A browser killed between the
// two writes of one record (header, then payload) leaves the log ending in an incomplete record; the next
// open reads that as the end of the log (no error) and then appends its own records after it. The open
// after that reads the old header's length over the new records, finds a checksum mismatch, fails as
// corrupt, and Chromium deletes the database (google/leveldb#1287). `scanLog` finds both states.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const BLOCK = 32 * 1024;
const HEADER = 7;

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-32C (Castagnoli), as LevelDB checksums its records. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = TABLE[(c ^ b) & 255]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** LevelDB stores a record's CRC masked (rotated, plus a constant). */
export const maskCrc = (crc: number) => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;

export interface LogScan {
  /** Records whose checksum matches. */
  records: number;
  /** Records that fail their checksum with valid records after them: the next open fails as corrupt. */
  tornInside: number[];
  /** The log ends in an incomplete record (a writer killed mid-record): the next open appends after it. */
  tornTail: boolean;
}

/** `logical`, when given, receives the payload of each whole record (fragments joined). */
export function scanLog(buf: Uint8Array, logical?: Uint8Array[]): LogScan {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const validAt = (p: number) => {
    if (p + HEADER > buf.length) return false;
    const length = view.getUint16(p + 4, true);
    const type = buf[p + 6]!;
    if (type < 1 || type > 4 || (p % BLOCK) + HEADER + length > BLOCK || p + HEADER + length > buf.length)
      return false;
    return view.getUint32(p, true) === maskCrc(crc32c(buf.subarray(p + 6, p + HEADER + length)));
  };
  const scan: LogScan = { records: 0, tornInside: [], tornTail: false };
  let fragments: Uint8Array[] = [];
  let p = 0;
  while (p < buf.length) {
    const left = BLOCK - (p % BLOCK);
    if (left < HEADER) {
      p += left; // a block's trailer, too short for a header
      continue;
    }
    if (validAt(p)) {
      scan.records++;
      const length = view.getUint16(p + 4, true);
      if (logical) {
        // FULL (1) is a record; FIRST (2), MIDDLE (3), LAST (4) are the fragments of one.
        const type = buf[p + 6]!;
        if (type === 1 || type === 2) fragments = [];
        fragments.push(buf.subarray(p + HEADER, p + HEADER + length));
        if (type === 1 || type === 4) logical.push(concat(fragments));
      }
      p += HEADER + length;
      continue;
    }
    // Zeros to the end of a block: the writer's padding (or preallocation), not a record.
    if (buf.subarray(p, Math.min(p + left, buf.length)).every((b) => b === 0)) {
      p += left;
      continue;
    }
    // The records written after a torn one start right after it: look no further than the next block.
    const limit = Math.min(buf.length, (Math.floor(p / BLOCK) + 2) * BLOCK);
    let next = p + 1;
    while (next < limit && !validAt(next)) next++;
    if (next < buf.length) scan.tornInside.push(p);
    else scan.tornTail = true;
    p = next;
  }
  return scan;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of parts) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}

/** What follows each tag of a VersionEdit (LevelDB's version_edit.cc): varints and length-prefixed bytes. */
const EDIT_FIELDS: Record<number, ('varint' | 'bytes')[]> = {
  1: ['bytes'], // comparator
  2: ['varint'], // log number
  3: ['varint'], // next file number
  4: ['varint'], // last sequence
  5: ['varint', 'bytes'], // compact pointer: level, key
  6: ['varint', 'varint'], // deleted file: level, number
  7: ['varint', 'varint', 'varint', 'bytes', 'bytes'], // new file: level, number, size, smallest, largest
  9: ['varint'], // previous log number
};

/**
 * The oldest write-ahead log a MANIFEST's edits say the database still needs (LevelDB's VersionEdit: tag 2
 * is the log number, 9 the previous log number); opening replays that log and every later one. Null when
 * an edit cannot be read.
 */
export function replayedFrom(manifest: Uint8Array[]): number | null {
  let log: number | null = null;
  let prev = 0;
  for (const edit of manifest) {
    let p = 0;
    const varint = () => {
      let v = 0;
      for (let shift = 1; p < edit.length; shift *= 128) {
        const b = edit[p++]!;
        v += (b & 127) * shift;
        if (b < 128) return v;
      }
      throw new Error('truncated varint');
    };
    const slice = () => {
      const length = varint(); // read first: `p += varint()` would add to p as it was before the varint
      p += length;
      return length;
    };
    try {
      while (p < edit.length) {
        const fields = EDIT_FIELDS[varint()];
        if (!fields) return null;
        const values = fields.map((f) => (f === 'varint' ? varint() : slice()));
        if (fields === EDIT_FIELDS[2]) log = values[0]!;
        if (fields === EDIT_FIELDS[9]) prev = values[0]!;
      }
    } catch {
      return null;
    }
  }
  return log === null ? null : prev > 0 ? Math.min(prev, log) : log;
}

/**
 * The scans of what a LevelDB folder replays when opened: its current MANIFEST and the write-ahead logs from
 * the one the MANIFEST names on (every `*.log` when it names none).
 */
export async function scanLevelDb(dir: string): Promise<Record<string, LogScan>> {
  const out: Record<string, LogScan> = {};
  const names = await readdir(dir).catch(() => [] as string[]);
  const current = names.includes('CURRENT') ? (await readFile(join(dir, 'CURRENT'), 'utf8')).trim() : null;
  let from: number | null = null;
  if (current && names.includes(current)) {
    const edits: Uint8Array[] = [];
    out[current] = scanLog(new Uint8Array(await readFile(join(dir, current))), edits);
    from = replayedFrom(edits);
  }
  for (const name of names) {
    const log = /^(\d+)\.log$/.exec(name);
    if (log && (from === null || Number(log[1]) >= from))
      out[name] = scanLog(new Uint8Array(await readFile(join(dir, name))));
  }
  return out;
}
