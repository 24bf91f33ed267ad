// D12, D15 against the real server: a plain member seals a fake rate for a teammate's offer to the manager's
// published seal key and records it before the manager does (an outside review's F3). Every envelope opens
// in the manager's browser, so only who signed it can tell: the manager's Contracts and earnings
// (ReplicaAmounts.view) must show the manager's own $50/h for the offer and its contract, and Eve's record
// must be flagged on every replica (hers, the manager's, the teammate's), holding nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgencyLog, clearPart } from '../../core/index.ts';
import { ReplicaAmounts } from '../../extension/replica/replica-amounts.ts';
import { generateSealKey, sealAmounts, sealPublicKey } from '../../extension/replica/sealing.ts';
import { type Agency, createAgency, type TestClient } from './support/client.ts';
import { type TestServer, testServer } from './support/server.ts';
import { until } from './support/wait.ts';

let server: TestServer;
let agency: Agency;
let bob: TestClient;
let eve: TestClient;
let pair: CryptoKeyPair;
let pub: Uint8Array;

beforeAll(async () => {
  server = await testServer();
  agency = await createAgency(server.url, { name: 'Victim Agency' });
  pair = await generateSealKey();
  pub = await sealPublicKey(pair);
  await agency.owner.appendOk('publishSealKey', { key: pub });
  bob = await agency.join('Bob', { relationship: 'exclusive' });
  eve = await agency.join('Eve', { relationship: 'non-exclusive' });
  await until(() => eve.log.state.sealKeys[agency.owner.signer.keyId] !== undefined, {
    what: 'Eve to know the manager’s seal key',
  });
});

afterAll(async () => {
  agency.destroy();
  await server.dispose();
});

const codesOn = (log: AgencyLog, id: string) =>
  log.state.verdicts
    .filter((v) => v.id === id)
    .map((v) => v.code)
    .sort();

describe('D12, D15: a plain member’s sealed rate is never the managers’', () => {
  it('D15: the manager reads their own $50/h for the offer and its contract; Eve’s record is flagged everywhere', async () => {
    const owner = agency.owner;
    const clear = {
      offer: 'offer-777',
      job: '~0aaaaaaaaaa',
      title: 'Bob real job',
      as: 'agency' as const,
      member: bob.signer.keyId,
      kind: 'hourly' as const,
    };
    const fake = await sealAmounts(
      eve.room,
      'receiveOffer',
      clearPart('receiveOffer', clear),
      { hourlyRate: 100 },
      [pub],
    );
    const r1 = await eve.append('receiveOffer', { ...clear, sealed: fake });
    if (!r1.ok) throw new Error(`Eve's record was not written: ${r1.code}`);
    const eveId = r1.action.id;
    await until(() => eve.acked, { what: 'the server to store Eve’s record' });
    await until(() => owner.log.actions.has(eveId), { what: 'the manager to receive Eve’s record' });
    await owner.log.settled();
    expect(codesOn(owner.log, eveId)).toEqual(['AMOUNT_NOT_BY_MANAGER', 'OFFER_FOR_OTHER']);
    expect(owner.log.state.offers['offer-777']).toBeUndefined();

    // the manager records the real offer knowing Eve's record, sealed as the UI seals it
    const real = await sealAmounts(
      owner.room,
      'receiveOffer',
      clearPart('receiveOffer', clear),
      { hourlyRate: 5000 },
      [pub],
    );
    const r2 = await owner.append('receiveOffer', { ...clear, sealed: real });
    if (!r2.ok) throw new Error(`the manager's record was refused: ${r2.code}`);
    expect(r2.verdicts).toEqual([]);
    const amounts = new ReplicaAmounts(owner.room, pair);
    expect((await amounts.view(owner.log)).offers['offer-777']?.figure).toBe(5000);

    await owner.appendOk('acceptOffer', { offer: 'offer-777' });
    const view = await amounts.view(owner.log);
    expect(view.offers['offer-777']?.figure).toBe(5000);
    expect(view.contracts['offer-777']?.figure).toBe(5000);
    expect(owner.log.state.contracts['offer-777']?.termsBy).toBe(r2.action.id);

    await until(() => owner.acked, { what: 'the server to store the manager’s record' });
    for (const [who, client] of [
      ['Eve', eve],
      ['the manager', owner],
      ['Bob', bob],
    ] as const) {
      await until(() => client.log.state.contracts['offer-777'] !== undefined, {
        what: `${who}'s replica to hold the contract`,
      });
      expect(codesOn(client.log, eveId), who).toEqual(['AMOUNT_NOT_BY_MANAGER', 'OFFER_FOR_OTHER']);
      expect(client.log.state.offers['offer-777']?.record, who).toBe(r2.action.id);
    }
  });
});
