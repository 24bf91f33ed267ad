// Issue 8, item 7: a member's catch-up (its first sync step 2) may bring back other members' actions the
// server lost (a restored backup), but only from keys that are active now, or joining in that very
// catch-up: a removed member's back-dated facts carried by a colluding member are refused, never stored.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE } from '../../core/protocol.ts';
import { DB_FILE, Store } from '../../sync-server/persistence.ts';
import { createAgency, joinPayload, newSigner, TestClient } from './support/client.ts';
import { type TestServer, testServer } from './support/server.ts';
import { until } from './support/wait.ts';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
async function server(dir?: string): Promise<TestServer> {
  const s = await testServer({}, dir);
  cleanup.push(() => s.dispose());
  return s;
}

describe("another member's actions come only in a catch-up, from a key that is active now", () => {
  it("a removed member's back-dated facts carried in a colluding member's catch-up are refused and not stored (D13)", async () => {
    const s = await server();
    const agency = await createAgency(s.url);
    cleanup.push(() => agency.destroy());
    const bob = await agency.join('Bob');
    const carl = await agency.join('Carl');
    // Carl, offline, records a balance far below the real one, dated before his removal
    carl.provider.disconnect();
    const lie = await carl.appendOk('observeBalance', { balance: 13 }, Date.now() - 60_000);
    await agency.owner.appendOk('removeMember', { member: carl.signer.keyId });
    await until(() => bob.log.state.members[carl.signer.keyId]?.status === 'removed');
    // Bob takes Carl's write into his own replica and reconnects: his catch-up carries it
    bob.provider.disconnect();
    Y.applyUpdate(bob.doc, Y.encodeStateAsUpdate(carl.doc, Y.encodeStateVector(bob.doc)));
    await bob.log.settled();
    expect(bob.log.has(lie)).toBe(true);
    const closesBefore = bob.closes.length;
    bob.connect();
    await until(() => bob.closes.length > closesBefore, { what: "Bob's catch-up to be refused" });
    const closed = bob.closes[closesBefore]!;
    expect(closed.code).toBe(CLOSE.INVALID_ACTION.code);
    expect(closed.reason).toMatch(/ACTOR_NOT_ACTIVE/);
    const check = await TestClient.open({ url: s.url, room: agency.id, signer: agency.owner.signer });
    cleanup.push(() => check.destroy());
    await check.whenSynced();
    expect(check.log.has(lie)).toBe(false);
    expect(check.log.state.balance).toBe(agency.owner.log.state.balance);
    expect(agency.owner.log.state.balance).toBe(500);
  });

  it('a catch-up after a restored backup brings back a join and the joiner’s writes, lost with the restore', async () => {
    const first = await server();
    const agency = await createAgency(first.url);
    const bob = await agency.join('Bob');
    const invite = await agency.invite();
    const backupDir = await mkdtemp(join(tmpdir(), 'agency-sync-backup-'));
    cleanup.push(() => rm(backupDir, { recursive: true, force: true }));
    const store = Store.open(first.dataDir);
    store.backup(join(backupDir, DB_FILE));
    store.close();
    // after the backup: Jo joins with the invite granted before it, and writes
    const jo = await TestClient.open({ url: first.url, room: agency.id, signer: await newSigner(), invite });
    await jo.whenSynced();
    await until(() => jo.log.state.invites[Buffer.from(invite.publicKey).toString('base64url')]);
    const joined = await jo.appendOk('joinAgency', await joinPayload(agency.id, invite, jo.signer, 'Jo'));
    const wrote = await jo.appendOk('observeBalance', { balance: 501 });
    await until(() => bob.log.has(joined) && bob.log.has(wrote) && jo.acked);
    jo.destroy();
    agency.owner.destroy();
    bob.provider.disconnect();
    const ids = bob.ids();

    const restored = await server(backupDir);
    const back = await TestClient.open({
      url: restored.url,
      room: agency.id,
      signer: bob.signer,
      doc: bob.doc,
    });
    cleanup.push(() => back.destroy());
    await back.whenSynced();
    await until(() => back.acked, { what: "Bob's catch-up to be stored" });
    expect(back.closes).toEqual([]);
    const check = await TestClient.open({ url: restored.url, room: agency.id, signer: jo.signer });
    cleanup.push(() => check.destroy());
    await check.whenSynced();
    expect(check.standing).toBe('member');
    await until(() => check.ids().length === ids.length, { what: 'everything back on the server' });
    expect(check.log.has(wrote)).toBe(true);
    bob.destroy();
  });
});
