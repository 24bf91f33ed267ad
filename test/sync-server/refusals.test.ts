// The refusal matrix: each bad connection or update is closed with its code, nothing of it is stored or
// relayed, and the other members carry on.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ACTIONS_ROOT, createAction, type Signer, toBase64Url } from '../../core/index.ts';
import { CLOSE, encodeProof } from '../../core/protocol.ts';
import { encodeUpdate } from '../../sync-server/wire.ts';
import { type Agency, createAgency, joinWith, newSigner, type TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { rng, until } from './support/wait.ts';

let server: TestServer;
let agency: Agency;
let other: Agency;
let bob: TestClient;
const raws: RawClient[] = [];

beforeAll(async () => {
  server = await testServer({ maxMessageBytes: 256 * 1024 });
  agency = await createAgency(server.url);
  bob = await agency.join('Bob');
  other = await createAgency(server.url, { name: 'Other Agency' });
});

afterAll(async () => {
  for (const r of raws) r.close();
  agency.destroy();
  other.destroy();
  await server.dispose();
});

async function raw(room = agency.id): Promise<RawClient> {
  const r = await RawClient.open(server.url, room);
  raws.push(r);
  return r;
}

/** What the server holds for the room: a full sync as a fresh member connection sees it. */
async function storedIds(room = agency.id, signer: Signer = agency.owner.signer): Promise<string[]> {
  const r = await raw(room);
  expect(await r.authenticate(signer, room)).toBe('member');
  r.requestSync();
  const frame = await until(() =>
    r.frames.find((f) => f.type === 'sync' && 'message' in f && f.message?.kind === 'step2'),
  );
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (frame as { message: { update: Uint8Array } }).message.update);
  r.close();
  return [...doc.getMap(ACTIONS_ROOT).keys()].sort();
}

/** The others carry on: Bob's honest write still reaches Olga, and neither was closed. */
async function othersUnaffected(): Promise<void> {
  const id = await bob.appendOk('submitProposal', {
    job: `check-${Math.random().toString(36).slice(2, 8)}`,
    title: 'Still working',
    as: 'agency',
    connects: 1,
    boost: 0,
  });
  await until(() => agency.owner.log.has(id), { what: "Bob's write to reach Olga" });
  expect(agency.owner.closes).toEqual([]);
  expect(bob.closes).toEqual([]);
}

const heads = () => agency.owner.log.heads();

