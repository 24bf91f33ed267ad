// Issue 8, item 8: who may read is re-checked before each committed batch is relayed. A removal and a
// write behind it in one TCP segment never reach the removed member; a stranger connected as "creator" to a
// fresh agency id receives nothing of the real owner's agency, even when both race on the same id.
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ACTIONS_ROOT, createAction, toStored } from '../../core/index.ts';
import { CLOSE, MESSAGE_AWARENESS, MESSAGE_SYNC } from '../../core/protocol.ts';
import { encodeSyncStep1, encodeUpdate } from '../../sync-server/wire.ts';
import { createAgency, newAgencyId, newSigner, TestClient } from './support/client.ts';
import { type TestServer, testServer } from './support/server.ts';
import { TcpClient } from './support/tcp.ts';
import { until } from './support/wait.ts';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
async function server(): Promise<TestServer> {
  const s = await testServer();
  cleanup.push(() => s.dispose());
  return s;
}
async function tcp(s: TestServer, room: string): Promise<TcpClient> {
  const c = await TcpClient.open(s.port, room);
  cleanup.push(() => c.destroy());
  return c;
}

/** Room content a connection received: sync step 2 and update frames with any entry, and presence. */
function roomContent(c: TcpClient): Uint8Array[] {
  return c.messages.filter((m) => {
    const d = decoding.createDecoder(m);
    const type = decoding.readVarUint(d);
    if (type === MESSAGE_AWARENESS)
      return decoding.readVarUint(decoding.createDecoder(decoding.readVarUint8Array(d))) > 0;
    if (type !== MESSAGE_SYNC || decoding.readVarUint(d) === 0) return false;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, decoding.readVarUint8Array(d));
    return doc.getMap(ACTIONS_ROOT).size > 0;
  });
}

describe('nothing is relayed to a reader who lost standing', () => {
  it('a removal and a write behind it in the same TCP segment: the removed member receives neither', async () => {
    const s = await server();
    const agency = await createAgency(s.url);
    cleanup.push(() => agency.destroy());
    const dora = await agency.join('Dora');
    const olga = agency.owner;
    const olgaTcp = await tcp(s, agency.id);
    expect(await olgaTcp.authenticate(olga.signer, agency.id)).toBe('member');
    const removal = await createAction(
      agency.id,
      olga.signer,
      'removeMember',
      { member: dora.signer.keyId },
      olga.log.heads(),
      Date.now(),
    );
    if (!removal.ok) throw new Error(removal.message);
    const after = await createAction(
      agency.id,
      olga.signer,
      'observeBalance',
      { balance: 4321 },
      [removal.action.id],
      Date.now(),
    );
    if (!after.ok) throw new Error(after.message);
    const doc = new Y.Doc();
    const frames = [removal.action, after.action].map((a) => {
      const sv = Y.encodeStateVector(doc);
      doc.getMap(ACTIONS_ROOT).set(a.id, toStored(a));
      return encodeUpdate(Y.encodeStateAsUpdate(doc, sv));
    });
    const doraBefore = dora.updatesReceived;
    olgaTcp.sendMany(frames);
    expect((await dora.whenClosed()).code).toBe(CLOSE.MEMBER_GONE.code);
    // the rest of the agency got both
    await until(() => olga.log.has(after.action.id), { what: 'the write behind the removal to be relayed' });
    expect(dora.updatesReceived).toBe(doraBefore);
    expect(dora.log.has(removal.action.id)).toBe(false);
    expect(dora.log.has(after.action.id)).toBe(false);
  });

  it('a stranger connected as "creator" to a fresh agency id receives nothing of the real owner’s agency', async () => {
    const s = await server();
    const id = newAgencyId();
    const stranger = await tcp(s, id);
    expect(await stranger.authenticate(await newSigner(), id)).toBe('creator');
    stranger.send(encodeSyncStep1(new Uint8Array([0])));
    const owner = await TestClient.open({ url: s.url, room: id, signer: await newSigner() });
    cleanup.push(() => owner.destroy());
    await owner.whenSynced();
    // the owner's presence before the agency exists, and then the agency itself
    owner.provider.awareness.setLocalStateField('user', { name: 'Olga' });
    const created = await owner.appendOk('createAgency', { name: 'Acme', memberName: 'Olga', balance: 700 });
    await until(() => owner.acked, { what: 'the creation to be stored' });
    expect(await stranger.whenClosed()).toBe(CLOSE.NOT_A_MEMBER.code);
    expect(roomContent(stranger)).toEqual([]);
    expect(owner.closes).toEqual([]);
    expect(owner.log.has(created)).toBe(true);
  });

  it('two "creator" connections write createAgency on one new id in the same turn: one wins, the other gets nothing of it', async () => {
    const s = await server();
    const id = newAgencyId();
    const [a, b] = [await tcp(s, id), await tcp(s, id)];
    const [signerA, signerB] = [await newSigner(), await newSigner()];
    expect(await a.authenticate(signerA, id)).toBe('creator');
    expect(await b.authenticate(signerB, id)).toBe('creator');
    const creation = async (signer: typeof signerA, name: string) => {
      const made = await createAction(
        id,
        signer,
        'createAgency',
        { name, memberName: name, balance: 1 },
        [],
        Date.now(),
      );
      if (!made.ok) throw new Error(made.message);
      const doc = new Y.Doc();
      doc.getMap(ACTIONS_ROOT).set(made.action.id, toStored(made.action));
      return encodeUpdate(Y.encodeStateAsUpdate(doc));
    };
    const [fromA, fromB] = [await creation(signerA, 'Alpha'), await creation(signerB, 'Beta')];
    a.send(fromA);
    b.send(fromB);
    await until(() => a.closeCode !== null || b.closeCode !== null, { what: 'the loser to be closed' });
    const loser = a.closeCode !== null ? a : b;
    const winner = loser === a ? b : a;
    expect([CLOSE.INVALID_ACTION.code, CLOSE.NOT_A_MEMBER.code]).toContain(loser.closeCode);
    expect(roomContent(loser)).toEqual([]);
    expect(winner.closeCode).toBeNull();
  });
});
