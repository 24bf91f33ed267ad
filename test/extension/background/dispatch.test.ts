// @vitest-environment node
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { derive, verifyEntries } from '../../../core/index.ts';
import { parseInviteCode } from '../../../core/protocol.ts';
import { STATE_PORT } from '../../../extension/messaging/types.ts';
import { readLogExport } from '../../../extension/replica/export-log.ts';
import { TestServer } from './server.ts';
import { FakePort, TestBrowser } from './support.ts';

let server: TestServer;
let browsers: TestBrowser[] = [];
const browser = () => {
  const b = new TestBrowser();
  browsers.push(b);
  return b;
};

beforeEach(async () => {
  server = await TestServer.start();
});
afterEach(async () => {
  for (const b of browsers) await b.stop();
  browsers = [];
  await server.dispose();
});

async function createAgency(b: TestBrowser, name = 'Olga') {
  return b.ok<{ agencyId: string }>({
    kind: 'createAgency',
    server: server.url,
    agencyName: 'Acme Studio',
    memberName: name,
    balance: 100,
  });
}

async function invite(b: TestBrowser, agencyId: string, relationship = 'exclusive') {
  return b.ok<{ code: string; expiresAt: number }>({
    kind: 'createInvite',
    agencyId,
    role: 'member',
    relationship,
    expiresInDays: 7,
  });
}

