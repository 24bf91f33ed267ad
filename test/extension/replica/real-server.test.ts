// @vitest-environment node
// The replica against the product's own sync server (sync-server/server.ts) on loopback: handshake,
// ACK-based "synced", join by invite, a manager's changes reaching the member, and an outage with a
// server restart on the same port and data.
import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formerSentence, formerStanding } from '../../../extension/ui/former.ts';
import { type SyncServer, startSyncServer } from '../../../sync-server/server.ts';
import { Browser, converged, createdAgency, joined } from './support/peers.ts';

const WAIT = 15_000;
let dataDir: string;
let server: SyncServer;
let browsers: Browser[] = [];

async function browser(name: string) {
  const b = await Browser.make(name);
  browsers.push(b);
  return b;
}

const start = (port = 0) => startSyncServer({ port, dataDir, logLevel: 'error' });

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'replica-real-server-'));
  server = await start();
});

afterEach(async () => {
  for (const b of browsers) await b.closeAll();
  browsers = [];
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('replica ↔ the real sync server', () => {
  it('an action is synced once the server ACKs it; a member joins and sees the manager’s changes', async () => {
    const olga = await browser('Olga');
    const ann = await browser('Ann');
    const manager = await createdAgency(olga, server.url);
    expect(await manager.waitFor((r) => r.syncView().status === 'synced', WAIT)).toBe(true);
    expect(manager.connection.acks).toBe(true);
    const member = await joined(manager, ann);
    expect(await manager.waitFor((m) => converged(m, member), WAIT)).toBe(true);
    const t0 = performance.now();
    expect(
      (await manager.act('changeRelationship', { member: member.me, relationship: 'non-exclusive' })).ok,
    ).toBe(true);
    expect((await manager.act('recordPurchase', { connects: 40 })).ok).toBe(true);
    expect(
      await member.waitFor(
        (m) =>
          m.view().state.members[m.me]?.relationship === 'non-exclusive' && m.view().connects.balance === 140,
        WAIT,
      ),
    ).toBe(true);
    console.log(`replica: manager → member propagation ${(performance.now() - t0).toFixed(0)} ms`);
    expect(await manager.waitFor((m) => m.syncView().status === 'synced' && m.waiting === 0, WAIT)).toBe(
      true,
    );
  });

  it('offline actions wait, then sync after the server restarts on the same port and data', async () => {
    const olga = await browser('Olga');
    const ann = await browser('Ann');
    const manager = await createdAgency(olga, server.url);
    const member = await joined(manager, ann, { relationship: 'non-exclusive' });
    await member.waitFor((m) => m.syncView().status === 'synced', WAIT);
    const port = server.port;
    await server.close();
    expect(await member.waitFor((m) => m.syncView().status === 'offline', WAIT)).toBe(true);
    const sent = await member.act('submitProposal', {
      job: '~01abc',
      title: 'Logo for a coffee shop',
      as: 'independent',
      connects: 8,
      boost: 0,
    });
    expect(sent).toMatchObject({ ok: true, status: 'saved' });
    expect(member.syncView()).toMatchObject({ status: 'offline', waiting: 1 });
    server = await start(port);
    expect(await member.waitFor((m) => m.syncView().status === 'synced' && m.waiting === 0, WAIT)).toBe(true);
    expect(await manager.waitFor((m) => converged(m, member), WAIT)).toBe(true);
    expect(manager.view().state.proposals).toHaveLength(1);
  });

  it('P6: a removed member’s sync stops with the reason', async () => {
    const olga = await browser('Olga');
    const ann = await browser('Ann');
    const manager = await createdAgency(olga, server.url);
    const member = await joined(manager, ann);
    await member.waitFor((m) => m.syncView().status === 'synced', WAIT);
    expect((await manager.act('removeMember', { member: member.me })).ok).toBe(true);
    expect(await member.waitFor((m) => m.syncView().status === 'stopped', WAIT)).toBe(true);
    expect(member.syncView().stoppedReason).toMatch(/left or was removed/);
    // The server never relays the removal to the member it removed: the close itself says it.
    expect(member.view().state.members[member.me]?.status).toBe('active');
    const view = member.view();
    expect(formerStanding(view)).toEqual({ status: 'gone', at: null });
    expect(formerSentence(view, formerStanding(view)!, Date.now())).toBe(
      'You are no longer a member of Acme Studio.',
    );
  });

  it('6: a member’s own leave is synced once the server holds it (its close is the acknowledgement)', async () => {
    const olga = await browser('Olga');
    const ann = await browser('Ann');
    const manager = await createdAgency(olga, server.url);
    const member = await joined(manager, ann);
    await member.waitFor((m) => m.syncView().status === 'synced', WAIT);
    const left = await member.act('leaveAgency', {});
    if (!left.ok) throw new Error(left.message);
    expect(await member.waitFor((m) => m.syncView().stoppedBy === 'MEMBER_GONE', WAIT)).toBe(true);
    expect(await manager.waitFor((m) => m.view().state.members[member.me]?.status === 'left', WAIT)).toBe(
      true,
    );
    expect(member.recent().find((r) => r.id === left.id)?.status).toBe('synced');
    expect(member.syncView().waiting).toBe(0);
    expect(formerStanding(member.view())).toMatchObject({ status: 'left' });
  });

  it('6: a leave goes out only once IndexedDB says "saved", and the server’s close then confirms it', async () => {
    const olga = await browser('Olga');
    const ann = await browser('Ann');
    const manager = await createdAgency(olga, server.url);
    const member = await joined(manager, ann);
    await member.waitFor((m) => m.syncView().status === 'synced', WAIT);
    // A slow disk: the save is held. The leave must not reach the server before it is stored here (a crash
    // in between would leave the server an action this browser never held: send-when-stored.ts).
    const store = (member as unknown as { store: { saved(): Promise<void> } }).store;
    const saved = store.saved.bind(store);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked = false;
    store.saved = async () => {
      asked = true;
      await held;
      return saved();
    };
    const leaving = member.act('leaveAgency', {});
    await vi.waitFor(() => expect(asked).toBe(true), { timeout: WAIT });
    // The manager's browser hears of nothing while the leave is unsaved (a round trip of its own first).
    expect((await manager.act('recordPurchase', { connects: 5 })).ok).toBe(true);
    expect(await manager.waitFor((m) => m.waiting === 0, WAIT)).toBe(true);
    expect(manager.log.state.members[member.me]?.status).toBe('active');
    expect(member.syncView().stoppedBy).toBeNull();
    release();
    const left = await leaving;
    if (!left.ok) throw new Error(left.message);
    expect(await member.waitFor((m) => m.syncView().stoppedBy === 'MEMBER_GONE', WAIT)).toBe(true);
    expect(member.recent().find((r) => r.id === left.id)?.status).toBe('synced');
    expect(member.syncView().waiting).toBe(0);
  });
});
