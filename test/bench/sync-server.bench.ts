// Sync server benchmark: ours against the reference y-websocket server (@y/websocket-server@0.1.1), each
// in its own child process on loopback, driven by the same client code (test/bench/sync-server/client.ts),
// seeded with the same signed agencies. Prints every figure with the ratio ours / reference.
//   node --expose-gc test/bench/sync-server.bench.ts [propagation|fanout|scale|idle|burst]
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../../sync-server/persistence.ts';
import { BenchClient } from './sync-server/client.ts';
import type { ChildStats } from './sync-server/ipc.ts';
import { AgencyBuilder, agencyId, type SeededAgency } from './sync-server/seed.ts';

const here = dirname(fileURLToPath(import.meta.url));
type Kind = 'reference' | 'ours';
const KINDS: Kind[] = ['reference', 'ours'];

const children = new Set<ChildProcess>();
// a failed scenario must not leave a server running (it would also hold the bench's stdout open)
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

class Child {
  readonly kind: Kind;
  readonly proc: ChildProcess;
  readonly port: number;
  private readonly dir: string | null;
  private nextId = 1;

  private constructor(kind: Kind, proc: ChildProcess, port: number, dir: string | null) {
    this.kind = kind;
    this.proc = proc;
    this.port = port;
    this.dir = dir;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  static async start(kind: Kind, seed: SeededAgency[], env: Record<string, string> = {}): Promise<Child> {
    let dir: string | null = null;
    const args: string[] = [];
    if (kind === 'ours') {
      dir = await mkdtemp(join(tmpdir(), 'agency-bench-'));
      const store = Store.open(dir);
      for (let i = 0; i < seed.length; i += 500)
        store.append(seed.slice(i, i + 500).map((a) => ({ room: a.id, update: a.update })));
      store.close();
      args.push(dir);
    }
    const file = join(here, 'sync-server', kind === 'ours' ? 'ours-child.ts' : 'reference-child.ts');
    // BENCH_PROF=ours|reference writes a CPU profile of that server to BENCH_PROF_DIR (default ./.bench-prof).
    const prof =
      process.env.BENCH_PROF === kind
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF_DIR ?? '.bench-prof'}`]
        : [];
    const proc = fork(file, args, {
      execArgv: ['--expose-gc', ...prof],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(proc);
    proc.once('exit', () => children.delete(proc));
    const port = await new Promise<number>((resolve, reject) => {
      proc.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
      const on = (m: { ready?: number }) => {
        if (m.ready) {
          proc.off('message', on);
          resolve(m.ready);
        }
      };
      proc.on('message', on);
    });
    const child = new Child(kind, proc, port, dir);
    if (kind === 'reference' && seed.length) {
      for (let i = 0; i < seed.length; i += 200) {
        const part = seed.slice(i, i + 200).map((a) => [a.id, Buffer.from(a.update).toString('base64')]);
        await child.request({ seed: part }, 'seeded');
      }
    }
    return child;
  }

  private request<T>(message: object, key: string): Promise<T> {
    return new Promise((resolve) => {
      const on = (m: Record<string, unknown>) => {
        if (key in m && (!('id' in message) || m.id === (message as { id: number }).id)) {
          this.proc.off('message', on);
          resolve(m[key] as T);
        }
      };
      this.proc.on('message', on);
      this.proc.send(message);
    });
  }

  stats(gc = false): Promise<ChildStats> {
    return this.request({ id: this.nextId++, cmd: gc ? 'gc' : 'stats' }, 'stats');
  }

  async stop(): Promise<void> {
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.send({ cmd: 'exit' });
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

const pct = (values: number[], p: number): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const ms = (v: number) => `${v.toFixed(2)} ms`;
const kb = (v: number) => `${(v / 1024).toFixed(0)} KB`;
const mb = (v: number) => `${(v / 2 ** 20).toFixed(0)} MB`;
const tick = () => new Promise((r) => setImmediate(r));
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

interface Row {
  name: string;
  reference: number;
  ours: number;
  format: (v: number) => string;
  /** What the issue asks of the ratio ours / reference (text only). */
  target?: string;
}
const rows: Row[] = [];
const notes: string[] = [];

function record(
  name: string,
  values: Record<Kind, number>,
  format: (v: number) => string,
  target?: string,
): void {
  rows.push({ name, reference: values.reference, ours: values.ours, format, target });
  const ratio = values.ours / values.reference;
  console.log(
    `  ${name.padEnd(52)} reference ${format(values.reference).padStart(10)}   ours ${format(values.ours).padStart(10)}   ratio ${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'}${target ? `   (target ${target})` : ''}`,
  );
}

async function connectAll(clients: BenchClient[], batch = 200): Promise<void> {
  for (let i = 0; i < clients.length; i += batch)
    await Promise.all(clients.slice(i, i + batch).map((c) => c.connect()));
}

function arrival(client: BenchClient, id: string): Promise<number> {
  const at = client.arrived.get(id);
  if (at !== undefined) return Promise.resolve(at);
  return new Promise((resolve) => {
    const prev = client.onArrive;
    client.onArrive = (key, t) => {
      prev?.(key, t);
      if (key === id) {
        client.onArrive = prev;
        resolve(t);
      }
    };
  });
}

// --- scenarios ----------------------------------------------------------------------------------------

async function propagation(): Promise<void> {
  console.log('\npropagation between two members (1,000 writes, one at a time)');
  const b = await AgencyBuilder.create(agencyId('prop'), 2);
  const writes = await b.chain(b.members[0]!, 1000, 'p');
  const result: Record<Kind, { p50: number; p99: number; echoes: number }> = {} as never;
  for (const kind of KINDS) {
    const server = await Child.start(kind, [b.seeded()]);
    const [w, r] = b.members.map((m) => new BenchClient(server.url, b.id, m)) as [BenchClient, BenchClient];
    await connectAll([w, r]);
    const before = w.updateFrames;
    const lat: number[] = [];
    for (const a of writes) {
      const got = arrival(r, a.id);
      const t0 = performance.now();
      w.write(a);
      lat.push((await got) - t0);
      await tick();
    }
    await sleep(100);
    result[kind] = {
      p50: pct(lat, 50),
      p99: pct(lat, 99),
      echoes: (w.updateFrames - before) / writes.length,
    };
    w.destroy();
    r.destroy();
    await server.stop();
  }
  record('propagation p50', { reference: result.reference.p50, ours: result.ours.p50 }, ms);
  record('propagation p99', { reference: result.reference.p99, ours: result.ours.p99 }, ms, '≤ 1.5');
  record(
    'update frames echoed to the writer per write',
    { reference: result.reference.echoes, ours: result.ours.echoes },
    (v) => v.toFixed(2),
    'ours 0',
  );
}

async function fanout(): Promise<void> {
  console.log('\nfan-out to 50 members (200 writes by one member; latency to the last of 49)');
  const b = await AgencyBuilder.create(agencyId('fan'), 50);
  const writes = await b.chain(b.members[0]!, 200, 'f');
  const result: Record<Kind, { p50: number; p99: number; cpu: number }> = {} as never;
  for (const kind of KINDS) {
    const server = await Child.start(kind, [b.seeded()]);
    const clients = b.members.map((m) => new BenchClient(server.url, b.id, m));
    await connectAll(clients);
    const [w, ...readers] = clients as [BenchClient, ...BenchClient[]];
    const lat: number[] = [];
    const cpu0 = (await server.stats()).cpu;
    for (const a of writes) {
      const got = Promise.all(readers.map((r) => arrival(r, a.id)));
      const t0 = performance.now();
      w.write(a);
      lat.push(Math.max(...(await got)) - t0);
      await tick();
    }
    const cpu1 = (await server.stats()).cpu;
    result[kind] = { p50: pct(lat, 50), p99: pct(lat, 99), cpu: (cpu1 - cpu0) / writes.length / 1000 };
    for (const c of clients) c.destroy();
    await server.stop();
  }
  record('fan-out p50 (to the last of 49)', { reference: result.reference.p50, ours: result.ours.p50 }, ms);
  record(
    'fan-out p99 (to the last of 49)',
    { reference: result.reference.p99, ours: result.ours.p99 },
    ms,
    '≤ 1',
  );
  record(
    'server CPU per update (fan-out to 49)',
    { reference: result.reference.cpu, ours: result.ours.cpu },
    ms,
  );
}

async function burst(): Promise<void> {
  console.log('\na burst: 50 writes in one event-loop turn (frames a reader receives)');
  const b = await AgencyBuilder.create(agencyId('burst'), 2);
  const writes = await b.chain(b.members[0]!, 50, 'b');
  const frames: Record<Kind, number> = {} as never;
  for (const kind of KINDS) {
    const server = await Child.start(kind, [b.seeded()]);
    const [w, r] = b.members.map((m) => new BenchClient(server.url, b.id, m)) as [BenchClient, BenchClient];
    await connectAll([w, r]);
    const before = r.updateFrames;
    const done = arrival(r, writes[writes.length - 1]!.id);
    for (const a of writes) w.write(a);
    await done;
    await sleep(100);
    frames[kind] = r.updateFrames - before;
    w.destroy();
    r.destroy();
    await server.stop();
  }
  record('update frames for a 50-write burst', frames, (v) => v.toFixed(0), 'coalesced');
}

async function scale(): Promise<void> {
  console.log('\n3,000 sockets over 1,000 agencies: connect + sync, memory, then 1,000 updates/s for 5 s');
  const agencies: AgencyBuilder[] = [];
  for (let i = 0; i < 1000; i++) agencies.push(await AgencyBuilder.create(agencyId('scale'), 3));
  const chains = await Promise.all(agencies.map((a) => a.chain(a.members[0]!, 5, 's')));
  const seed = agencies.map((a) => a.seeded());
  const result: Record<
    Kind,
    { connect: number; rss: number; heap: number; p50: number; p99: number; rate: number; cpu: number }
  > = {} as never;
  for (const kind of KINDS) {
    const server = await Child.start(kind, seed);
    const base = await server.stats(true);
    const clients = agencies.flatMap((a) => a.members.map((m) => new BenchClient(server.url, a.id, m)));
    const t0 = performance.now();
    await Promise.all(clients.map((c) => c.connect()));
    const connect = (performance.now() - t0) / 1000;
    const after = await server.stats();
    const gcd = await server.stats(true);
    // 1,000 updates a second: every 10 ms, 10 writers (round robin over the agencies) write once.
    const lat: number[] = [];
    const pending: Promise<void>[] = [];
    let n = 0;
    const cpu0 = (await server.stats()).cpu;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        for (let k = 0; k < 10 && n < 5000; k++, n++) {
          const room = n % 1000;
          const a = chains[room]![Math.floor(n / 1000)]!;
          const [w, r1, r2] = clients.slice(room * 3, room * 3 + 3) as [
            BenchClient,
            BenchClient,
            BenchClient,
          ];
          const t = performance.now();
          pending.push(
            Promise.all([arrival(r1, a.id), arrival(r2, a.id)]).then(
              (ts) => void lat.push(Math.max(...ts) - t),
            ),
          );
          w.write(a);
        }
        if (n >= 5000) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    await Promise.all(pending);
    const rate = 5000 / ((performance.now() - started) / 1000);
    const cpu = ((await server.stats()).cpu - cpu0) / 5000 / 1000;
    result[kind] = {
      connect,
      rss: after.rss,
      heap: gcd.heapUsed + gcd.arrayBuffers - base.heapUsed - base.arrayBuffers,
      p50: pct(lat, 50),
      p99: pct(lat, 99),
      rate,
      cpu,
    };
    for (const c of clients) c.destroy();
    await server.stop();
  }
  record(
    'connect + authenticate + sync 3,000 sockets',
    { reference: result.reference.connect, ours: result.ours.connect },
    (v) => `${v.toFixed(2)} s`,
    '≤ 1.8',
  );
  record('server RSS after connect', { reference: result.reference.rss, ours: result.ours.rss }, mb, '≤ 1.2');
  record(
    'server heap + buffers for 3,000 sockets (after GC)',
    { reference: result.reference.heap, ours: result.ours.heap },
    mb,
  );
  record(
    'propagation p50 at ~1,000 updates/s',
    { reference: result.reference.p50, ours: result.ours.p50 },
    ms,
  );
  record(
    'propagation p99 at ~1,000 updates/s',
    { reference: result.reference.p99, ours: result.ours.p99 },
    ms,
  );
  record(
    'achieved update rate',
    { reference: result.reference.rate, ours: result.ours.rate },
    (v) => `${v.toFixed(0)}/s`,
  );
  record(
    'server CPU per update (to 2 members)',
    { reference: result.reference.cpu, ours: result.ours.cpu },
    ms,
  );
}

async function idle(): Promise<void> {
  const K = 20;
  console.log(`\nidle agencies of 200 signed actions (${K} of them, one idle member connected to each)`);
  const agencies: AgencyBuilder[] = [];
  for (let i = 0; i < K; i++) {
    const a = await AgencyBuilder.create(agencyId('idle'), 3);
    const rest = await a.chain(a.members[i % 3]!, 200 - a.actions.length, `i${i}`);
    a.actions.push(...rest);
    a.heads = [rest[rest.length - 1]!.id];
    agencies.push(a);
  }
  const E = 100;
  const empties = await Promise.all(
    Array.from({ length: E }, () => AgencyBuilder.create(agencyId('empty'), 1)),
  );
  const result: Record<
    Kind,
    { perRoomHot: number; perRoom: number; perRoomHeapOnly: number; perConn: number; unload: number }
  > = {} as never;
  for (const kind of KINDS) {
    // Rooms count only what the server holds: for the reference, seeding loads them; for ours, connecting does.
    const server = await Child.start(
      kind,
      agencies.map((a) => a.seeded()),
    );
    const m0 = await server.stats(true);
    const emptyClients = empties.map((e) => new BenchClient(server.url, e.id, e.members[0]!));
    await connectAll(emptyClients);
    const m1 = await server.stats(true);
    const clients = agencies.map((a) => new BenchClient(server.url, a.id, a.members[0]!));
    await connectAll(clients);
    const hot = await server.stats(true);
    // ours frees a room's derived state after 10 s without writes (DEFAULTS.deriveIdleMs)
    await sleep(12_000);
    const m2 = await server.stats(true);
    const total = (s: ChildStats) => s.heapUsed + s.arrayBuffers;
    const loadedBefore = m2.rooms;
    for (const c of clients) c.destroy();
    const t0 = performance.now();
    let unload = Number.POSITIVE_INFINITY;
    while (performance.now() - t0 < 15_000) {
      if ((await server.stats()).rooms <= loadedBefore - K) {
        unload = (performance.now() - t0) / 1000;
        break;
      }
      await sleep(100);
    }
    // reference: seeded rooms were loaded before m0, so their cost is measured against a server without them
    let perRoom = (total(m2) - total(m1)) / K;
    let perRoomHot = (total(hot) - total(m1)) / K;
    let perRoomHeapOnly = (m2.heapUsed - m1.heapUsed) / K;
    if (kind === 'reference') {
      const bare = await Child.start('reference', []);
      const b0 = await bare.stats(true);
      await bare.stop();
      perRoom = (total(m0) - total(b0)) / K + (total(m2) - total(m1)) / K;
      perRoomHot = perRoom;
      perRoomHeapOnly = (m0.heapUsed - b0.heapUsed) / K + (m2.heapUsed - m1.heapUsed) / K;
    }
    result[kind] = { perRoomHot, perRoom, perRoomHeapOnly, perConn: (total(m1) - total(m0)) / E, unload };
    for (const c of emptyClients) c.destroy();
    await server.stop();
  }
  record(
    'heap + buffers per idle 200-action agency (+ its member)',
    { reference: result.reference.perRoom, ours: result.ours.perRoom },
    kb,
    'ours ≤ 250 KB',
  );
  record(
    '  of which JS heap',
    { reference: result.reference.perRoomHeapOnly, ours: result.ours.perRoomHeapOnly },
    kb,
  );
  record(
    '  same, right after connecting',
    { reference: result.reference.perRoomHot, ours: result.ours.perRoomHot },
    kb,
  );
  record(
    'per connection to an empty agency',
    { reference: result.reference.perConn, ours: result.ours.perConn },
    kb,
  );
  record(
    'unloaded after the last member left',
    { reference: result.reference.unload, ours: result.ours.unload },
    (v) => (Number.isFinite(v) ? `${v.toFixed(1)} s` : 'never'),
    'seconds',
  );
}

const scenarios: Record<string, () => Promise<void>> = { propagation, fanout, burst, scale, idle };
process.setMaxListeners(0); // every WebsocketProvider adds an exit listener
const only = process.argv.slice(2);
console.log(
  `sync-server bench — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
);
console.log(
  'reference: @y/websocket-server 0.1.1 (in memory, no auth, no validation); ours: auth + validation + SQLite',
);
for (const [name, run] of Object.entries(scenarios)) {
  if (only.length && !only.includes(name)) continue;
  await run();
}
if (notes.length) console.log(`\n${notes.join('\n')}`);
process.exit(0);
