// After the server is restored from a backup, a member whose browser lost its copy too writes at the place
// of one of their own actions the restore lost: a branch of their browser key's chain (core/key-chain.ts).
// When another member's catch-up brings the lost original back, the server used to close that innocent
// browser with KEY_FORKED (4414, stop) for good, and stored nothing of its catch-up. Against the real server:
// both actions are stored and applied, each flagged KEY_BRANCHED for every replica, nobody is closed, and
// the member's next write builds on both.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE, Store } from '../../sync-server/persistence.ts';
import { createAgency, TestClient } from './support/client.ts';
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

const codes = (c: TestClient, id: string) => c.log.verdictsFor(id).map((v) => `${v.kind} ${v.code}`);

describe('a branch of a key carried back after a restore', () => {
  it('is stored beside the action written in its place, both flagged, and no browser is stopped', async () => {
    const first = await server();
    const agency = await createAgency(first.url);
    const bob = await agency.join('Bob');
    const ann = await agency.join('Ann');
    await ann.appendOk('observeBalance', { balance: 480 });
    await until(() => ann.acked, { what: "Ann's first write stored" });
    const backupDir = await mkdtemp(join(tmpdir(), 'agency-sync-backup-'));
    cleanup.push(() => rm(backupDir, { recursive: true, force: true }));
    const store = Store.open(first.dataDir);
    store.backup(join(backupDir, DB_FILE));
    store.close();
    // after the backup: Ann records a proposal's worth of balance, and Bob's browser receives it
    const lost = await ann.appendOk('observeBalance', { balance: 470 });
    await until(() => ann.acked && bob.log.has(lost), {
      what: "Ann's second write on the server and at Bob's",
    });
    ann.destroy();
    agency.owner.destroy();
    bob.provider.disconnect();

    // The server comes back from the backup, and Ann's browser, which lost its copy as well, takes the
    // agency from it and writes again: not on `lost`, which neither holds any more.
    const restored = await server(backupDir);
    const annAgain = await TestClient.open({ url: restored.url, room: agency.id, signer: ann.signer });
    cleanup.push(() => annAgain.destroy());
    await annAgain.whenSynced();
    expect(annAgain.log.has(lost)).toBe(false);
    const instead = await annAgain.appendOk('observeBalance', { balance: 465 });
    await until(() => annAgain.acked, { what: "Ann's write in place of the lost one stored" });

    // Bob reconnects: his catch-up carries `lost` back.
    const bobBack = await TestClient.open({
      url: restored.url,
      room: agency.id,
      signer: bob.signer,
      doc: bob.doc,
    });
    cleanup.push(() => bobBack.destroy());
    await bobBack.whenSynced();
    await until(() => bobBack.acked, { what: "Bob's catch-up stored" });
    expect(bobBack.closes).toEqual([]);
    expect(annAgain.closes).toEqual([]);

    // Everyone, including a browser that opens the agency now, holds both, applied and flagged.
    const check = await TestClient.open({ url: restored.url, room: agency.id, signer: agency.owner.signer });
    cleanup.push(() => check.destroy());
    await check.whenSynced();
    for (const c of [check, annAgain, bobBack]) {
      await until(() => c.log.has(lost) && c.log.has(instead), { what: 'both writes everywhere' });
      expect(codes(c, lost)).toEqual(['flagged KEY_BRANCHED']);
      expect(codes(c, instead)).toEqual(['flagged KEY_BRANCHED']);
    }
    // Ann's next write builds on both branches: stored, not flagged, and nobody is closed.
    const next = await annAgain.appendOk('observeBalance', { balance: 460 });
    await until(() => annAgain.acked && check.log.has(next), { what: "Ann's next write everywhere" });
    expect(codes(check, next)).toEqual([]);
    expect(check.log.state.balance).toBe(460);
    expect([...annAgain.closes, ...bobBack.closes, ...check.closes]).toEqual([]);
    bob.destroy();
  });
});
