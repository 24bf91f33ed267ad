// Issue 8's take-over attacks, each sent twice: to one sync-server process, and to three instances on
// Postgres and Redis behind HAProxy with the attacker connected to an instance that does not serve the
// agency (it passes the connection on to the one that does). Both must refuse the same way: the same close
// code, nothing stored, the honest members' derived state unchanged; and a removal or a demotion processed
// on the serving instance closes the sockets that came in through the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, decodeStored } from '../../core/index.ts';
import { authBytes, CLOSE, encodeProof } from '../../core/protocol.ts';
import { type Agency, createAgency, newSigner, TestClient } from './support/client.ts';
import { Cluster, CREATE_TOKEN } from './support/cluster.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { signed as sign } from './support/updates.ts';
import { until } from './support/wait.ts';

interface Target {
  name: string;
  /** Where honest members connect (the balancer for the cluster). */
  url(): string;
  /** Where the attacker connects for `agency`: an instance that does not serve it, for the cluster. */
  attackerUrl(agency: string): Promise<string>;
  creationToken?: string;
  /** Connections open now that an instance passed on to another (one per attacker socket for the cluster). */
  passedOn(): Promise<number>;
  /** How many of the attacker's open sockets must show there. */
  hops: number;
}

async function passedOn(ports: readonly number[]): Promise<number> {
  let n = 0;
  for (const port of ports) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    n += Number(/^agency_sync_connections_passed_on(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0);
  }
  return n;
}

let single: TestServer;
let cluster: Cluster;
const open: { destroy?(): void; close?(): void }[] = [];

beforeAll(async () => {
  [single, cluster] = await Promise.all([testServer(), Cluster.start(3)]);
}, 120_000);
afterAll(async () => {
  for (const o of open) {
    o.destroy?.();
    o.close?.();
  }
  await Promise.all([single?.dispose(), cluster?.stop()]);
});

const targets: Target[] = [
  {
    name: 'one process',
    url: () => single.url,
    attackerUrl: async () => single.url,
    passedOn: () => passedOn([single.port]),
    hops: 0,
  },
  {
    name: 'three instances, attacker on one that does not serve the agency',
    url: () => cluster.url,
    creationToken: CREATE_TOKEN,
    passedOn: () => passedOn(cluster.instancePorts),
    hops: 1,
    async attackerUrl(agency) {
      const holder = await cluster.holder(agency);
      expect(holder).toBeGreaterThanOrEqual(0);
      return cluster.instanceUrl((holder + 1) % 3);
    },
  },
];

async function raw(url: string, room: string): Promise<RawClient> {
  const r = await RawClient.open(url, room);
  open.push(r);
  return r;
}

/** Everything the server holds of the agency, as a fresh connection of the owner receives it. */
async function stored(t: Target, agency: Agency): Promise<Set<string>> {
  const check = await TestClient.open({ url: t.url(), room: agency.id, signer: agency.owner.signer });
  try {
    await check.whenSynced(20_000);
    return new Set(check.ids());
  } finally {
    check.destroy();
  }
}

/** The actions a client holds, decoded as it stored them. */
const actionsOf = (c: TestClient): Action[] =>
  [...c.log.actions.entries()].flatMap(([id, v]) => decodeStored(id, v) ?? []);

const refusalsOf = (c: TestClient, id: string) =>
  c.log.state.verdicts.filter((v) => v.id === id && v.kind === 'refused').map((v) => `${v.code}/${v.rule}`);

