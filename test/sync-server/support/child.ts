// The server as a child process (`node sync-server/main.ts`), to kill it with SIGKILL at any moment.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ChildServer {
  child: ChildProcess;
  port: number;
  url: string;
  lines: string[];
  exited: Promise<number | null>;
}

export async function spawnServer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  /** Node's own options (e.g. --max-old-space-size, --trace-gc). */
  nodeArgs: string[] = [],
  /** How long it may take to print its listening line (longer on a busy machine, for many instances). */
  startTimeoutMs = 20_000,
): Promise<ChildServer> {
  return spawnListening(process.execPath, [...nodeArgs, 'sync-server/main.ts', ...args], env, startTimeoutMs);
}

/** Any command that ends up running the server (deploy/run-sync-server.sh), once it prints its listening line. */
export async function spawnListening(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  startTimeoutMs = 20_000,
): Promise<ChildServer> {
  const child = spawn(command, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  createInterface({ input: child.stderr! }).on('line', (l) => lines.push(l));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line:\n${lines.join('\n')}`)),
      startTimeoutMs,
    );
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${lines.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && entry.port) {
          clearTimeout(timer);
          resolve(entry.port);
        }
      } catch {
        // not a log line
      }
    });
  });
  return { child, port, url: `ws://127.0.0.1:${port}`, lines, exited };
}

export async function kill(server: ChildServer, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill(signal);
  await server.exited;
}