describe('who may connect', () => {
  it('a client that never proves membership is closed within 10 seconds and sent nothing of the room', async () => {
    const r = await raw();
    const started = Date.now();
    r.requestSync(); // kept until WELCOME, which never comes
    const closed = await r.whenClosed(12_000);
    expect(closed.code).toBe(CLOSE.AUTH_TIMEOUT.code);
    expect(Date.now() - started).toBeLessThanOrEqual(10_500);
    expect(r.roomFrames).toEqual([]);
  }, 20_000);

  it('a forged signature is refused (BAD_PROOF)', async () => {
    const r = await raw();
    const olga = agency.owner.signer;
    await until(() => r.agency('challenge'));
    r.send(
      encodeProof({
        publicKey: olga.publicKey,
        signature: new Uint8Array(64).fill(7),
        invite: null,
        creationToken: null,
      }),
    );
    expect((await r.whenClosed()).code).toBe(CLOSE.BAD_PROOF.code);
    expect(r.roomFrames).toEqual([]);
  });

  it('a proof signed for another room is refused (BAD_PROOF)', async () => {
    const r = await raw();
    const challenge = await until(() => r.agency('challenge'));
    if (challenge.kind !== 'challenge') throw new Error('no challenge');
    const signer = agency.owner.signer;
    const { answerChallenge } = await import('../../core/protocol.ts');
    r.send(await answerChallenge(challenge.nonce, other.id, signer));
    expect((await r.whenClosed()).code).toBe(CLOSE.BAD_PROOF.code);
  });

  it('a key that is not a member is refused (NOT_A_MEMBER)', async () => {
    const r = await raw();
    expect(await r.authenticate(await newSigner(), agency.id)).toBeNull();
    expect(r.closed?.code).toBe(CLOSE.NOT_A_MEMBER.code);
    expect(r.roomFrames).toEqual([]);
    // y-websocket's own "permission denied" comes first, for clients that know only that
    expect(r.permissionDenied).toMatch(/not a member/);
  });

  it('a member key of another agency is refused (NOT_A_MEMBER)', async () => {
    const r = await raw();
    expect(await r.authenticate(other.owner.signer, agency.id)).toBeNull();
    expect(r.closed?.code).toBe(CLOSE.NOT_A_MEMBER.code);
  });

  it('P6: a removed member is refused (MEMBER_GONE)', async () => {
    const carl = await agency.join('Carl');
    const closedAt = until(() => carl.closes[0]);
    await agency.owner.appendOk('removeMember', { member: carl.signer.keyId });
    expect((await closedAt).code).toBe(CLOSE.MEMBER_GONE.code);
    const r = await raw();
    expect(await r.authenticate(carl.signer, agency.id)).toBeNull();
    expect(r.closed?.code).toBe(CLOSE.MEMBER_GONE.code);
    await othersUnaffected();
  });

  it('an unknown, used or expired invite is refused (INVITE_INVALID)', async () => {
    const unknown = await raw();
    expect(
      await unknown.authenticate(await newSigner(), agency.id, { invite: await newSigner() }),
    ).toBeNull();
    expect(unknown.closed?.code).toBe(CLOSE.INVITE_INVALID.code);

    // grant, let a joiner use it, then present it again with a new key
    const invite = await agency.invite();
    const first = await joinWith(server.url, agency.id, invite, 'Eli');
    await until(() => agency.owner.log.state.invites[toBase64Url(invite.publicKey)]?.usedBy, {
      what: 'the invite to be used',
    });
    const used = await raw();
    expect(await used.authenticate(await newSigner(), agency.id, { invite })).toBeNull();
    expect(used.closed?.code).toBe(CLOSE.INVITE_INVALID.code);
    first.destroy();

    const expiring = await agency.invite({ expiresAt: Date.now() + 200 });
    await until(
      () => Date.now() > agency.owner.log.state.invites[toBase64Url(expiring.publicKey)]!.expiresAt + 5,
    );
    const expired = await raw();
    expect(await expired.authenticate(await newSigner(), agency.id, { invite: expiring })).toBeNull();
    expect(expired.closed?.code).toBe(CLOSE.INVITE_INVALID.code);
    await othersUnaffected();
  });

  it("a joiner must sign with the invite's key: a public key alone is refused (BAD_PROOF)", async () => {
    const invite = await agency.invite();
    const r = await raw();
    const challenge = await until(() => r.agency('challenge'));
    if (challenge.kind !== 'challenge') throw new Error('no challenge');
    const joiner = await newSigner();
    const { authBytes } = await import('../../core/protocol.ts');
    const signature = await joiner.sign(authBytes(challenge.nonce, agency.id, joiner.publicKey));
    // the invite's public key is in the log for every member to read; its signature here is the joiner's own
    r.send(
      encodeProof({
        publicKey: joiner.publicKey,
        signature,
        invite: { publicKey: invite.publicKey, signature },
        creationToken: null,
      }),
    );
    expect((await r.whenClosed()).code).toBe(CLOSE.BAD_PROOF.code);
    expect(r.roomFrames).toEqual([]);
  });

  it('creating an agency on a server with a creation token needs the token (CREATION_FORBIDDEN)', async () => {
    const guarded = await testServer({ createToken: 'sesame' });
    try {
      const r = await RawClient.open(guarded.url, 'brand-new-agency-1');
      expect(
        await r.authenticate(await newSigner(), 'brand-new-agency-1', { creationToken: 'wrong' }),
      ).toBeNull();
      expect(r.closed?.code).toBe(CLOSE.CREATION_FORBIDDEN.code);
      const ok = await RawClient.open(guarded.url, 'brand-new-agency-1');
      expect(
        await ok.authenticate(await newSigner(), 'brand-new-agency-1', { creationToken: 'sesame' }),
      ).toBe('creator');
      ok.close();
    } finally {
      await guarded.dispose();
    }
  });
});

