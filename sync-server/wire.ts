// The y-websocket frames the server reads and writes (y-protocols sync and awareness), without a Y.Doc:
// the server keeps each room as encoded updates, so it encodes and decodes these few frames itself.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MESSAGE_AWARENESS, MESSAGE_SYNC } from '../core/protocol.ts';

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

export type SyncMessage =
  | { kind: 'step1'; stateVector: Uint8Array }
  | { kind: 'step2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array };

/** Reads the rest of a sync frame (the decoder is past the message type); null when malformed. */
export function readSyncMessage(decoder: decoding.Decoder): SyncMessage | null {
  try {
    const sub = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (sub === SYNC_STEP1) return { kind: 'step1', stateVector: payload };
    if (sub === SYNC_STEP2) return { kind: 'step2', update: payload };
    if (sub === SYNC_UPDATE) return { kind: 'update', update: payload };
    return null;
  } catch {
    return null;
  }
}

function syncFrame(sub: number, payload: Uint8Array): Uint8Array {
  // One allocation of the final size: lib0's encoder would copy a large payload twice.
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, sub);
  encoding.writeVarUint(e, payload.length);
  const head = encoding.toUint8Array(e);
  const frame: Uint8Array = Buffer.allocUnsafeSlow(head.length + payload.length);
  frame.set(head);
  frame.set(payload, head.length);
  return frame;
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array => syncFrame(SYNC_STEP1, stateVector);
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array => syncFrame(SYNC_STEP2, update);
export const encodeUpdate = (update: Uint8Array): Uint8Array => syncFrame(SYNC_UPDATE, update);

// --- awareness ------------------------------------------------------------------------------------------

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The state as JSON text ('null' when the client left). */
  state: string;
}

const MAX_AWARENESS_ENTRIES = 64;

/** Reads an awareness update (the bytes inside a type-1 frame); null when malformed. States are checked by presence.ts. */
export function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] | null {
  try {
    const d = decoding.createDecoder(update);
    const n = decoding.readVarUint(d);
    if (n > MAX_AWARENESS_ENTRIES) return null;
    const out: AwarenessEntry[] = [];
    for (let i = 0; i < n; i++) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const state = decoding.readVarString(d);
      out.push({ clientId, clock, state });
    }
    return out;
  } catch {
    return null;
  }
}

export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(inner, e.clientId);
    encoding.writeVarUint(inner, e.clock);
    encoding.writeVarString(inner, e.state);
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

/**
 * The heartbeat: an awareness update with no entries. Every y-websocket client accepts it and changes
 * nothing, and it resets the client's 30-second "no message received" watchdog.
 */
export const HEARTBEAT_FRAME: Uint8Array = encodeAwarenessUpdate([]);
