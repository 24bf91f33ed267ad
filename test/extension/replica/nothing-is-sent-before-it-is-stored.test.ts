// @vitest-environment node
// A browser key's actions form a chain (core/key-chain.ts), so an action the server holds and this browser's
// own store does not would make its next action a fork, refused for good. The replica therefore sends
// nothing of its own before IndexedDB and the keep hold it (send-when-stored.ts): neither the update of a
// new action nor the sync step 2 that answers the server's sync step 1. Against the product's own server
// on loopback; the keep's writes are held to open the window a crash would fall into.
import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAgency } from '../../../extension/replica/flows.ts';
import type { Replica } from '../../../extension/replica/replica.ts';
import { type SyncServer, startSyncServer } from '../../../sync-server/server.ts';
import { MemoryKeep } from './support/memory-keep.ts';
import { Browser } from './support/peers.ts';

const WAIT = 15_000;
let dataDir: string;
let server: SyncServer;
let browsers: Browser[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'replica-send-stored-'));
  server = await startSyncServer({ port: 0, dataDir, logLevel: 'error' });
});

afterEach(async () => {
  for (const b of browsers) await b.closeAll();
  browsers = [];
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface Frames {
  sent: Uint8Array[];
  received: Uint8Array[];
}

/** A socket that records the frames it sends and receives. */
function recordingSocket(frames: Frames): typeof WebSocket {
  class RecordingSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (e: MessageEvent) => {
        if (e.data instanceof ArrayBuffer) frames.received.push(new Uint8Array(e.data));
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (data instanceof Uint8Array) frames.sent.push(data.slice());
      super.send(data);
    }
  }
  return RecordingSocket as typeof WebSocket;
}

// y-protocols: a sync message is [0, kind, …] with kind 0 = step 1 (a state vector), 1 = step 2 and
// 2 = update (doc content).
const carriesContent = (f: Uint8Array) => f[0] === 0 && (f[1] === 1 || f[1] === 2);
const isStep1 = (f: Uint8Array) => f[0] === 0 && f[1] === 0;

async function agency(keep: MemoryKeep, frames: Frames): Promise<Replica> {
  const olga = await Browser.make('Olga');
  browsers.push(olga);
  const created = await createAgency({
    ...olga.base,
    keep,
    WebSocketImpl: recordingSocket(frames),
    server: server.url,
    agencyName: 'Acme Studio',
    memberName: 'Olga',
    balance: 100,
  });
  if (!created.ok) throw new Error(created.message);
  const r = olga.track(created.replica);
  expect(await r.waitFor((x) => x.syncView().status === 'synced' && x.waiting === 0, WAIT)).toBe(true);
  return r;
}

/** Holds every keep write until the returned function is called. */
function holdKeep(keep: MemoryKeep): () => void {
  let release = () => {};
  keep.gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    keep.gate = null;
    release();
  };
}

describe('nothing of this browser reaches the server before it is stored here', () => {
  it('a new action is sent once IndexedDB and the keep hold it, not when it enters the doc', async () => {
    const keep = new MemoryKeep();
    const frames: Frames = { sent: [], received: [] };
    const r = await agency(keep, frames);
    const release = holdKeep(keep);
    const mark = frames.sent.length;
    const acted = r.act('recordPurchase', { connects: 10 });
    // In the doc and in IndexedDB; the keep's write is held: a crash now must not leave it on the server only.
    await vi.waitFor(() => expect(r.store.unsaved === 0 && keep.waiting > 0).toBe(true), { timeout: WAIT });
    expect(r.waiting).toBe(1);
    expect(frames.sent.slice(mark).filter(carriesContent)).toEqual([]);
    release();
    expect(await acted).toMatchObject({ ok: true, status: 'saved' });
    expect(await r.waitFor((x) => x.waiting === 0, WAIT)).toBe(true);
    expect(frames.sent.slice(mark).filter(carriesContent).length).toBeGreaterThan(0);
    expect(r.connection.stoppedBy).toBeNull();
  });

  it('the answer to the server’s sync step 1 waits too, on a link that reconnects while an action is being stored', async () => {
    const keep = new MemoryKeep();
    const frames: Frames = { sent: [], received: [] };
    const r = await agency(keep, frames);
    const release = holdKeep(keep);
    const acted = r.act('recordPurchase', { connects: 10 });
    await vi.waitFor(() => expect(keep.waiting > 0).toBe(true), { timeout: WAIT });
    const sent = frames.sent.length;
    const received = frames.received.length;
    r.reconnect();
    // The new link's server asks what this browser has (sync step 1); its answer would carry the action.
    await vi.waitFor(() => expect(frames.received.slice(received).some(isStep1)).toBe(true), {
      timeout: WAIT,
    });
    expect(frames.sent.slice(sent).filter(carriesContent)).toEqual([]);
    expect(r.syncView().status).not.toBe('synced');
    release();
    expect(await acted).toMatchObject({ ok: true, status: 'saved' });
    expect(await r.waitFor((x) => x.syncView().status === 'synced' && x.waiting === 0, WAIT)).toBe(true);
    expect(frames.sent.slice(sent).filter(carriesContent).length).toBeGreaterThan(0);
    expect(r.view().connects.balance).toBe(110);
  });
});
