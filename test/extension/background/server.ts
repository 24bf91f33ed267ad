// The product's sync server (sync-server/server.ts) on loopback with a temp data folder, restartable on the
// same port and data (an outage and its end).
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SyncServer, startSyncServer } from '../../../sync-server/server.ts';

export class TestServer {
  private server: SyncServer | null = null;
  private dataDir = '';
  port = 0;

  static async start(): Promise<TestServer> {
    const s = new TestServer();
    s.dataDir = await mkdtemp(join(tmpdir(), 'background-test-server-'));
    await s.resume();
    return s;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** An address where nothing listens (a port bound once, then closed): the connection is refused. */
  async deadUrl(): Promise<string> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return `ws://127.0.0.1:${port}`;
  }

  /** Starts again on the same port and data after stop(). */
  async resume(): Promise<void> {
    this.server = await startSyncServer({ port: this.port, dataDir: this.dataDir, logLevel: 'error' });
    this.port = this.server.port;
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }

  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
