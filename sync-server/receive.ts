// How a connection's large message is read off the wire without holding the event loop (issue 8, item 12).
//
// ws's Receiver, once a frame's payload has arrived, unmasks it (without the optional native `bufferutil`,
// byte by byte in JavaScript) and, at the last fragment, joins the fragments into one buffer: each in one
// turn of the event loop. For a 16 MiB catch-up that is tens of milliseconds in which no other agency's
// message, and no ping, is handled. This patch changes only messages larger than a live one
// (LIVE_FRAME_BYTES): their frames are unmasked, and their fragments joined, SLICE_BYTES per turn, the rest
// of the loop running in between (setImmediate). Everything else stays ws's own code. The message handed to
// the connection is the same bytes as ws would hand over; decoding and verifying it are sliced further on
// (codec.ts reads it in batches, preverify.ts and intake.ts verify and admit it in slice.ts's slices).
//
// It also refuses a text frame (opcode 1) as soon as its header is read, with MALFORMED: the protocol is
// binary only, and a text message would otherwise be buffered whole and checked for UTF-8 in one turn.
//
// The patch works on ws's internals (receiver.js: its states, `consume`, `_fragments`, `dataMessage`), so it
// is tied to the pinned ws version: with another one the server refuses to start (fail closed) instead of
// guessing. To move ws, read its receiver.js again and update WS_VERSION.
import { createRequire } from 'node:module';
import { CLOSE } from '../core/protocol.ts';

/** Why a text frame is refused (the close reason). */
export const TEXT_REFUSED = 'Text frames are not part of the protocol.';
/** The ws version whose Receiver this patch was written against (package.json pins it). */
export const WS_VERSION = '8.23.0';
/** A message larger than this is received in slices (a live message is at most this: socket.ts). */
export const SLICED_MESSAGE_BYTES = 256 * 1024;
/** Bytes unmasked or joined per turn of the event loop: a multiple of 4, so every slice starts on the mask's first byte. */
export const SLICE_BYTES = 64 * 1024;

/** Turns spent receiving large messages, over the process (tests, metrics): each did at most SLICE_BYTES of work. */
export const receiveTurns = { unmask: 0, join: 0 };

// receiver.js's states (not exported by ws)
const GET_INFO = 0;
const DEFER_EVENT = 6;

type Callback = (error?: Error) => void;

/** The parts of ws 8.23.0's Receiver this patch reads or calls. */
interface Receiver {
  _state: number;
  _loop: boolean;
  _errored: boolean;
  _opcode: number;
  _fin: boolean;
  _compressed: boolean;
  _masked: boolean;
  _mask: Buffer | undefined;
  _payloadLength: number;
  _totalPayloadLength: number;
  _messageLength: number;
  _bufferedBytes: number;
  _fragments: Buffer[];
  _numFragments: number;
  _maxFragments: number;
  _binaryType: string;
  getInfo(cb: Callback): void;
  getData(cb: Callback): void;
  dataMessage(cb: Callback): void;
  startLoop(cb: Callback): void;
  consume(n: number): Buffer;
  createError(ctor: ErrorConstructor, message: string, prefix: boolean, status: number, code: string): Error;
  emit(event: string, ...args: unknown[]): boolean;
}

const require = createRequire(import.meta.url);
const version: string = require('ws/package.json').version;
const proto = (require('ws') as { Receiver: { prototype: Record<string, unknown> } }).Receiver.prototype;
const expected = ['getInfo', 'getData', 'dataMessage', 'startLoop', 'consume', 'createError'];
if (version !== WS_VERSION || expected.some((m) => typeof proto[m] !== 'function')) {
  throw new Error(
    `sync-server/receive.ts was written for ws ${WS_VERSION}'s Receiver, found ws ${version}: read its receiver.js again`,
  );
}
const original = {
  getInfo: proto.getInfo as Receiver['getInfo'],
  getData: proto.getData as Receiver['getData'],
  dataMessage: proto.dataMessage as Receiver['dataMessage'],
};

/** XORs `bytes` with the 4-byte `mask`, `bytes[0]` taking the mask's first byte: a word at a time, the tail byte-wise. */
export function unmask(bytes: Uint8Array, mask: Buffer): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = mask.readUInt32LE(0);
  const words = bytes.length & ~3;
  for (let i = 0; i < words; i += 4) view.setUint32(i, view.getUint32(i, true) ^ word, true);
  for (let i = words; i < bytes.length; i++) bytes[i]! ^= mask[i & 3]!;
}

