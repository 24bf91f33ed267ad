// A bench client for thousands of members in one driver process: no Y.Doc, no awareness, no timers. It does
// the handshake, asks for the agency once, answers the server's sync request with an empty document, and
// sends writes as Yjs updates encoded before the run (`encodeWrites`). An action has arrived once its id
// (a Yjs map key, written as its UTF-8 bytes in the update) appears in a sync frame from the server.
// The stock WebsocketProvider costs the driver a Y.Doc, an awareness and two timers per member: with 3,000
// of them the driver alone filled a core, and the figures measured the driver.
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { ACTIONS_ROOT, type Action, type Signer, toStored } from '../../../core/index.ts';
import { answerChallenge, MESSAGE_AGENCY, MESSAGE_SYNC, readAgencyMessage } from '../../../core/protocol.ts';
import { encodeSyncStep1, encodeSyncStep2, encodeUpdate, SYNC_STEP1 } from '../../../sync-server/wire.ts';

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

/** One writer's actions as the update frames a fresh Yjs client of its own sends, one per action, in order. */
export function encodeWrites(actions: readonly Action[]): Uint8Array[] {
  const doc = new Y.Doc();
  const map = doc.getMap(ACTIONS_ROOT);
  return actions.map((a) => {
    const before = Y.encodeStateVector(doc);
    map.set(a.id, toStored(a));
    return encodeUpdate(Y.encodeStateAsUpdate(doc, before));
  });
}

export class LeanClient {
  private ws: WebSocket | null = null;
  private readonly url: string;
  private readonly room: string;
  private readonly signer: Signer;
  /** Ids waited for, with what to call when one arrives. */
  private readonly watched = new Map<string, { bytes: Buffer; done: (at: number) => void }>();
  /** How the connection ended, and when (performance.now()), while it had not been destroyed. */
  closed: { code: number; reason: string; at: number } | null = null;

  constructor(url: string, room: string, signer: Signer) {
    this.url = url;
    this.room = room;
    this.signer = signer;
  }

  /**
   * Resolves once the server welcomed this member and sent the agency (its sync step 2). Like the extension,
   * it tries again (up to 20 times, backing off) when the connection fails before that: an instance that is
   * busy placing the agency answers 503.
   */
  async connect(timeoutMs = 120_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(Math.max(1, deadline - performance.now()));
      } catch (error) {
        if (attempt >= 20 || performance.now() > deadline) throw error;
        this.retries++;
        await new Promise((r) => setTimeout(r, Math.min(2_000, 50 * 2 ** attempt)));
      }
    }
  }

  /** Failed connection attempts so far. */
  retries = 0;

  private attempt(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.closed = null;
      const ws = new WebSocket(`${this.url}/${this.room}`, { perMessageDeflate: false });
      this.ws = ws;
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`${this.room}: not synced in ${Math.round(timeoutMs)} ms`));
      }, timeoutMs);
      ws.binaryType = 'nodebuffer';
      ws.on('error', () => {});
      ws.on('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        ws.terminate();
        reject(new Error(`${this.room}: HTTP ${res.statusCode}`));
      });
      ws.on('close', (code, reason) => {
        this.closed = { code, reason: String(reason), at: performance.now() };
        clearTimeout(timer);
        reject(new Error(`${this.room}: closed ${code} ${String(reason)}`));
      });
      ws.on('message', (data: Buffer) => {
        const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        const d = decoding.createDecoder(bytes);
        const type = decoding.readVarUint(d);
        if (type === MESSAGE_AGENCY) {
          const m = readAgencyMessage(d);
          if (m?.kind === 'challenge')
            void answerChallenge(m.nonce, this.room, this.signer).then((proof) => {
              if (ws.readyState === ws.OPEN) ws.send(proof);
            });
          else if (m?.kind === 'welcome') ws.send(encodeSyncStep1(EMPTY_STATE_VECTOR));
          return;
        }
        if (type !== MESSAGE_SYNC) return;
        const sub = decoding.readVarUint(d);
        if (sub === SYNC_STEP1) {
          ws.send(encodeSyncStep2(EMPTY_UPDATE));
          return;
        }
        // step 2 (the agency) or an update: what is watched may be in it
        if (this.watched.size) {
          const at = performance.now();
          for (const [id, w] of this.watched)
            if (data.includes(w.bytes)) {
              this.watched.delete(id);
              w.done(at);
            }
        }
        if (sub === 1) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  /** When `id` arrives here (performance.now()); call before the write that sends it. */
  arrival(id: string): Promise<number> {
    return new Promise((done) => this.watched.set(id, { bytes: Buffer.from(id), done }));
  }

  send(frame: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  destroy(): void {
    this.ws?.removeAllListeners('close');
    this.ws?.on('close', () => {});
    this.ws?.terminate();
  }
}
