// Scale-out bench (issue 14): 3,000 members over 1,000 agencies, 5 writes per agency offered at 1,000 a second,
// against
//   - baseline: the single-process server with its SQLite file (connected to directly), and
//   - 1, 2 and 3 instances on Postgres 15 and Redis 7 behind HAProxy (deploy/haproxy.cfg),
// all started here on loopback, in the same run, in REPEATS rounds of the four (baseline, 1, 2, 3, baseline,
// 1, …) so that the load of other work on the machine falls on every configuration alike; each round's ratios
// are against the baseline of the same round.
// Per configuration: p50/p99 propagation (a write until both other members of its agency hold it), the rate
// achieved, and CPU time per update — of each instance, HAProxy, Postgres and Redis, and all of them
// together against the single process — read from /proc, so it counts work done, not waiting for a core
// (this machine has 2 cores shared with the driver and everything else: CPU is the figure that carries over
// to separate machines; wall time is what these two cores gave).
//   node test/bench/sync-server-scale.bench.ts        (or: npm run bench -- sync-server-scale)
// Needs Debian's postgresql-15, redis-server and haproxy (as the many-instances test does).
// SCALE_AGENCIES (1,000) changes the number of agencies (3 members and 5 writes each), SCALE_REPEATS (2)
// the rounds.
import { readdir, readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { basename } from 'node:path';
import pg from 'pg';
import { Store } from '../../sync-server/persistence.ts';
import { type ChildServer, kill, spawnServer } from '../sync-server/support/child.ts';
import { Cluster, freePort } from '../sync-server/support/cluster.ts';
import { encodeWrites, LeanClient } from './sync-server/lean-client.ts';
import { AgencyBuilder, agencyId } from './sync-server/seed.ts';

const AGENCIES = Number(process.env.SCALE_AGENCIES) || 1000;
const REPEATS = Number(process.env.SCALE_REPEATS) || 2;
/**
 * Which configurations run, in each round: SCALE_CONFIGS=0,3 is the single process (0) and 3 instances;
 * `3@file` is 3 instances behind HAProxy with another configuration than deploy/haproxy.cfg (to compare).
 */
const CONFIGS = (process.env.SCALE_CONFIGS ?? '0,1,2,3').split(',').map((c) => {
  const [n, cfg] = c.split('@');
  return { n: Number(n), cfg: cfg || null };
});
const MEMBERS = 3;
const PER_AGENCY = 5;
const WRITES = PER_AGENCY * AGENCIES; // offered at 1,000 a second
/** Connections opened at once while setting up a round (the rest wait for them to sync). */
const CONNECT_BATCH = 100;
const LIMITS = [
  '--max-connections-per-ip',
  '100000',
  '--max-rooms',
  '100000',
  '--actions-per-second',
  '100000',
  '--action-burst',
  '100000',
];

/** /proc counts CPU time in clock ticks, 100 a second on Linux. */
const MS_PER_TICK = 10;

/** User + system CPU time of a process so far, in ms, with its reaped children's (from /proc). */
async function cpuMs(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after the name: utime, stime, cutime, cstime are fields 12–15 of the line (11–14 here), in ticks
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * MS_PER_TICK;
  } catch {
    return 0; // gone meanwhile
  }
}

/** CPU of `pid` and of its live children (Postgres's backends), in ms. */
async function treeCpuMs(pid: number): Promise<number> {
  let total = await cpuMs(pid);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) total += await cpuMs(Number(entry));
    } catch {
      // exited while listing
    }
  }
  return total;
}

const pct = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] ?? Number.NaN;
};
const median = (xs: readonly number[]) => pct(xs, 50);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

interface Processes {
  instances: number[];
  haproxy?: number;
  postgres?: number;
  redis?: number;
}

