// Issue 8, item 4: a Yjs client id belongs to the key that first wrote with it, across restarts. A member
// who fills another member's next clock positions under her client id is refused, so her offline writes
// are stored, relayed and acknowledged when she comes back; and an ACK never covers a position the server
// holds someone else's entry at (rooms stored before this rule).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Action, type Signer, signJoinProof } from '../../core/index.ts';
import { CLOSE } from '../../core/protocol.ts';
import { MAX_LIVE_CLIENT_IDS } from '../../sync-server/intake.ts';
import { DB_FILE, Store } from '../../sync-server/persistence.ts';
import { createAgency, newAgencyId, newSigner, TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { chain, entriesAt, signed, updateFrame } from './support/updates.ts';
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
async function raw(s: TestServer, room: string, signer: Signer): Promise<RawClient> {
  const r = await RawClient.open(s.url, room);
  cleanup.push(() => r.close());
  expect(await r.authenticate(signer, room)).toBe('member');
  return r;
}

/** The ids the server holds for `room`, as a full sync shows them to `signer`. */
async function held(s: TestServer, room: string, signer: Signer): Promise<string[]> {
  const c = await TestClient.open({ url: s.url, room, signer });
  await c.whenSynced();
  const ids = c.ids();
  c.destroy();
  return ids;
}

describe('a Yjs client id belongs to the key that first wrote with it', () => {
  it('a member filling a manager’s next clock positions under her client id is refused; her offline writes are then stored, relayed and ACKed', async () => {
    const s = await server();
    const agency = await createAgency(s.url);
    cleanup.push(() => agency.destroy());
    const mia = await agency.join('Mia', { role: 'manager' });
    const bob = await agency.join('Bob');
    // Mia's client id and her next clock position are in every relay Bob got
    const miaClient = mia.doc.clientID;
    const next = Y.decodeStateVector(Y.encodeStateVector(bob.doc)).get(miaClient)!;
    expect(next).toBeGreaterThan(0);

    mia.provider.disconnect();
    const removal = await mia.appendOk('removeMember', { member: bob.signer.keyId });
    const second = await mia.appendOk('observeBalance', { balance: 480 });

    const attacker = await raw(s, agency.id, bob.signer);
    const facts = await chain(agency.id, bob.signer, 2, bob.log.heads());
    attacker.send(updateFrame(entriesAt(miaClient, next, facts)));
    const closed = await attacker.whenClosed();
    expect(closed.code).toBe(CLOSE.INVALID_ACTION.code);
    expect(closed.reason).toMatch(/YJS_CLIENT_TAKEN/);

    mia.connect();
    await until(() => agency.owner.log.has(removal) && agency.owner.log.has(second), {
      what: "Mia's offline writes to reach Olga",
    });
    await until(() => mia.acked, { what: "the ACK to cover Mia's writes" });
    expect(mia.closes).toEqual([]);
    const ids = await held(s, agency.id, agency.owner.signer);
    expect(ids).toContain(removal);
    expect(ids).not.toContain(facts[0]!.id);
    expect(agency.owner.log.state.members[bob.signer.keyId]?.status).toBe('removed');
  });

  it('the owner of a client id is kept with the room: after a restart another key still cannot write under it', async () => {
    const s = await server();
    const agency = await createAgency(s.url);
    const bob = await agency.join('Bob');
    const olgaClient = agency.owner.doc.clientID;
    const next = Y.decodeStateVector(Y.encodeStateVector(bob.doc)).get(olgaClient)!;
    const heads = bob.log.heads();
    const dir = s.dataDir;
    const port = s.port;
    agency.destroy();
    await s.close();
    const again = await testServer({ port }, dir);
    cleanup.push(() => again.dispose());
    const attacker = await raw(again, agency.id, bob.signer);
    attacker.send(updateFrame(entriesAt(olgaClient, next, await chain(agency.id, bob.signer, 1, heads))));
    expect((await attacker.whenClosed()).reason).toMatch(/YJS_CLIENT_TAKEN/);
  });

  it('entries under one new client id signed by two keys are refused, even in a catch-up', async () => {
    const s = await server();
    const agency = await createAgency(s.url);
    cleanup.push(() => agency.destroy());
    const bob = await agency.join('Bob');
    const r = await raw(s, agency.id, bob.signer);
    const mine = await signed(agency.id, bob.signer, 'observeBalance', { balance: 1 }, bob.log.heads());
    const olgas = await signed(agency.id, agency.owner.signer, 'observeBalance', { balance: 2 }, [mine.id]);
    const { step2Frame } = await import('./support/updates.ts');
    r.send(step2Frame(entriesAt(0x5eed, 0, [mine, olgas])));
    expect((await r.whenClosed()).reason).toMatch(/YJS_CLIENT_TAKEN/);
    expect(await held(s, agency.id, bob.signer)).not.toContain(mine.id);
  });

  it(`a connection uses at most ${MAX_LIVE_CLIENT_IDS} new client ids outside its catch-up (TOO_LARGE)`, async () => {
    const s = await server();
    const agency = await createAgency(s.url);
    cleanup.push(() => agency.destroy());
    const bob = await agency.join('Bob');
    const r = await raw(s, agency.id, bob.signer);
    const facts = await chain(agency.id, bob.signer, MAX_LIVE_CLIENT_IDS + 1, bob.log.heads());
    facts.forEach((a, i) => {
      r.send(updateFrame(entriesAt(0x7000 + i, 0, [a])));
    });
    expect((await r.whenClosed()).code).toBe(CLOSE.TOO_LARGE.code);
    const ids = await held(s, agency.id, bob.signer);
    expect(ids).toContain(facts[MAX_LIVE_CLIENT_IDS - 1]!.id);
    expect(ids).not.toContain(facts[MAX_LIVE_CLIENT_IDS]!.id);
  });
});

describe('rooms stored before client ids had owners', () => {
  it('rebuild the owners on load, and never ACK a position held by another key’s entry', async () => {
    // A data file as the previous version wrote it: schema 1, no owners, and Bob's facts already sitting
    // at Mia's next clock positions (the pre-emption it let through).
    const dir = await mkdtemp(join(tmpdir(), 'agency-sync-legacy-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const room = newAgencyId();
    const [olga, mia, bob] = [await newSigner(), await newSigner(), await newSigner()];
    const create = await signed(
      room,
      olga,
      'createAgency',
      { name: 'Acme', memberName: 'Olga', balance: 500 },
      [],
    );
    let heads = [create.id];
    const grants: Action[] = [];
    const joins: Action[] = [];
    for (const [who, role, name] of [
      [mia, 'manager', 'Mia'],
      [bob, 'member', 'Bob'],
    ] as const) {
      const invite = await newSigner();
      const expiresAt = Date.now() + 86_400_000;
      const grant = await signed(
        room,
        olga,
        'grantInvite',
        { invite: invite.publicKey, role, relationship: 'exclusive', expiresAt },
        heads,
      );
      const proof = await signJoinProof(invite, room, who.publicKey);
      const joined = await signed(room, who, 'joinAgency', { invite: invite.publicKey, proof, name }, [
        grant.id,
      ]);
      grants.push(grant);
      joins.push(joined);
      heads = [joined.id];
    }
    // each member writes under a Yjs client id of their own; Mia's is 0x4d1a
    const miaClient = 0x4d1a;
    const miaFirst = await signed(room, mia, 'observeBalance', { balance: 499 }, heads);
    const bobs = await chain(room, bob, 2, [miaFirst.id]);
    const base = [
      entriesAt(0x01, 0, [create, ...grants]),
      entriesAt(0x02, 0, [joins[0]!]),
      entriesAt(0x03, 0, [joins[1]!]),
    ];
    const rows = [...base, entriesAt(miaClient, 0, [miaFirst]), entriesAt(miaClient, 1, bobs)];
    const db = new DatabaseSync(join(dir, DB_FILE));
    db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE updates (id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, data BLOB NOT NULL);
      INSERT INTO meta VALUES ('schema', '1');`);
    for (const row of rows) db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)').run(room, row);
    db.close();

    const s = await server(dir);
    // Mia's doc: her own entries at positions 1 and 2, never stored (Bob's are there)
    const doc = new Y.Doc();
    for (const row of base) Y.applyUpdate(doc, row);
    Y.applyUpdate(doc, entriesAt(miaClient, 0, [miaFirst]));
    const miaOwn = await chain(room, mia, 2, [miaFirst.id]);
    Y.applyUpdate(doc, entriesAt(miaClient, 1, miaOwn));
    const client = await TestClient.open({ url: s.url, room, signer: mia, doc });
    cleanup.push(() => client.destroy());
    await client.whenSynced();
    await until(() => client.acks.length > 0, { what: 'an ACK' });
    expect(client.acks[client.acks.length - 1]!.get(miaClient)).toBe(1);
    expect(s.logs.some((l) => String(l.msg).includes('another key’s Yjs client id'))).toBe(true);
    // the owners were saved: Mia owns her client id, and where Bob's entries begin is remembered
    const store = Store.open(dir);
    const owners = store.load(room).owners;
    store.close();
    expect(owners.find((o) => o.client === miaClient)).toEqual({
      client: miaClient,
      key: mia.keyId,
      foreign: 1,
    });
    // and Bob cannot add more under it
    const r = await raw(s, room, bob);
    r.send(updateFrame(entriesAt(miaClient, 3, await chain(room, bob, 1, [bobs[1]!.id]))));
    expect((await r.whenClosed()).reason).toMatch(/YJS_CLIENT_TAKEN/);
  });
});
