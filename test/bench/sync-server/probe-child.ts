// Honest members for the attack bench, in a process of their own so that nothing the attacker's process does
// delays them. Each probe is a writer and a reader of one agency, both members on the wire (as a browser's
// replica, without its signature checks: what is measured is the server): the writer keeps the agency's
// heads from everything it receives, as an honest replica does, and writes a fact on them every `everyMs`;
// the reader notes when each write reaches it. Reports write→read latencies and the close codes either got.
//   IPC: {cmd: 'start', url, probes} → {ready} · {cmd: 'measure'} → {measuring} · {cmd: 'stop'} → {results}
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import * as decoding from 'lib0/decoding';
import { type Action, createAction, decodeStored, MAX_DEPS, type Signer } from '../../../core/index.ts';
import { answerChallenge, MESSAGE_AGENCY, MESSAGE_SYNC, readAgencyMessage } from '../../../core/protocol.ts';
import { UpdateReader } from '../../../sync-server/codec.ts';
import { encodeSyncStep1, encodeUpdate, readSyncMessage } from '../../../sync-server/wire.ts';
import { fastSigner } from '../../sync-server/support/attack.ts';
import { entriesAt } from '../../sync-server/support/updates.ts';

export interface ProbeSpec {
  name: string;
  room: string;
  /** PKCS #8 of the writer's and the reader's member keys, base64. */
  writer: string;
  reader: string;
  everyMs: number;
}

export interface ProbeResult {
  latencies: number[];
  /** Writes that never arrived before the stop's deadline. */
  lost: number;
  closes: number[];
  writes: number;
  /**
   * This process's own event-loop delay while measuring (ms): a write or a read waits that long here, before
   * the server has anything to do with it — on a machine busy with other work, the floor under every latency.
   */
  loop: { p99: number; max: number };
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 });

/** One member connection on Node's WebSocket: answers the challenge, reconnects after a close. */
class Link {
  ws: WebSocket | null = null;
  welcomed = false;
  readonly closes: number[] = [];
  private stopped = false;
  private readonly url: string;
  private readonly room: string;
  private readonly signer: Signer;
  private readonly onFrame: (bytes: Uint8Array) => void;
  private readonly onWelcome: () => void;

  constructor(
    url: string,
    room: string,
    signer: Signer,
    onFrame: (bytes: Uint8Array) => void,
    onWelcome: () => void,
  ) {
    this.url = url;
    this.room = room;
    this.signer = signer;
    this.onFrame = onFrame;
    this.onWelcome = onWelcome;
    this.open();
  }

  private open(): void {
    const ws = new WebSocket(`${this.url}/${this.room}`);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.welcomed = false;
    ws.onmessage = (event) => {
      const bytes = new Uint8Array(event.data as ArrayBuffer);
      const d = decoding.createDecoder(bytes);
      if (decoding.readVarUint(d) === MESSAGE_AGENCY) {
        const m = readAgencyMessage(d);
        if (m?.kind === 'challenge')
          void answerChallenge(m.nonce, this.room, this.signer).then((proof) => {
            if (ws.readyState === WebSocket.OPEN) ws.send(proof);
          });
        else if (m?.kind === 'welcome') {
          this.welcomed = true;
          this.onWelcome();
        }
        return;
      }
      this.onFrame(bytes);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.welcomed = false;
      if (this.stopped) return;
      this.closes.push(event.code);
      setTimeout(() => this.open(), 100);
    };
    ws.onerror = () => {};
  }

  send(bytes: Uint8Array): boolean {
    if (!this.welcomed || this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(bytes);
    return true;
  }

  stop(): void {
    this.stopped = true;
    this.ws?.close();
  }
}

class Probe {
  readonly spec: ProbeSpec;
  private readonly writerKey: Signer;
  private readonly writer: Link;
  private readonly reader: Link;
  /** Heads as this replica knows them, oldest known first. */
  private readonly heads = new Set<string>();
  private readonly hasChild = new Set<string>();
  private readonly known = new Set<string>();
  private decoding: Promise<void> = Promise.resolve();
  private client = 0;
  private clock = 0;
  synced = false;
  measuring = false;
  writes = 0;
  /** id → when it was sent, and the id's bytes to look for in frames. */
  readonly pending = new Map<string, { at: number; bytes: Buffer }>();
  latencies: number[] = [];

  constructor(url: string, spec: ProbeSpec) {
    this.spec = spec;
    this.writerKey = fastSigner(Buffer.from(spec.writer, 'base64'));
    this.writer = new Link(
      url,
      spec.room,
      this.writerKey,
      (b) => this.onWriterFrame(b),
      () => {
        // a new connection: a new Yjs client id, and the whole log to learn the heads from
        this.client = 1 + Math.floor(Math.random() * 0x7ffffffe);
        this.clock = 0;
        this.writer.send(encodeSyncStep1(new Uint8Array([0])));
      },
    );
    this.reader = new Link(
      url,
      spec.room,
      fastSigner(Buffer.from(spec.reader, 'base64')),
      (b) => this.onReaderFrame(b),
      () => {},
    );
  }

