// The server checks and decodes actions with core's own code (verifyAction with the injected node:crypto
// verifier, decodeStored): an entry that would read differently from what was signed is refused and not
// stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ACTIONS_ROOT, createAction, toStored } from '../../core/index.ts';
import { CLOSE } from '../../core/protocol.ts';
import { encodeUpdate } from '../../sync-server/wire.ts';
import { type Agency, createAgency, type TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { until } from './support/wait.ts';

let server: TestServer;
let agency: Agency;
let bob: TestClient;

beforeAll(async () => {
  server = await testServer();
  agency = await createAgency(server.url);
  bob = await agency.join('Bob');
});
afterAll(async () => {
  agency.destroy();
  await server.dispose();
});

describe('what is stored is what was signed', () => {
  it('a payload key "__proto__" (which lib0 turns into a prototype) is refused and never stored', async () => {
    const r = await RawClient.open(server.url, agency.id);
    expect(await r.authenticate(bob.signer, agency.id)).toBe('member');
    const made = await createAction(
      agency.id,
      bob.signer,
      'submitProposal',
      { job: 'proto-1', title: 'Logo', as: 'agency', connects: 2, boost: 0 },
      bob.log.heads(),
      Date.now(),
    );
    if (!made.ok) throw new Error(made.message);
    const stored = toStored(made.action);
    // an own "__proto__" key: zod, the canonical bytes and the signature never see it, a replica would
    const payload = JSON.parse(`{"__proto__":{"member":"${agency.owner.signer.keyId}"}}`);
    Object.assign(payload, stored.payload);
    const doc = new Y.Doc();
    doc.getMap(ACTIONS_ROOT).set(made.action.id, { ...stored, payload });
    r.send(encodeUpdate(Y.encodeStateAsUpdate(doc)));
    const closed = await r.whenClosed();
    expect(closed.code).toBe(CLOSE.INVALID_ACTION.code);
    expect(closed.reason).toMatch(/BAD_SCHEMA/);
    const check = await RawClient.open(server.url, agency.id);
    expect(await check.authenticate(agency.owner.signer, agency.id)).toBe('member');
    check.requestSync();
    const step2 = await until(() =>
      check.frames.find((f) => f.type === 'sync' && 'message' in f && f.message?.kind === 'step2'),
    );
    const held = new Y.Doc();
    Y.applyUpdate(held, (step2 as { message: { update: Uint8Array } }).message.update);
    expect(held.getMap(ACTIONS_ROOT).has(made.action.id)).toBe(false);
    check.close();
  });
});
