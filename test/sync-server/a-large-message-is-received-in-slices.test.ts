// Issue 8, item 12: no single connection's large message holds the server's event loop. A message larger
// than a live one (256 KB) is unmasked and joined 64 KB per turn of the event loop (sync-server/receive.ts),
// not in one turn as ws does on its own; a text frame is refused from its header (MALFORMED), before any of
// its payload is buffered. Against the real server (in-process, port 0): a member's catch-up sent in
// fragments of odd sizes, with masks whose phase crosses every slice boundary, trickled in small writes, is
// stored whole (the joined bytes are exactly what was sent), and took at least one turn per 64 KB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE } from '../../core/protocol.ts';
import { receiveTurns, SLICE_BYTES, SLICED_MESSAGE_BYTES, unmask } from '../../sync-server/receive.ts';
import { ackedUpTo, facts, fastSigner } from './support/attack.ts';
import { type Agency, createAgency, joinWith } from './support/client.ts';
import { type TestServer, testServer } from './support/server.ts';
import { TcpClient } from './support/tcp.ts';
import { entriesAt, step2Frame } from './support/updates.ts';
import { until } from './support/wait.ts';

const CLIENT = 0x511ce;
let server: TestServer;
let agency: Agency;

beforeAll(async () => {
  server = await testServer();
  agency = await createAgency(server.url);
}, 60_000);

afterAll(async () => {
  agency?.destroy();
  await server?.dispose();
});

/** A masked client frame: `fin`, `opcode`, a fixed mask (deterministic), the payload masked byte-wise. */
function frame(payload: Uint8Array, opcode: number, fin: boolean, mask: number): Buffer {
  const m = Buffer.alloc(4);
  m.writeUInt32BE(mask >>> 0);
  const n = payload.length;
  const head =
    n < 126
      ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | n])
      : n < 65_536
        ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, n >> 8, n & 255])
        : Buffer.from([
            (fin ? 0x80 : 0) | opcode,
            0x80 | 127,
            0,
            0,
            0,
            0,
            n >>> 24,
            (n >>> 16) & 255,
            (n >>> 8) & 255,
            n & 255,
          ]);
  return Buffer.concat([head, m, Buffer.from(payload.map((b, i) => b ^ m[i & 3]!))]);
}

/** `message` as a binary message in fragments of the given sizes (the last takes the rest). */
function fragmented(message: Uint8Array, sizes: number[]): Buffer {
  const frames: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < message.length; i++) {
    const size = i < sizes.length ? sizes[i]! : message.length - at;
    const end = Math.min(message.length, at + size);
    frames.push(
      frame(message.subarray(at, end), i === 0 ? 2 : 0, end === message.length, 0x9e3779b9 * (i + 1)),
    );
    at = end;
  }
  return Buffer.concat(frames);
}

async function member(n: number) {
  const signer = fastSigner();
  const m = await joinWith(server.url, agency.id, await agency.invite(), `Away ${n}`, signer);
  const heads = m.log.heads();
  m.destroy();
  const c = await TcpClient.open(server.port, agency.id);
  expect(await c.authenticate(signer, agency.id)).toBe('member');
  return { c, signer, heads };
}

describe('a large message is received in slices', () => {
  it('unmasking word-wise equals byte-wise for every length and alignment', () => {
    const mask = Buffer.from([0xa1, 0xb2, 0xc3, 0xd4]);
    for (const offset of [0, 1, 2, 3]) {
      for (const length of [0, 1, 3, 4, 5, 7, 8, 63, 64, 65]) {
        const bytes = Buffer.alloc(offset + length);
        for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 255;
        const expected = Buffer.from(bytes.subarray(offset).map((b, i) => b ^ mask[i & 3]!));
        const view = bytes.subarray(offset);
        unmask(view, mask);
        expect(Buffer.from(view)).toEqual(expected);
      }
    }
  });

  it('a catch-up of odd-sized fragments, trickled in small writes, is joined 64 KB per turn and stored whole', async () => {
    const { c, signer, heads } = await member(1);
    try {
      const written = await facts(agency.id, signer, 1_500, heads, { tag: 'sliced' });
      const message = step2Frame(entriesAt(CLIENT, 0, written));
      expect(message.length).toBeGreaterThan(4 * SLICE_BYTES);
      // fragment sizes not a multiple of 4: each later fragment's mask starts mid-word of the message, and the
      // 64 KB slices of each fragment start at offsets the fragment boundaries do not line up with
      const bytes = fragmented(message, [1, 70_001, 3, 65_537, 131_071, 5]);
      const before = { ...receiveTurns };
      // the first 4 KB a byte per write, the rest in 1,499-byte writes: ws buffers each as its own chunk
      for (let i = 0; i < 4_096; i++) c.write(bytes.subarray(i, i + 1));
      for (let i = 4_096; i < bytes.length; i += 1_499) c.write(bytes.subarray(i, i + 1_499));
      await until(() => ackedUpTo(c, CLIENT, written.length) || c.ended, {
        what: 'the catch-up to be stored',
        timeout: 60_000,
      });
      expect(c.closeCode).toBeNull();
      expect(ackedUpTo(c, CLIENT, written.length)).toBe(true);
      // the structure of the receive: a turn per 64 KB unmasked once the message is past a live one's
      // 256 KB (ws unmasks the fragments before that, as it does any live message), and a turn per 64 KB
      // joined (ws alone: no turn; the whole message in the turn its last byte arrived)
      const slices = Math.ceil(message.length / SLICE_BYTES);
      expect(receiveTurns.unmask - before.unmask).toBeGreaterThanOrEqual(
        slices - SLICED_MESSAGE_BYTES / SLICE_BYTES,
      );
      expect(receiveTurns.join - before.join).toBeGreaterThanOrEqual(slices);
    } finally {
      c.destroy();
    }
  }, 90_000);

  it('a fragmented text message is refused from its first header, MALFORMED, before its payload', async () => {
    const { c } = await member(2);
    try {
      // the header of a first text fragment announcing 200 KB; none of the payload is ever sent
      const head = frame(new Uint8Array(0), 1, false, 0x01020304).subarray(0, 2);
      const announced = Buffer.from([head[0]!, 0x80 | 127, 0, 0, 0, 0, 0, 3, 0x0d, 0x40, 1, 2, 3, 4]);
      c.write(announced);
      expect(await c.whenClosed()).toBe(CLOSE.MALFORMED.code);
    } finally {
      c.destroy();
    }
  }, 30_000);

  it('a small text frame is refused too (MALFORMED), and the members carry on', async () => {
    const { c } = await member(3);
    try {
      c.write(frame(new TextEncoder().encode('hello'), 1, true, 0x0badf00d));
      expect(await c.whenClosed()).toBe(CLOSE.MALFORMED.code);
    } finally {
      c.destroy();
    }
    await agency.owner.appendOk('observeBalance', { balance: 42 });
  }, 30_000);
});
