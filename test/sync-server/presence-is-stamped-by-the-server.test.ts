// Issue 8, item 9: presence (awareness) says who a connection is because the server says so. A client may
// set and remove only its own entries, an entry is at most a few KB, and a connection owns a few client ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE } from '../../core/protocol.ts';
import { MAX_CLIENTS, MAX_STATE_BYTES } from '../../sync-server/presence.ts';
import { encodeAwarenessUpdate } from '../../sync-server/wire.ts';
import { type Agency, createAgency, joinPayload, newSigner, TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { until } from './support/wait.ts';

let server: TestServer;
let agency: Agency;
let bob: TestClient;
let cat: TestClient;
const extra: { destroy?(): void; close?(): void }[] = [];

beforeAll(async () => {
  server = await testServer();
  agency = await createAgency(server.url);
  bob = await agency.join('Bob');
  cat = await agency.join('Cat', { role: 'manager' });
});
afterAll(async () => {
  for (const e of extra) {
    e.destroy?.();
    e.close?.();
  }
  agency.destroy();
  await server.dispose();
});

const seenBy = (c: TestClient, clientId: number) => c.provider.awareness.getStates().get(clientId);

async function rawMember(client: TestClient): Promise<RawClient> {
  const r = await RawClient.open(server.url, agency.id);
  extra.push(r);
  expect(await r.authenticate(client.signer, agency.id)).toBe('member');
  return r;
}

describe('presence is stamped by the server', () => {
  it("a member's presence names its own member, name and role, whatever it wrote", async () => {
    bob.provider.awareness.setLocalStateField('user', { name: 'Mia', role: 'manager', color: '#f80' });
    const shown = await until(
      () => (seenBy(cat, bob.doc.clientID)?.user?.color ? seenBy(cat, bob.doc.clientID)?.user : null),
      {
        what: "Bob's presence at Cat's",
      },
    );
    expect(shown).toEqual({
      member: bob.signer.keyId,
      name: 'Bob',
      role: 'member',
      standing: 'member',
      color: '#f80',
    });
  });

  it('a joiner announcing itself as "Mia, manager" is shown as a joiner without a name, then as the member it became', async () => {
    const invite = await agency.invite();
    const joiner = await TestClient.open({
      url: server.url,
      room: agency.id,
      signer: await newSigner(),
      invite,
    });
    extra.push(joiner);
    await joiner.whenSynced();
    joiner.provider.awareness.setLocalStateField('user', { name: 'Mia', role: 'manager' });
    const asJoiner = await until(() => seenBy(cat, joiner.doc.clientID)?.user, {
      what: "the joiner's presence",
    });
    expect(asJoiner).toEqual({ member: null, name: null, role: null, standing: 'joiner' });
    await until(() => joiner.log.state.invites[Buffer.from(invite.publicKey).toString('base64url')]);
    await joiner.appendOk('joinAgency', await joinPayload(agency.id, invite, joiner.signer, 'Jo'));
    const asMember = await until(
      () =>
        seenBy(cat, joiner.doc.clientID)?.user?.standing === 'member'
          ? seenBy(cat, joiner.doc.clientID)?.user
          : null,
      { what: 'the joiner to be shown as a member' },
    );
    expect(asMember).toEqual({ member: joiner.signer.keyId, name: 'Jo', role: 'member', standing: 'member' });
  });

  it("a member can neither overwrite nor erase another member's presence (ignored, not relayed)", async () => {
    cat.provider.awareness.setLocalStateField('user', { name: 'Cat' });
    await until(() => seenBy(bob, cat.doc.clientID)?.user?.name === 'Cat', {
      what: "Cat's presence at Bob's",
    });
    const clock = cat.provider.awareness.meta.get(cat.doc.clientID)!.clock;
    const r = await rawMember(bob);
    r.send(
      encodeAwarenessUpdate([
        { clientId: cat.doc.clientID, clock: clock + 10, state: '{"user":{"name":"Hacked"}}' },
      ]),
    );
    r.send(encodeAwarenessUpdate([{ clientId: cat.doc.clientID, clock: clock + 20, state: 'null' }]));
    // a write of Bob's after them: once it is relayed, the awareness frames before it were handled
    const marker = await bob.appendOk('observeBalance', { balance: 77 });
    await until(() => agency.owner.log.has(marker));
    expect(agency.owner.provider.awareness.getStates().get(cat.doc.clientID)?.user?.name).toBe('Cat');
    expect(r.closed).toBeNull();
  });

  it(`a presence state larger than ${MAX_STATE_BYTES} bytes is refused (TOO_LARGE) and not relayed`, async () => {
    const r = await rawMember(bob);
    const big = JSON.stringify({ user: { name: 'x' }, blob: 'y'.repeat(MAX_STATE_BYTES) });
    r.send(encodeAwarenessUpdate([{ clientId: 991_001, clock: 1, state: big }]));
    expect((await r.whenClosed()).code).toBe(CLOSE.TOO_LARGE.code);
    const marker = await bob.appendOk('observeBalance', { balance: 78 });
    await until(() => agency.owner.log.has(marker));
    expect(agency.owner.provider.awareness.getStates().has(991_001)).toBe(false);
  });

  it(`a connection owns at most ${MAX_CLIENTS} presence client ids`, async () => {
    const r = await rawMember(bob);
    const entries = Array.from({ length: MAX_CLIENTS + 1 }, (_, i) => ({
      clientId: 992_000 + i,
      clock: 1,
      state: '{"user":{"name":"Bob"}}',
    }));
    r.send(encodeAwarenessUpdate(entries));
    expect((await r.whenClosed()).code).toBe(CLOSE.MALFORMED.code);
    // its entries left with it
    await until(
      () =>
        ![...agency.owner.provider.awareness.getStates().keys()].some((id) => id >= 992_000 && id < 993_000),
      {
        what: 'the refused connection’s presence to be gone',
      },
    );
  });
});
