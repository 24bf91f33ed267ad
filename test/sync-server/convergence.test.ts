// Real WebsocketProvider clients converge through the server; a late joiner gets everything.
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE } from '../../core/protocol.ts';
import { type Agency, createAgency, newSigner, TestClient } from './support/client.ts';
import { type TestServer, testServer } from './support/server.ts';
import { until } from './support/wait.ts';

let server: TestServer;
let agency: Agency | null = null;
const extra: TestClient[] = [];

afterEach(async () => {
  agency?.destroy();
  agency = null;
  for (const c of extra.splice(0)) c.destroy();
  await server?.dispose();
});

const sameLog = (clients: TestClient[]) => {
  const first = clients[0]!.ids().join();
  return clients.every((c) => c.ids().join() === first && c.log.size === c.ids().length);
};

describe('convergence', () => {
  it('two members converge on every action either writes', async () => {
    server = await testServer();
    agency = await createAgency(server.url);
    const bob = await agency.join('Bob');
    const olga = agency.owner;
    for (let i = 0; i < 10; i++) {
      await olga.appendOk('submitProposal', {
        job: `o-${i}`,
        title: `Olga job ${i}`,
        as: 'agency',
        connects: 2,
        boost: 0,
      });
      await bob.appendOk('submitProposal', {
        job: `b-${i}`,
        title: `Bob job ${i}`,
        as: 'agency',
        connects: 2,
        boost: 0,
      });
    }
    await until(() => sameLog([olga, bob]) && olga.log.state.proposals.length === 20, {
      what: 'convergence',
    });
    await Promise.all([olga.log.settled(), bob.log.settled()]);
    expect(bob.log.state).toEqual(olga.log.state);
    expect(olga.log.state.balance).toBe(500 - 40);
  });

  it('five members writing at once converge to the same state, and a late joiner gets everything', async () => {
    server = await testServer();
    agency = await createAgency(server.url);
    const members = [agency.owner];
    for (const name of ['Bob', 'Cat', 'Dan', 'Eve']) members.push(await agency.join(name));
    await Promise.all(
      members.map(async (m, k) => {
        for (let i = 0; i < 8; i++) {
          await m.appendOk('submitProposal', {
            job: `j${k}-${i}`,
            title: `Job ${k}/${i}`,
            as: 'agency',
            connects: 1,
            boost: 0,
          });
        }
      }),
    );
    await until(() => sameLog(members) && members[0]!.log.state.proposals.length === 40, {
      what: 'five to converge',
    });
    for (const m of members) await m.log.settled();
    for (const m of members.slice(1)) expect(m.log.state).toEqual(members[0]!.log.state);

    const late = await TestClient.open({ url: server.url, room: agency.id, signer: members[1]!.signer });
    extra.push(late);
    await late.whenSynced();
    await until(() => late.log.size === members[0]!.log.size, { what: 'the late client to get everything' });
    await late.log.settled();
    expect(late.log.state).toEqual(members[0]!.log.state);
    expect(late.log.invalid.size).toBe(0);
  });

  it('never echoes an update to its sender, and ACKs it once stored', async () => {
    server = await testServer();
    agency = await createAgency(server.url);
    const bob = await agency.join('Bob');
    const before = bob.updatesReceived;
    const olgaBefore = agency.owner.updatesReceived;
    await bob.appendOk('submitProposal', { job: 'x', title: 'X', as: 'agency', connects: 1, boost: 0 });
    await until(() => bob.acked, { what: 'an ACK covering the write' });
    await until(() => agency!.owner.updatesReceived > olgaBefore, { what: 'the relay to Olga' });
    expect(bob.updatesReceived).toBe(before);
  });

  it('a stranger key is refused and receives nothing of the room', async () => {
    server = await testServer();
    agency = await createAgency(server.url);
    const stranger = await TestClient.open({ url: server.url, room: agency.id, signer: await newSigner() });
    extra.push(stranger);
    const closed = await stranger.whenClosed();
    expect(closed.code).toBe(CLOSE.NOT_A_MEMBER.code);
    expect(stranger.doc.getMap('actions').size).toBe(0);
  });
});

describe('awareness', () => {
  it('relays presence between members, and says when one leaves', async () => {
    server = await testServer();
    agency = await createAgency(server.url);
    const bob = await agency.join('Bob');
    const olga = agency.owner;
    olga.provider.awareness.setLocalStateField('user', { name: 'Olga' });
    await until(() => bob.provider.awareness.getStates().get(olga.doc.clientID)?.user?.name === 'Olga', {
      what: "Olga's presence at Bob's",
    });
    // the socket drops without the client saying goodbye: the server announces the departure
    olga.provider.shouldConnect = false;
    olga.provider.ws?.close();
    await until(() => !bob.provider.awareness.getStates().has(olga.doc.clientID), {
      what: 'Olga to be gone',
    });
    expect(bob.closes).toEqual([]);
  });
});