/** Whether the current data frame belongs to a message this patch receives in slices. */
const sliced = (r: Receiver): boolean =>
  r._opcode === 0x02 &&
  !r._compressed &&
  r._binaryType === 'nodebuffer' &&
  r._totalPayloadLength > SLICED_MESSAGE_BYTES;

/** ws's getInfo, then: a text frame (or its continuation) is refused from its header. */
function getInfo(this: Receiver, cb: Callback): void {
  original.getInfo.call(this, cb);
  if (!this._errored && this._state !== GET_INFO && this._opcode === 0x01) {
    cb(this.createError(Error, TEXT_REFUSED, true, CLOSE.MALFORMED.code, 'WS_ERR_INVALID_OPCODE'));
  }
}

/**
 * ws's getData, except for a frame of a large binary message: once its payload has arrived it is taken off
 * the socket's buffers, unmasked and kept SLICE_BYTES per turn; then, as ws does, the message goes on
 * (dataMessage) and the receiver reads on. The DEFER_EVENT state is ws's own way to stop its loop without
 * finishing the stream's write (it holds the callback, so the socket is not read meanwhile).
 */
function getData(this: Receiver, cb: Callback): void {
  if (!sliced(this) || !this._payloadLength) {
    original.getData.call(this, cb);
    return;
  }
  if (this._bufferedBytes < this._payloadLength) {
    this._loop = false; // wait for the rest of the frame, as ws does
    return;
  }
  // ws's fragment count check, made before any work rather than after (it refuses the message either way)
  if (this._maxFragments > 0 && ++this._numFragments > this._maxFragments) {
    cb(
      this.createError(
        RangeError,
        'Too many message fragments',
        false,
        1008,
        'WS_ERR_TOO_MANY_BUFFERED_PARTS',
      ),
    );
    return;
  }
  const mask = this._masked ? Buffer.from(this._mask!) : undefined; // a copy: ws's pins the socket's buffer
  this._mask = undefined;
  const hasMask = mask !== undefined && mask.readUInt32LE(0) !== 0;
  let left = this._payloadLength;
  this._state = DEFER_EVENT; // startLoop, seeing it, returns without finishing the write
  const step = (): void => {
    receiveTurns.unmask++;
    const piece = this.consume(Math.min(SLICE_BYTES, left));
    left -= piece.length;
    if (hasMask) unmask(piece, mask);
    this._fragments.push(piece);
    if (left > 0) {
      setImmediate(step);
      return;
    }
    this._messageLength = this._totalPayloadLength;
    this.dataMessage(cb);
    if (this._state === GET_INFO) this.startLoop(cb);
  };
  setImmediate(step);
}

/**
 * ws's dataMessage, except at the last frame of a large binary message: its fragments are joined into one
 * buffer SLICE_BYTES per turn, then the message is emitted and the receiver reads on.
 */
function dataMessage(this: Receiver, cb: Callback): void {
  if (!this._fin || !sliced(this)) {
    original.dataMessage.call(this, cb);
    return;
  }
  const length = this._messageLength;
  const fragments = this._fragments;
  this._totalPayloadLength = 0;
  this._messageLength = 0;
  this._numFragments = 0;
  this._fragments = [];
  (this as unknown as { _fragmented: number })._fragmented = 0;
  const message = Buffer.allocUnsafe(length);
  let at = 0;
  let next = 0; // fragments[next] is the first not yet copied whole
  let within = 0; // bytes of it already copied
  this._state = DEFER_EVENT; // startLoop, seeing it, returns without finishing the write
  const step = (): void => {
    receiveTurns.join++;
    let budget = SLICE_BYTES;
    while (budget > 0 && next < fragments.length) {
      const f = fragments[next]!;
      const n = Math.min(budget, f.length - within);
      message.set(f.subarray(within, within + n), at);
      at += n;
      within += n;
      budget -= n;
      if (within === f.length) {
        fragments[next++] = undefined as unknown as Buffer; // let it go
        within = 0;
      }
    }
    if (next < fragments.length) {
      setImmediate(step);
      return;
    }
    this._state = GET_INFO;
    this.emit('message', message, true);
    this.startLoop(cb);
  };
  setImmediate(step);
}

/** Makes `receiver` (a ws 8.23.0 Receiver of one of the server's sockets) receive large messages in slices. */
export function sliceLargeMessages(receiver: object): void {
  Object.assign(receiver, { getInfo, getData, dataMessage });
}
