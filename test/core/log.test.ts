// AgencyLog on real Y.Docs: replicas exchanging Yjs updates converge; local refusals write nothing; remote
// entries that fail verification never reach derive; a persisted snapshot restores the state without
// re-verifying what it covers. The last test delivers random logs to three docs as Yjs updates in random
// orders and compares each log with a full derive.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  ACTIONS_ROOT,
  AgencyLog,
  derive,
  type LogSnapshot,
  type Signer,
  signJoinProof,
  toStored,
} from '../../core/index.ts';
import { AgencyFixture } from './support/agency.ts';
import { stableText } from './support/invariants.ts';
import { seededSigner } from './support/keys.ts';
import { run, SIM_AGENCY, scenarioArbitrary, shuffle } from './support/simulation.ts';

const AGENCY = 'agency-log-0001';
const T = Date.UTC(2026, 10, 2, 9);
const olga = seededSigner('log:olga');
const ann = seededSigner('log:ann');
const max = seededSigner('log:max');

/** Two docs wired together like two replicas behind a server; `connected` cuts and restores the link. */
function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const link = { connected: true };
  a.on('update', (u: Uint8Array, origin: unknown) => {
    if (link.connected && origin !== 'wire') Y.applyUpdate(b, u, 'wire');
  });
  b.on('update', (u: Uint8Array, origin: unknown) => {
    if (link.connected && origin !== 'wire') Y.applyUpdate(a, u, 'wire');
  });
  const reconnect = () => {
    link.connected = true;
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'wire');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'wire');
  };
  return { a, b, link, reconnect };
}

async function founded(log: AgencyLog, balance = 100) {
  const r = await log.append(olga, 'createAgency', { name: 'Acme', memberName: 'Olga', balance }, T);
  expect(r.ok).toBe(true);
}

async function invite(log: AgencyLog, n: number, role: 'manager' | 'member' = 'member') {
  const key = seededSigner(`log-invite-${n}`);
  const r = await log.append(
    olga,
    'grantInvite',
    { invite: key.publicKey, role, relationship: 'exclusive', expiresAt: T + 86_400_000 },
    T + n,
  );
  expect(r.ok).toBe(true);
  return key;
}

/** The joinAgency payload of `joiner` holding the invite key `key`. */
async function joining(key: Signer, joiner: Signer, name: string) {
  return { invite: key.publicKey, proof: await signJoinProof(key, AGENCY, joiner.publicKey), name };
}

const logs: AgencyLog[] = [];
async function open(doc: Y.Doc, snapshot?: LogSnapshot | null, agencyId = AGENCY) {
  const log = await AgencyLog.open(doc, agencyId, snapshot);
  logs.push(log);
  return log;
}
afterEach(() => {
  for (const l of logs.splice(0)) l.destroy();
  vi.restoreAllMocks();
});

