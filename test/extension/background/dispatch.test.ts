// @vitest-environment node
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { derive, fromBase64Url, importInviteKey, toBase64Url, verifyEntries } from '../../../core/index.ts';
import { encodeInviteCode, parseInviteCode } from '../../../core/protocol.ts';
import { type OverviewView, STATE_PORT } from '../../../extension/messaging/types.ts';
import { DocStore } from '../../../extension/replica/doc-store.ts';
import { readLogExport } from '../../../extension/replica/export-log.ts';
import { replicaDbName } from '../../../extension/replica/replica.ts';
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

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** JSON.stringify replacer: bytes as their base64url text, so a search of the text finds them too. */
const bytesAsText = (_key: string, value: unknown) =>
  value instanceof Uint8Array ? toBase64Url(value) : value;

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

  it('refuses a request about an agency this browser is not part of', async () => {
    const b = browser();
    expect(await b.send({ kind: 'reconnect', agencyId: 'AAAAAAAAAAAAAAAAAAAAAA' })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_AGENCY',
    });
  });

  it('keeps one non-extractable device key per browser, the same after a worker restart', async () => {
    const b = browser();
    const { loadDeviceKey } = await import('../../../extension/replica/device-key.ts');
    const first = await loadDeviceKey(b.idb);
    const { agencyId } = await createAgency(b);
    const me = (await b.until((o) => o.view !== null)).view!.me;
    expect(me).toBe(first.signer.keyId);
    await b.stop();
    b.boot();
    const again = await loadDeviceKey(b.idb);
    expect(again.signer.keyId).toBe(first.signer.keyId);
    expect((await b.ok<OverviewView>({ kind: 'overview' })).view?.browserKey).toBe(first.signer.keyId);
    expect(again.pair.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', again.pair.privateKey)).rejects.toThrow();
    expect(agencyId).toBeTruthy();
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
    expect(code).toMatch(/^ao2\./);
    expect(code).not.toContain('chrome-extension://');
    expect(expiresAt).toBeGreaterThan(Date.now());
    const parsed = parseInviteCode(code);
    expect(parsed.ok && parsed.invite).toMatchObject({
      server: server.url,
      agency: agencyId,
      name: 'Acme Studio',
    });
    // The join form first asks what the code admits: read from the agency's log, nothing kept here.
    expect(await ann.ok({ kind: 'checkInvite', code })).toEqual({
      agencyId,
      agencyName: 'Acme Studio',
      kind: 'member',
      role: 'member',
      relationship: 'non-exclusive',
      expiresAt,
      grantedBy: 'Olga',
    });
    expect(ann.agencies.replicas.size).toBe(0);
    expect(await ann.ok({ kind: 'joinAgency', code, name: 'Ann' })).toEqual({ agencyId });
    const annView = await ann.until((o) => o.view?.state.members[o.view.me]?.name === 'Ann');
    expect(annView.view?.state.members[annView.view.me]?.relationship).toBe('non-exclusive');
    await olga.until((o) => Object.values(o.view?.state.members ?? {}).some((m) => m.name === 'Ann'));
  });

  it('the invite’s private key is only in the code: not in the log, not in the manager’s storage', async () => {
    const olga = browser();
    const { agencyId } = await createAgency(olga);
    const { code } = await invite(olga, agencyId);
    const parsed = parseInviteCode(code);
    if (!parsed.ok) throw new Error(parsed.message);
    const pkcs8 = fromBase64Url(parsed.invite.key)!;
    // An Ed25519 PKCS #8 key ends with its 32-byte seed: the secret part.
    const seed = pkcs8.subarray(pkcs8.length - 32);
    const r = olga.agencies.replicas.get(agencyId)!;
    await r.flush();
    expect(containsBytes(Y.encodeStateAsUpdate(r.doc), seed)).toBe(false);
    const grant = r.log.ordered().find((a) => a.type === 'grantInvite')!;
    const inviteId = toBase64Url((grant.payload as { invite: Uint8Array }).invite);
    expect(inviteId).toBe(toBase64Url((await importInviteKey(crypto.subtle, pkcs8))!.publicKey));
    const meta = await DocStore.peekMeta(replicaDbName(agencyId), ['local', 'snapshot'], olga.idb);
    const stored = JSON.stringify([...meta], bytesAsText);
    // What is stored names the invite by its public half (the derived snapshot lists it)…
    expect(stored).toContain(inviteId);
    // …and holds nothing of its private half.
    expect(stored).not.toContain(parsed.invite.key);
    expect(stored).not.toContain(toBase64Url(seed));
  });

  it('adds another browser with one code: the member makes it, the new browser joins as that member', async () => {
    const olga = browser();
    const laptop = browser();
    const { agencyId } = await createAgency(olga);
    const me = (await olga.until((o) => o.view !== null)).view!.me;
    const made = await olga.ok<{ code: string; expiresAt: number }>({
      kind: 'createDeviceInvite',
      agencyId,
      member: me,
      expiresInDays: 1,
      label: 'work laptop',
    });
    expect(made.code).toMatch(/^ao2\./);
    expect(await laptop.ok({ kind: 'checkInvite', code: made.code })).toMatchObject({
      agencyId,
      kind: 'device',
      member: { id: me, name: 'Olga' },
      grantedBy: 'Olga',
    });
    expect(await laptop.ok({ kind: 'joinAgency', code: made.code, name: 'Chrome on Linux' })).toEqual({
      agencyId,
    });
    const v = await laptop.until((o) => o.view?.sync.status === 'synced');
    const laptopKey = v.view!.browserKey;
    expect(v.view?.me).toBe(me);
    expect(laptopKey).not.toBe(me);
    expect(Object.keys(v.view?.state.members ?? {})).toEqual([me]);
    expect(v.view?.state.keys[laptopKey]).toMatchObject({
      member: me,
      active: true,
      label: 'Chrome on Linux',
    });
    expect(v.view?.state.members[me]?.keys).toEqual([me, laptopKey]);
    // The new browser acts as Olga, and Olga's first browser sees it.
    await laptop.ok({ kind: 'act', agencyId, type: 'recordPurchase', payload: { connects: 5 } });
    await olga.until((o) => o.view?.connects.balance === 105);
    // Used once: a third browser cannot use the same code.
    const third = browser();
    expect(await third.send({ kind: 'checkInvite', code: made.code })).toMatchObject({
      ok: false,
      code: 'INVITE_INVALID',
      rule: 'INVITE',
      message: expect.stringContaining('This code admits nobody now'),
    });
  });

  it('a business manager makes a browser code for a member; a member may not make one for someone else', async () => {
    const olga = browser();
    const ann = browser();
    const annPhone = browser();
    const { agencyId } = await createAgency(olga);
    await ann.ok({ kind: 'joinAgency', code: (await invite(olga, agencyId)).code, name: 'Ann' });
    const annId = (await ann.until((o) => o.view !== null)).view!.me;
    const olgaId = (await olga.until((o) => !!o.view?.state.members[annId])).view!.me;
    expect(
      await ann.send({ kind: 'createDeviceInvite', agencyId, member: olgaId, expiresInDays: 1 }),
    ).toMatchObject({ ok: false, code: 'NOT_KEY_OWNER', rule: 'P2' });
    const { code } = await olga.ok<{ code: string }>({
      kind: 'createDeviceInvite',
      agencyId,
      member: annId,
      expiresInDays: 1,
    });
    await annPhone.ok({ kind: 'joinAgency', code, name: 'Phone' });
    const v = await annPhone.until((o) => o.view?.sync.status === 'synced');
    expect(v.view?.me).toBe(annId);
    expect(v.view?.state.members[annId]?.keys).toHaveLength(2);
  });

  it('a revoked invite admits nobody; a member revokes their own browser code but not a member invite', async () => {
    const olga = browser();
    const ann = browser();
    const { agencyId } = await createAgency(olga);
    await ann.ok({ kind: 'joinAgency', code: (await invite(olga, agencyId)).code, name: 'Ann' });
    const annId = (await ann.until((o) => o.view !== null)).view!.me;
    const pending = await invite(olga, agencyId);
    const own = await ann.ok<{ code: string }>({
      kind: 'createDeviceInvite',
      agencyId,
      member: annId,
      expiresInDays: 1,
    });
    const idOf = async (code: string) => {
      const parsed = parseInviteCode(code);
      if (!parsed.ok) throw new Error(parsed.message);
      return toBase64Url(
        (await importInviteKey(crypto.subtle, fromBase64Url(parsed.invite.key)!))!.publicKey,
      );
    };
    const [pendingId, ownId] = [await idOf(pending.code), await idOf(own.code)];
    await ann.until((o) => !!o.view?.state.invites[pendingId]);
    expect(await ann.send({ kind: 'revokeInvite', agencyId, invite: pendingId })).toMatchObject({
      ok: false,
      code: 'NOT_BUSINESS_MANAGER',
      rule: 'P2',
    });
    expect(await ann.send({ kind: 'revokeInvite', agencyId, invite: ownId })).toMatchObject({
      ok: true,
      value: { status: 'saved' },
    });
    expect(await olga.send({ kind: 'revokeInvite', agencyId, invite: pendingId })).toMatchObject({
      ok: true,
    });
    await olga.until(
      (o) => !!o.view?.state.invites[ownId]?.revoked && !!o.view.state.invites[pendingId]?.revoked,
    );
    await Promise.all([
      ann.until((o) => o.view?.sync.waiting === 0),
      olga.until((o) => o.view?.sync.waiting === 0),
    ]);
    // The server refuses both codes at the handshake now.
    const stranger = browser();
    for (const code of [pending.code, own.code])
      expect(await stranger.send({ kind: 'joinAgency', code, name: 'Eve' })).toMatchObject({
        ok: false,
        code: 'INVITE_INVALID',
        message: expect.stringContaining('revoked'),
      });
    expect(stranger.agencies.replicas.size).toBe(0);
  });

  it('refuses a damaged invite code, and an old ao1. code, with the reason', async () => {
    const b = browser();
    expect(await b.send({ kind: 'joinAgency', code: 'hello', name: 'Ann' })).toMatchObject({
      ok: false,
      code: 'BAD_INVITE',
      message: expect.stringContaining('ao2.'),
    });
    expect(await b.send({ kind: 'checkInvite', code: 'ao1.eyJ9' })).toMatchObject({
      ok: false,
      code: 'BAD_INVITE',
      message: expect.stringContaining('older version'),
    });
  });

  it('2: creating with an address where no sync server answers is refused with the reason; offline only when asked', async () => {
    const b = browser();
    const dead = await server.deadUrl();
    const refused = await b.send({
      kind: 'createAgency',
      server: dead,
      agencyName: 'Acme Studio',
      memberName: 'Olga',
      balance: 100,
    });
    expect(refused).toMatchObject({ ok: false, code: 'PROBE_REFUSED', rule: 'SERVER', field: 'server' });
    if (!refused.ok)
      expect(refused.message).toMatch(/refused the connection on port \d+: no server is listening there/);
    expect(b.agencies.replicas.size).toBe(0);
    const { agencyId } = await b.ok<{ agencyId: string }>({
      kind: 'createAgency',
      server: dead,
      agencyName: 'Acme Studio',
      memberName: 'Olga',
      balance: 100,
      offline: true,
    });
    const view = await b.until((o) => o.view?.agencyId === agencyId);
    expect(view.view?.sync.lastSyncedAt).toBeNull();
  });

  it('2: a code whose server does not answer fails within 5 s, saying why and whom to tell', async () => {
    const olga = browser();
    const { agencyId } = await createAgency(olga);
    const { code } = await invite(olga, agencyId);
    const parsed = parseInviteCode(code);
    if (!parsed.ok) throw new Error(parsed.message);
    const moved = encodeInviteCode({ ...parsed.invite, server: await server.deadUrl() });
    const started = performance.now();
    const res = await browser().send({ kind: 'checkInvite', code: moved });
    // The bound is 5 s; the probe's own is 4 s.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(res).toMatchObject({ ok: false, code: 'PROBE_REFUSED', rule: 'SERVER' });
    if (!res.ok)
      expect(res.message).toMatch(
        /This address comes from the invite code: tell the business manager who sent it\.$/,
      );
  });

  it('P2: a member’s manager-only action is refused with the rule; a manager’s is saved', async () => {
    const olga = browser();
    const ann = browser();
    const { agencyId } = await createAgency(olga);
    await ann.ok({ kind: 'joinAgency', code: (await invite(olga, agencyId)).code, name: 'Ann' });
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
