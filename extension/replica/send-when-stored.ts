// Nothing this browser writes reaches the server before it is stored here (IndexedDB and the keep).
//
// Why: a browser key's actions form a chain (core/key-chain.ts): one that does not build on the key's
// previous action is a branch, applied but flagged (KEY_BRANCHED) for every member to see, and one branch too
// many is refused (KEY_FORKED). Stock y-websocket sends an update the moment the doc emits it, before the
// replica's IndexedDB transaction commits. A browser killed in between left an action on the server that its
// own store never held, and its next action after the restart did not build on it (it was refused, and the
// member's sync stopped for good, before branches were kept). Sending only what is stored closes that path:
// whatever the server holds of this key, this browser holds too (or gets back from the keep).
//
// Two ways the provider sends doc content: the update handler (each local write), and the sync step 2 that
// answers the server's sync step 1 (everything the server lacks). Both wait while a local write is not yet
// stored: updates queue in order, and sync messages from the server are read once the writes before them
// are stored (in order, and only on the socket they came in on).
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';

const MESSAGE_SYNC = 0;

/** What the replica says about its own writes. */
export interface LocalWrites {
  /** A local write is in the doc and not yet stored (IndexedDB committed, the keep written or failed). */
  pending(): boolean;
  /** Resolves once no local write made so far is pending. */
  stored(): Promise<void>;
}

type Handler = WebsocketProvider['messageHandlers'][number];

/** Makes `provider` send only stored content; returns the undo (for destroy). */
export function sendWhenStored(provider: WebsocketProvider, local: LocalWrites): () => void {
  const doc = provider.doc;
  const original = provider.messageHandlers[MESSAGE_SYNC] as Handler;
  const outbox: Uint8Array[] = [];
  const inbox: { ws: WebSocket; message: Uint8Array }[] = [];
  let draining = false;
  let stopped = false;

  const send = (message: Uint8Array, ws = provider.ws) => {
    if (provider.wsconnected && ws && ws === provider.ws && ws.readyState === ws.OPEN) ws.send(message);
  };

  const read = (ws: WebSocket, message: Uint8Array) => {
    if (ws !== provider.ws) return; // that socket closed: the new one syncs afresh
    const encoder = encoding.createEncoder();
    original(encoder, decoding.createDecoder(message), provider, true, MESSAGE_SYNC);
    if (encoding.length(encoder) > 1) send(encoding.toUint8Array(encoder), ws);
  };

  const drain = async () => {
    if (draining) return;
    draining = true;
    try {
      while (!stopped && (outbox.length || inbox.length)) {
        await local.stored();
        // A write may have begun since: its update is in the doc, and a sync step 2 would carry it.
        if (local.pending()) continue;
        for (const m of outbox.splice(0)) send(m);
        for (const { ws, message } of inbox.splice(0)) read(ws, message);
      }
    } finally {
      draining = false;
    }
  };

  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === provider) return; // from the server
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    outbox.push(encoding.toUint8Array(encoder));
    void drain();
  };

  const onSync: Handler = (encoder, decoder, p, emitSynced, type) => {
    const ws = p.ws;
    if (!ws || (!inbox.length && !local.pending())) return original(encoder, decoder, p, emitSynced, type);
    // The message after its type, copied: the decoder's buffer is the socket's.
    inbox.push({ ws, message: decoder.arr.slice(decoder.pos) });
    void drain();
  };

  doc.off('update', provider._updateHandler);
  doc.on('update', onUpdate);
  provider.messageHandlers[MESSAGE_SYNC] = onSync;
  return () => {
    stopped = true;
    doc.off('update', onUpdate);
    provider.messageHandlers[MESSAGE_SYNC] = original;
  };
}

/** Counts the replica's writes between the doc and "stored" (the replica's side of LocalWrites). */
export class WritesInFlight implements LocalWrites {
  private count = 0;
  private waiters: (() => void)[] = [];

  pending(): boolean {
    return this.count > 0;
  }

  stored(): Promise<void> {
    if (!this.count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** A write begins (before it reaches the doc); call the returned function once it is stored or failed. */
  begin(): () => void {
    this.count++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.count > 0) return;
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    };
  }
}