  get ready(): boolean {
    return this.synced && this.reader.welcomed;
  }

  private onWriterFrame(bytes: Uint8Array): void {
    const d = decoding.createDecoder(bytes);
    if (decoding.readVarUint(d) !== MESSAGE_SYNC) return;
    const m = readSyncMessage(d);
    if (!m || m.kind === 'step1') return;
    const first = m.kind === 'step2';
    // read in slices, in arrival order, so a 10 MB relay never holds up the reader in this process
    this.decoding = this.decoding.then(async () => {
      const reader = new UpdateReader(m.update);
      while (!reader.done) {
        const entries = reader.read(256);
        if (!Array.isArray(entries)) return;
        for (const e of entries) {
          if (this.known.has(e.key)) continue;
          this.known.add(e.key);
          const a = decodeStored(e.key, e.value);
          if (!a) continue;
          if (!this.hasChild.has(a.id)) this.heads.add(a.id);
          for (const dep of a.deps) {
            this.hasChild.add(dep);
            this.heads.delete(dep);
          }
        }
        await new Promise((r) => setImmediate(r));
      }
      if (first) this.synced = true;
    });
  }

  private onReaderFrame(bytes: Uint8Array): void {
    if (!this.pending.size) return;
    const now = performance.now();
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const [id, p] of this.pending) {
      if (buf.indexOf(p.bytes) < 0) continue;
      if (this.measuring) this.latencies.push(now - p.at);
      this.pending.delete(id);
    }
  }

  /** One honest write on the heads this replica knows (at most MAX_DEPS, the oldest known first). */
  async write(i: number): Promise<void> {
    if (!this.synced || !this.writer.welcomed) return;
    const deps = [...this.heads].slice(0, MAX_DEPS);
    const made = await createAction(
      this.spec.room,
      this.writerKey,
      'observeBalance',
      { balance: 1000 + (i % 1000) },
      deps,
      Date.now(),
    );
    if (!made.ok) throw new Error(made.message);
    const a: Action = made.action;
    const frame = encodeUpdate(entriesAt(this.client, this.clock, [a]));
    const at = performance.now();
    if (!this.writer.send(frame)) return;
    this.clock++;
    this.writes++;
    this.pending.set(a.id, { at, bytes: Buffer.from(a.id) });
    this.known.add(a.id);
    for (const dep of deps) {
      this.hasChild.add(dep);
      this.heads.delete(dep);
    }
    this.heads.add(a.id);
  }

  get closes(): number[] {
    return [...this.writer.closes, ...this.reader.closes];
  }

  stop(): void {
    this.writer.stop();
    this.reader.stop();
  }
}

let probes: Probe[] = [];
let writing = false;

async function writeLoop(p: Probe): Promise<void> {
  for (let i = 0; writing; i++) {
    await p.write(i);
    await sleep(p.spec.everyMs);
  }
}

process.on(
  'message',
  async (m: { cmd: string; url?: string; probes?: ProbeSpec[]; lingerMs?: number; timeoutMs?: number }) => {
    if (m.cmd === 'start') {
      probes = m.probes!.map((spec) => new Probe(m.url!, spec));
      const deadline = Date.now() + 60_000;
      while (!probes.every((p) => p.ready)) {
        if (Date.now() > deadline) throw new Error('probes did not connect');
        await sleep(20);
      }
      process.send!({ ready: true });
    } else if (m.cmd === 'measure') {
      // a few writes first (connections warm), then measured from here on
      writing = true;
      for (const p of probes) void writeLoop(p);
      await sleep(500);
      for (const p of probes) {
        p.latencies = [];
        p.measuring = true;
      }
      loopDelay.reset();
      loopDelay.enable();
      process.send!({ measuring: true });
    } else if (m.cmd === 'stop') {
      writing = false;
      loopDelay.disable();
      const loop = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
      const deadline = Date.now() + (m.timeoutMs ?? 15_000);
      while (probes.some((p) => p.pending.size) && Date.now() < deadline) await sleep(20);
      const results: Record<string, ProbeResult> = {};
      for (const p of probes) {
        p.measuring = false;
        results[p.spec.name] = {
          latencies: p.latencies,
          lost: p.pending.size,
          closes: p.closes,
          writes: p.writes,
          loop,
        };
        p.stop();
      }
      process.send!({ results });
    } else if (m.cmd === 'exit') process.exit(0);
  },
);