describe('background dispatch', () => {
  it('answers a malformed request with BAD_REQUEST and never reaches a replica', async () => {
    const b = browser();
    expect(
      await b.send({ kind: 'act', agencyId: 'AAAAAAAAAAAA', type: 'createAgency', payload: {} }),
    ).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
    });
    expect(await b.send('overview')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(b.agencies.replicas.size).toBe(0);
  });

  it('keeps creating, inviting, exporting and keys to the extension’s own pages, not content scripts', async () => {
    const b = browser();
    const { Router } = await import('../../../extension/background/router.ts');
    const router = new Router(b.agencies, { extensionOrigin: 'chrome-extension://abc/' });
    const upwork = { tab: { id: 1 }, url: 'https://www.upwork.com/nx/proposals/job/~01/apply/' };
    const options = { tab: { id: 2 }, url: 'chrome-extension://abc/options.html' };
    const invite = {
      kind: 'createInvite',
      agencyId: 'AAAAAAAAAAAAAAAAAAAAAA',
      role: 'member',
      relationship: 'exclusive',
      expiresInDays: 1,
    };
    expect(await router.dispatch(invite, upwork)).toMatchObject({ ok: false, code: 'NOT_FROM_PAGE' });
    expect(await router.dispatch({ kind: 'deviceKey' }, upwork)).toMatchObject({
      ok: false,
      code: 'NOT_FROM_PAGE',
    });
    expect(await router.dispatch(invite, options)).toMatchObject({ ok: false, code: 'UNKNOWN_AGENCY' });
    expect(await router.dispatch({ kind: 'overview' }, upwork)).toMatchObject({ ok: true });
  });

  it('refuses a request about an agency this browser is not part of', async () => {
    const b = browser();
    expect(await b.send({ kind: 'reconnect', agencyId: 'AAAAAAAAAAAAAAAAAAAAAA' })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_AGENCY',
    });
  });

  it('keeps one non-extractable device key per browser, the same after a worker restart', async () => {
    const b = browser();
    const first = await b.ok<{ publicKey: string }>({ kind: 'deviceKey' });
    await b.stop();
    b.boot();
    expect(await b.ok({ kind: 'deviceKey' })).toEqual(first);
    const { loadDeviceKey } = await import('../../../extension/replica/device-key.ts');
    const key = await loadDeviceKey(b.idb);
    expect(key.pair.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', key.pair.privateKey)).rejects.toThrow();
  });

  it('creates an agency, selects it, and posts the new overview to subscribed ports', async () => {
    const b = browser();
    const port = new FakePort(STATE_PORT);
    b.router.onConnect(port);
    const { agencyId } = await createAgency(b);
    const v = await b.until((o) => o.view?.sync.status === 'synced');
    expect(v.selected).toBe(agencyId);
    expect(v.agencies).toEqual([{ agencyId, name: 'Acme Studio' }]);
    expect(v.view?.state.members[v.view.me]).toMatchObject({ role: 'manager', name: 'Olga' });
    expect(v.view?.connects.balance).toBe(100);
    await expect.poll(() => port.posted.at(-1)?.view?.sync.status).toBe('synced');
    port.disconnect();
    expect(b.router.subscribers).toBe(0);
  });

  it('ignores ports that are not the state port', async () => {
    const b = browser();
    const other = new FakePort('something-else');
    b.router.onConnect(other);
    await createAgency(b);
    expect(b.router.subscribers).toBe(0);
    expect(other.posted).toEqual([]);
  });

  it('an invite code from one browser lets a fresh browser join; each sees the other', async () => {
    const olga = browser();
    const ann = browser();
    const { agencyId } = await createAgency(olga);
    const { code, expiresAt } = await invite(olga, agencyId, 'non-exclusive');
    expect(code).toMatch(/^ao1\./);
    expect(code).not.toContain('chrome-extension://');
    expect(expiresAt).toBeGreaterThan(Date.now());
    const parsed = parseInviteCode(code);
    expect(parsed.ok && parsed.invite).toMatchObject({
      server: server.url,
      agency: agencyId,
      name: 'Acme Studio',
    });
    expect(await ann.ok({ kind: 'joinAgency', code, memberName: 'Ann' })).toEqual({ agencyId });
    const annView = await ann.until((o) => o.view?.state.members[o.view.me]?.name === 'Ann');
    expect(annView.view?.state.members[annView.view.me]?.relationship).toBe('non-exclusive');
    await olga.until((o) => Object.values(o.view?.state.members ?? {}).some((m) => m.name === 'Ann'));
  });

  it('a member adds a second browser’s key, and that browser connects as the same member with the code', async () => {
    const olga = browser();
    const laptop = browser();
    const { agencyId } = await createAgency(olga);
    const me = (await olga.until((o) => o.view !== null)).view!.me;
    const { publicKey } = await laptop.ok<{ publicKey: string }>({ kind: 'deviceKey' });
    const added = await olga.ok<{ id: string; code: string }>({
      kind: 'addDevice',
      agencyId,
      member: me,
      publicKey,
      label: 'laptop',
    });
    expect(added.code).toMatch(/^ao1\./);
    await olga.until((o) => o.view?.sync.waiting === 0);
    expect(await laptop.ok({ kind: 'joinAgency', code: added.code, memberName: 'ignored' })).toEqual({
      agencyId,
    });
    const v = await laptop.until((o) => o.view?.sync.status === 'synced');
    expect(v.view?.me).toBe(me);
    expect(Object.keys(v.view?.state.members ?? {})).toEqual([me]);
    expect(v.view?.state.keys[publicKey]).toMatchObject({ member: me, active: true, label: 'laptop' });
  });

  it('refuses a damaged invite code with the reason', async () => {
    const b = browser();
    expect(await b.send({ kind: 'joinAgency', code: 'hello', memberName: 'Ann' })).toMatchObject({
      ok: false,
      code: 'BAD_INVITE',
      message: expect.stringContaining('ao1.'),
    });
  });

  it('P2: a member’s manager-only action is refused with the rule; a manager’s is saved', async () => {
    const olga = browser();
    const ann = browser();
    const { agencyId } = await createAgency(olga);
    await ann.ok({ kind: 'joinAgency', code: (await invite(olga, agencyId)).code, memberName: 'Ann' });
    const refused = await ann.send({
      kind: 'act',
      agencyId,
      type: 'recordPurchase',
      payload: { connects: 50 },
    });
    expect(refused).toMatchObject({ ok: false, code: 'NOT_BUSINESS_MANAGER', rule: 'P2' });
    const saved = await olga.send({
      kind: 'act',
      agencyId,
      type: 'recordPurchase',
      payload: { connects: 50 },
    });
    expect(saved).toMatchObject({ ok: true, value: { status: 'saved', flags: [] } });
    await ann.until((o) => o.view?.connects.balance === 150);
  });

  it('a restarted worker comes back to the same overview, from storage', async () => {
    const b = browser();
    const { agencyId } = await createAgency(b);
    await b.ok({ kind: 'act', agencyId, type: 'recordPurchase', payload: { connects: 20 } });
    const before = await b.until((o) => o.view?.sync.waiting === 0);
    await b.stop();
    b.boot();
    const after = await b.ok<typeof before>({ kind: 'overview' });
    expect(after.selected).toBe(agencyId);
    expect(after.view?.state).toEqual(before.view?.state);
    expect(after.view?.recent).toEqual(before.view?.recent);
    // start() is idempotent: a second wake-up opens nothing twice.
    await b.agencies.start();
    await b.agencies.wake();
    expect(b.agencies.replicas.size).toBe(1);
  });

  it('exports the log as a file anyone can verify with core', async () => {
    const b = browser();
    const { agencyId } = await createAgency(b);
    await invite(b, agencyId);
    await b.ok({ kind: 'act', agencyId, type: 'recordPurchase', payload: { connects: 20 } });
    const { fileName, json } = await b.ok<{ fileName: string; json: string }>({
      kind: 'exportLog',
      agencyId,
    });
    expect(fileName).toMatch(/^acme-studio-log-\d{4}-\d{2}-\d{2}\.json$/);
    const read = readLogExport(json);
    if (!read.ok) throw new Error(read.message);
    expect(read.agencyId).toBe(agencyId);
    const { valid, invalid } = await verifyEntries(read.agencyId, read.entries);
    expect(invalid).toEqual([]);
    expect(valid).toHaveLength(3);
    const overview = b.agencies.overview();
    expect(derive(agencyId, valid).state).toEqual(overview.view?.state);
    // Any change to a signed action is caught.
    const tampered = json.replace(/"connects": ?20\b/, '"connects": 2000');
    expect(tampered).not.toBe(json);
    const bad = readLogExport(tampered);
    if (!bad.ok) throw new Error(bad.message);
    expect((await verifyEntries(agencyId, bad.entries)).invalid).toHaveLength(1);
  });

  it('setServer moves the agency to another address and remembers it', async () => {
    const b = browser();
    const { agencyId } = await createAgency(b);
    const other = await TestServer.start();
    try {
      await b.ok({ kind: 'setServer', agencyId, server: other.url });
      expect((await b.settings.agencies())[0]?.server).toBe(other.url);
      const v = await b.until((o) => o.view?.sync.status === 'synced' && o.view.sync.server === other.url);
      expect(v.view?.sync.server).toBe(other.url);
    } finally {
      await b.stop();
      await other.dispose();
    }
  });
});
