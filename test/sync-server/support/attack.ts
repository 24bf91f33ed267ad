// What the flood tests and the attack bench share: an attacker's fast signer and the actions it floods with,
// a keyless socket's 16 MiB frame, the attacked server's memory and event-loop figures, and honest
// members' write→read latency while an attack runs.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { ACTIONS_ROOT, type Action, createAction, type Signer, toBase64Url } from '../../../core/index.ts';
import { MESSAGE_AGENCY, readAgencyMessage } from '../../../core/protocol.ts';
import type { TestClient } from './client.ts';
import type { TcpClient } from './tcp.ts';
import { until } from './wait.ts';

/** An Ed25519 signer on node:crypto (fast enough to sign 30,000 actions in a test), from `pkcs8` or a new key. */
export function fastSigner(pkcs8?: Uint8Array): Signer & { pkcs8: Uint8Array } {
  let privateKey: KeyObject;
  if (pkcs8) privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  else privateKey = generateKeyPairSync('ed25519').privateKey;
  const publicKey = createPublicKey(privateKey);
  const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
  return {
    publicKey: raw,
    keyId: toBase64Url(raw),
    pkcs8: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
    sign: async (bytes) => new Uint8Array(sign(null, bytes, privateKey)),
  };
}

/**
 * `n` independent proposals by `signer`, a chain on `deps` (each on the one before); with `forge`, the
 * signatures are random bytes (ids still match their content).
 */
export async function facts(
  agencyId: string,
  signer: Signer,
  n: number,
  deps: readonly string[],
  opts: { forge?: boolean; tag?: string; at?: number } = {},
): Promise<Action[]> {
  const s: Signer = opts.forge
    ? { ...signer, sign: async () => crypto.getRandomValues(new Uint8Array(64)) }
    : signer;
  const out: Action[] = [];
  let heads = [...deps];
  const at = opts.at ?? Date.now();
  const tag = opts.tag ?? 'flood';
  for (let i = 0; i < n; i++) {
    const made = await createAction(
      agencyId,
      s,
      'submitProposal',
      {
        job: `${tag}-${i}`,
        title: `A job posted to flood the server, number ${i}`,
        as: 'independent',
        connects: 0,
        boost: 0,
      },
      heads,
      at,
    );
    if (!made.ok) throw new Error(made.message);
    out.push(made.action);
    heads = [made.action.id];
  }
  return out;
}

/**
 * A client frame header announcing `length` bytes, with an all-zero mask: the payload goes as it is (a
 * keyless socket announcing a 16 MiB frame before any proof).
 */
export function zeroMaskHeader(length: number): Buffer {
  return Buffer.from([
    0x82,
    0x80 | 127,
    0,
    0,
    0,
    0,
    length >>> 24,
    (length >>> 16) & 255,
    (length >>> 8) & 255,
    length & 255,
    0,
    0,
    0,
    0,
  ]);
}

/** A process's resident memory now (`VmRSS`) and its peak since it started (`VmHWM`), from /proc. */
export async function residentMemory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** The server's own event-loop delay since the last scrape of /metrics (ms): p99 and max. */
export async function serverLoopDelay(port: number): Promise<{ p99: number; max: number }> {
  const { loop } = await serverFigures(port);
  return loop;
}

/**
 * One scrape of the server's /metrics: its event-loop delay since the last scrape (ms) and the memory it
 * budgets (V8's heap plus buffers outside it, bytes: what `--max-memory` bounds).
 */
export async function serverFigures(
  port: number,
): Promise<{ loop: { p99: number; max: number }; held: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (prefix: string) =>
    Number(
      text
        .split('\n')
        .find((l) => l.startsWith(prefix))
        ?.split(' ')
        .pop(),
    );
  const q = (quantile: string) =>
    Math.round(1000 * value(`agency_sync_event_loop_delay_seconds{quantile="${quantile}"}`));
  return { loop: { p99: q('0.99'), max: q('1') }, held: value('agency_sync_memory_held_bytes ') };
}

/** Whether `c` got an ACK covering `clock` entries of Yjs client `client`. */
export function ackedUpTo(c: TcpClient, client: number, clock: number): boolean {
  for (const m of c.messages) {
    const d = decoding.createDecoder(m);
    if (decoding.readVarUint(d) !== MESSAGE_AGENCY) continue;
    const message = readAgencyMessage(d);
    if (message?.kind === 'ack' && (Y.decodeStateVector(message.stateVector).get(client) ?? 0) >= clock)
      return true;
  }
  return false;
}

/** The q-quantile (0..1) of `xs`, rounded to whole ms. */
export const percentile = (xs: readonly number[], q: number): number =>
  Math.round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!);

/**
 * `writer` writes a fact every `everyMs` while `attack` runs; returns how long each write took to reach
 * `reader` (ms, from the write to the reader's doc receiving it).
 */
export async function honestLatencies(
  writer: TestClient,
  reader: TestClient,
  attack: () => Promise<void>,
  opts: { everyMs?: number; timeout?: number } = {},
): Promise<number[]> {
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  const onUpdate = () => {
    const map = reader.doc.getMap(ACTIONS_ROOT);
    for (const [id, at] of sent) {
      if (!map.has(id)) continue;
      latencies.push(performance.now() - at);
      sent.delete(id);
    }
  };
  reader.doc.on('update', onUpdate);
  let stop = false;
  let i = 0;
  const writing = (async () => {
    while (!stop) {
      const at = performance.now();
      const id = await writer.appendOk('observeBalance', { balance: 1 + (i++ % 1000) });
      sent.set(id, at);
      await new Promise((r) => setTimeout(r, opts.everyMs ?? 40));
    }
  })();
  try {
    await attack();
  } finally {
    stop = true;
    await writing;
  }
  await until(() => sent.size === 0, {
    what: 'the last honest writes to arrive',
    timeout: opts.timeout ?? 10_000,
  });
  reader.doc.off('update', onUpdate);
  return latencies;
}
