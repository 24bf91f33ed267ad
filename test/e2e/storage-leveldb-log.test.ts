// The LevelDB log reader the storage trials use to tell why Chromium discarded a database
// (test/bench/storage/leveldb-log.ts): a record torn at the end of a log, and one torn and then written over.
import { describe, expect, it } from 'vitest';
import { crc32c, maskCrc, replayedFrom, scanLog } from '../bench/storage/leveldb-log.ts';

const FULL = 1;

/** One physical record as LevelDB's log writer lays it out: masked CRC-32C of type + payload, length, type. */
function record(payload: Uint8Array, type = FULL): Uint8Array {
  const out = new Uint8Array(7 + payload.length);
  const view = new DataView(out.buffer);
  out[6] = type;
  out.set(payload, 7);
  view.setUint32(0, maskCrc(crc32c(out.subarray(6))), true);
  view.setUint16(4, payload.length, true);
  return out;
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const payload = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);

describe('the LevelDB log reader of the storage trials', () => {
  it('computes CRC-32C (RFC 3720 check value of "123456789")', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('reads whole records as whole, and a log cut inside its last record as torn at the tail', () => {
    const a = record(payload(93, 1));
    const b = record(payload(200, 2));
    expect(scanLog(concat(a, b))).toEqual({ records: 2, tornInside: [], tornTail: false });
    // Killed after the header's write, before the payload's (the case seen in Chromium: 7 bytes, no payload).
    expect(scanLog(concat(a, b.subarray(0, 7)))).toEqual({ records: 1, tornInside: [], tornTail: true });
    expect(scanLog(concat(a, b.subarray(0, 50)))).toEqual({ records: 1, tornInside: [], tornTail: true });
    expect(scanLog(concat(a, b.subarray(0, 3)))).toEqual({ records: 1, tornInside: [], tornTail: true });
  });

  it('a torn record with records appended after it (a reused log) is torn inside, at its offset', () => {
    const a = record(payload(93, 1));
    const torn = record(payload(93, 2)).subarray(0, 7);
    const c = record(payload(120, 3));
    const d = record(payload(40, 4));
    expect(scanLog(concat(a, torn, c, d))).toEqual({ records: 3, tornInside: [a.length], tornTail: false });
  });

  it('skips a block trailer too short for a header', () => {
    // Fill the first 32 KiB block up to 4 bytes short of its end; the writer pads those with zeros.
    const big = record(payload(32 * 1024 - 7 - 4, 5));
    const next = record(payload(10, 6));
    expect(scanLog(concat(big, new Uint8Array(4), next))).toEqual({
      records: 2,
      tornInside: [],
      tornTail: false,
    });
  });

  it("reads which log a MANIFEST says opening replays (edits from a Chromium IndexedDB's MANIFEST)", () => {
    const hex = (h: string) => Uint8Array.from(h.match(/../g)!, (b) => Number.parseInt(b, 16));
    // Comparator "idb_cmp1", log 0, next file 2, last sequence 0.
    const first = hex('01086964625f636d7031020003020400');
    // Log 4, previous log 0, next file 6, last sequence, and table 5 added at level 2 with its key range.
    const second = hex(
      '0204090003060482d501070205adad80010d000000000001020000000000001500010102030000000000e093400130680000000000',
    );
    expect(replayedFrom([first])).toBe(0);
    expect(replayedFrom([first, second])).toBe(4);
    // A previous log still named (an older LevelDB's edits) is replayed too.
    expect(replayedFrom([first, second, hex('02030902')])).toBe(2);
    // An edit with an unknown tag or cut short cannot be read.
    expect(replayedFrom([hex('0800')])).toBeNull();
    expect(replayedFrom([hex('0108696462')])).toBe(null);
  });
});
