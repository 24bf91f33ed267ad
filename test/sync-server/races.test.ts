// The other side of the refusal matrix: an honest member whose intent loses a concurrent race is not
// closed (its Y.Doc would resend the update forever, yjs/yjs#550); it is stored, relayed, and every
// replica's derive refuses it the same way.
import { afterEach, describe, expect, it } from 'vitest';
import { createAction } from '../../core/index.ts';
import { CLOSE } from '../../core/protocol.ts';
import { type Agency, createAgency, TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { until } from './support/wait.ts';

let server: TestServer;
let agency: Agency;
const others: { destroy?(): void; close?(): void }[] = [];

afterEach(async () => {
  for (const o of others.splice(0)) {
    o.destroy?.();
    o.close?.();
  }
  agency?.destroy();
  await server?.dispose();
});

const refusalsOf = (c: TestClient, id: string) =>
  c.log.state.verdicts.filter((v) => v.id === id && v.kind === 'refused').map((v) => `${v.code}/${v.rule}`);

async function offerTo(agencyOf: Agency, member: TestClient, offer: string): Promise<void> {
  const id = await member.appendOk('receiveOffer', {
    offer,
    job: `job-${offer}`,
    title: 'Logo for a bakery',
    as: 'agency',
    member: member.signer.keyId,
    kind: 'fixed',
  });
  for (const c of agencyOf.clients) await until(() => c.log.has(id), { what: 'the offer everywhere' });
}

describe('concurrent races', () => {
  it('R2: two managers accept the same offer while one is offline; both are stored, neither writer is closed, and every replica reads one contract', async () => {
    server = await testServer();
    agency = await createAgency(server.url);
    const mia = await agency.join('Mia', { role: 'manager' });
    const bob = await agency.join('Bob');
    await offerTo(agency, bob, 'offer-1');

    mia.provider.disconnect();
    const miaAccept = await mia.appendOk('acceptOffer', { offer: 'offer-1' });
    const olgaAccept = await agency.owner.appendOk('acceptOffer', { offer: 'offer-1' });
    await until(() => agency.owner.acked && bob.log.has(olgaAccept), {
      what: "Olga's acceptance to be stored",
    });

    mia.connect();
    for (const c of [agency.owner, mia, bob]) {
      await until(() => c.log.has(miaAccept) && c.log.has(olgaAccept), {
        what: 'both acceptances everywhere',
      });
      await c.log.settled();
    }
    expect(mia.closes).toEqual([]);
    expect(agency.owner.closes).toEqual([]);
    const verdicts = [agency.owner, mia, bob].map((c) => [
      refusalsOf(c, miaAccept),
      refusalsOf(c, olgaAccept),
    ]);
    expect(verdicts[1]).toEqual(verdicts[0]);
    expect(verdicts[2]).toEqual(verdicts[0]);
    // Concurrent answers settle as "accepted" whatever their order: neither is refused
    expect([...verdicts[0]![0]!, ...verdicts[0]![1]!]).toEqual([]);
    for (const c of [agency.owner, mia, bob]) expect(c.log.state.contracts['offer-1']?.payee).toBe('agency');
  });

  it('an online race (an update whose deps are no longer the heads) is accepted, relayed, and refused by derive alike (D5)', async () => {
    server = await testServer();
    agency = await createAgency(server.url);
    const mia = await agency.join('Mia', { role: 'manager' });
    const bob = await agency.join('Bob');
    await offerTo(agency, bob, 'offer-2');
    const seen = mia.log.heads(); // what Mia had seen

    const demotion = await agency.owner.appendOk('changeRole', { member: mia.signer.keyId, role: 'member' });
    await until(() => mia.log.has(demotion), { what: "Mia's demotion at Mia's" });

    // Mia's second connection sends an acceptance signed on the heads she had before her demotion.
    const r = await RawClient.open(server.url, agency.id);
    others.push(r);
    expect(await r.authenticate(mia.signer, agency.id)).toBe('member');
    const late = await createAction(
      agency.id,
      mia.signer,
      'acceptOffer',
      { offer: 'offer-2' },
      seen,
      Date.now(),
    );
    if (!late.ok) throw new Error(late.message);
    r.sendActions([late.action]);
    for (const c of [agency.owner, mia, bob]) {
      await until(() => c.log.has(late.action.id), { what: 'the losing acceptance everywhere' });
      await c.log.settled();
    }
    expect(r.closed).toBeNull();
    // Concurrent with her demotion, the acceptance needed a business manager: refused on every replica
    // (whichever of the two sorts first), and stored, since its own past allowed it.
    const verdicts = [agency.owner, mia, bob].map((c) => refusalsOf(c, late.action.id));
    expect(verdicts[1]).toEqual(verdicts[0]);
    expect(verdicts[2]).toEqual(verdicts[0]);
    expect(verdicts[0]).toEqual(['DEMOTED/D5']);
    expect(bob.log.state.contracts['offer-2']).toBeUndefined();
  });

  it('P6: a removal closes the removed member within a second, and a demotion closes with ROLE_CHANGED', async () => {
    server = await testServer();
    agency = await createAgency(server.url);
    const mia = await agency.join('Mia', { role: 'manager' });
    const bob = await agency.join('Bob');
    const bobSecond = await TestClient.open({ url: server.url, room: agency.id, signer: bob.signer });
    others.push(bobSecond);
    await bobSecond.whenSynced();

    const started = Date.now();
    await agency.owner.appendOk('removeMember', { member: bob.signer.keyId });
    const [c1, c2] = await Promise.all([bob.whenClosed(), bobSecond.whenClosed()]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(c1.code).toBe(CLOSE.MEMBER_GONE.code);
    expect(c2.code).toBe(CLOSE.MEMBER_GONE.code);

    const demotedAt = Date.now();
    await agency.owner.appendOk('changeRole', { member: mia.signer.keyId, role: 'member' });
    const closed = await mia.whenClosed();
    expect(Date.now() - demotedAt).toBeLessThan(1_000);
    expect(closed.code).toBe(4007);
    // ROLE_CHANGED says re-authenticate: Mia comes back as a plain member
    await until(() => mia.welcomes >= 2 && mia.synced, { what: 'Mia to reconnect' });
    expect(mia.standing).toBe('member');
    expect(agency.owner.closes).toEqual([]);
  });
});
