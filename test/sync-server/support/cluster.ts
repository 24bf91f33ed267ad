// The sync server as many instances, on real engines from Debian (postgresql-15, redis-server, haproxy),
// each started here on loopback with a temporary folder and a free port, and stopped with the test:
// Postgres (run as the `postgres` user when the tests run as root: it refuses root), Redis without
// persistence (so a restart loses everything it held), the instances as child processes (to kill -9
// them), and HAProxy with the repository's own deploy/haproxy.cfg in front.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type ChildServer, kill, ROOT, spawnServer } from './child.ts';
import { until } from './wait.ts';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const CREATE_TOKEN = 'many-instances-test-token';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function need(file: string, pkg: string): void {
  if (!existsSync(file))
    throw new Error(`${file} is missing: install Debian's ${pkg} (apt-get install -y ${pkg}); .ci/run does`);
}

interface Proc {
  child: ChildProcess;
  output: string[];
  exited: Promise<void>;
}

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, user?: User): Proc {
  const child = spawn(cmd, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    ...user,
  });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return { child, output, exited };
}

async function stop(p: Proc | null, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  await p.exited;
}

interface User {
  uid: number;
  gid: number;
}

/** The `postgres` user when running as root (Postgres refuses to run as root), else nobody else. */
function postgresUser(): User | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
  };
}

export class Cluster {
  dir = '';
  pgUrl = '';
  redisUrl = '';
  /** Where members connect: HAProxy. */
  url = '';
  instances: (ChildServer | null)[] = [];
  instancePorts: number[] = [];
  private postgres: Proc | null = null;
  private redis: Proc | null = null;
  private redisPort = 0;
  private haproxy: Proc | null = null;
  /** HAProxy's configuration: the repository's own unless a bench compares another. */
  haproxyConfig = join(ROOT, 'deploy/haproxy.cfg');
  /** Options every instance gets on top of the cluster's own (the bench raises limits). */
  extraArgs: string[] = [];

  /** Postgres and Redis only (the bench starts instances and HAProxy round by round). */
  static async engines(): Promise<Cluster> {
    const c = new Cluster();
    c.dir = await mkdtemp(join(tmpdir(), 'agency-many-'));
    try {
      await Promise.all([c.startPostgres(), c.startRedis()]);
    } catch (error) {
      await c.stop();
      throw error;
    }
    return c;
  }

  /** Postgres's and Redis's process ids (their CPU time, for the bench; Postgres's backends are its children). */
  get enginePids(): { postgres?: number; redis?: number } {
    return { postgres: this.postgres?.child.pid, redis: this.redis?.child.pid };
  }

  /** HAProxy's process id (its CPU time, for the bench). */
  get haproxyPid(): number | undefined {
    return this.haproxy?.child.pid;
  }

  /** Stops HAProxy and every instance (gracefully), keeping Postgres and Redis. */
  async stopInstances(): Promise<void> {
    await stop(this.haproxy);
    this.haproxy = null;
    await Promise.all(this.instances.map((s) => (s ? kill(s, 'SIGTERM') : null)));
    this.instances = [];
  }

  static async start(n = 3): Promise<Cluster> {
    need(join(PG_BIN, 'postgres'), 'postgresql-15');
    need('/usr/bin/redis-server', 'redis-server');
    need('/usr/sbin/haproxy', 'haproxy');
    const c = new Cluster();
    c.dir = await mkdtemp(join(tmpdir(), 'agency-many-'));
    try {
      await Promise.all([c.startPostgres(), c.startRedis()]);
      c.instancePorts = await Promise.all(Array.from({ length: n }, () => freePort()));
      const spawned = await Promise.allSettled(c.instancePorts.map((_, i) => c.spawnInstance(i)));
      c.instances = spawned.map((r) => (r.status === 'fulfilled' ? r.value : null));
      const failed = spawned.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      await c.startHaproxy();
    } catch (error) {
      await c.stop();
      throw error;
    }
    return c;
  }

  async startPostgres(): Promise<void> {
    const base = join(this.dir, 'pg');
    await mkdir(join(base, 'sock'), { recursive: true });
    const user = postgresUser();
    if (user) {
      await chmod(this.dir, 0o755);
      for (const p of [base, join(base, 'sock')]) await chown(p, user.uid, user.gid);
    }
    const data = join(base, 'data');
    execFileSync(
      join(PG_BIN, 'initdb'),
      ['-D', data, '-U', 'agency', '-A', 'trust', '-E', 'UTF8', '--no-sync'],
      { stdio: 'pipe', cwd: base, ...user },
    );
    const port = await freePort();
    // fsync off: the tests kill instances and Redis, never Postgres (production keeps the defaults)
    this.postgres = start(
      join(PG_BIN, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        join(base, 'sock'),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'shared_buffers=32MB',
        '-c',
        'max_connections=60',
      ],
      {},
      user,
    );
    this.pgUrl = `postgres://agency@127.0.0.1:${port}/postgres`;
    await until(
      async () => {
        const client = new pg.Client({ connectionString: this.pgUrl });
        try {
          await client.connect();
          await client.query('SELECT 1');
          return true;
        } catch {
          return false;
        } finally {
          await client.end().catch(() => {});
        }
      },
      { timeout: 30_000, interval: 100, what: `Postgres to start:\n${this.postgres.output.join('')}` },
    );
  }

