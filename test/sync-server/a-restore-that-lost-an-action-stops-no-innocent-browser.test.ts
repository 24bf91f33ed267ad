// A server restored from a backup that lost Alice's action X: Alice's browser, whose own copy lost X too
// (a relaxed-durability power cut, or a copy rebuilt from the server), writes X' at the same place in her
// key's chain, while Bob's browser still holds X, received before the crash. Bob's catch-up carries X, a
// fork of *Alice's* chain: it is stored and relayed like a race (every replica refuses one branch
// KEY_FORKED, the same one), and Bob is not closed. A fork of the carrier's own chain, or of a key of the
// carrier's own member, is still a stop (4414), and so are more than MAX_BRANCHES branches of one key,
// counted from what the server stores (ARCHITECTURE.md, "A key's chain").
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Action } from '../../core/index.ts';
import { CLOSE } from '../../core/protocol.ts';
import { DB_FILE, Store } from '../../sync-server/persistence.ts';
import { type Agency, createAgency, joinWith, newSigner, TestClient } from './support/client.ts';
import { Hostile } from './support/hostile.ts';
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

async function backupOf(s: TestServer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'agency-sync-backup-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const store = Store.open(s.dataDir);
  store.backup(join(dir, DB_FILE));
  store.close();
  return dir;
}

const verdictsOf = (c: TestClient) =>
  c.log.state.verdicts.map((v) => `${v.id}:${v.kind}:${v.kind === 'refused' ? v.code : ''}`).sort();

