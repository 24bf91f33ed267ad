// Issue 8, item 11: what members can make the server hold is budgeted too (sync-server/memory.ts). After
// its catch-up a connection sends live writes (a quarter MB a message); a full-size message is accepted
// only as a catch-up, one per member at a time; past 85% of --max-memory the server refuses new work with
// UNAVAILABLE (the client comes back later) instead of running out of memory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE } from '../../core/protocol.ts';
import { MemoryBudget } from '../../sync-server/memory.ts';
import { LIVE_FRAME_BYTES } from '../../sync-server/socket.ts';
import { encodeSyncStep2 } from '../../sync-server/wire.ts';
import { type ChildServer, kill, spawnServer } from './support/child.ts';
import { createAgency, newSigner, TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { clientFrame, TcpClient } from './support/tcp.ts';
import { until } from './support/wait.ts';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
async function server(): Promise<TestServer> {
  const s = await testServer();
  cleanup.push(() => s.dispose());
  return s;
}

describe('memory is budgeted', () => {
  it("a member's connections receive one full-size catch-up at a time; the others are told to come back (UNAVAILABLE)", async () => {
    const s = await server();
    const agency = await createAgency(s.url);
    cleanup.push(() => agency.destroy());
    const bob = await agency.join('Bob');
    const sockets = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const c = await TcpClient.open(s.port, agency.id);
        cleanup.push(() => c.destroy());
        expect(await c.authenticate(bob.signer, agency.id)).toBe('member');
        return c;
      }),
    );
    // each sends a 2 MB catch-up (junk: the one that may send it is refused for what it holds)
    const frame = clientFrame(encodeSyncStep2(new Uint8Array(2 * 1024 * 1024).fill(9)));
    for (const c of sockets) c.write(frame);
    await until(() => sockets.every((c) => c.closeCode !== null), { what: 'every socket to be closed' });
    const codes = sockets.map((c) => c.closeCode);
    expect(codes.filter((c) => c === CLOSE.UNAVAILABLE.code)).toHaveLength(4);
    expect(codes.filter((c) => c === CLOSE.LOG_TAMPERED.code)).toHaveLength(1);
  });

  it(`after its catch-up a connection's message is at most ${LIVE_FRAME_BYTES / 1024} KB (UNAVAILABLE: its next catch-up carries it)`, async () => {
    const s = await server();
    const agency = await createAgency(s.url);
    cleanup.push(() => agency.destroy());
    const bob = await agency.join('Bob');
    const r = await RawClient.open(s.url, agency.id);
    cleanup.push(() => r.close());
    expect(await r.authenticate(bob.signer, agency.id)).toBe('member');
    r.send(encodeSyncStep2(new Uint8Array([0, 0]))); // an empty catch-up
    await until(() => r.agency('ack'));
    r.send(new Uint8Array(LIVE_FRAME_BYTES + 1));
    expect((await r.whenClosed()).code).toBe(CLOSE.UNAVAILABLE.code);
    // and the member carries on
    const id = await bob.appendOk('observeBalance', { balance: 5 });
    await until(() => agency.owner.log.has(id));
  });

  it('past 85% of --max-memory new connections are refused with UNAVAILABLE, and the server stays up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agency-sync-mem-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    // a budget this process is already past: every new connection is refused
    const child: ChildServer = await spawnServer([
      '--port',
      '0',
      '--data',
      dir,
      '--max-memory',
      String(8 * 2 ** 20),
    ]);
    cleanup.push(() => kill(child));
    const c = await TestClient.open({
      url: child.url,
      room: 'pressed-agency',
      signer: await newSigner(),
      reconnect: false,
    });
    cleanup.push(() => c.destroy());
    expect((await c.whenClosed()).code).toBe(CLOSE.UNAVAILABLE.code);
    expect(c.welcomes).toBe(0);
    const health = await fetch(`http://127.0.0.1:${child.port}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${child.port}/metrics`)).text();
    expect(metrics).toMatch(/agency_sync_memory_pressed 1/);
  });
});

describe('the memory budget', () => {
  const MB = 2 ** 20;
  it('presses from 85% of the budget (or of V8’s heap limit) until below 75%, and gives one large-message slot per holder', () => {
    let sample = { heldBytes: 10 * MB, heapUsed: 10 * MB, heapLimit: 1000 * MB };
    const budget = new MemoryBudget(100 * MB, 16 * MB, () => sample);
    expect(budget.slots).toBe(1);
    expect(budget.pressed).toBe(false);
    sample = { ...sample, heldBytes: 86 * MB };
    budget.refresh();
    expect(budget.pressed).toBe(true);
    expect(budget.takeSlot('mia')).toBe(false);
    sample = { ...sample, heldBytes: 80 * MB };
    budget.refresh();
    expect(budget.pressed).toBe(true); // not yet below 75%
    sample = { ...sample, heldBytes: 70 * MB };
    budget.refresh();
    expect(budget.pressed).toBe(false);
    // V8's heap limit is reached first on a small machine
    sample = { heldBytes: 20 * MB, heapUsed: 180 * MB, heapLimit: 200 * MB };
    budget.refresh();
    expect(budget.pressed).toBe(true);
    sample = { heldBytes: 20 * MB, heapUsed: 20 * MB, heapLimit: 200 * MB };
    budget.refresh();
    const wide = new MemoryBudget(600 * MB, 16 * MB, () => sample);
    expect(wide.slots).toBe(9);
    expect(wide.takeSlot('mia')).toBe(true);
    expect(wide.takeSlot('mia')).toBe(false);
    expect(wide.takeSlot('bob')).toBe(true);
    wide.releaseSlot('mia');
    expect(wide.takeSlot('mia')).toBe(true);
    expect(wide.slotsTaken).toBe(2);
  });
});
