// A raw WebSocket client (Node's global WebSocket) for what the stock provider never sends: forged proofs,
// hand-made updates, random bytes, truncated frames.
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { ACTIONS_ROOT, type Action, type Signer, toStored } from '../../../core/index.ts';
import {
  type AgencyMessage,
  answerChallenge,
  MESSAGE_AGENCY,
  MESSAGE_AUTH,
  MESSAGE_SYNC,
  readAgencyMessage,
} from '../../../core/protocol.ts';
import {
  encodeSyncStep1,
  encodeUpdate,
  readSyncMessage,
  type SyncMessage,
} from '../../../sync-server/wire.ts';
import { until } from './wait.ts';

export type Frame =
  | { type: 'agency'; message: AgencyMessage | null; bytes: Uint8Array }
  | { type: 'sync'; message: SyncMessage | null; bytes: Uint8Array }
  | { type: number; bytes: Uint8Array };

export class RawClient {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | null = null;
  private opened = false;

  private constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.onopen = () => {
      this.opened = true;
    };
    this.ws.onmessage = (event) => {
      const bytes = new Uint8Array(event.data as ArrayBuffer);
      const d = decoding.createDecoder(bytes);
      const type = decoding.readVarUint(d);
      if (type === MESSAGE_AGENCY) this.frames.push({ type: 'agency', message: readAgencyMessage(d), bytes });
      else if (type === MESSAGE_SYNC) this.frames.push({ type: 'sync', message: readSyncMessage(d), bytes });
      else this.frames.push({ type, bytes });
    };
    this.ws.onclose = (event) => {
      this.closed = { code: event.code, reason: event.reason };
    };
    this.ws.onerror = () => {};
  }

  static async open(url: string, room: string): Promise<RawClient> {
    const c = new RawClient(`${url}/${room}`);
    await until(() => c.opened || c.closed, { what: 'the socket to open' });
    return c;
  }

  send(bytes: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  agency(kind: AgencyMessage['kind']): AgencyMessage | undefined {
    for (const f of this.frames) if (f.type === 'agency' && f.message?.kind === kind) return f.message;
    return undefined;
  }

  /** Frames other than the handshake's challenge and a "permission denied": what the client got of the room. */
  get roomFrames(): Frame[] {
    return this.frames.filter(
      (f) =>
        f.type !== MESSAGE_AUTH &&
        !(f.type === 'agency' && (f as { message: AgencyMessage | null }).message?.kind === 'challenge'),
    );
  }

  /** The reason of y-websocket's "permission denied" message, if the server sent one. */
  get permissionDenied(): string | null {
    const f = this.frames.find((x) => x.type === MESSAGE_AUTH);
    if (!f) return null;
    const d = decoding.createDecoder(f.bytes);
    decoding.readVarUint(d);
    return decoding.readVarUint(d) === 0 ? decoding.readVarString(d) : null;
  }

  /** Answers the challenge; resolves with the standing, or null when the server closed instead. */
  async authenticate(
    signer: Signer,
    room: string,
    extra: { invite?: Signer | null; creationToken?: string | null } = {},
  ): Promise<string | null> {
    const challenge = (await until(() => this.agency('challenge') ?? this.closed, {
      what: 'a challenge',
    })) as AgencyMessage;
    if (this.closed) return null;
    if (challenge.kind !== 'challenge') throw new Error('expected a challenge');
    this.send(await answerChallenge(challenge.nonce, room, signer, extra));
    await until(() => this.agency('welcome') ?? this.closed, { what: 'welcome or close' });
    const welcome = this.agency('welcome');
    return welcome?.kind === 'welcome' ? welcome.standing : null;
  }

  async whenClosed(timeout = 10_000): Promise<{ code: number; reason: string }> {
    return until(() => this.closed, { timeout, what: 'the server to close' });
  }

  /** Sends an update that sets `actions` entries, made on a doc that has nothing else (a fresh Yjs client). */
  sendActions(actions: Action[], doc = new Y.Doc()): Y.Doc {
    const before = Y.encodeStateVector(doc);
    doc.transact(() => {
      for (const a of actions) doc.getMap(ACTIONS_ROOT).set(a.id, toStored(a));
    });
    this.send(encodeUpdate(Y.encodeStateAsUpdate(doc, before)));
    return doc;
  }

  requestSync(sv = new Uint8Array([0])): void {
    this.send(encodeSyncStep1(sv));
  }

  close(): void {
    this.ws.close();
  }
}