describe('a restore that lost an action stops no innocent browser', () => {
  it("an innocent member's catch-up carrying the lost original of another key's rewritten action is stored, and every replica refuses the same branch", async () => {
    const first = await server();
    const agency: Agency = await createAgency(first.url);
    cleanup.push(() => agency.destroy());
    const alice = await agency.join('Alice');
    const bob = await agency.join('Bob');
    const backup = await backupOf(first);
    // after the backup: Alice writes X, Bob receives it
    const x = await alice.appendOk('observeBalance', { balance: 400 });
    await until(() => bob.log.has(x) && alice.acked, { what: 'X to reach Bob' });
    alice.destroy();
    agency.owner.destroy();
    bob.provider.disconnect();
    await first.dispose();

    const restored = await server(backup);
    // Alice's browser lost X too and rebuilds from the restored server, then writes X' in X's place
    const alice2 = await TestClient.open({ url: restored.url, room: agency.id, signer: alice.signer });
    cleanup.push(() => alice2.destroy());
    await alice2.whenSynced();
    expect(alice2.log.has(x)).toBe(false);
    const x2 = await alice2.appendOk('observeBalance', { balance: 300 });
    await until(() => alice2.acked, { what: "X' to be stored" });

    // Bob reconnects: his catch-up carries X
    const back = await TestClient.open({
      url: restored.url,
      room: agency.id,
      signer: bob.signer,
      doc: bob.doc,
    });
    cleanup.push(() => back.destroy());
    await back.whenSynced();
    await until(() => back.acked, { what: "Bob's catch-up to be stored" });
    await until(() => alice2.log.has(x), { what: 'X relayed to Alice' });
    expect(back.closes).toEqual([]);
    const check = await TestClient.open({ url: restored.url, room: agency.id, signer: agency.owner.signer });
    cleanup.push(() => check.destroy());
    await check.whenSynced();
    expect(check.log.has(x)).toBe(true);
    expect(check.log.has(x2)).toBe(true);
    // one branch refused KEY_FORKED, the same on every replica
    const forked = check.log.state.verdicts.filter((v) => v.kind === 'refused' && v.code === 'KEY_FORKED');
    expect(forked.map((v) => v.id).filter((id) => id === x || id === x2)).toHaveLength(1);
    await alice2.log.settled();
    await back.log.settled();
    expect(verdictsOf(back)).toEqual(verdictsOf(check));
    expect(verdictsOf(alice2)).toEqual(verdictsOf(check));
    expect(back.log.state.balance).toBe(check.log.state.balance);
  });

  it("a member's key that carries forks of another key of the same member is closed, and nothing is stored", async () => {
    const s = await server();
    const agency = await createAgency(s.url);
    cleanup.push(() => agency.destroy());
    const mallory = await agency.join('Mallory');
    // Mallory's second browser key K2
    const invite = await newSigner();
    await mallory.appendOk('grantDeviceInvite', {
      invite: invite.publicKey,
      member: mallory.signer.keyId,
      expiresAt: Date.now() + 86_400_000,
    });
    const second = await joinWith(s.url, agency.id, invite, 'Mallory laptop');
    const k2 = second.signer;
    second.destroy();
    await until(() => mallory.log.state.keys[k2.keyId]?.active === true, { what: 'K2 to reach K1' });
    const hostile = new Hostile(s.port, agency.id, mallory, mallory.signer);
    const base = [...mallory.log.heads()];
    // K2's chain: one write stored
    const first = await hostile.sign('observeBalance', { balance: 1 }, base, Date.now(), k2);
    const stored = await hostile.write({ kind: 'k2-chain', legit: true }, [first], {
      catchUp: true,
      signer: k2,
    });
    expect(stored.close).toBeNull();
    // then branches of K2, each on `base` (beside `first`), carried by K1 in catch-ups, over reconnects
    const sent: Action[] = [];
    const closes: (number | null)[] = [];
    for (let round = 0; round < 3; round++) {
      const branches: Action[] = [];
      for (let b = 0; b < 2; b++)
        branches.push(
          await hostile.sign('observeBalance', { balance: 10 + hostile.fresh() }, base, Date.now(), k2),
        );
      sent.push(...branches);
      const r = await hostile.write({ kind: 'k2-fork-by-k1', legit: false }, branches, { catchUp: true });
      closes.push(r.close);
    }
    expect(closes).toEqual([CLOSE.KEY_FORKED.code, CLOSE.KEY_FORKED.code, CLOSE.KEY_FORKED.code]);
    const check = await TestClient.open({ url: s.url, room: agency.id, signer: agency.owner.signer });
    cleanup.push(() => check.destroy());
    await check.whenSynced();
    expect(check.log.has(first.id)).toBe(true);
    for (const a of sent) expect(check.log.has(a.id)).toBe(false);
  });

  it("more than MAX_BRANCHES branches of another member's key, over reconnects, are refused and not stored", async () => {
    const s = await server();
    const agency = await createAgency(s.url);
    cleanup.push(() => agency.destroy());
    const alice = await agency.join('Alice');
    const mallory = await agency.join('Mallory');
    const base = [...alice.log.heads()];
    const x = await alice.appendOk('observeBalance', { balance: 400 });
    await until(() => alice.acked, { what: 'X to be stored' });
    // the branches are signed with Alice's key (the test holds it; a member could get such writes from a
    // colluding or careless Alice): each on `base`, concurrent with X, carried by Mallory
    const hostile = new Hostile(s.port, agency.id, mallory, mallory.signer);
    const sent: Action[] = [];
    const closes: (number | null)[] = [];
    for (let round = 0; round < 3; round++) {
      const branches: Action[] = [];
      for (let b = 0; b < 2; b++)
        branches.push(
          await hostile.sign(
            'observeBalance',
            { balance: 10 + hostile.fresh() },
            base,
            Date.now(),
            alice.signer,
          ),
        );
      const r = await hostile.write({ kind: 'carried-fork', legit: round < 2 }, branches, { catchUp: true });
      closes.push(r.close);
      if (r.close === null) sent.push(...branches);
      else for (const a of branches) sent.push({ ...a, id: `refused:${a.id}` });
    }
    // X plus four carried branches: stored (each refused KEY_FORKED by derive); the fifth and sixth: refused
    expect(closes).toEqual([null, null, CLOSE.KEY_FORKED.code]);
    const check = await TestClient.open({ url: s.url, room: agency.id, signer: agency.owner.signer });
    cleanup.push(() => check.destroy());
    await check.whenSynced();
    expect(check.log.has(x)).toBe(true);
    const kept = sent.filter((a) => !a.id.startsWith('refused:'));
    expect(kept).toHaveLength(4);
    for (const a of kept) expect(check.log.has(a.id)).toBe(true);
    for (const a of sent.filter((a) => a.id.startsWith('refused:')))
      expect(check.log.has(a.id.slice('refused:'.length))).toBe(false);
  });
});
