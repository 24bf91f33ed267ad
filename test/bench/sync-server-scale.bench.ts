// Scale-out bench (issue 14): 3,000 members over 1,000 agencies, 1,000 updates a second for 5 s, against
//   - baseline: the single-process server with its SQLite file (connected to directly), and
//   - 1, 2 and 3 instances on Postgres 15 and Redis 7 behind HAProxy (deploy/haproxy.cfg),
// all started here on loopback, in the same run. Reports p50/p99 propagation (a write to both other members
// of its agency), the rate achieved, and CPU per update of each instance (this machine has 2 cores shared by
// everything: the driver, HAProxy, Postgres and the instances, so ratios matter, not absolute figures).
//   node test/bench/sync-server-scale.bench.ts        (or: npm run bench -- sync-server-scale)
// Needs Debian's postgresql-15, redis-server and haproxy (as the many-instances test does). SCALE_AGENCIES
// changes the number of agencies (1,000 by default; writes stay 5 per agency).
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { Store } from '../../sync-server/persistence.ts';
import { type ChildServer, kill, spawnServer } from '../sync-server/support/child.ts';
import { Cluster } from '../sync-server/support/cluster.ts';
import { BenchClient } from './sync-server/client.ts';
import { AgencyBuilder, agencyId } from './sync-server/seed.ts';

const AGENCIES = Number(process.env.SCALE_AGENCIES) || 1000;
const MEMBERS = 3;
const WRITES = 5 * AGENCIES; // 5 s at 1,000 a second
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

process.setMaxListeners(0); // every WebsocketProvider adds an exit listener

/** User + system CPU time of a process so far, in ms (from /proc: works for any child). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line (11 and 12 after the name), in clock ticks
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const pct = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] ?? Number.NaN;
};

/** Waiters per client and action id (several writes of one agency may be in flight at once). */
const waiters = new WeakMap<BenchClient, Map<string, (at: number) => void>>();
function arrival(client: BenchClient, id: string): Promise<number> {
  const at = client.arrived.get(id);
  if (at !== undefined) return Promise.resolve(at);
  let mine = waiters.get(client);
  if (!mine) {
    const map = new Map<string, (at: number) => void>();
    waiters.set(client, map);
    client.onArrive = (key, t) => {
      map.get(key)?.(t);
      map.delete(key);
    };
    mine = map;
  }
  const map = mine;
  return new Promise((resolve) => map.set(id, resolve));
}

interface Round {
  name: string;
  connect: number;
  p50: number;
  p99: number;
  rate: number;
  /** CPU ms per update, per instance (one entry per instance). */
  cpu: number[];
  /** HAProxy's CPU ms per update (0 without it). */
  balancer: number;
}

