// The client both servers are driven with: the stock WebsocketProvider on a plain Y.Doc, with the type-4
// handshake handler (the reference never sends a challenge, so it never runs there).
import type * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ACTIONS_ROOT, type Action, type Signer, toStored } from '../../../core/index.ts';
import { answerChallenge, MESSAGE_AGENCY, readAgencyMessage } from '../../../core/protocol.ts';

type Handler = (
  encoder: unknown,
  decoder: decoding.Decoder,
  provider: WebsocketProvider,
  emitSynced: boolean,
  type: number,
) => void;

export class BenchClient {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  /** Update frames (sync type 2) received. */
  updateFrames = 0;
  /** When each action id arrived here (performance.now()). */
  readonly arrived = new Map<string, number>();
  onArrive: ((id: string, at: number) => void) | null = null;

  constructor(url: string, room: string, signer: Signer) {
    this.provider = new WebsocketProvider(url, room, this.doc, { connect: false, disableBc: true });
    this.provider.awareness.setLocalState(null);
    const handlers = this.provider.messageHandlers as unknown as Handler[];
    const sync = handlers[0]!;
    handlers[0] = (encoder, decoder, provider, emitSynced, type) => {
      if (decoder.arr[decoder.pos] === 2) this.updateFrames++;
      sync(encoder, decoder, provider, emitSynced, type);
    };
    handlers[MESSAGE_AGENCY] = (_e, decoder, provider) => {
      const message = readAgencyMessage(decoder);
      const ws = provider.ws;
      if (message?.kind !== 'challenge' || !ws) return;
      void answerChallenge(message.nonce, room, signer).then((proof) => {
        if (provider.ws === ws && ws.readyState === ws.OPEN) ws.send(proof);
      });
    };
    this.doc.getMap(ACTIONS_ROOT).observe((event) => {
      const at = performance.now();
      for (const key of event.keysChanged) {
        if (this.arrived.has(key)) continue;
        this.arrived.set(key, at);
        this.onArrive?.(key, at);
      }
    });
  }

  connect(): Promise<void> {
    this.provider.connect();
    return new Promise((resolve) => {
      if (this.provider.synced) return resolve();
      const on = (synced: boolean) => {
        if (!synced) return;
        this.provider.off('sync', on);
        resolve();
      };
      this.provider.on('sync', on);
    });
  }

  write(action: Action): void {
    this.doc.transact(() => this.doc.getMap(ACTIONS_ROOT).set(action.id, toStored(action)));
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}
