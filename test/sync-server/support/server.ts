// An in-process sync server on port 0 with a fresh data folder, and its log lines for assertions.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../sync-server/log.ts';
import { type SyncServer, type SyncServerOptions, startSyncServer } from '../../../sync-server/server.ts';

export interface TestServer extends SyncServer {
  dataDir: string;
  logs: Record<string, unknown>[];
  /** Closes the server and removes its data folder. */
  dispose(): Promise<void>;
}

export async function testServer(
  opts: Partial<SyncServerOptions> = {},
  dataDir?: string,
): Promise<TestServer> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'agency-sync-test-')));
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger('debug', (line) => {
    logs.push(JSON.parse(line));
    if (logs.length > 5_000) logs.splice(0, 1_000);
  });
  const server = await startSyncServer({ port: 0, dataDir: dir, logger, ...opts });
  return Object.assign(server, {
    dataDir: dir,
    logs,
    async dispose() {
      await server.close();
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
  });
}
