// A WebSocket client written on a bare TCP socket, for attacks that depend on bytes and timing a WebSocket
// library would not produce: several frames in one TCP segment, a frame header announcing 16 MiB followed
// by nothing, a payload sent byte by byte. Frames from the server are parsed as RFC 6455 says (unmasked,
// unfragmented: ws never fragments what it sends). A ping is answered with a pong, as every WebSocket client
// (browsers, ws) does on its own: the server drops a peer that leaves its ping unanswered, and a client that
// did not answer was once taken for a catch-up the server could not store (issue 8, the attack bench).
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import * as decoding from 'lib0/decoding';
import type { Signer } from '../../../core/index.ts';
import {
  type AgencyMessage,
  answerChallenge,
  MESSAGE_AGENCY,
  readAgencyMessage,
} from '../../../core/protocol.ts';
import { until } from './wait.ts';

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** One client → server frame: FIN, the opcode (2 binary, 1 text), masked as clients must. */
export function clientFrame(payload: Uint8Array, opcode = 2): Buffer {
  return clientFrameHeader(payload.length, opcode, payload);
}

/**
 * A frame header announcing `length` bytes; with `payload`, the masked payload follows (else nothing: the
 * caller sends as much as it likes).
 */
export function clientFrameHeader(length: number, opcode = 2, payload?: Uint8Array): Buffer {
  const mask = randomBytes(4);
  const head: number[] = [0x80 | opcode];
  if (length < 126) head.push(0x80 | length);
  else if (length < 65_536) head.push(0x80 | 126, length >> 8, length & 255);
  else {
    head.push(0x80 | 127, 0, 0, 0, 0);
    head.push((length >>> 24) & 255, (length >>> 16) & 255, (length >>> 8) & 255, length & 255);
  }
  const masked = payload ? Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!)) : Buffer.alloc(0);
  return Buffer.concat([Buffer.from(head), mask, masked]);
}

export class TcpClient {
  readonly socket: Socket;
  readonly frames: ServerFrame[] = [];
  closeCode: number | null = null;
  ended = false;
  /** Whether a ping from the server is answered (off: a peer that has gone silent). */
  answerPings = true;
  private upgraded = false;
  private buffer = Buffer.alloc(0);

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('close', () => {
      this.ended = true;
    });
    socket.on('error', () => {
      this.ended = true;
    });
  }

  /** Opens the TCP connection and completes the WebSocket upgrade to `/<room>`. */
  static async open(port: number, room: string): Promise<TcpClient> {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    const client = new TcpClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const key = randomBytes(16).toString('base64');
    socket.write(
      `GET /${room} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await until(() => client.upgraded || client.ended, { what: 'the WebSocket upgrade' });
    return client;
  }

  /** Writes `bytes` in one socket write (one TCP segment on loopback for anything below 64 KB). */
  write(bytes: Uint8Array): boolean {
    if (this.ended || this.socket.destroyed) return false;
    return this.socket.write(bytes);
  }

  /** Several binary messages in one write. */
  sendMany(messages: Uint8Array[]): void {
    this.write(Buffer.concat(messages.map((m) => clientFrame(m))));
  }

  send(message: Uint8Array): void {
    this.write(clientFrame(message));
  }

  /** Binary messages received, as bytes. */
  get messages(): Uint8Array[] {
    return this.frames.filter((f) => f.opcode === 2).map((f) => new Uint8Array(f.payload));
  }

  agency(kind: AgencyMessage['kind']): AgencyMessage | undefined {
    for (const m of this.messages) {
      const d = decoding.createDecoder(m);
      if (decoding.readVarUint(d) !== MESSAGE_AGENCY) continue;
      const message = readAgencyMessage(d);
      if (message?.kind === kind) return message;
    }
    return undefined;
  }

  /** Answers the challenge; resolves with the standing, or null when the server closed instead. */
  async authenticate(
    signer: Signer,
    room: string,
    extra: { invite?: Signer | null; creationToken?: string | null } = {},
  ): Promise<string | null> {
    const challenge = await until(() => this.agency('challenge') ?? (this.ended ? 'closed' : null), {
      what: 'a challenge',
    });
    if (challenge === 'closed' || challenge.kind !== 'challenge') return null;
    this.send(await answerChallenge(challenge.nonce, room, signer, extra));
    await until(() => this.agency('welcome') ?? this.closeCode ?? this.ended, { what: 'welcome or close' });
    const welcome = this.agency('welcome');
    return welcome?.kind === 'welcome' ? welcome.standing : null;
  }

  async whenClosed(timeout = 10_000): Promise<number | null> {
    await until(() => this.closeCode !== null || this.ended, { timeout, what: 'the server to close' });
    return this.closeCode;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (!this.upgraded) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buffer.subarray(0, end).toString();
      if (!head.startsWith('HTTP/1.1 101')) {
        this.ended = true;
        this.socket.destroy();
        return;
      }
      this.upgraded = true;
      this.buffer = this.buffer.subarray(end + 4);
    }
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      let length = this.buffer[1]! & 0x7f;
      let at = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        at = 10;
      }
      if (this.buffer.length < at + length) return;
      const payload = this.buffer.subarray(at, at + length);
      this.buffer = this.buffer.subarray(at + length);
      if (opcode === 8) this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      if (opcode === 9 && this.answerPings) this.write(clientFrame(payload, 10));
      this.frames.push({ opcode, payload: Buffer.from(payload) });
    }
  }
}
