// D15: the server stores and relays an amount only sealed to the business managers. An action that states a
// rate, a milestone amount or a payout in the clear (0.2.0's payload shapes, which core still reads in old
// logs) is refused before it is stored or relayed, whoever signs it, and the other members carry on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ACTIONS_ROOT, type ActionType, createAction, type Payloads } from '../../core/index.ts';
import { CLOSE } from '../../core/protocol.ts';
import { type Agency, createAgency, type TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { until } from './support/wait.ts';

let server: TestServer;
let agency: Agency;
let bob: TestClient;
const raws: RawClient[] = [];

beforeAll(async () => {
  server = await testServer();
  agency = await createAgency(server.url);
  bob = await agency.join('Bob');
});

afterAll(async () => {
  for (const r of raws) r.close();
  agency.destroy();
  await server.dispose();
});

async function connectAs(client: TestClient): Promise<RawClient> {
  const r = await RawClient.open(server.url, agency.id);
  raws.push(r);
  expect(await r.authenticate(client.signer, agency.id)).toBe('member');
  return r;
}

async function storedIds(): Promise<string[]> {
  const r = await connectAs(agency.owner);
  r.requestSync();
  const frame = await until(() =>
    r.frames.find((f) => f.type === 'sync' && 'message' in f && f.message?.kind === 'step2'),
  );
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (frame as { message: { update: Uint8Array } }).message.update);
  r.close();
  return [...doc.getMap(ACTIONS_ROOT).keys()];
}

async function sendAs<T extends ActionType>(client: TestClient, type: T, payload: Payloads[T]) {
  const made = await createAction(agency.id, client.signer, type, payload, client.log.heads(), Date.now());
  if (!made.ok) throw new Error(made.message);
  const r = await connectAs(client);
  r.sendActions([made.action]);
  return { r, id: made.action.id };
}

describe('D15: amounts in the clear', () => {
  const cases: { who: 'owner' | 'Bob'; type: ActionType; payload: (member: string) => unknown }[] = [
    {
      who: 'owner',
      type: 'receiveOffer',
      payload: (member) => ({
        offer: 'o-clear',
        job: '~01clear',
        title: 'Clear',
        as: 'agency',
        member,
        terms: { kind: 'hourly', hourlyRate: 5000 },
      }),
    },
    {
      who: 'owner',
      type: 'editContractTerms',
      payload: () => ({ contract: 'c1', terms: { kind: 'fixed', amount: 90_000 } }),
    },
    {
      who: 'Bob',
      type: 'submitMilestone',
      payload: () => ({ contract: 'c1', milestone: 'm1', title: 'Draft', amount: 40_000 }),
    },
    { who: 'Bob', type: 'recordPayout', payload: () => ({ contract: 'c1', amount: 12_345 }) },
    {
      // a business manager's own contract from their Upwork page (issue 11): its rate only sealed, too
      who: 'owner',
      type: 'observeContract',
      payload: () => ({
        contract: '42000001',
        title: 'Own contract',
        kind: 'hourly',
        as: 'agency',
        terms: { kind: 'hourly', hourlyRate: 6_500 },
      }),
    },
  ];

  for (const c of cases) {
    it(`D15: ${c.type} with its amount in the clear is refused (INVALID_ACTION), stored nowhere, relayed to no one`, async () => {
      const client = c.who === 'owner' ? agency.owner : bob;
      const { r, id } = await sendAs(client, c.type, c.payload(bob.signer.keyId) as Payloads[typeof c.type]);
      const closed = await r.whenClosed();
      expect(closed.code).toBe(CLOSE.INVALID_ACTION.code);
      expect(closed.reason).toMatch(/AMOUNT_IN_THE_CLEAR/);
      expect(await storedIds()).not.toContain(id);
      expect(agency.owner.log.has(id)).toBe(false);
      expect(bob.log.has(id)).toBe(false);
    });
  }

  it('D15: the same fact without an amount is stored, and the members carry on', async () => {
    const { r, id } = await sendAs(bob, 'recordPayout', { contract: 'c1' });
    await until(() => agency.owner.log.has(id), { what: 'the payout without an amount to reach Olga' });
    expect(r.closed).toBeNull();
    expect(agency.owner.closes).toEqual([]);
    expect(bob.closes).toEqual([]);
  });
});
