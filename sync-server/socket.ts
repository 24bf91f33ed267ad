// The WebSocket class the server's ws instance creates (its documented `WebSocket` option). ws reads a
// frame's announced length before its payload and refuses one longer than the receiver's maxPayload
// without buffering it: so a connection's receive limits follow its standing (memory.ts), starting strict
// (the server is created with the pre-proof limits), and a refusal closes with the server's own typed code
// instead of ws's 1009/1008.
import { WebSocket } from 'ws';
import { CLOSE, type CloseName } from '../core/protocol.ts';
import { sliceLargeMessages, TEXT_REFUSED } from './receive.ts';

/** Before the membership proof: only what the handshake needs (a proof, a sync step 1, presence). */
export const PREAUTH_FRAME_BYTES = 64 * 1024;
/** Chunks ws may buffer for one message (a frame trickled in one byte per TCP segment costs ~100 B each). */
export const PREAUTH_CHUNKS = 256;
export const CHUNKS = 65_536;
/** After its catch-up a connection sends live writes: one action is at most 4 KB, a burst of them fits. */
export const LIVE_FRAME_BYTES = 256 * 1024;
export const MAX_FRAGMENTS = 1_024;

interface Receiver {
  _maxPayload: number;
  _maxBufferedChunks: number;
}

export class AgencySocket extends WebSocket {
  /** How a message past the receive limit is refused. */
  oversize: CloseName = 'TOO_LARGE';
  oversizeMessage: string = CLOSE.TOO_LARGE.reason;

  /** ws's own (undeclared) setSocket creates the receiver: large messages are received in slices (receive.ts). */
  setSocket(...args: unknown[]): void {
    (WebSocket.prototype as unknown as { setSocket: (...a: unknown[]) => void }).setSocket.apply(this, args);
    sliceLargeMessages((this as unknown as { _receiver: object })._receiver);
  }

  /** Bytes read from the peer so far (a frame still arriving shows here before ws has it whole). */
  get bytesRead(): number {
    return (this as unknown as { _socket?: import('node:net').Socket })._socket?.bytesRead ?? 0;
  }

  /** The receive limits from the next frame on (ws checks them as each frame's header arrives). */
  limit(maxPayload: number, maxChunks: number, oversize: CloseName, message: string): void {
    const receiver = (this as unknown as { _receiver?: Receiver })._receiver;
    if (receiver) {
      receiver._maxPayload = maxPayload;
      receiver._maxBufferedChunks = maxChunks;
    }
    this.oversize = oversize;
    this.oversizeMessage = message;
  }

  override close(code?: number, data?: string | Buffer): void {
    // ws's own refusals of a message too large (1009) or trickled in too many pieces (1008)
    if (code === 1009 || code === 1008) {
      super.close(CLOSE[this.oversize].code, this.oversizeMessage.slice(0, 120));
      // ws goes on reading (and dropping) the rest of the frame until the peer answers the close: with
      // hundreds of such peers that is gigabytes through the process. Stop reading, say goodbye.
      const socket = (this as unknown as { _socket?: import('node:net').Socket })._socket;
      setImmediate(() => {
        socket?.pause();
        socket?.end();
        setTimeout(() => socket?.destroy(), 1_000).unref();
      });
      return;
    }
    // receive.ts's refusal of a text frame, from its header
    if (code === CLOSE.MALFORMED.code && data === undefined) {
      super.close(code, TEXT_REFUSED);
      return;
    }
    super.close(code, data);
  }
}

/** Whether a ws error is its refusal of a message past the receive limits. */
export const isOversize = (error: Error & { code?: string }): boolean =>
  error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ||
  error.code === 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH' ||
  error.code === 'WS_ERR_TOO_MANY_BUFFERED_PARTS' ||
  error.code === 'WS_ERR_TOO_MANY_FRAGMENTS';

/** Whether a ws error is receive.ts's refusal of a text frame. */
export const isTextRefused = (error: Error & { code?: string }): boolean =>
  error.message.endsWith(TEXT_REFUSED);