interface Round {
  config: string;
  repeat: number;
  connect: number;
  p50: number;
  p99: number;
  rate: number;
  /** CPU ms per update: each instance, then HAProxy, Postgres, Redis, and the driver. */
  instances: number[];
  haproxy: number;
  postgres: number;
  redis: number;
  driver: number;
  /** Everything serving the members (instances, HAProxy, Postgres, Redis). */
  server: number;
}

console.log(
  `sync-server scale-out bench — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
);
console.log(
  `${AGENCIES * MEMBERS} members over ${AGENCIES} agencies; ${WRITES} writes offered at ~1,000/s; ${REPEATS} rounds`,
);

const log = (msg: string) => console.log(`  … ${msg}`);
const built: AgencyBuilder[] = [];
for (let i = 0; i < AGENCIES; i++) built.push(await AgencyBuilder.create(agencyId('scale'), MEMBERS));
const chains = await Promise.all(built.map((a) => a.chain(a.members[0]!, PER_AGENCY, 's')));
const seed = built.map((a) => a.seeded());
log('agencies signed');

async function drive(url: string, procs: Processes, config: string, repeat: number): Promise<Round> {
  const clients = built.flatMap((a) => a.members.map((m) => new LeanClient(url, a.id, m)));
  // fresh Yjs clients each round: each instance set starts from the same seeded database
  const frames = chains.map((c) => encodeWrites(c));
  const t0 = performance.now();
  for (let i = 0; i < clients.length; i += CONNECT_BATCH)
    await Promise.all(clients.slice(i, i + CONNECT_BATCH).map((c) => c.connect()));
  const connect = (performance.now() - t0) / 1000;
  log(`${config}: ${clients.length} members connected`);
  const sample = async () => ({
    instances: await Promise.all(procs.instances.map(cpuMs)),
    haproxy: procs.haproxy ? await cpuMs(procs.haproxy) : 0,
    postgres: procs.postgres ? await treeCpuMs(procs.postgres) : 0,
    redis: procs.redis ? await cpuMs(procs.redis) : 0,
    driver: ((u) => (u.user + u.system) / 1000)(process.cpuUsage()),
  });
  const cpu0 = await sample();
  const lat: number[] = [];
  const pending: Promise<void>[] = [];
  let n = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (let k = 0; k < 10 && n < WRITES; k++, n++) {
        const room = n % AGENCIES;
        const i = Math.floor(n / AGENCIES);
        const id = chains[room]![i]!.id;
        const [w, r1, r2] = clients.slice(room * MEMBERS, room * MEMBERS + MEMBERS) as [
          LeanClient,
          LeanClient,
          LeanClient,
        ];
        const t = performance.now();
        pending.push(
          Promise.all([r1.arrival(id), r2.arrival(id)]).then((ts) => void lat.push(Math.max(...ts) - t)),
        );
        w.send(frames[room]![i]!);
      }
      if (n >= WRITES) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  // a write that never arrives is a failure of the configuration, said plainly rather than waited on
  const all = Promise.all(pending);
  const late = await Promise.race([
    all.then(() => false),
    new Promise((r) => setTimeout(() => r(true), Number(process.env.SCALE_WAIT_MS) || 120_000)),
  ]);
  if (late) {
    const closed = clients.flatMap((c) => (c.closed ? [c.closed] : []));
    const closes = closed.map((c) => `${c.code} ${c.reason}`);
    const when = closed.map((c) => (c.at - started) / 1000);
    throw new Error(
      `${config}: ${WRITES - lat.length} of ${WRITES} writes never reached both readers; ${closes.length} connections closed (${(Math.min(...when) || 0).toFixed(1)}–${(Math.max(...when) || 0).toFixed(1)} s into the writes): ${[...new Set(closes)].join('; ')}`,
    );
  }
  const rate = WRITES / ((performance.now() - started) / 1000);
  const cpu1 = await sample();
  for (const c of clients) c.destroy();
  const per = (a: number, b: number) => (b - a) / WRITES;
  const instances = cpu1.instances.map((c, i) => per(cpu0.instances[i]!, c));
  const round: Round = {
    config,
    repeat,
    connect,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    rate,
    instances,
    haproxy: per(cpu0.haproxy, cpu1.haproxy),
    postgres: per(cpu0.postgres, cpu1.postgres),
    redis: per(cpu0.redis, cpu1.redis),
    driver: per(cpu0.driver, cpu1.driver),
    server: 0,
  };
  round.server = sum(instances) + round.haproxy + round.postgres + round.redis;
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  console.log(
    `  [${repeat}] ${config.padEnd(14)} connect ${connect.toFixed(1)} s  p50 ${round.p50.toFixed(1)} ms  p99 ${round.p99.toFixed(1)} ms  ${rate.toFixed(0)}/s  CPU/update: instances ${instances.map(ms).join(' + ')}${procs.haproxy ? `, HAProxy ${ms(round.haproxy)}, Postgres ${ms(round.postgres)}, Redis ${ms(round.redis)}` : ''}, all ${ms(round.server)} (driver ${ms(round.driver)})`,
  );
  return round;
}

async function baseline(repeat: number): Promise<Round> {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'agency-bench-scale-'));
  const store = Store.open(dir);
  for (let i = 0; i < seed.length; i += 500)
    store.append(seed.slice(i, i + 500).map((a) => ({ room: a.id, update: a.update })));
  store.close();
  const server: ChildServer = await spawnServer(
    ['--port', '0', '--data', dir, '--log-level', 'warn', ...LIMITS],
    {},
    [],
    90_000,
  );
  try {
    return await drive(server.url, { instances: [server.child.pid!] }, 'single SQLite', repeat);
  } finally {
    await kill(server, 'SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

const cluster = await Cluster.engines();
const defaultHaproxyConfig = cluster.haproxyConfig;
cluster.extraArgs = LIMITS;
const admin = cluster.pgUrl;

async function instances(n: number, repeat: number, cfg: string | null): Promise<Round> {
  // a database of its own per round, seeded with the same agencies
  const db = `scale_${n}_${repeat}_${cfg ? 'other' : 'own'}`;
  cluster.haproxyConfig = cfg ?? defaultHaproxyConfig;
  const a = new pg.Client({ connectionString: admin });
  await a.connect();
  await a.query(`CREATE DATABASE ${db}`);
  await a.end();
  cluster.pgUrl = admin.replace(/\/postgres$/, `/${db}`);
  cluster.instancePorts = await Promise.all(Array.from({ length: n }, () => freePort()));
  // the first instance creates the tables; the seed goes in before any member connects
  cluster.instances = [];
  for (let i = 0; i < n; i++) cluster.instances.push(await cluster.spawnInstance(i));
  const c = new pg.Client({ connectionString: cluster.pgUrl });
  await c.connect();
  for (let i = 0; i < seed.length; i += 500) {
    const part = seed.slice(i, i + 500);
    await c.query('INSERT INTO ao_updates (room, data) SELECT * FROM unnest($1::text[], $2::bytea[])', [
      part.map((s) => s.id),
      part.map((s) => Buffer.from(s.update)),
    ]);
  }
  await c.end();
  await cluster.startHaproxy();
  try {
    const round = await drive(
      cluster.url,
      {
        instances: cluster.instances.map((s) => s!.child.pid!),
        haproxy: cluster.haproxyPid,
        ...cluster.enginePids,
      },
      `${n} instance${n > 1 ? 's' : ''}${cfg ? ` @${basename(cfg)}` : ''}`,
      repeat,
    );
    await haproxyReport();
    return round;
  } catch (error) {
    for (const [i, s] of cluster.instances.entries())
      console.log(`instance ${i + 1}:\n${s?.lines.slice(-8).join('\n')}`);
    await haproxyReport();
    throw error;
  } finally {
    await cluster.stopInstances();
    cluster.pgUrl = admin;
  }
}

/** What HAProxy saw of a round: its instances' health, and who ended the members' connections. */
async function haproxyReport(): Promise<void> {
  try {
    for (const s of await cluster.haproxyServers())
      console.log(
        `  HAProxy ${s.name}: ${s.status}, last check ${s.check}, ${s.fails} failed checks, down ${s.downtime} s in all`,
      );
  } catch (error) {
    console.log(`  HAProxy's stats socket: ${(error as Error).message}`);
  }
  // its syslog lines (it prints each warning on stderr as well)
  const lines = cluster.haproxyLog().filter((l) => /^<\d+>/.test(l));
  // a connection's line: … <termination state> actconn/feconn/beconn/srv_conn/retries queues "request"
  const states = new Map<string, number>();
  for (const l of lines) {
    const m = / ([A-Za-z-]{4}) \d+\/\d+\/\d+\/\d+\/\+?\d+ \d+\/\d+ "/.exec(l);
    if (m) states.set(m[1]!, (states.get(m[1]!) ?? 0) + 1);
  }
  const failed = lines.filter((l) => /Health check .* failed/.test(l)).length;
  console.log(
    `  HAProxy logged ${failed} failed health checks; connection ends by termination state: ${[...states].map(([k, v]) => `${k} ${v}`).join(', ') || 'none logged'}`,
  );
  const changes = lines.filter((l) => / is (DOWN|UP)|has no server available|ALERT/.test(l));
  console.log(`  HAProxy's instance state changes (${changes.length}):\n${changes.slice(0, 30).join('\n')}`);
}

