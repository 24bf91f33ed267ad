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

export function scanLog(buf: Uint8Array): LogScan {
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
  let p = 0;
  while (p < buf.length) {
    const left = BLOCK - (p % BLOCK);
    if (left < HEADER) {
      p += left; // a block's trailer, too short for a header
      continue;
    }
    if (validAt(p)) {
      scan.records++;
      p += HEADER + view.getUint16(p + 4, true);
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

/** The scans of every log a LevelDB folder replays when opened (its `*.log` files and its MANIFEST). */
export async function scanLevelDb(dir: string): Promise<Record<string, LogScan>> {
  const out: Record<string, LogScan> = {};
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name.endsWith('.log') || name.startsWith('MANIFEST-'))
      out[name] = scanLog(new Uint8Array(await readFile(join(dir, name))));
  }
  return out;
}
