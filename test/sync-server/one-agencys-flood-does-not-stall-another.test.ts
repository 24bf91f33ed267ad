// Issue 8, item 12: no agency's traffic stalls another's. Against `node sync-server/main.ts` with its
// default limits, a member of one agency sends a 30,000-action catch-up (its first sync step 2, exempt
// from the rate limit), or a 10 MB catch-up of 40,000 entries with bad signatures; meanwhile two honest
// members of another agency keep writing and reading, and their writes keep reaching each other (p99 under
// a second here, where the tests run in parallel on two cores; before the fix the other agency stalled
// 4.4 s; `npm run bench sync-server` measures the 250 ms target on a quiet machine). The server works
// through the flood in slices, yielding the event loop between them.
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ACTIONS_ROOT, type Action, createAction, type Signer, toBase64Url } from '../../core/index.ts';
import { CLOSE, MESSAGE_AGENCY, readAgencyMessage } from '../../core/protocol.ts';
import { type ChildServer, kill, ROOT, spawnServer } from './support/child.ts';
import { type Agency, createAgency, joinWith, type TestClient } from './support/client.ts';
import { clientFrame, TcpClient } from './support/tcp.ts';
import { entriesAt, step2Frame } from './support/updates.ts';
import { until } from './support/wait.ts';

const SOAK = process.env.SOAK === '1';
const FLOOD = 30_000;
/** A bound no stall stays under (the 250 ms target is measured by the bench, not asserted here). */
const NOT_STALLED_MS = 1_000;
const BAD = 40_000;

let dir = '';
let server: ChildServer;
let attacked: Agency;
let other: Agency;
let writer: TestClient;
let reader: TestClient;

/** An Ed25519 signer on node:crypto (fast enough to sign 30,000 actions in a test). */
function fastSigner(): Signer {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
  return {
    publicKey: raw,
    keyId: toBase64Url(raw),
    sign: async (bytes) => new Uint8Array(sign(null, bytes, privateKey)),
  };
}