const rounds: Round[] = [];
/** A configuration that failed in a round is reported and left out of that round's ratios; the run goes on. */
const attempt = async (run: () => Promise<Round>, what: string) => {
  try {
    rounds.push(await run());
  } catch (error) {
    console.log(`  FAILED ${what}: ${(error as Error).message.slice(0, 300)}`);
  }
};
try {
  for (let r = 1; r <= REPEATS; r++) {
    for (const { n, cfg } of CONFIGS)
      if (n === 0) await attempt(() => baseline(r), `[${r}] single SQLite`);
      else await attempt(() => instances(n, r, cfg), `[${r}] ${n} instances${cfg ? ` @${cfg}` : ''}`);
  }
} finally {
  cluster.pgUrl = admin;
  await cluster.stop();
}

const configs = [...new Set(rounds.map((r) => r.config))];
const x = (v: number) => `×${v.toFixed(2)}`;
console.log(
  '\nmedians over the rounds, and ratios against the single process of the same round (median of the rounds):',
);
console.log(
  `  ${'config'.padEnd(14)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'rate'.padStart(8)} ${'CPU/update'.padStart(11)} ${'(instances)'.padStart(12)}   p50 ratio  p99 ratio  rate ratio  CPU ratio  per-instance CPU ratio`,
);
for (const config of configs) {
  const mine = rounds.filter((r) => r.config === config);
  const ratio = (f: (r: Round) => number) =>
    median(
      mine.flatMap((r) => {
        const base = rounds.find((b) => b.repeat === r.repeat && b.config === 'single SQLite');
        return base ? [f(r) / f(base)] : [];
      }),
    );
  console.log(
    `  ${config.padEnd(14)} ${`${median(mine.map((r) => r.p50)).toFixed(0)} ms`.padStart(9)} ${`${median(mine.map((r) => r.p99)).toFixed(0)} ms`.padStart(9)} ${`${median(mine.map((r) => r.rate)).toFixed(0)}/s`.padStart(8)} ${`${median(mine.map((r) => r.server)).toFixed(2)} ms`.padStart(11)} ${`${median(mine.map((r) => sum(r.instances))).toFixed(2)} ms`.padStart(12)}   ${x(ratio((r) => r.p50)).padStart(9)}  ${x(ratio((r) => r.p99)).padStart(9)}  ${x(ratio((r) => r.rate)).padStart(10)}  ${x(ratio((r) => r.server)).padStart(9)}  ${x(ratio((r) => sum(r.instances) / r.instances.length)).padStart(9)}`,
  );
}
process.exit(0);