describe('AgencyLog on Y.Docs', () => {
  it('two replicas exchanging Yjs updates converge, including after acting apart', async () => {
    const { a, b, link, reconnect } = pair();
    const la = await open(a);
    const lb = await open(b);
    await founded(la);
    const key = await invite(la, 1, 'manager');
    await lb.settled();
    expect(lb.state.ownerId).toBe(olga.keyId);
    const joined = await lb.append(max, 'joinAgency', await joining(key, max, 'Max'), T + 10);
    expect(joined.ok).toBe(true);
    await la.settled();
    expect(la.state.members[max.keyId]?.role).toBe('manager');

    link.connected = false;
    await la.append(
      olga,
      'submitProposal',
      { job: '~01a', title: 'A', as: 'agency', connects: 30, boost: 0 },
      T + 20,
    );
    await lb.append(
      max,
      'submitProposal',
      { job: '~01b', title: 'B', as: 'agency', connects: 80, boost: 0 },
      T + 21,
    );
    expect(la.state.balance).toBe(70);
    expect(lb.state.balance).toBe(20);
    reconnect();
    await Promise.all([la.settled(), lb.settled()]);
    expect(la.state).toEqual(lb.state);
    expect(la.state.balance).toBe(-10);
    expect(la.state.verdicts.filter((v) => v.code === 'OVERDRAFT')).toHaveLength(1);
    expect(la.heads()).toEqual(lb.heads());
    expect(la.heads()).toHaveLength(2);
    const all = [...a.getMap(ACTIONS_ROOT).keys()];
    expect(la.size).toBe(all.length);
    expect(stableText(la.state)).toBe(stableText(derive(AGENCY, la.ordered()).state));
  });

  it('a refused intent writes nothing to the doc and says which rule refused it', async () => {
    const doc = new Y.Doc();
    const log = await open(doc);
    await founded(log);
    const key = await invite(log, 1);
    await log.append(ann, 'joinAgency', await joining(key, ann, 'Ann'), T + 5);
    const before = Y.encodeStateAsUpdate(doc);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const r = await log.append(ann, 'recordPurchase', { connects: 100 }, T + 6);
    expect(r).toMatchObject({ ok: false, code: 'NOT_BUSINESS_MANAGER', rule: 'P2' });
    expect(updates).toEqual([]);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    expect(log.state.balance).toBe(100);
  });

  it('a fact is written even when it breaks a rule, with the flags it earned', async () => {
    const log = await open(new Y.Doc());
    await founded(log, 10);
    const r = await log.append(
      olga,
      'submitProposal',
      { job: '~01', title: 'Big', as: 'agency', connects: 16, boost: 0 },
      T + 1,
    );
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.verdicts.map((v) => [v.code, v.rule])).toEqual([['OVERDRAFT', 'P1']]);
    expect(log.actions.size).toBe(2);
  });

  it('a payload that breaks its schema is refused before anything is signed or written', async () => {
    const log = await open(new Y.Doc());
    await founded(log);
    const r = await log.append(olga, 'recordPurchase', { connects: -5 }, T + 1);
    expect(r).toMatchObject({ ok: false, code: 'BAD_PAYLOAD' });
    expect(log.actions.size).toBe(1);
  });

  it('concurrent appends on one log chain onto each other', async () => {
    const log = await open(new Y.Doc());
    await founded(log);
    const results = await Promise.all(
      [1, 2, 3].map((n) => log.append(olga, 'recordPurchase', { connects: n }, T + n)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(log.heads()).toHaveLength(1);
    expect(log.state.balance).toBe(106);
  });

  it('remote entries that fail verification go to .invalid and are never derived', async () => {
    const { a, b } = pair();
    const la = await open(a);
    await open(b);
    await founded(la);
    const seen: number[] = [];
    la.subscribe((l) => seen.push(l.invalid.size));
    const f = new AgencyFixture(AGENCY);
    const forged = await f.act(
      'Mallory',
      'recordPurchase',
      { connects: 999 },
      { deps: la.heads(), at: T + 1 },
    );
    const stored = toStored(forged);
    b.transact(() => {
      const map = b.getMap(ACTIONS_ROOT);
      map.set(forged.id, { ...stored, sig: new Uint8Array(64) });
      map.set('not-an-id', { hello: 'world' });
    }, 'remote-peer');
    await la.settled();
    expect(la.invalid.get(forged.id)).toMatchObject({ code: 'BAD_SIGNATURE' });
    expect(la.invalid.get('not-an-id')).toMatchObject({ code: 'BAD_SCHEMA' });
    expect(la.has(forged.id)).toBe(false);
    expect(la.state.balance).toBe(100);
    expect(seen.at(-1)).toBe(2);
  });

  it('a remote overwrite of an existing entry is reported as tampering and changes nothing', async () => {
    const { a, b } = pair();
    const la = await open(a);
    await open(b);
    await founded(la);
    const [id] = [...a.getMap(ACTIONS_ROOT).keys()];
    b.transact(() => b.getMap(ACTIONS_ROOT).set(id!, { junk: true }), 'remote-peer');
    await la.settled();
    expect(la.invalid.get(id!)).toMatchObject({ code: 'LOG_TAMPERED' });
    expect(la.state.ownerId).toBe(olga.keyId);
  });

  it('a snapshot restores the same state without verifying what it covers, then applies newer entries', async () => {
    const doc = new Y.Doc();
    const log = await open(doc);
    await founded(log);
    const key = await invite(log, 1);
    await log.append(ann, 'joinAgency', await joining(key, ann, 'Ann'), T + 5);
    await log.append(
      ann,
      'submitProposal',
      { job: '~01', title: 'A', as: 'agency', connects: 12, boost: 0 },
      T + 6,
    );
    const persisted = JSON.stringify(log.snapshot());
    const saved = Y.encodeStateAsUpdate(doc);
    // Newer entries, written after the snapshot was taken (say, by another browser).
    await log.append(olga, 'recordPurchase', { connects: 50 }, T + 7);
    const later = Y.encodeStateAsUpdate(doc);

    const verify = vi.spyOn(crypto.subtle, 'verify');
    const restoredDoc = new Y.Doc();
    Y.applyUpdate(restoredDoc, saved);
    const restored = await open(restoredDoc, JSON.parse(persisted) as LogSnapshot);
    expect(verify).not.toHaveBeenCalled();
    expect(stableText(restored.state)).toBe(stableText(JSON.parse(persisted).state));
    expect(restored.heads()).toEqual(JSON.parse(persisted).order.slice(-1));

    const grown = new Y.Doc();
    Y.applyUpdate(grown, later);
    const reopened = await open(grown, JSON.parse(persisted) as LogSnapshot);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(reopened.state.balance).toBe(138);
    expect(stableText(reopened.state)).toBe(stableText(log.state));

    // Appending on a restored log works as on the original.
    const more = await reopened.append(
      ann,
      'submitProposal',
      { job: '~02', title: 'B', as: 'agency', connects: 8, boost: 0 },
      T + 9,
    );
    expect(more.ok).toBe(true);
    expect(reopened.state.balance).toBe(130);
  });

  it('a snapshot of another agency, another version, or missing entries is not trusted', async () => {
    const doc = new Y.Doc();
    const log = await open(doc);
    await founded(log);
    const snap = JSON.parse(JSON.stringify(log.snapshot())) as LogSnapshot;
    const verify = vi.spyOn(crypto.subtle, 'verify');
    await open(doc, { ...snap, agencyId: 'agency-else-0001' });
    await open(doc, { ...snap, version: snap.version - 1 });
    const empty = await open(new Y.Doc(), snap); // the doc lost everything the snapshot knew
    expect(verify).toHaveBeenCalledTimes(2);
    expect(empty.state.ownerId).toBeNull();
  });

  it('subscribers hear about remote changes once they are derived; unsubscribing stops that', async () => {
    const { a, b } = pair();
    const la = await open(a);
    const lb = await open(b);
    const heard: number[] = [];
    const stop = lb.subscribe((l) => heard.push(l.size));
    await founded(la);
    await lb.settled();
    expect(heard).toEqual([1]);
    stop();
    await la.append(olga, 'recordPurchase', { connects: 1 }, T + 1);
    await lb.settled();
    expect(heard).toEqual([1]);
    expect(lb.size).toBe(2);
  });
});

describe('AgencyLog convergence (property-based)', () => {
  const scenario = scenarioArbitrary({ maxSteps: 30 });

  it('three docs receiving a random log as Yjs updates in random orders derive what a full derive gives', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.nat(), async (sc, seed) => {
        const world = await run(sc, { realSignatures: true });
        // One source doc writes the log in random chunks, one transaction (one Yjs update) per chunk.
        const source = new Y.Doc();
        const updates: Uint8Array[] = [];
        source.on('update', (u: Uint8Array) => updates.push(u));
        const order = shuffle(world.all, seed);
        for (let i = 0; i < order.length; ) {
          const n = 1 + ((seed >> (i % 16)) & 3);
          source.transact(() => {
            for (const a of order.slice(i, i + n)) source.getMap(ACTIONS_ROOT).set(a.id, toStored(a));
          });
          i += n;
        }
        const expected = stableText(derive(SIM_AGENCY, world.all).state);
        for (let k = 0; k < 3; k++) {
          const doc = new Y.Doc();
          const log = await AgencyLog.open(doc, SIM_AGENCY);
          // Yjs holds back updates that arrive before the ones they follow, as a real network may deliver.
          for (const u of shuffle(updates, seed + k)) {
            Y.applyUpdate(doc, u, 'remote');
            if ((seed + k) % 3 === 0) await log.settled();
          }
          await log.settled();
          expect(log.invalid.size).toBe(0);
          expect(stableText(log.state)).toBe(expected);
          log.destroy();
        }
      }),
      { seed: 20261103, numRuns: Number(process.env.LOG_RUNS ?? 40) },
    );
  }, 120_000);
});
