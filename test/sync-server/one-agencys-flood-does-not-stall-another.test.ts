// Issue 8, item 12: no agency's traffic stalls another's. Against `node sync-server/main.ts` with its
// default limits, a member of one agency sends a 30,000-action catch-up (its first sync step 2, exempt
// from the rate limit), or a 10 MB catch-up of 40,000 entries with bad signatures; meanwhile two honest
// members of another agency keep writing and reading, and their writes keep reaching each other (p99 under
// a second here, where the tests run in parallel on two cores; before the fix the other agency stalled
// 4.4 s; `npm run bench sync-server` measures the 250 ms target on a quiet machine). The server works
// through the flood in slices, yielding the event loop between them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Signer } from '../../core/index.ts';
import { CLOSE } from '../../core/protocol.ts';
import {
  ackedUpTo,
  facts,
  fastSigner,
  honestLatencies,
  percentile,
  serverLoopDelay,
} from './support/attack.ts';
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

/** The other agency's honest latencies while `attack` runs (the server's loop delay measured afresh). */
async function measure(attack: () => Promise<void>): Promise<number[]> {
  await serverLoopDelay(server.port);
  return honestLatencies(writer, reader, attack);
}

const p99 = (xs: number[]) => percentile(xs, 0.99);

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

let attackers = 0;
async function attacker(): Promise<{ signer: Signer; heads: string[] }> {
  const signer = fastSigner();
  const invite = await attacked.invite();
  // each its own name: a join under an active member's name is refused (NAME_TAKEN)
  const bob = await joinWith(server.url, attacked.id, invite, `Bob ${++attackers}`, signer);
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
      const latencies = await measure(async () => {
        const started = performance.now();
        c.write(frame);
        // stored: the ACK after the catch-up covers the flood's client id
        await until(() => ackedUpTo(c, 0x0f100d, FLOOD), {
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
        serverLoopDelay: await serverLoopDelay(server.port),
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
        step2Frame(entriesAt(0x0bad, 0, await facts(attacked.id, signer, BAD, heads, { forge: true }))),
      );
      expect(frame.length).toBeGreaterThan(10_000_000);
      let took = 0;
      const latencies = await measure(async () => {
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
        serverLoopDelay: await serverLoopDelay(server.port),
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