console.log(
  `sync-server scale-out bench — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
);
console.log(`${AGENCIES * MEMBERS} members over ${AGENCIES} agencies; ${WRITES} writes at ~1,000/s`);

const log = (msg: string) => console.log(`  … ${msg}`);
const built: AgencyBuilder[] = [];
for (let i = 0; i < AGENCIES; i++) built.push(await AgencyBuilder.create(agencyId('scale'), MEMBERS));
const chains = await Promise.all(built.map((a) => a.chain(a.members[0]!, 5, 's')));
const seed = built.map((a) => a.seeded());
log('agencies signed');

async function drive(
  url: string,
  pids: number[],
  balancerPid: number | undefined,
  name: string,
): Promise<Round> {
  const clients = built.flatMap((a) => a.members.map((m) => new BenchClient(url, a.id, m)));
  const t0 = performance.now();
  for (let i = 0; i < clients.length; i += 300)
    await Promise.all(clients.slice(i, i + 300).map((c) => c.connect()));
  const connect = (performance.now() - t0) / 1000;
  log(`${name}: connected`);
  const cpu0 = await Promise.all(pids.map(cpuMs));
  const lb0 = balancerPid ? await cpuMs(balancerPid) : 0;
  const lat: number[] = [];
  const pending: Promise<void>[] = [];
  let n = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (let k = 0; k < 10 && n < WRITES; k++, n++) {
        const room = n % AGENCIES;
        const action = chains[room]![Math.floor(n / AGENCIES)]!;
        const [w, r1, r2] = clients.slice(room * MEMBERS, room * MEMBERS + MEMBERS) as [
          BenchClient,
          BenchClient,
          BenchClient,
        ];
        const t = performance.now();
        pending.push(
          Promise.all([arrival(r1, action.id), arrival(r2, action.id)]).then(
            (ts) => void lat.push(Math.max(...ts) - t),
          ),
        );
        w.write(action);
      }
      if (n >= WRITES) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  await Promise.all(pending);
  const rate = WRITES / ((performance.now() - started) / 1000);
  const cpu1 = await Promise.all(pids.map(cpuMs));
  const lb1 = balancerPid ? await cpuMs(balancerPid) : 0;
  for (const c of clients) c.destroy();
  const round: Round = {
    name,
    connect,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    rate,
    cpu: cpu1.map((c, i) => (c - cpu0[i]!) / WRITES),
    balancer: (lb1 - lb0) / WRITES,
  };
  console.log(
    `  ${name.padEnd(34)} connect ${connect.toFixed(1)} s   p50 ${round.p50.toFixed(1)} ms   p99 ${round.p99.toFixed(1)} ms   ${rate.toFixed(0)} updates/s   CPU/update per instance ${round.cpu.map((c) => `${c.toFixed(2)} ms`).join(', ')}${balancerPid ? `   HAProxy ${round.balancer.toFixed(3)} ms` : ''}`,
  );
  return round;
}

const rounds: Round[] = [];

// baseline: one process, SQLite
{
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
    rounds.push(await drive(server.url, [server.child.pid!], undefined, 'single process, SQLite (baseline)'));
  } finally {
    await kill(server, 'SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

const cluster = await Cluster.engines();
cluster.extraArgs = LIMITS;
const admin = cluster.pgUrl;
try {
  for (const n of [1, 2, 3]) {
    // a database of its own per round, seeded with the same agencies
    const db = `scale_${n}`;
    const a = new pg.Client({ connectionString: admin });
    await a.connect();
    await a.query(`CREATE DATABASE ${db}`);
    await a.end();
    cluster.pgUrl = admin.replace(/\/postgres$/, `/${db}`);
    cluster.instancePorts = [];
    cluster.instances = [];
    // the first instance creates the tables; the seed goes in before any member connects
    const { freePort } = await import('../sync-server/support/cluster.ts');
    cluster.instancePorts = await Promise.all(Array.from({ length: n }, () => freePort()));
    cluster.instances = await Promise.all(cluster.instancePorts.map((_, i) => cluster.spawnInstance(i)));
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
    // HAProxy's health checks take the unused slots out (2 checks 400 ms apart)
    await new Promise((r) => setTimeout(r, 2_000));
    try {
      rounds.push(
        await drive(
          cluster.url,
          cluster.instances.map((s) => s!.child.pid!),
          cluster.haproxyPid,
          `${n} instance${n > 1 ? 's' : ''}, Postgres + Redis + HAProxy`,
        ),
      );
    } finally {
      await cluster.stopInstances();
    }
  }
} finally {
  cluster.pgUrl = admin;
  await cluster.stop();
}

const base = rounds[0]!;
console.log('\nratios against the single process (same run):');
for (const r of rounds.slice(1)) {
  const total = r.cpu.reduce((x, y) => x + y, 0);
  console.log(
    `  ${r.name.padEnd(34)} p50 ×${(r.p50 / base.p50).toFixed(2)}   p99 ×${(r.p99 / base.p99).toFixed(2)}   rate ×${(r.rate / base.rate).toFixed(2)}   CPU per update, all instances ×${(total / base.cpu[0]!).toFixed(2)}`,
  );
}
process.exit(0);