describe('what a member may write', () => {
  async function asBob(): Promise<RawClient> {
    const r = await raw();
    expect(await r.authenticate(bob.signer, agency.id)).toBe('member');
    return r;
  }

  async function expectRefused(r: RawClient, code: number, badId: string | null): Promise<void> {
    expect((await r.whenClosed()).code).toBe(code);
    if (badId) {
      expect(await storedIds()).not.toContain(badId);
      expect(agency.owner.log.has(badId)).toBe(false);
      expect(bob.log.has(badId)).toBe(false);
    }
    await othersUnaffected();
  }

  it('R2: a plain member accepting an agency offer, at its own dependencies, is refused (INVALID_ACTION)', async () => {
    const offer = `offer-${Date.now()}`;
    const offerId = await bob.appendOk('receiveOffer', {
      offer,
      job: 'job-r2',
      title: 'An agency offer',
      as: 'agency',
      member: bob.signer.keyId,
      kind: 'hourly',
    });
    await until(() => agency.owner.log.has(offerId) && bob.acked);
    const r = await asBob();
    const accept = await createAction(
      agency.id,
      bob.signer,
      'acceptOffer',
      { offer },
      bob.log.heads(),
      Date.now(),
    );
    if (!accept.ok) throw new Error(accept.message);
    r.sendActions([accept.action]);
    await expectRefused(r, CLOSE.INVALID_ACTION.code, accept.action.id);
  });

  it('an action replayed into another agency is refused (INVALID_ACTION, BAD_ID)', async () => {
    const r = await asBob();
    const foreign = await createAction(
      other.id,
      bob.signer,
      'observeBalance',
      { balance: 3 },
      heads(),
      Date.now(),
    );
    if (!foreign.ok) throw new Error(foreign.message);
    r.sendActions([foreign.action]);
    await expectRefused(r, CLOSE.INVALID_ACTION.code, foreign.action.id);
    expect(r.closed?.reason).toMatch(/BAD_ID/);
  });

  it("an action signed by another member's key is refused on this connection", async () => {
    const r = await asBob();
    const olgas = await createAction(
      agency.id,
      agency.owner.signer,
      'observeBalance',
      { balance: 9 },
      heads(),
      Date.now(),
    );
    if (!olgas.ok) throw new Error(olgas.message);
    r.sendActions([olgas.action]);
    await expectRefused(r, CLOSE.INVALID_ACTION.code, olgas.action.id);
  });

  it('an action with a bad signature is refused', async () => {
    const r = await asBob();
    const made = await createAction(
      agency.id,
      bob.signer,
      'observeBalance',
      { balance: 10 },
      heads(),
      Date.now(),
    );
    if (!made.ok) throw new Error(made.message);
    const forged = { ...made.action, sig: made.action.sig.map((b, i) => (i === 0 ? b ^ 1 : b)) };
    r.sendActions([forged]);
    await expectRefused(r, CLOSE.INVALID_ACTION.code, made.action.id);
    expect(r.closed?.reason).toMatch(/BAD_SIGNATURE/);
  });

  it('an action stamped more than 5 minutes ahead is refused', async () => {
    const r = await asBob();
    const made = await createAction(
      agency.id,
      bob.signer,
      'observeBalance',
      { balance: 11 },
      heads(),
      Date.now() + 6 * 60_000,
    );
    if (!made.ok) throw new Error(made.message);
    r.sendActions([made.action]);
    await expectRefused(r, CLOSE.INVALID_ACTION.code, made.action.id);
  });

  it('a malformed entry (bad schema) is refused', async () => {
    const r = await asBob();
    const doc = new Y.Doc();
    doc.getMap(ACTIONS_ROOT).set('not-an-action-id', { type: 'submitProposal', hello: 1 });
    r.send(encodeUpdate(Y.encodeStateAsUpdate(doc)));
    await expectRefused(r, CLOSE.INVALID_ACTION.code, 'not-an-action-id');
  });

  it('a Yjs delete of a logged action is refused (LOG_TAMPERED)', async () => {
    const r = await asBob();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(bob.doc));
    const victim = bob.ids()[0]!;
    const sv = Y.encodeStateVector(doc);
    doc.getMap(ACTIONS_ROOT).delete(victim);
    r.send(encodeUpdate(Y.encodeStateAsUpdate(doc, sv)));
    await expectRefused(r, CLOSE.LOG_TAMPERED.code, null);
    expect(await storedIds()).toContain(victim);
    expect(agency.owner.log.has(victim)).toBe(true);
  });

  it('a Yjs overwrite of a logged action is refused (LOG_TAMPERED)', async () => {
    const r = await asBob();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(bob.doc));
    const victim = bob.ids()[1]!;
    const original = plainBytes(doc.getMap(ACTIONS_ROOT).get(victim));
    const sv = Y.encodeStateVector(doc);
    doc.getMap(ACTIONS_ROOT).set(victim, { type: 'observeBalance', rewritten: true });
    r.send(encodeUpdate(Y.encodeStateAsUpdate(doc, sv)));
    await expectRefused(r, CLOSE.LOG_TAMPERED.code, null);
    const kept = plainBytes(agency.owner.log.actions.get(victim));
    expect(kept).toEqual(original);
  });

  it('an entry outside the actions map is refused (LOG_TAMPERED)', async () => {
    const r = await asBob();
    const doc = new Y.Doc();
    doc.getArray('elsewhere').push(['x']);
    r.send(encodeUpdate(Y.encodeStateAsUpdate(doc)));
    await expectRefused(r, CLOSE.LOG_TAMPERED.code, null);
  });

  it('an oversized message is refused (TOO_LARGE)', async () => {
    const r = await asBob();
    r.send(new Uint8Array(256 * 1024 + 1));
    await expectRefused(r, CLOSE.TOO_LARGE.code, null);
  });

  it('random bytes are refused (MALFORMED) and change nothing', async () => {
    const before = await storedIds();
    const next = rng(42);
    const r = await asBob();
    const bytes = new Uint8Array(300).map(() => Math.floor(next() * 256));
    bytes[0] = 0; // a sync message with a random body
    r.send(bytes);
    await expectRefused(r, CLOSE.MALFORMED.code, null);
    const after = await storedIds();
    expect(after.filter((id) => !before.includes(id)).length).toBe(1); // only othersUnaffected's write
  });

  it('a truncated frame is refused (MALFORMED)', async () => {
    const r = await asBob();
    const made = await createAction(
      agency.id,
      bob.signer,
      'observeBalance',
      { balance: 12 },
      heads(),
      Date.now(),
    );
    if (!made.ok) throw new Error(made.message);
    const doc = new Y.Doc();
    doc.getMap(ACTIONS_ROOT).set(made.action.id, (await import('../../core/index.ts')).toStored(made.action));
    const frame = encodeUpdate(Y.encodeStateAsUpdate(doc));
    r.send(frame.subarray(0, Math.floor(frame.length / 2)));
    await expectRefused(r, CLOSE.MALFORMED.code, made.action.id);
  });
});

/** A value with every byte field (Uint8Array or Node Buffer, which lib0 may hand back) as a plain array. */
function plainBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return [...value];
  if (Array.isArray(value)) return value.map(plainBytes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainBytes(v)]));
  }
  return value;
}
