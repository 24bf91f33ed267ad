// Issue 8, item 5: an invite's expiry is judged by the server's clock. A joiner's connection is closed when
// its invite expires; a join that reaches the server after the expiry is refused, however it is stamped;
// a join stamped more than 5 minutes away from the server clock, either way, is refused.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ACTIONS_ROOT, createAction, type Signer, toStored } from '../../core/index.ts';
import { CLOSE } from '../../core/protocol.ts';
import { encodeUpdate } from '../../sync-server/wire.ts';
import { type Agency, createAgency, joinPayload, newSigner } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { until } from './support/wait.ts';

const MINUTE = 60_000;
let server: TestServer;
let agency: Agency;
/** How far the server's clock is ahead of the real one. */
let skew = 0;
const cleanup: (() => void)[] = [];

afterEach(async () => {
  for (const f of cleanup.splice(0)) f();
  agency?.destroy();
  await server?.dispose();
  skew = 0;
});

async function setup(): Promise<void> {
  server = await testServer({ clock: () => Date.now() + skew });
  agency = await createAgency(server.url);
}

async function asJoiner(invite: Signer): Promise<{ r: RawClient; joiner: Signer }> {
  const r = await RawClient.open(server.url, agency.id);
  cleanup.push(() => r.close());
  const joiner = await newSigner();
  expect(await r.authenticate(joiner, agency.id, { invite })).toBe('joiner');
  return { r, joiner };
}

async function sendJoin(r: RawClient, invite: Signer, joiner: Signer, at: number): Promise<string> {
  const made = await createAction(
    agency.id,
    joiner,
    'joinAgency',
    await joinPayload(agency.id, invite, joiner, 'Eve'),
    agency.owner.log.heads(),
    at,
  );
  if (!made.ok) throw new Error(made.message);
  const doc = new Y.Doc();
  doc.getMap(ACTIONS_ROOT).set(made.action.id, toStored(made.action));
  r.send(encodeUpdate(Y.encodeStateAsUpdate(doc)));
  return made.action.id;
}

describe('invites expire by the server clock', () => {
  it("a joiner's connection is closed when its invite expires, and receives nothing written after", async () => {
    await setup();
    const invite = await agency.invite({ expiresAt: Date.now() + 1_500 });
    const { r } = await asJoiner(invite);
    const closed = await r.whenClosed(5_000);
    expect(closed.code).toBe(CLOSE.INVITE_INVALID.code);
    expect(Date.now()).toBeGreaterThan(
      agency.owner.log.state.invites[Buffer.from(invite.publicKey).toString('base64url')]!.expiresAt,
    );
    const frames = r.frames.length;
    const later = await agency.owner.appendOk('observeBalance', { balance: 1 });
    await until(() => agency.owner.acked && agency.owner.log.has(later));
    expect(r.frames.length).toBe(frames);
  });

  it('a join reaching the server after its invite expired is refused, even stamped before the expiry', async () => {
    await setup();
    const expiresAt = Date.now() + 10 * MINUTE;
    const invite = await agency.invite({ expiresAt });
    const { r, joiner } = await asJoiner(invite);
    // the server's clock passes the expiry before the join arrives (its timer has not fired yet)
    skew = expiresAt - Date.now() + 1_000;
    const id = await sendJoin(r, invite, joiner, expiresAt - 2 * MINUTE);
    const closed = await r.whenClosed();
    expect(closed.code).toBe(CLOSE.INVALID_ACTION.code);
    expect(closed.reason).toMatch(/INVITE_EXPIRED/);
    expect(agency.owner.log.has(id)).toBe(false);
  });

  for (const [what, offset] of [
    ['more than 5 minutes before', -6 * MINUTE],
    ['more than 5 minutes after', 6 * MINUTE],
  ] as const) {
    it(`a join stamped ${what} the server clock is refused`, async () => {
      await setup();
      const invite = await agency.invite();
      const { r, joiner } = await asJoiner(invite);
      const id = await sendJoin(r, invite, joiner, Date.now() + offset);
      expect((await r.whenClosed()).code).toBe(CLOSE.INVALID_ACTION.code);
      const check = await RawClient.open(server.url, agency.id);
      cleanup.push(() => check.close());
      // nothing of it was stored: the invite still admits a joiner, and the joiner's key is no member
      expect(await check.authenticate(joiner, agency.id)).toBeNull();
      expect(check.closed?.code).toBe(CLOSE.NOT_A_MEMBER.code);
      expect(agency.owner.log.has(id)).toBe(false);
    });
  }

  it('a join stamped within 5 minutes of the server clock, before the expiry, is accepted', async () => {
    await setup();
    const invite = await agency.invite();
    const { r, joiner } = await asJoiner(invite);
    const id = await sendJoin(r, invite, joiner, Date.now() - 4 * MINUTE);
    await until(() => agency.owner.log.has(id), { what: 'the join to be relayed' });
    expect(r.closed).toBeNull();
  });
});
