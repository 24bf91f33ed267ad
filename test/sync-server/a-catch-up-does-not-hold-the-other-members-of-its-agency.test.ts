// Issue 8, item 12, inside the attacked agency: a member's large catch-up (legal, or a hostile member's
// flood) must not hold the agency's other members. Its signatures are verified beside the room's work
// (sync-server/preverify.ts), so a member's write sent meanwhile is stored and relayed before it; and the
// writes a member sent on the heads it had — concurrent with all of the catch-up — are admitted, not
// refused as written on old dependencies. Order and counts, not latencies: against
// `node sync-server/main.ts` with its default limits.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS_ROOT, type Action } from '../../core/index.ts';
import { ackedUpTo, facts, fastSigner } from './support/attack.ts';
import { type ChildServer, kill, spawnServer } from './support/child.ts';
import { type Agency, createAgency, joinWith, type TestClient } from './support/client.ts';
import { clientFrame, TcpClient } from './support/tcp.ts';
import { chain, entriesAt, step2Frame, updateFrame } from './support/updates.ts';
import { until } from './support/wait.ts';

const FLOOD = 5_000;
const FLOOD_CLIENT = 0x0f100d;

let dir = '';
let server: ChildServer;
let agency: Agency;
let bob: TestClient;
let reader: TestClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agency-sync-held-'));
  server = await spawnServer(['--port', '0', '--data', dir, '--log-level', 'warn']);
  agency = await createAgency(server.url);
  bob = await agency.join('Bob');
  reader = await agency.join('Reader');
}, 60_000);

afterAll(async () => {
  agency?.destroy();
  if (server) await kill(server);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A member who sends a catch-up of `n` facts on the heads it knows; returns its socket, frame and facts. */
let flooders = 0;
async function flooder(n: number): Promise<{ c: TcpClient; frame: Buffer; flood: Action[] }> {
  const signer = fastSigner();
  // each its own name: a join under an active member's name is refused (NAME_TAKEN)
  const member = await joinWith(server.url, agency.id, await agency.invite(), `Flo ${++flooders}`, signer);
  const heads = member.log.heads();
  member.destroy();
  const flood = await facts(agency.id, signer, n, heads);
  const c = await TcpClient.open(server.port, agency.id);
  expect(await c.authenticate(signer, agency.id)).toBe('member');
  return { c, frame: clientFrame(step2Frame(entriesAt(FLOOD_CLIENT, 0, flood))), flood };
}

describe("a member's catch-up does not hold the other members of its agency", () => {
  it(`a write sent while another member's ${FLOOD.toLocaleString('en')}-action catch-up is checked reaches the others before it`, async () => {
    const { c, frame, flood } = await flooder(FLOOD);
    const first = new Set(flood.map((a) => a.id));
    const seen: string[] = [];
    let bobWrite = '';
    const onUpdate = () => {
      const map = reader.doc.getMap(ACTIONS_ROOT);
      if (!seen.includes('bob') && bobWrite && map.has(bobWrite)) seen.push('bob');
      if (!seen.includes('flood') && [...first].some((id) => map.has(id))) seen.push('flood');
    };
    reader.doc.on('update', onUpdate);
    try {
      c.write(frame);
      bobWrite = await bob.appendOk('observeBalance', { balance: 321 });
      await until(() => ackedUpTo(c, FLOOD_CLIENT, FLOOD), {
        what: 'the catch-up to be stored',
        timeout: 60_000,
      });
      await until(() => seen.length === 2, { what: 'both to reach the reader', timeout: 30_000 });
    } finally {
      reader.doc.off('update', onUpdate);
      c.destroy();
    }
    expect(seen).toEqual(['bob', 'flood']);
  }, 120_000);

  it('writes sent on the heads a member had before another member’s catch-up are all stored, none refused as old', async () => {
    // Bob's replica, as a browser still verifying the catch-up it was just sent, writes on what it had
    const heads = bob.log.heads();
    const { c, frame } = await flooder(FLOOD);
    c.write(frame);
    await until(() => ackedUpTo(c, FLOOD_CLIENT, FLOOD), {
      what: 'the catch-up to be stored',
      timeout: 60_000,
    });
    c.destroy();
    const writes = await chain(agency.id, bob.signer, 12, heads);
    const live = await TcpClient.open(server.port, agency.id);
    expect(await live.authenticate(bob.signer, agency.id)).toBe('member');
    const client = 0x5eed;
    // one live update each, as a replica sends them (more than the allowance for old dependencies, 5)
    for (let i = 0; i < writes.length; i++) live.send(updateFrame(entriesAt(client, i, [writes[i]!])));
    await until(() => ackedUpTo(live, client, writes.length) || live.closeCode !== null, {
      what: 'the writes to be stored',
      timeout: 30_000,
    });
    expect(live.closeCode).toBeNull();
    expect(ackedUpTo(live, client, writes.length)).toBe(true);
    live.destroy();
  }, 120_000);
});
