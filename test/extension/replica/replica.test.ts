// @vitest-environment node
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseInviteCode } from '../../../core/protocol.ts';
import { DocStore } from '../../../extension/replica/doc-store.ts';
import { createInvite, joinAgency } from '../../../extension/replica/flows.ts';
import { cachedView, Replica, replicaDbName } from '../../../extension/replica/replica.ts';
import { MiniServer } from './support/mini-server.ts';
import { Browser, converged, createdAgency, joined } from './support/peers.ts';

const WAIT = 10_000;
let server: MiniServer;
let browsers: Browser[] = [];

async function browser(name: string) {
  const b = await Browser.make(name);
  browsers.push(b);
  return b;
}

beforeEach(async () => {
  server = await new MiniServer().start();
});

afterEach(async () => {
  for (const b of browsers) await b.closeAll();
  browsers = [];
  await server.stop();
});

describe('replica: create, invite, join over a real sync server', () => {
  it('creating an agency makes this browser its first business manager, saved then synced', async () => {
    const olga = await browser('Olga');
    const r = await createdAgency(olga, server.url);
    expect(r.view().state.members[r.me]).toMatchObject({ role: 'manager', name: 'Olga' });
    expect(r.view().recent[0]).toMatchObject({
      type: 'createAgency',
      status: expect.stringMatching(/saved|synced/),
    });
    expect(await r.waitFor((x) => x.syncView().status === 'synced', WAIT)).toBe(true);
    expect(r.view().recent[0]).toMatchObject({ type: 'createAgency', status: 'synced' });
    expect(r.syncView()).toMatchObject({ waiting: 0, server: server.url, stoppedReason: null });
    expect(r.syncView().lastSyncedAt).toEqual(expect.any(Number));
    expect((await server.log(r.agencyId)).size).toBe(1);
  });

  it('a member joins with an invite code on a fresh browser, and both replicas converge', async () => {
    const olga = await browser('Olga');
    const ann = await browser('Ann');
    const manager = await createdAgency(olga, server.url);
    const member = await joined(manager, ann, { relationship: 'non-exclusive' });
    expect(member.isMember).toBe(true);
    expect(member.view().state.members[member.me]).toMatchObject({
      name: 'Ann',
      role: 'member',
      relationship: 'non-exclusive',
    });
    expect(await manager.waitFor((m) => converged(m, member), WAIT)).toBe(true);
    expect(manager.view().state.members[member.me]?.name).toBe('Ann');
  });

  it('a used invite cannot be used again: the server refuses and nothing is kept locally', async () => {
    const olga = await browser('Olga');
    const manager = await createdAgency(olga, server.url);
    const invite = await createInvite(manager, {
      role: 'member',
      relationship: 'exclusive',
      expiresInDays: 1,
    });
    if (!invite.ok) throw new Error(invite.message);
    const parsed = parseInviteCode(invite.code);
    if (!parsed.ok) throw new Error(parsed.message);
    const ann = await browser('Ann');
    const first = await joinAgency({ ...ann.base, invite: parsed.invite, name: 'Ann' });
    expect(first.ok).toBe(true);
    if (first.ok) ann.track(first.replica);
    await manager.waitFor((m) => Object.keys(m.log.state.members).length === 2, WAIT);
    const bob = await browser('Bob');
    const second = await joinAgency({ ...bob.base, invite: parsed.invite, name: 'Bob' });
    expect(second).toMatchObject({
      ok: false,
      code: 'INVITE_INVALID',
      message: expect.stringMatching(/used/),
    });
    // Nothing of the agency is kept in the refused browser.
    const kept = await DocStore.peekMeta(replicaDbName(manager.agencyId), ['snapshot', 'local'], bob.idb);
    expect(kept.size).toBe(0);
  });

  it('a server that needs a creation token refuses a creation without it, and the agency is not kept', async () => {
    await server.stop();
    server = await new MiniServer({ creationToken: 'let-me-in' }).start();
    const olga = await browser('Olga');
    const { createAgency } = await import('../../../extension/replica/flows.ts');
    const refused = await createAgency({
      ...olga.base,
      server: server.url,
      agencyName: 'Acme',
      memberName: 'Olga',
      balance: 0,
    });
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/creation token/) });
    const allowed = await createdAgency(olga, server.url, { creationToken: 'let-me-in' });
    expect(await allowed.waitFor((r) => r.syncView().status === 'synced', WAIT)).toBe(true);
  });
});

describe('replica: every action goes through core', () => {
  it('P2: a member who is not a business manager is refused a role change, with the rule’s sentence', async () => {
    const olga = await browser('Olga');
    const ann = await browser('Ann');
    const manager = await createdAgency(olga, server.url);
    const member = await joined(manager, ann);
    const result = await member.act('changeRole', { member: manager.me, role: 'member' });
    expect(result).toMatchObject({ ok: false, code: 'NOT_BUSINESS_MANAGER', rule: 'P2' });
    expect(member.view().recent[0]).toMatchObject({
      id: null,
      type: 'changeRole',
      status: 'refused',
      rule: 'P2',
      message: expect.stringContaining('Only business managers'),
    });
  });

  it('a manager’s changes reach the member: role, relationship, purchase', async () => {
    const olga = await browser('Olga');
    const ann = await browser('Ann');
    const manager = await createdAgency(olga, server.url);
    const member = await joined(manager, ann);
    await manager.waitFor((m) => converged(m, member), WAIT);
    expect((await manager.act('changeRole', { member: member.me, role: 'manager' })).ok).toBe(true);
    expect(
      (await manager.act('changeRelationship', { member: member.me, relationship: 'non-exclusive' })).ok,
    ).toBe(true);
    expect((await manager.act('recordPurchase', { connects: 80 })).ok).toBe(true);
    expect(
      await member.waitFor((m) => {
        const me = m.view().state.members[m.me];
        return (
          me?.role === 'manager' && me.relationship === 'non-exclusive' && m.view().connects.balance === 180
        );
      }, WAIT),
    ).toBe(true);
  });
});

