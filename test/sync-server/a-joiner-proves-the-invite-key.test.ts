// Issue 8, item 1 (the server's side): a joiner connects by proving it holds the invite's private key, for
// this very connection; the invite must be in the agency's derived state, unused, not revoked, unexpired
// by the server's clock, and its issuer must still have the authority that granted it (D7). A joiner's
// connection remembers its invite: when the invite stops admitting anyone, the connection is closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE } from '../../core/protocol.ts';
import { type Agency, createAgency, joinPayload, joinWith, newSigner, TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { until } from './support/wait.ts';

let server: TestServer;
let agency: Agency;
let other: Agency;
const extra: { destroy?(): void; close?(): void }[] = [];

beforeAll(async () => {
  server = await testServer();
  agency = await createAgency(server.url);
  other = await createAgency(server.url, { name: 'Other' });
});
afterAll(async () => {
  for (const e of extra) {
    e.destroy?.();
    e.close?.();
  }
  agency.destroy();
  other.destroy();
  await server.dispose();
});

async function asJoiner(invite: Awaited<ReturnType<Agency['invite']>>, room = agency.id) {
  const r = await RawClient.open(server.url, room);
  extra.push(r);
  const standing = await r.authenticate(await newSigner(), room, { invite });
  return { r, standing };
}

describe('a joiner proves the invite key', () => {
  it('a valid invite admits a joiner, who becomes a member by joining', async () => {
    const invite = await agency.invite();
    const jo = await TestClient.open({ url: server.url, room: agency.id, signer: await newSigner(), invite });
    extra.push(jo);
    await jo.whenSynced();
    expect(jo.standing).toBe('joiner');
    await until(() => jo.log.state.invites[Buffer.from(invite.publicKey).toString('base64url')]);
    await jo.appendOk('joinAgency', await joinPayload(agency.id, invite, jo.signer, 'Jo'));
    await until(() => agency.owner.log.state.members[jo.signer.keyId]?.status === 'active');
    // its next connection is a member's
    const again = await RawClient.open(server.url, agency.id);
    extra.push(again);
    expect(await again.authenticate(jo.signer, agency.id)).toBe('member');
  });

  it('an invite of another agency is refused (INVITE_INVALID)', async () => {
    const theirs = await other.invite();
    const { r, standing } = await asJoiner(theirs);
    expect(standing).toBeNull();
    expect(r.closed?.code).toBe(CLOSE.INVITE_INVALID.code);
    expect(r.roomFrames).toEqual([]);
  });

  it('a revoked invite is refused, and a joiner connected with it is closed when it is revoked', async () => {
    const invite = await agency.invite();
    const { r, standing } = await asJoiner(invite);
    expect(standing).toBe('joiner');
    await agency.owner.appendOk('revokeInvite', { invite: invite.publicKey });
    expect((await r.whenClosed()).code).toBe(CLOSE.INVITE_INVALID.code);
    const late = await asJoiner(invite);
    expect(late.standing).toBeNull();
    expect(late.r.closed?.code).toBe(CLOSE.INVITE_INVALID.code);
  });

  it('D7: an invite granted by a manager who was since demoted admits nobody', async () => {
    const mia = await agency.join('Mia', { role: 'manager' });
    const invite = await agency.invite({ by: mia });
    await agency.owner.appendOk('changeRole', { member: mia.signer.keyId, role: 'member' });
    await until(() => agency.owner.acked);
    const { r, standing } = await asJoiner(invite);
    expect(standing).toBeNull();
    expect(r.closed?.code).toBe(CLOSE.INVITE_INVALID.code);
    expect(r.permissionDenied).toMatch(/D7/);
  });

  it('a device invite adds a browser: the new key joins and connects as that member', async () => {
    const bob = await agency.join('Bob');
    const invite = await newSigner();
    await bob.appendOk('grantDeviceInvite', {
      invite: invite.publicKey,
      member: bob.signer.keyId,
      expiresAt: Date.now() + 3_600_000,
    });
    await until(() => bob.acked);
    const laptop = await joinWith(server.url, agency.id, invite, 'Laptop');
    extra.push(laptop);
    await until(() => agency.owner.log.state.keys[laptop.signer.keyId]?.member === bob.signer.keyId);
    const again = await RawClient.open(server.url, agency.id);
    extra.push(again);
    expect(await again.authenticate(laptop.signer, agency.id)).toBe('member');
  });
});