/** `n` facts by `signer`, a chain on `deps`; with `forge`, signatures are random bytes (ids still match). */
async function facts(
  agencyId: string,
  signer: Signer,
  n: number,
  deps: string[],
  forge = false,
): Promise<Action[]> {
  const s: Signer = forge
    ? { ...signer, sign: async () => crypto.getRandomValues(new Uint8Array(64)) }
    : signer;
  const out: Action[] = [];
  let heads = deps;
  const at = Date.now();
  for (let i = 0; i < n; i++) {
    const made = await createAction(
      agencyId,
      s,
      'submitProposal',
      {
        job: `flood-${i}`,
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

/** The server's own event-loop delay since the last scrape of /metrics (ms): p99 and max. */
async function serverLoopDelay(): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  const q = (quantile: string) =>
    Math.round(
      1000 *
        Number(
          text
            .split('\n')
            .find((l) => l.startsWith(`agency_sync_event_loop_delay_seconds{quantile="${quantile}"}`))
            ?.split(' ')
            .pop(),
        ),
    );
  return { p99: q('0.99'), max: q('1') };
}

/**
 * The honest members of the other agency write every 40 ms while `attack` runs; returns how long each
 * write took to reach the other member (ms).
 */
async function honestLatencies(attack: () => Promise<void>): Promise<number[]> {
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
  await serverLoopDelay(); // starts the server's measurement afresh
  let stop = false;
  let i = 0;
  const writing = (async () => {
    while (!stop) {
      const at = performance.now();
      const id = await writer.appendOk('observeBalance', { balance: 1 + (i++ % 1000) });
      sent.set(id, at);
      await new Promise((r) => setTimeout(r, 40));
    }
  })();
  try {
    await attack();
  } finally {
    stop = true;
    await writing;
  }
  await until(() => sent.size === 0, { what: 'the last honest writes to arrive', timeout: 10_000 });
  reader.doc.off('update', onUpdate);
  return latencies;
}

const percentile = (xs: number[], q: number) =>
  Math.round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!);
const p99 = (xs: number[]) => percentile(xs, 0.99);

/** Whether `c` got an ACK covering `clock` entries of Yjs client `client`. */
function acked(c: TcpClient, client: number, clock: number): boolean {
  for (const m of c.messages) {
    const d = decoding.createDecoder(m);
    if (decoding.readVarUint(d) !== MESSAGE_AGENCY) continue;
    const message = readAgencyMessage(d);
    if (message?.kind === 'ack' && (Y.decodeStateVector(message.stateVector).get(client) ?? 0) >= clock)
      return true;
  }
  return false;
}

/**
 * The attacker on a bare TCP socket, its frame masked beforehand: what the test process does while it
 * measures is only a socket write (a WebSocket library would mask 10 MB in this process's event loop,
 * delaying the honest members measured here).
 */
async function attackerSocket(signer: Signer, payload: Uint8Array): Promise<{ c: TcpClient; frame: Buffer }> {
  const c = await TcpClient.open(server.port, attacked.id);
  expect(await c.authenticate(signer, attacked.id)).toBe('member');
  return { c, frame: clientFrame(payload) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agency-sync-flood-'));
  server = await spawnServer(['--port', '0', '--data', dir, '--log-level', 'warn']);
  attacked = await createAgency(server.url, { name: 'Attacked' });
  other = await createAgency(server.url, { name: 'Bystander' });
  writer = other.owner;
  reader = await other.join('Reader');
}, 120_000);

afterAll(async () => {
  attacked?.destroy();
  other?.destroy();
  if (server) await kill(server);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function attacker(): Promise<{ signer: Signer; heads: string[] }> {
  const signer = fastSigner();
  const invite = await attacked.invite();
  const bob = await joinWith(server.url, attacked.id, invite, 'Bob', signer);
  const heads = bob.log.heads();
  bob.destroy();
  return { signer, heads };
}

describe("one agency's flood does not stall another", () => {
  it(
    `a ${FLOOD.toLocaleString('en')}-action catch-up in one agency: the other's writes keep flowing (p99 under a second)`,
    async () => {
      const { signer, heads } = await attacker();
      // only the frame's bytes stay: 30,000 actions kept in this process would slow its own measuring
      const { c, frame } = await attackerSocket(
        signer,
        step2Frame(entriesAt(0x0f100d, 0, await facts(attacked.id, signer, FLOOD, heads))),
      );
      let took = 0;
      const latencies = await honestLatencies(async () => {
        const started = performance.now();
        c.write(frame);
        // stored: the ACK after the catch-up covers the flood's client id
        await until(() => acked(c, 0x0f100d, FLOOD), {
          what: 'the flood to be stored',
          timeout: 120_000,
          interval: 50,
        });
        took = performance.now() - started;
      });
      c.destroy();
      const figures = {
        flood: FLOOD,
        bytes: frame.length,
        storedAfterMs: Math.round(took),
        honest: latencies.length,
        p50: percentile(latencies, 0.5),
        p99: p99(latencies),
        max: percentile(latencies, 1),
        serverLoopDelay: await serverLoopDelay(),
      };
      await writeFile(join(ROOT, 'test-results', 'flood-catch-up.json'), JSON.stringify(figures)).catch(
        () => {},
      );
      console.info(JSON.stringify({ scenario: 'catch-up flood', ...figures }));
      expect(latencies.length).toBeGreaterThan(20);
      expect(p99(latencies)).toBeLessThan(NOT_STALLED_MS);
    },
    (SOAK ? 20 : 6) * 60_000,
  );

  it(
    `a 10 MB catch-up of ${BAD.toLocaleString('en')} badly signed entries is refused without stalling the other agency`,
    async () => {
      const { signer, heads } = await attacker();
      const { c, frame } = await attackerSocket(
        signer,
        step2Frame(entriesAt(0x0bad, 0, await facts(attacked.id, signer, BAD, heads, true))),
      );
      expect(frame.length).toBeGreaterThan(10_000_000);
      let took = 0;
      const latencies = await honestLatencies(async () => {
        const started = performance.now();
        c.write(frame);
        expect(await c.whenClosed(60_000)).toBe(CLOSE.INVALID_ACTION.code);
        took = performance.now() - started;
        const reason = c.frames
          .find((f) => f.opcode === 8)!
          .payload.subarray(2)
          .toString();
        expect(reason).toMatch(/BAD_SIGNATURE/);
        // a while longer: the honest writes keep flowing after the refusal
        await new Promise((res) => setTimeout(res, 500));
      });
      const figures = {
        entries: BAD,
        bytes: frame.length,
        refusedAfterMs: Math.round(took),
        honest: latencies.length,
        p50: percentile(latencies, 0.5),
        p99: p99(latencies),
        max: percentile(latencies, 1),
        serverLoopDelay: await serverLoopDelay(),
      };
      await writeFile(join(ROOT, 'test-results', 'flood-bad-signatures.json'), JSON.stringify(figures)).catch(
        () => {},
      );
      console.info(JSON.stringify({ scenario: 'bad signatures', ...figures }));
      expect(p99(latencies)).toBeLessThan(NOT_STALLED_MS);
    },
    (SOAK ? 20 : 6) * 60_000,
  );
});
