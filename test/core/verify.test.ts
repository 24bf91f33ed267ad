// The trust boundary: forged, replayed, altered and malformed actions are refused with a clear reason and
// never throw; what verifies but is not the agency's (unknown key, cycle, missing dependency) is for
// derive, which refuses it or keeps it pending — never applies it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTION_FORMAT,
  type Action,
  applyActions,
  createAction,
  derive,
  generateDeviceKey,
  MAX_ACTION_BYTES,
  makeSigner,
  type StoredAction,
  sha256,
  toBase64Url,
  toStored,
  utf8,
  verifyAction,
  verifyEntries,
  verifySignature,
} from '../../core/index.ts';
import { AgencyFixture, codesOf } from './support/agency.ts';
import { seededSigner } from './support/keys.ts';

async function signedProposal() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Ann');
  const p = await f.propose('Ann', { connects: 16, title: 'Logo' });
  return { f, p, stored: toStored(p) };
}

const expectRefused = async (agencyId: string, id: string, stored: unknown, code: string) => {
  const r = await verifyAction(agencyId, id, stored);
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.code).toBe(code);
    expect(r.message.length).toBeGreaterThan(10);
  }
};

describe('verifyAction: what verifies', () => {
  it('a signed action round-trips through its stored form', async () => {
    const { f, p, stored } = await signedProposal();
    expect(stored.actor).toBeInstanceOf(Uint8Array);
    expect(stored.sig).toHaveLength(64);
    expect(stored.deps).toHaveLength(32 * p.deps.length);
    const r = await verifyAction(f.agencyId, p.id, stored);
    expect(r).toEqual({ ok: true, action: p });
  });

  it('WebCrypto device keys (non-extractable) sign actions that verify', async () => {
    const signer = await makeSigner(await generateDeviceKey(crypto.subtle));
    const created = await createAction('agency-web-0001', signer, 'observeBalance', { balance: 3 }, [], 1);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const r = await verifyAction('agency-web-0001', created.action.id, toStored(created.action));
    expect(r.ok).toBe(true);
    expect(signer.keyId).toHaveLength(43);
  });

  it('seeded test keys are ordinary Ed25519 keys that WebCrypto verifies', async () => {
    const s = seededSigner('x');
    const bytes = utf8('hello');
    expect(await verifySignature(s.publicKey, await s.sign(bytes), bytes)).toBe(true);
    expect(await verifySignature(s.publicKey, await s.sign(bytes), utf8('hellO'))).toBe(false);
  });
});

describe('verifyAction: forged, replayed and altered actions', () => {
  it('a signature by a key other than the actor is refused (forged)', async () => {
    const { f, p, stored } = await signedProposal();
    const bytesSignedByMallory = await seededSigner('mallory').sign(utf8('anything'));
    await expectRefused(f.agencyId, p.id, { ...stored, sig: bytesSignedByMallory }, 'BAD_SIGNATURE');
  });

  it('an action claiming another member as actor is refused (forged actor)', async () => {
    const { f, p, stored } = await signedProposal();
    await expectRefused(f.agencyId, p.id, { ...stored, actor: f.key('Olga').publicKey }, 'BAD_ID');
  });

  it('an action replayed into another agency is refused: its id covers the agency id', async () => {
    const { p, stored } = await signedProposal();
    await expectRefused('agency-other-0002', p.id, stored, 'BAD_ID');
  });

  it('a replayed action whose id was recomputed for the other agency fails its signature', async () => {
    const { p, stored } = await signedProposal();
    const other = await createAction(
      'agency-other-0002',
      seededSigner('x'),
      'submitProposal',
      p.payload,
      p.deps,
      p.at,
    );
    if (!other.ok) throw new Error('setup');
    // Same content as Ann's, id computed for the other agency, but Ann's signature (over her agency's bytes).
    const { canonicalBytes, fromBase64Url } = await import('../../core/index.ts');
    const bytes = canonicalBytes({
      v: ACTION_FORMAT,
      agency: 'agency-other-0002',
      type: p.type,
      actor: fromBase64Url(p.actor),
      payload: p.payload,
      deps: stored.deps,
      at: p.at,
    });
    await expectRefused('agency-other-0002', toBase64Url(sha256(bytes)), stored, 'BAD_SIGNATURE');
  });

  it('altering the payload, time, deps or type changes the id: refused', async () => {
    const { f, p, stored } = await signedProposal();
    const altered: unknown[] = [
      { ...stored, payload: { ...stored.payload, connects: 1 } },
      { ...stored, at: stored.at + 1 },
      { ...stored, deps: new Uint8Array(0) },
      { ...stored, type: 'refundConnects', payload: { job: '~021', connects: 16 } },
    ];
    for (const a of altered) await expectRefused(f.agencyId, p.id, a, 'BAD_ID');
  });

  it('an altered action given a matching id still fails its signature', async () => {
    const { f, p, stored } = await signedProposal();
    const changed = { ...p, payload: { ...p.payload, connects: 1 } };
    const { canonicalBytes, fromBase64Url } = await import('../../core/index.ts');
    const bytes = canonicalBytes({
      v: ACTION_FORMAT,
      agency: f.agencyId,
      type: p.type,
      actor: fromBase64Url(p.actor),
      payload: changed.payload,
      deps: stored.deps,
      at: p.at,
    });
    await expectRefused(
      f.agencyId,
      toBase64Url(sha256(bytes)),
      { ...stored, payload: changed.payload },
      'BAD_SIGNATURE',
    );
  });

  it('a valid signature by a key that is no member verifies here, and derive refuses it (unknown key)', async () => {
    const { f } = await signedProposal();
    const stranger = await f.act('Mallory', 'recordPurchase', { connects: 1000 });
    expect((await verifyAction(f.agencyId, stranger.id, toStored(stranger))).ok).toBe(true);
    const d = f.derive();
    expect(codesOf(d, stranger)).toEqual(['UNKNOWN_KEY']);
    expect(d.state.balance).toBe(84);
  });
});