describe('replica: offline, restarts and close codes', () => {
  it('actions taken offline are saved, counted as waiting, and sync when the server returns', async () => {
    const olga = await browser('Olga');
    const ann = await browser('Ann');
    const manager = await createdAgency(olga, server.url);
    const member = await joined(manager, ann, { relationship: 'non-exclusive' });
    await member.waitFor((m) => m.syncView().status === 'synced', WAIT);
    await server.stop();
    expect(await member.waitFor((m) => m.syncView().status === 'offline', WAIT)).toBe(true);
    const proposal = await member.act('submitProposal', {
      job: '~01abc',
      title: 'Logo for a coffee shop',
      as: 'agency',
      connects: 16,
      boost: 0,
    });
    expect(proposal).toMatchObject({ ok: true, status: 'saved' });
    expect(member.syncView()).toMatchObject({ status: 'offline', waiting: 1 });
    await server.start();
    expect(await member.waitFor((m) => m.syncView().status === 'synced' && m.waiting === 0, WAIT)).toBe(true);
    expect(await manager.waitFor((m) => converged(m, member), WAIT)).toBe(true);
    expect(manager.view().state.proposals).toHaveLength(1);
    expect(member.view().recent[0]).toMatchObject({ type: 'submitProposal', status: 'synced' });
  });

  it('a restarted worker reopens from the derived snapshot: same state, no signature verified again', async () => {
    const olga = await browser('Olga');
    const manager = await createdAgency(olga, server.url);
    for (let i = 0; i < 5; i++) await manager.act('recordPurchase', { connects: 10 + i });
    await manager.waitFor((m) => m.waiting === 0, WAIT);
    const before = JSON.stringify(manager.view().state);
    const recent = manager.view().recent;
    await manager.close();
    olga.replicas = [];
    const verify = vi.spyOn(crypto.subtle, 'verify');
    const reopened = olga.track(
      await Replica.open({ ...olga.base, agencyId: manager.agencyId, server: server.url, connect: false }),
    );
    expect(verify).not.toHaveBeenCalled();
    verify.mockRestore();
    expect(reopened.openStats.snapshot).toBe(true);
    expect(JSON.stringify(reopened.view().state)).toBe(before);
    expect(reopened.view().recent).toEqual(recent);
    reopened.ensureConnected();
    expect(await reopened.waitFor((r) => r.syncView().status === 'synced', WAIT)).toBe(true);
    // y-indexeddb#31: waking up and syncing with nothing new writes no doc rows.
    await reopened.store.saved();
    expect(reopened.store.stats.updatesWritten).toBe(0);
  });

  it('a woken worker can answer from the persisted view before the doc is loaded', async () => {
    const olga = await browser('Olga');
    const manager = await createdAgency(olga, server.url);
    await manager.act('recordPurchase', { connects: 25 });
    await manager.waitFor((m) => m.waiting === 0, WAIT);
    const live = manager.view();
    await manager.close();
    olga.replicas = [];
    const cached = await cachedView(manager.agencyId, server.url, olga.signer.keyId, Date.now(), olga.idb);
    expect(cached?.state).toEqual(live.state);
    expect(cached?.me).toBe(live.me);
    expect(cached?.recent).toEqual(live.recent);
    expect(cached?.connects.balance).toBe(125);
    expect(cached?.sync).toMatchObject({
      status: 'syncing',
      waiting: 0,
      lastSyncedAt: live.sync.lastSyncedAt,
    });
    expect(
      await cachedView('AAAAAAAAAAAAAAAAAAAAAA', server.url, olga.signer.keyId, Date.now(), olga.idb),
    ).toBeNull();
  });

  it('P6: when the server says the member is gone, sync stops and says why; other codes reconnect', async () => {
    const olga = await browser('Olga');
    const manager = await createdAgency(olga, server.url);
    await manager.waitFor((m) => m.syncView().status === 'synced', WAIT);
    server.kick(manager.agencyId, 'RATE_LIMITED');
    expect(await manager.waitFor((m) => m.syncView().status === 'offline', WAIT)).toBe(true);
    expect(await manager.waitFor((m) => m.syncView().status === 'synced', WAIT)).toBe(true);
    // Re-authenticate: a new connection answers a new challenge.
    server.kick(manager.agencyId, 'ROLE_CHANGED');
    expect(await manager.waitFor((m) => m.syncView().status === 'offline', WAIT)).toBe(true);
    expect(await manager.waitFor((m) => m.syncView().status === 'synced', WAIT)).toBe(true);
    server.kick(manager.agencyId, 'MEMBER_GONE');
    expect(await manager.waitFor((m) => m.syncView().status === 'stopped', WAIT)).toBe(true);
    expect(manager.syncView().stoppedReason).toMatch(/left or was removed/);
  });

  it('without ACK frames from the server, sync step 2 stands in for the acknowledgement', async () => {
    await server.stop();
    server = await new MiniServer({ acks: false }).start();
    const olga = await browser('Olga');
    const manager = await createdAgency(olga, server.url);
    expect(await manager.waitFor((m) => m.syncView().status === 'synced', WAIT)).toBe(true);
    expect(manager.view().recent[0]?.status).toBe('synced');
  });
});
