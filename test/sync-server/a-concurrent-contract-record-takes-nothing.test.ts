// D8 through the real server (an outside review's take-over): Mallory signs her record of Bob's contract on
// the dependencies of Bob's record, stamped 1 ms after it (or a day before), so that the two are concurrent.
// No replica — Bob's, Mallory's, the owner's, a member who joins afterwards and derives the whole log afresh —
// lets her hold it: the contract is disputed, both records flagged, until a business manager decides. The
// records are facts: the server stores and relays both and closes no one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, derive } from '../../core/index.ts';
import { type Agency, createAgency, type TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { signed } from './support/updates.ts';
import { until } from './support/wait.ts';

let server: TestServer;
let agency: Agency;
let bob: TestClient;
let mallory: TestClient;
const raws: RawClient[] = [];

beforeAll(async () => {
  server = await testServer();
  agency = await createAgency(server.url);
  bob = await agency.join('Bob', { relationship: 'non-exclusive' });
  mallory = await agency.join('Mallory', { relationship: 'non-exclusive' });
});

afterAll(async () => {
  for (const raw of raws) raw.close();
  agency.destroy();
  await server.dispose();
});

/** What a replica holds of the contract, and the codes of the two records, from its live state and afresh. */
function seenBy(client: TestClient, contract: string, ids: string[]) {
  const views = [client.log.state, derive(client.room, client.log.ordered()).state];
  return views.map((s) => ({
    member: s.contractsSeen[contract]?.member,
    disputed: s.contractsSeen[contract]?.disputed,
    codes: ids.map((id) => s.verdicts.filter((v) => v.id === id).map((v) => v.code)),
  }));
}

describe('D8: a concurrent record of a teammate’s contract takes nothing, on every replica', () => {
  for (const [label, shift, contract] of [
    ['stamped 1 ms after Bob’s', 1, '42000001'],
    ['back-dated a day before Bob’s', -86_400_000, '42000002'],
  ] as const) {
    it(`D8: Mallory's record ${label} leaves the contract disputed, not hers; a business manager then decides`, async () => {
      const bobsId = await bob.appendOk('observeContract', {
        contract,
        title: 'Storefront audit',
        kind: 'hourly',
        as: 'agency',
      });
      const bobs = bob.log.derived.actions.get(bobsId)! as Action;
      const hers = await signed(
        agency.id,
        mallory.signer,
        'observeContract',
        { contract, title: 'Mine now', kind: 'fixed', as: 'agency' },
        bobs.deps,
        bobs.at + shift,
      );
      const raw = await RawClient.open(server.url, agency.id);
      raws.push(raw);
      expect(await raw.authenticate(mallory.signer, agency.id)).toBe('member');
      raw.sendActions([hers]);

      const disputed = [bob.signer.keyId, mallory.signer.keyId].sort();
      const expected = { member: null, disputed, codes: [['CONTRACT_DISPUTED'], ['CONTRACT_DISPUTED']] };
      for (const client of [agency.owner, bob, mallory]) {
        await until(() => client.log.has(hers.id) && client.log.has(bobsId), {
          what: 'both records to reach every replica',
        });
        for (const view of seenBy(client, contract, [bobsId, hers.id])) expect(view).toEqual(expected);
      }
      // a member who joins now derives the whole log from what the server stored
      const carol = await agency.join(`Carol ${contract}`);
      await until(() => carol.log.has(hers.id), { what: 'the late joiner to receive the records' });
      for (const view of seenBy(carol, contract, [bobsId, hers.id])) expect(view).toEqual(expected);

      // the owner decides it is Bob's: every replica agrees, Mallory's records stay flagged
      await agency.owner.appendOk('assignContract', { contract, member: bob.signer.keyId });
      for (const client of [agency.owner, bob, mallory, carol]) {
        await until(() => client.log.state.contractsSeen[contract]?.member === bob.signer.keyId, {
          what: 'the decision to reach every replica',
        });
        const [live, fresh] = seenBy(client, contract, [bobsId, hers.id]);
        expect(fresh).toEqual(live);
        expect(live!.codes).toEqual([['CONTRACT_DISPUTED'], ['CONTRACT_DISPUTED']]);
      }
      expect(raw.closed).toBeNull();
      expect(agency.owner.closes).toEqual([]);
      expect(mallory.closes).toEqual([]);
    });
  }

  it('P2: the server refuses a plain member’s decision, as core does', async () => {
    const contract = '42000003';
    await bob.appendOk('observeContract', { contract, title: 'Logo', kind: 'fixed', as: 'agency' });
    await until(() => mallory.log.state.contractsSeen[contract] !== undefined, { what: 'Bob’s record' });
    const r = await mallory.append('assignContract', { contract, member: mallory.signer.keyId });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('NOT_BUSINESS_MANAGER');
    // written anyway, straight to the server: the server refuses the update and stores nothing of it
    const forced = await signed(
      agency.id,
      mallory.signer,
      'assignContract',
      { contract, member: mallory.signer.keyId },
      mallory.log.heads(),
    );
    const raw = await RawClient.open(server.url, agency.id);
    raws.push(raw);
    expect(await raw.authenticate(mallory.signer, agency.id)).toBe('member');
    raw.sendActions([forced]);
    await raw.whenClosed();
    expect(agency.owner.log.has(forced.id)).toBe(false);
    expect(agency.owner.log.state.contractsSeen[contract]?.member).toBe(bob.signer.keyId);
  });
});