describe.each(targets)('take-overs of issue 8 against $name', (t) => {
  let agency: Agency;
  let other: Agency;
  let mia: TestClient;
  let bob: TestClient;

  beforeAll(async () => {
    agency = await createAgency(t.url(), { creationToken: t.creationToken });
    other = await createAgency(t.url(), { creationToken: t.creationToken, name: 'Other' });
    mia = await agency.join('Mia', { role: 'manager' });
    bob = await agency.join('Bob');
    open.push(agency, other);
  }, 60_000);

  /** `action`, sent as `signer` through the attacker's instance, closes the socket as INVALID_ACTION and is not stored. */
  async function refusedAndNotStored(signer: TestClient['signer'], action: Action): Promise<string> {
    const r = await raw(await t.attackerUrl(agency.id), agency.id);
    expect(await r.authenticate(signer, agency.id)).toBe('member');
    r.sendActions([action]);
    const closed = await r.whenClosed(15_000);
    expect(closed.code).toBe(CLOSE.INVALID_ACTION.code);
    expect((await stored(t, agency)).has(action.id)).toBe(false);
    return closed.reason;
  }

  it("invite theft: a joiner naming Mia's invite, read from the log, is refused (BAD_PROOF)", async () => {
    const eve = await agency.join('Eve');
    const miasJoin = actionsOf(eve).find((a) => a.type === 'joinAgency' && a.actor === mia.signer.keyId) as
      | Action<'joinAgency'>
      | undefined;
    expect(miasJoin).toBeDefined();
    const r = await raw(await t.attackerUrl(agency.id), agency.id);
    const challenge = await until(() => r.agency('challenge'), { what: 'a challenge' });
    if (challenge.kind !== 'challenge') throw new Error('no challenge');
    const thief = await newSigner();
    const signature = await thief.sign(authBytes(challenge.nonce, agency.id, thief.publicKey));
    r.send(
      encodeProof({
        publicKey: thief.publicKey,
        signature,
        invite: { publicKey: miasJoin!.payload.invite, signature },
        creationToken: null,
      }),
    );
    expect((await r.whenClosed(15_000)).code).toBe(CLOSE.BAD_PROOF.code);
    expect(r.roomFrames).toEqual([]);
  });

  it("invite theft: Mia's join replayed under Eve's own key, with Mia's deps and time, is refused and not stored", async () => {
    const eve = await agency.join('Eve2');
    const miasJoin = actionsOf(eve).find(
      (a) => a.type === 'joinAgency' && a.actor === mia.signer.keyId,
    ) as Action<'joinAgency'>;
    const stolen = await sign(
      agency.id,
      eve.signer,
      'joinAgency',
      { ...miasJoin.payload, name: 'Eve2' },
      miasJoin.deps,
      miasJoin.at,
    );
    await refusedAndNotStored(eve.signer, stolen);
    expect(agency.owner.log.state.members[mia.signer.keyId]?.role).toBe('manager');
    expect(agency.owner.log.state.members[eve.signer.keyId]?.role).toBe('member');
  });

  it("a forged actor: Bob sending an action signed by Olga's key is refused (INVALID_ACTION) and not stored", async () => {
    const olgas = await sign(
      agency.id,
      agency.owner.signer,
      'changeRole',
      { member: bob.signer.keyId, role: 'manager' },
      agency.owner.log.heads(),
    );
    await refusedAndNotStored(bob.signer, olgas);
    expect(agency.owner.log.state.members[bob.signer.keyId]?.role).toBe('member');
  });

  it('replay across agencies: an action signed for another agency is refused (INVALID_ACTION, BAD_ID)', async () => {
    const theirs = await sign(
      other.id,
      bob.signer,
      'observeBalance',
      { balance: 3 },
      agency.owner.log.heads(),
    );
    expect(await refusedAndNotStored(bob.signer, theirs)).toMatch(/BAD_ID/);
    // and the other agency's own creation, replayed here as it is
    await refusedAndNotStored(bob.signer, actionsOf(other.owner).find((a) => a.type === 'createAgency')!);
  });

  it('a plain member granting himself the manager role is refused (INVALID_ACTION), at the heads or at old deps', async () => {
    for (const deps of [
      agency.owner.log.heads(),
      actionsOf(agency.owner).find((a) => a.type === 'createAgency')!.deps,
    ]) {
      const self = await sign(
        agency.id,
        bob.signer,
        'changeRole',
        { member: bob.signer.keyId, role: 'manager' },
        [...deps],
      );
      await refusedAndNotStored(bob.signer, self);
    }
    expect(agency.owner.log.state.members[bob.signer.keyId]?.role).toBe('member');
  });

  it("a demotion closes the manager's socket on the non-serving instance (ROLE_CHANGED) within 1 s; her back-dated promotion of Bob is refused by every replica (D5)", async () => {
    const dora = await agency.join('Dora', { role: 'manager' });
    const seen = dora.log.heads(); // what Dora had seen as a manager
    const doraThere = await TestClient.open({
      url: await t.attackerUrl(agency.id),
      room: agency.id,
      signer: dora.signer,
      reconnect: false,
    });
    open.push(doraThere);
    await doraThere.whenSynced(20_000);
    expect(doraThere.standing).toBe('member');
    // her socket really came in through an instance that passed it on
    expect(await t.passedOn()).toBeGreaterThanOrEqual(t.hops);
    const sent = performance.now();
    const demotion = await agency.owner.appendOk('changeRole', { member: dora.signer.keyId, role: 'member' });
    const closed = await doraThere.whenClosed(10_000);
    const closedIn = performance.now() - sent;
    expect(closed.code).toBe(CLOSE.ROLE_CHANGED.code);
    expect(closedIn).toBeLessThan(1_000);
    await until(() => bob.log.has(demotion), { what: "the demotion at Bob's" });

    // back on the non-serving instance, now as a plain member: the promotion signed on what she had seen
    const r = await raw(await t.attackerUrl(agency.id), agency.id);
    expect(await r.authenticate(dora.signer, agency.id)).toBe('member');
    const late = await sign(
      agency.id,
      dora.signer,
      'changeRole',
      { member: bob.signer.keyId, role: 'manager' },
      seen,
    );
    r.sendActions([late]);
    // stored and relayed (its own past allowed it), refused alike wherever it is derived
    for (const c of [agency.owner, bob, mia]) {
      await until(() => c.log.has(late.id), { what: 'the late promotion everywhere', timeout: 15_000 });
      await c.log.settled();
    }
    for (const c of [agency.owner, bob, mia]) {
      expect(refusalsOf(c, late.id)).toEqual(['DEMOTED/D5']);
      expect(c.log.state.members[bob.signer.keyId]?.role).toBe('member');
    }
    // at her current heads, the same promotion is refused outright
    const now = await sign(
      agency.id,
      dora.signer,
      'changeRole',
      { member: bob.signer.keyId, role: 'manager' },
      [...agency.owner.log.heads()],
    );
    await refusedAndNotStored(dora.signer, now);
    r.close();
    dora.destroy();
  });

  it('a removal closes the removed member on the non-serving instance (MEMBER_GONE) within 1 s, and he is not let back in there', async () => {
    const carl = await agency.join('Carl');
    const r = await raw(await t.attackerUrl(agency.id), agency.id);
    expect(await r.authenticate(carl.signer, agency.id)).toBe('member');
    const sent = performance.now();
    const removal = await agency.owner.appendOk('removeMember', { member: carl.signer.keyId });
    expect((await r.whenClosed(10_000)).code).toBe(CLOSE.MEMBER_GONE.code);
    expect(performance.now() - sent).toBeLessThan(1_000);
    await until(() => carl.closes.length > 0, { what: "Carl's other socket to close" });
    expect(carl.closes[0]!.code).toBe(CLOSE.MEMBER_GONE.code);
    // what the owner writes after the removal never reaches him
    const after = await agency.owner.appendOk('submitProposal', {
      job: 'after-carl',
      title: 'After Carl left',
      as: 'agency',
      connects: 1,
      boost: 0,
    });
    await until(() => agency.owner.acked, { what: 'the write after the removal to be stored' });
    expect(
      r.frames.some((f) => f.type === 'sync' && f.bytes.length > 0 && Buffer.from(f.bytes).includes(after)),
    ).toBe(false);
    expect(carl.log.has(after)).toBe(false);
    const again = await raw(await t.attackerUrl(agency.id), agency.id);
    expect(await again.authenticate(carl.signer, agency.id)).toBeNull();
    expect(again.closed?.code).toBe(CLOSE.MEMBER_GONE.code);
    expect(again.roomFrames.filter((f) => f.type === 'sync')).toEqual([]);
    expect((await stored(t, agency)).has(removal)).toBe(true);
    carl.destroy();
  });

  it('nothing of the agency reaches a stranger connecting through the non-serving instance', async () => {
    const r = await raw(await t.attackerUrl(agency.id), agency.id);
    expect(await r.authenticate(await newSigner(), agency.id)).toBeNull();
    expect(r.closed?.code).toBe(CLOSE.NOT_A_MEMBER.code);
    expect(r.roomFrames).toEqual([]);
  });
});