describe('verifyAction: malformed input never throws', () => {
  it('junk values are refused as BAD_SCHEMA', async () => {
    const { f, p, stored } = await signedProposal();
    const junk: unknown[] = [
      null,
      undefined,
      42,
      Number.NaN,
      'action',
      [],
      [stored],
      {},
      new Uint8Array(300),
      { ...stored, extra: 1 },
      { ...stored, type: 'stealConnects' },
      { ...stored, actor: new Uint8Array(31) },
      { ...stored, actor: 'base64-text-instead-of-bytes' },
      { ...stored, sig: new Uint8Array(63) },
      { ...stored, sig: Array.from(stored.sig) },
      { ...stored, deps: new Uint8Array(33) },
      { ...stored, deps: new Uint8Array(32 * 65) },
      { ...stored, at: Number.NaN },
      { ...stored, at: Number.POSITIVE_INFINITY },
      { ...stored, at: -1 },
      { ...stored, at: 1.5 },
      { ...stored, at: '1700000000000' },
      { ...stored, payload: null },
      { ...stored, payload: [1, 2, 3] },
      { ...stored, payload: Array.from({ length: 100_000 }, (_, i) => i) },
    ];
    for (const j of junk) await expectRefused(f.agencyId, p.id, j, 'BAD_SCHEMA');
  });

  it('payloads that break their schema are refused as BAD_PAYLOAD, saying which field', async () => {
    const { f, p, stored } = await signedProposal();
    const bad: Record<string, unknown>[] = [
      { ...stored.payload, connects: -1 },
      { ...stored.payload, connects: 1.5 },
      { ...stored.payload, connects: Number.NaN },
      { ...stored.payload, title: ' padded ' },
      { ...stored.payload, title: 'x'.repeat(301) },
      { ...stored.payload, as: 'freelancer' },
      { ...stored.payload, member: 'not-a-member-id' },
      { ...stored.payload, unexpected: true },
      { job: '~021' },
    ];
    for (const payload of bad) await expectRefused(f.agencyId, p.id, { ...stored, payload }, 'BAD_PAYLOAD');
  });

  it(`an action over MAX_ACTION_BYTES (${MAX_ACTION_BYTES} canonical bytes) is refused as TOO_LARGE`, async () => {
    const { f } = await signedProposal();
    // 64 deps (the most the schema allows) and a title of control characters, each escaped to 6 bytes.
    const deps = Array.from({ length: 64 }, (_, i) => toBase64Url(sha256(utf8(`dep${i}`))));
    const payload = {
      offer: 'o1',
      job: '~01',
      title: `a${'\u0001'.repeat(298)}z`,
      as: 'agency' as const,
      member: f.id('Ann'),
      terms: { kind: 'fixed' as const, amount: 1 },
    };
    const created = await createAction(f.agencyId, f.key('Ann'), 'receiveOffer', payload, deps, 1);
    expect(created).toMatchObject({ ok: false, code: 'TOO_LARGE' });
    const small = await createAction(
      f.agencyId,
      f.key('Ann'),
      'receiveOffer',
      { ...payload, title: 'ok' },
      deps,
      1,
    );
    if (!small.ok) throw new Error(small.message);
    const stored: StoredAction = {
      ...toStored(small.action),
      payload: payload as unknown as Record<string, unknown>,
    };
    await expectRefused(f.agencyId, small.action.id, stored, 'TOO_LARGE');
  });

  it('never throws on any value, or on a valid action with any one field replaced (fuzzed)', async () => {
    const { f, p, stored } = await signedProposal();
    const fields = ['type', 'actor', 'payload', 'deps', 'at', 'sig'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.anything({ withTypedArray: true, withBigInt: true, withMap: true, withSet: true, withDate: true }),
        fc.constantFrom(...fields),
        fc.boolean(),
        async (value, field, whole) => {
          const input = whole ? value : { ...stored, [field]: value };
          const r = await verifyAction(f.agencyId, p.id, input);
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) expect(r.message).toBeTypeOf('string');
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('verifyEntries splits a batch into valid actions and refused entries with their reasons', async () => {
    const { f, p, stored } = await signedProposal();
    const entries: [string, unknown][] = [
      [p.id, stored],
      ['bogus', null],
      [p.id, { ...stored, at: 5 }],
      ...f.actions.slice(0, 3).map((a) => [a.id, toStored(a)] as [string, unknown]),
    ];
    const { valid, invalid } = await verifyEntries(f.agencyId, entries);
    expect(valid.map((a) => a.id)).toEqual([p.id, ...f.actions.slice(0, 3).map((a) => a.id)]);
    expect(invalid).toEqual([
      { id: 'bogus', code: 'BAD_SCHEMA', message: expect.any(String) },
      { id: p.id, code: 'BAD_ID', message: expect.any(String) },
    ]);
  });

  it('verifySignature is false, not an exception, for keys and signatures of the wrong size', async () => {
    expect(await verifySignature(new Uint8Array(31), new Uint8Array(64), new Uint8Array(1))).toBe(false);
    expect(await verifySignature(new Uint8Array(32), new Uint8Array(64), new Uint8Array(1))).toBe(false);
    expect(await verifySignature(new Uint8Array(32), new Uint8Array(12), new Uint8Array(1))).toBe(false);
  });
});

/** An action with a made-up id and deps: derive takes verified actions and never checks ids itself. */
const fake = (id: string, deps: string[], at = 1): Action =>
  ({
    id,
    type: 'observeBalance',
    actor: 'k',
    payload: { balance: 1 },
    deps,
    at,
    sig: new Uint8Array(64),
  }) as Action;

describe('derive: dependencies', () => {
  it('an action whose dependency is missing waits, and is applied once the dependency arrives', async () => {
    const f = new AgencyFixture();
    await f.create('Olga', 100);
    await f.join('Ann');
    const hidden = await f.propose('Ann', { connects: 10 });
    const waiting = await f.propose('Ann', { connects: 5 });
    const without = f.actions.filter((a) => a.id !== hidden.id);
    const d = derive(f.agencyId, without);
    expect(d.pending).toEqual(new Set([waiting.id]));
    expect(d.state.counts.pending).toBe(1);
    expect(d.state.proposals).toEqual([]);
    expect(d.heads.has(waiting.id)).toBe(false);
    const after = applyActions(d, [hidden]);
    expect(after.pending.size).toBe(0);
    expect(after.state.balance).toBe(85);
    expect(after.state).toEqual(f.derive().state);
  });

  it('a dependency cycle is never applied and never throws; actions on top of it wait too', () => {
    const root = fake('root', []);
    const a = fake('cycle-a', ['root', 'cycle-b']);
    const b = fake('cycle-b', ['cycle-a']);
    const child = fake('child', ['cycle-b']);
    const self = fake('self', ['self']);
    const d = derive('agency-cycle-01', [child, a, root, b, self]);
    expect([...d.pending].sort()).toEqual(['child', 'cycle-a', 'cycle-b', 'self']);
    expect(d.order).toEqual(['root']);
    expect(d.state.counts).toMatchObject({ pending: 4, applied: 0, refused: 1 }); // root: before creation
  });

  it('the same action given twice counts once', async () => {
    const { f } = await signedProposal();
    const d = derive(f.agencyId, [...f.actions, ...f.actions]);
    expect(d.state).toEqual(f.derive().state);
    expect(d.order).toHaveLength(f.actions.length);
  });
});
