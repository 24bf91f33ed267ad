// D15 at the real server: re-sealing earlier amounts for a newly promoted business manager is the
// re-sealer's choice of which amounts and which recipient, so the server refuses, by core's rules, every
// re-seal that an honest manager's browser would never sign — a plain member re-sealing to their own key, a
// manager re-sealing to a plain member or a demoted manager, a repeat, and oversized or duplicated boxes —
// before it is stored or relayed; an honest one reaches every member, as ciphertext.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ACTIONS_ROOT, createAction, type Payloads, type ResealBox } from '../../core/index.ts';
import { CLOSE } from '../../core/protocol.ts';
import { type Agency, createAgency, type TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { until } from './support/wait.ts';

let server: TestServer;
let agency: Agency;
let olga: TestClient;
let ann: TestClient;
let bob: TestClient;
let demi: TestClient;
let payout: string;
const raws: RawClient[] = [];

/** Each browser's seal key: fixed bytes (the server and core never open an envelope). */
const SEAL = { olga: 1, ann: 2, bob: 3, demi: 4 } as const;
const seal = (who: keyof typeof SEAL) => new Uint8Array(32).fill(SEAL[who]);
const box = (action: string): ResealBox => ({
  action,
  epk: new Uint8Array(32).fill(7),
  wrapped: new Uint8Array(48).fill(8),
});

beforeAll(async () => {
  server = await testServer();
  agency = await createAgency(server.url);
  olga = agency.owner;
  ann = await agency.join('Ann');
  bob = await agency.join('Bob');
  demi = await agency.join('Demi', { role: 'manager' });
  for (const [who, c] of [
    ['olga', olga],
    ['ann', ann],
    ['bob', bob],
    ['demi', demi],
  ] as const) {
    await c.appendOk('publishSealKey', { key: seal(who) });
    await until(() => c.acked, { what: `${who}'s seal key to be stored` });
  }
  const to = new Uint8Array(160);
  to.set(seal('olga'), 0);
  to.set(seal('demi'), 80);
  payout = await olga.appendOk('recordPayout', {
    contract: 'c1',
    sealed: { epk: new Uint8Array(32).fill(9), iv: new Uint8Array(12), box: new Uint8Array(64), to },
  });
  await olga.appendOk('changeRole', { member: ann.signer.keyId, role: 'manager' });
  await olga.appendOk('changeRole', { member: demi.signer.keyId, role: 'member' });
  await until(() => olga.acked, { what: 'the payout and the role changes to be stored' });
  for (const c of [ann, bob])
    await until(() => c.log.state.members[ann.signer.keyId]?.role === 'manager' && c.log.has(payout), {
      what: 'the promotion to reach every member',
    });
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
  const r = await connectAs(olga);
  r.requestSync();
  const frame = await until(() =>
    r.frames.find((f) => f.type === 'sync' && 'message' in f && f.message?.kind === 'step2'),
  );
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (frame as { message: { update: Uint8Array } }).message.update);
  r.close();
  return [...doc.getMap(ACTIONS_ROOT).keys()];
}

/** Signs a re-seal by `by` on its current heads (skipping core's own check) and sends it on a raw socket. */
async function sendReseal(by: TestClient, payload: Payloads['resealAmounts']) {
  const made = await createAction(agency.id, by.signer, 'resealAmounts', payload, by.log.heads(), Date.now());
  if (!made.ok) return { made };
  const r = await connectAs(by);
  r.sendActions([made.action]);
  return { made, r, id: made.action.id };
}

async function expectRefused(by: TestClient, payload: Payloads['resealAmounts'], reason: RegExp) {
  const sent = await sendReseal(by, payload);
  if (!sent.r) throw new Error('the test meant to send a well-formed action');
  const closed = await sent.r.whenClosed();
  expect(closed.code).toBe(CLOSE.INVALID_ACTION.code);
  expect(closed.reason).toMatch(reason);
  expect(await storedIds()).not.toContain(sent.id);
  for (const c of [olga, ann, bob]) expect(c.log.has(sent.id)).toBe(false);
}

const to = (who: TestClient, s: Uint8Array, actions: string[]): Payloads['resealAmounts'] => ({
  key: who.signer.publicKey,
  seal: s,
  boxes: actions.map(box),
});

describe('D15: re-sealing at the server', () => {
  it('D15: a plain member re-sealing an amount to their own key is refused, stored nowhere, relayed to no one', async () => {
    await expectRefused(bob, to(bob, seal('bob'), [payout]), /^RESEAL_NOT_MANAGER \(D15\)/);
  });

  it('D15: a manager re-sealing to a plain member, or to a demoted manager, is refused', async () => {
    await expectRefused(olga, to(bob, seal('bob'), [payout]), /^RESEAL_NOT_MANAGER_KEY \(D15\)/);
    await expectRefused(olga, to(demi, seal('demi'), [payout]), /^RESEAL_NOT_MANAGER_KEY \(D15\)/);
    // the promoted manager's browser key with a seal key it did not publish
    await expectRefused(olga, to(ann, seal('bob'), [payout]), /^RESEAL_NOT_MANAGER_KEY \(D15\)/);
  });

  it('D15: a re-seal naming an action that carries no envelope is refused', async () => {
    const creation = olga.log.derived.order[0]!;
    await expectRefused(olga, to(ann, seal('ann'), [creation]), /^RESEAL_NOT_SEALED \(D15\)/);
  });

  it('D15: oversized and duplicated re-seals cannot even be signed as valid actions, and the server refuses them', async () => {
    const many = Array.from({ length: 17 }, (_, i) => `${'A'.repeat(42)}${'ABCDEFGHIJKLMNOPQ'[i]}`);
    const big = await sendReseal(olga, to(ann, seal('ann'), many));
    expect(big.made.ok).toBe(false);
    const twice = await sendReseal(olga, to(ann, seal('ann'), [payout, payout]));
    expect(twice.made.ok).toBe(false);
    // Forged past core's signing check: the server verifies the schema of what it receives.
    const r = await connectAs(olga);
    const honest = await createAction(
      agency.id,
      olga.signer,
      'resealAmounts',
      to(ann, seal('ann'), [payout]),
      olga.log.heads(),
      Date.now(),
    );
    if (!honest.ok) throw new Error(honest.message);
    const forged = {
      ...honest.action,
      payload: { ...honest.action.payload, boxes: [box(payout), box(payout)] },
    };
    r.sendActions([forged]);
    expect((await r.whenClosed()).code).toBe(CLOSE.INVALID_ACTION.code);
    expect(await storedIds()).not.toContain(honest.action.id);
  });

  it('D15: an honest re-seal to the promoted manager is stored and reaches every member; a repeat is refused', async () => {
    const id = await olga.appendOk('resealAmounts', to(ann, seal('ann'), [payout]));
    for (const c of [ann, bob])
      await until(() => c.log.has(id), { what: 'the re-seal to reach every member' });
    expect(olga.closes).toEqual([]);
    expect(ann.log.state.verdicts.filter((v) => v.id === id)).toEqual([]);
    await expectRefused(olga, to(ann, seal('ann'), [payout]), /^RESEAL_REPEATED \(D15\)/);
    // the demoted manager still may not act as one: her re-seal to the new manager is refused
    await expectRefused(demi, to(ann, seal('ann'), [payout]), /^RESEAL_NOT_MANAGER \(D15\)/);
  });
});
