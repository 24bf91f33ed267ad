// The set-up the replica's real-server tests share: a sync server on a free port in a temp folder, and the
// recording browsers a test opens (every frame each one sends and receives), all closed after each test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Replica } from '../../../../extension/replica/replica.ts';
import { type SyncServer, startSyncServer } from '../../../../sync-server/server.ts';
import { RecordingBrowser } from './recording-browser.ts';

export interface ServerAndBrowsers {
  /** The running server (a new one for each test). */
  server(): SyncServer;
  /** Opens a recording browser, closed after the test. */
  browser(name: string): Promise<RecordingBrowser>;
}

/** Registers the per-test server and browsers; `prefix` names the temp data folder. */
export function serverAndBrowsers(prefix: string): ServerAndBrowsers {
  let dataDir = '';
  let server: SyncServer | null = null;
  let browsers: RecordingBrowser[] = [];
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), prefix));
    server = await startSyncServer({ port: 0, dataDir, logLevel: 'error' });
  });
  afterEach(async () => {
    for (const b of browsers) await b.closeAll();
    browsers = [];
    await server?.close();
    server = null;
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    server: () => {
      if (!server) throw new Error('the server runs only inside a test');
      return server;
    },
    async browser(name) {
      const b = await RecordingBrowser.open(name);
      browsers.push(b);
      return b;
    },
  };
}

type Acted = Extract<Awaited<ReturnType<Replica['act']>>, { ok: true }>;

/** Acts and fails the test with core's message when the action is refused. */
export async function acted(r: Replica, ...args: Parameters<Replica['act']>): Promise<Acted> {
  const result = await r.act(...args);
  if (!result.ok) throw new Error(`${args[0]}: ${result.message}`);
  return result;
}