  async startRedis(): Promise<void> {
    // a restart keeps its port; a first start takes a free one, and another if that was taken before
    // Redis bound it (the bench's thousands of client sockets take ports too): Redis then exits at once
    const fresh = !this.redisPort;
    const dir = join(this.dir, 'redis');
    await mkdir(dir, { recursive: true });
    for (let attempt = 1; ; attempt++) {
      this.redisPort ||= await freePort();
      const proc = start('/usr/bin/redis-server', [
        '--port',
        String(this.redisPort),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ]);
      this.redis = proc;
      const exited = () => proc.child.exitCode !== null || proc.child.signalCode !== null;
      const outcome = await until(
        () => (proc.output.join('').includes('Ready to accept connections') ? 'ready' : exited() && 'exited'),
        { timeout: 30_000, what: 'Redis to start' },
      ).catch((error: Error) => {
        throw new Error(`${error.message}:\n${proc.output.join('')}`);
      });
      if (outcome === 'ready') break;
      if (attempt >= 3) throw new Error(`Redis exited:\n${proc.output.join('')}`);
      if (fresh) this.redisPort = 0;
    }
    this.redisUrl = `redis://127.0.0.1:${this.redisPort}`;
  }

  /** Kills Redis (everything it held is gone: no persistence) and starts an empty one on the same port. */
  async restartRedis(): Promise<void> {
    await stop(this.redis, 'SIGKILL');
    await this.startRedis();
  }

  async spawnInstance(i: number): Promise<ChildServer> {
    return spawnServer(
      [
        '--port',
        String(this.instancePorts[i]),
        '--store',
        this.pgUrl,
        '--redis',
        this.redisUrl,
        '--trust-proxy',
        '--create-token',
        CREATE_TOKEN,
        '--log-level',
        'warn',
        ...this.extraArgs,
      ],
      {},
      [],
      90_000,
    );
  }

  async stopHaproxy(): Promise<void> {
    await stop(this.haproxy);
    this.haproxy = null;
  }

  async startHaproxy(): Promise<void> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { AO_BIND: `127.0.0.1:${port}` };
    // deploy/haproxy.cfg takes a server per AO_INSTANCE_n that is set, and no other (the test's own
    // environment must not add any)
    for (let i = 1; i <= 16; i++) env[`AO_INSTANCE_${i}`] = '';
    this.instancePorts.forEach((port, i) => {
      env[`AO_INSTANCE_${i + 1}`] = `127.0.0.1:${port}`;
    });
    // its log (each connection's end and who ended it, each health change) comes back on stdout
    env.AO_LOG = 'stdout';
    env.AO_STATS = this.statsSocket;
    this.haproxy = start('/usr/sbin/haproxy', ['-db', '-f', this.haproxyConfig], env);
    this.url = `ws://127.0.0.1:${port}`;
    // up once it answers and sees every instance healthy
    await until(
      async () => {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/healthz`);
          return r.status === 200;
        } catch {
          return false;
        }
      },
      { timeout: 15_000, interval: 100, what: `HAProxy to start:\n${this.haproxy.output.join('')}` },
    );
  }

  private get statsSocket(): string {
    return join(this.dir, 'haproxy.sock');
  }

  /** What HAProxy logged and printed since it started (see AO_LOG in deploy/haproxy.cfg). */
  haproxyLog(): string[] {
    return this.haproxy ? this.haproxy.output.join('').split('\n').filter(Boolean) : [];
  }

  /** A command on HAProxy's stats socket (`show stat`, `show servers state`, …), its answer as text. */
  async haproxyCommand(command: string): Promise<string> {
    const socket = createConnection(this.statsSocket);
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('end', () => resolve());
      socket.write(`${command}\n`);
    });
    return Buffer.concat(chunks).toString();
  }

  /** Each instance's state as HAProxy's checks see it (`show stat`): UP/DOWN, last check, downtime. */
  async haproxyServers(): Promise<
    { name: string; status: string; check: string; downtime: number; fails: number }[]
  > {
    const [header, ...rows] = (await this.haproxyCommand('show stat')).trim().split('\n');
    const cols = header!.replace(/^# /, '').split(',');
    const at = (row: string[], col: string) => row[cols.indexOf(col)] ?? '';
    return rows
      .map((r) => r.split(','))
      .filter((r) => at(r, 'pxname') === 'instances' && at(r, 'svname') !== 'BACKEND')
      .map((r) => ({
        name: at(r, 'svname'),
        status: at(r, 'status'),
        check: `${at(r, 'check_status')} ${at(r, 'check_code')} ${at(r, 'check_duration')}ms`,
        downtime: Number(at(r, 'downtime')),
        fails: Number(at(r, 'chkfail')),
      }));
  }

  /** ws:// of instance `i`, bypassing the balancer. */
  instanceUrl(i: number): string {
    return `ws://127.0.0.1:${this.instancePorts[i]}`;
  }

  /** The instance (index) holding `room`'s lease, read from Redis; -1 when none does. */
  async holder(room: string): Promise<number> {
    const { Redis } = await import('ioredis');
    const r = new Redis(this.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await r.connect();
      const v = await r.get(`ao:lease:${room}`);
      if (!v) return -1;
      const port = Number(v.slice(v.lastIndexOf(':') + 1));
      return this.instancePorts.indexOf(port);
    } finally {
      r.disconnect();
    }
  }

  async killInstance(i: number): Promise<void> {
    const s = this.instances[i];
    if (s) await kill(s);
    this.instances[i] = null;
  }

  async restartInstance(i: number): Promise<void> {
    this.instances[i] = await this.spawnInstance(i);
  }

  /** Rows of `room` in Postgres, as the instances wrote them. */
  async rows(room: string): Promise<number> {
    const client = new pg.Client({ connectionString: this.pgUrl });
    await client.connect();
    try {
      const r = await client.query('SELECT count(*)::int AS n FROM ao_updates WHERE room = $1', [room]);
      return r.rows[0].n as number;
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    await stop(this.haproxy);
    await Promise.all(this.instances.map((s) => (s ? kill(s, 'SIGTERM') : null)));
    this.instances = [];
    await stop(this.redis);
    await stop(this.postgres, 'SIGINT');
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
