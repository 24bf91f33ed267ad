// A member back after a long time offline sends a large catch-up (first sync step 2), legal from end to end.
// The server works through it a slice at a time for as long as it takes and sweeps its connections meanwhile:
// a peer that answered the server's pings is alive however long its catch-up takes to check, and one whose
// catch-up is still arriving (its pong waits behind the frame: a slow uplink) is alive while bytes arrive.
// The catch-up is stored and acknowledged. Pings here come every second, so a catch-up of a few thousand
// actions outlasts some of them on a busy machine (and an upload trickled in outlasts several on any), as
// 30,000 do at the default 30 s (`npm run bench sync-server-attack`, scenario catch-up). Against
// `node sync-server/main.ts` on loopback.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ackedUpTo, facts, fastSigner } from './support/attack.ts';
import { type ChildServer, kill, spawnServer } from './support/child.ts';
import { type Agency, createAgency, joinWith } from './support/client.ts';
import { clientFrame, TcpClient } from './support/tcp.ts';
import { entriesAt, step2Frame } from './support/updates.ts';
import { until } from './support/wait.ts';

const CATCH_UP = 3_000;
/** Short enough that a catch-up outlasts several, long enough that a test process held by a busy machine answers. */
const PING_MS = 1_000;
const CLIENT = 0xca7c;

let dir = '';
let server: ChildServer;
let agency: Agency;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agency-sync-large-catch-up-'));
  server = await spawnServer([
    '--port',
    '0',
    '--data',
    dir,
    '--log-level',
    'warn',
    '--ping-ms',
    String(PING_MS),
  ]);
  agency = await createAgency(server.url);
}, 60_000);

afterAll(async () => {
  agency?.destroy();
  if (server) await kill(server);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A member who has been away: joined, then wrote `n` facts offline on the heads it had. */
async function returningMember(n: number) {
  const signer = fastSigner();
  const member = await joinWith(server.url, agency.id, await agency.invite(), 'Away', signer);
  const heads = member.log.heads();
  member.destroy();
  const written = await facts(agency.id, signer, n, heads, { tag: 'away' });
  // made before connecting: masking megabytes holds this process longer than a ping interval here
  const frame = clientFrame(step2Frame(entriesAt(CLIENT, 0, written)));
  const c = await TcpClient.open(server.port, agency.id);
  expect(await c.authenticate(signer, agency.id)).toBe('member');
  return { c, frame };
}

const pings = (c: TcpClient) => c.frames.filter((f) => f.opcode === 9).length;

describe('a large catch-up is stored however long the server takes over it', () => {
  it(`a member's ${CATCH_UP.toLocaleString('en')}-action catch-up is stored and the member stays connected`, async () => {
    const { c, frame } = await returningMember(CATCH_UP);
    try {
      c.write(frame);
      await until(() => ackedUpTo(c, CLIENT, CATCH_UP) || c.ended, {
        what: 'the catch-up to be stored',
        timeout: 45_000,
      });
      expect(c.ended).toBe(false);
      expect(c.closeCode).toBeNull();
      expect(ackedUpTo(c, CLIENT, CATCH_UP)).toBe(true);
    } finally {
      c.destroy();
    }
  }, 90_000);

  it('a catch-up arriving slowly, its pong held behind it for many pings, is not dropped and is stored', async () => {
    const { c, frame } = await returningMember(CATCH_UP);
    try {
      // a pong cannot interrupt a frame (RFC 6455 5.4): while the frame trickles in, the server hears only it
      c.answerPings = false;
      const piece = Math.ceil(frame.length / 24);
      const before = pings(c);
      for (let at = 0; at < frame.length; at += piece) {
        c.write(frame.subarray(at, at + piece));
        await sleep(PING_MS / 4);
      }
      expect(pings(c) - before).toBeGreaterThanOrEqual(3);
      expect(c.ended).toBe(false);
      c.answerPings = true;
      await until(() => ackedUpTo(c, CLIENT, CATCH_UP) || c.ended, {
        what: 'the catch-up to be stored',
        timeout: 45_000,
      });
      expect(c.ended).toBe(false);
      expect(ackedUpTo(c, CLIENT, CATCH_UP)).toBe(true);
    } finally {
      c.destroy();
    }
  }, 90_000);

  it('the control: a member that answers no ping and sends nothing is dropped', async () => {
    const { c } = await returningMember(1);
    try {
      c.answerPings = false;
      await until(() => c.ended, { what: 'the silent member to be dropped', timeout: 30_000 });
      expect(pings(c)).toBeGreaterThanOrEqual(1);
    } finally {
      c.destroy();
    }
  }, 60_000);
});
