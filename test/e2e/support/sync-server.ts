// The real sync server as a child process (`node sync-server/main.ts --port 0 --data <tmp>`): its port is
// read from its JSON log line. Stop with SIGTERM, kill with SIGKILL for outages, restart on the same port
// and data dir.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './paths.ts';

const START_TIMEOUT_MS = 30_000;

export class SyncServer {
  readonly dataDir: string;
  port = 0;
  private child: ChildProcess | null = null;
  /** The server's recent output, shown when it fails to start. */
  readonly log: string[] = [];

  private constructor(dataDir: string) {
    this.dataDir = dataDir;
  }

  static async start(): Promise<SyncServer> {
    const server = new SyncServer(await mkdtemp(join(tmpdir(), 'agency-e2e-server-')));
    await server.spawn(0);
    return server;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  private spawn(port: number): Promise<void> {
    const child = spawn(
      process.execPath,
      ['sync-server/main.ts', '--port', String(port), '--data', this.dataDir],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'test' } },
    );
    this.child = child;
    const remember = (line: string) => {
      this.log.push(line);
      if (this.log.length > 200) this.log.shift();
    };
    createInterface({ input: child.stderr! }).on('line', remember);
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new Error(`sync server did not start: ${why}\n${this.log.join('\n')}`));
      };
      const timer = setTimeout(() => fail(`no port within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
      child.once('exit', (code, signal) => {
        this.child = null;
        fail(`exited with ${code ?? signal}`);
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        remember(line);
        const found = portIn(line);
        if (found && !this.port) this.port = found;
        if (found) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  private async end(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
    this.child = null;
  }

  /** A clean stop (SIGTERM): the server flushes and closes its connections. */
  stop(): Promise<void> {
    return this.end('SIGTERM');
  }

  /** An outage (SIGKILL): nothing is flushed or closed politely. */
  kill(): Promise<void> {
    return this.end('SIGKILL');
  }

  /** Starts again on the same port and data dir, as after an outage. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('the sync server is still running');
    await this.spawn(this.port);
  }

  /**
   * The sockets open now (/healthz) and every connection accepted since the server started (/metrics): a
   * browser whose background dropped its socket and came back shows in `accepted`, even between two reads.
   */
  async connections(): Promise<{ open: number; accepted: number }> {
    const base = `http://127.0.0.1:${this.port}`;
    const [health, metrics] = await Promise.all([
      fetch(`${base}/healthz`).then((r) => r.json() as Promise<{ connections: number }>),
      fetch(`${base}/metrics`).then((r) => r.text()),
    ]);
    const accepted = /^agency_sync_connections_total (\d+)$/m.exec(metrics)?.[1];
    return { open: health.connections, accepted: Number(accepted ?? 0) };
  }

  async dispose(): Promise<void> {
    await this.kill().catch(() => {});
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** The port from the server's first log line, {"msg":"listening","port":41234,...}; null for other lines. */
export function portIn(line: string): number | null {
  if (!line.startsWith('{')) return null;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry.msg !== 'listening') return null;
    return typeof entry.port === 'number' && entry.port > 0 ? entry.port : null;
  } catch {
    return null;
  }
}
