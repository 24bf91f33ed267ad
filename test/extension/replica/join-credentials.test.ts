// @vitest-environment node
// A joining browser's invite key, between pasting the code and the join landing: kept sealed
// (non-extractable) in the replica's storage so a restarted worker can still prove the invite to the real
// sync server, and erased once the server has acknowledged the join.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signJoinProof } from '../../../core/index.ts';
import { parseInviteCode } from '../../../core/protocol.ts';
import { DocStore } from '../../../extension/replica/doc-store.ts';
import { createInvite } from '../../../extension/replica/flows.ts';
import { inviteKeyFromCode, inviteSigner } from '../../../extension/replica/invite-key.ts';
import { Replica, replicaDbName } from '../../../extension/replica/replica.ts';
import { TestServer } from '../background/server.ts';
import { Browser, createdAgency } from './support/peers.ts';

const WAIT = 15_000;
let server: TestServer;
let browsers: Browser[] = [];

async function browser(name: string) {
  const b = await Browser.make(name);
  browsers.push(b);
  return b;
}

beforeEach(async () => {
  server = await TestServer.start();
});

afterEach(async () => {
  for (const b of browsers) await b.closeAll();
  browsers = [];
  await server.dispose();
});

async function storedCredentials(b: Browser, agencyId: string): Promise<unknown> {
  const meta = await DocStore.peekMeta(replicaDbName(agencyId), ['local'], b.idb);
  return (meta.get('local') as { credentials?: unknown } | undefined)?.credentials;
}

describe('a joiner’s invite key', () => {
  it('is kept sealed across a worker restart until the join is acknowledged, then erased', async () => {
    const olga = await browser('Olga');
    const manager = await createdAgency(olga, server.url);
    const made = await createInvite(manager, { role: 'member', relationship: 'exclusive', expiresInDays: 1 });
    if (!made.ok) throw new Error(made.message);
    const parsed = parseInviteCode(made.code);
    if (!parsed.ok) throw new Error(parsed.message);
    const key = (await inviteKeyFromCode(parsed.invite.key))!;
    expect(key.privateKey.extractable).toBe(false);

    // The worker is stopped before it ever connected: the key is in storage, sealed.
    const ann = await browser('Ann');
    const opts = { ...ann.base, agencyId: parsed.invite.agency, server: parsed.invite.server };
    const first = await Replica.open({ ...opts, credentials: { invite: key }, connect: false });
    await first.close();
    const kept = (await storedCredentials(ann, opts.agencyId)) as { invite: { privateKey: CryptoKey } };
    expect(kept.invite.privateKey).toBeInstanceOf(CryptoKey);
    expect(kept.invite.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', kept.invite.privateKey)).rejects.toThrow();

    // A restarted worker opens the replica with no credentials given: the kept key proves the invite.
    const replica = ann.track(await Replica.open(opts));
    expect(await replica.waitFor((r) => r.connection.standing === 'joiner', WAIT)).toBe(true);
    expect(await replica.waitFor((r) => r.log.state.ownerId !== null, WAIT)).toBe(true);
    expect(replica.pendingCredentials?.invite).toBeTruthy();

    const proof = await signJoinProof(inviteSigner(key), replica.agencyId, ann.signer.publicKey);
    const joined = await replica.act('joinAgency', { invite: key.publicKey, proof, name: 'Ann' });
    expect(joined).toMatchObject({ ok: true });
    expect(await replica.waitFor((r) => r.waiting === 0, WAIT)).toBe(true);
    expect(replica.pendingCredentials).toBeNull();
    await replica.flush();
    expect(await storedCredentials(ann, opts.agencyId)).toBeNull();
    // With nothing but its own key, this browser is welcomed as a member now.
    replica.reconnect();
    expect(await replica.waitFor((r) => r.connection.standing === 'member', WAIT)).toBe(true);
  });

  it('a stored invite secret from 0.1 is ignored: the server is asked with the device key alone', async () => {
    const olga = await browser('Olga');
    const manager = await createdAgency(olga, server.url);
    const ann = await browser('Ann');
    const opts = { ...ann.base, agencyId: manager.agencyId, server: server.url };
    const seeded = await Replica.open({ ...opts, connect: false });
    // What 0.1 persisted for a joiner.
    seeded.store.setMeta('local', () => ({
      recent: [],
      unacked: [],
      lastSyncedAt: null,
      stoppedReason: null,
      credentials: { inviteSecret: new Uint8Array(32), creationToken: null },
    }));
    await seeded.close();
    const replica = ann.track(await Replica.open(opts));
    expect(replica.pendingCredentials).toBeNull();
    expect(await replica.waitFor((r) => r.connection.state === 'stopped', WAIT)).toBe(true);
    expect(replica.connection.stoppedReason).toMatch(/not a member/);
  });
});
