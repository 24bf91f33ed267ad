// Every way a number could sit in bytes a browser receives or keeps: its decimal text (cents and dollars, as
// JSON and as the UI would print it), Yjs/lib0's encodings of a number (varint, float32, float64) and the
// plain binary integers and floats of both byte orders. Written from the formats' definitions, not from
// the code under test.
import * as encoding from 'lib0/encoding';

const bytesOf = (fill: (view: DataView) => void, size: number): Uint8Array => {
  const out = new Uint8Array(size);
  fill(new DataView(out.buffer));
  return out;
};

export function amountEncodings(cents: number): { name: string; bytes: Uint8Array }[] {
  const text = (s: string) => new TextEncoder().encode(s);
  const lib0 = (write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    write(e);
    return encoding.toUint8Array(e);
  };
  const dollars = cents / 100;
  return [
    { name: 'decimal cents', bytes: text(String(cents)) },
    { name: 'decimal dollars', bytes: text(dollars.toFixed(2)) },
    {
      name: 'dollars with separators',
      bytes: text(dollars.toLocaleString('en-US', { minimumFractionDigits: 2 })),
    },
    { name: 'lib0 varint', bytes: lib0((e) => encoding.writeVarInt(e, cents)) },
    { name: 'lib0 varuint', bytes: lib0((e) => encoding.writeVarUint(e, cents)) },
    { name: 'float64 BE', bytes: bytesOf((v) => v.setFloat64(0, cents, false), 8) },
    { name: 'float64 LE', bytes: bytesOf((v) => v.setFloat64(0, cents, true), 8) },
    { name: 'float32 BE', bytes: bytesOf((v) => v.setFloat32(0, cents, false), 4) },
    { name: 'float32 LE', bytes: bytesOf((v) => v.setFloat32(0, cents, true), 4) },
    { name: 'uint32 BE', bytes: bytesOf((v) => v.setUint32(0, cents, false), 4) },
    { name: 'uint32 LE', bytes: bytesOf((v) => v.setUint32(0, cents, true), 4) },
  ];
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The encodings of `cents` found in `bytes` (by name), none when it is not there in any of them. */
export function amountFoundIn(bytes: Uint8Array, cents: number): string[] {
  return amountEncodings(cents)
    .filter((e) => indexOf(bytes, e.bytes) >= 0)
    .map((e) => e.name);
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
