// A browser key's actions form a chain with few branches (core/key-chain.ts). A signer chooses `deps`;
// without a bound one member could write thousands of actions all concurrent with each other (a "fan",
// issue 8): each then read the state as it knew it by setting aside thousands of concurrent predecessors,
// and a 6,000-action fan took a minute to derive. An honest browser can branch its own chain (a copy restored
// from a backup, a database discarded while the server lost its newest actions): up to four open branches
// are applied and flagged KEY_BRANCHED, whichever sorts first; a fifth is refused KEY_FORKED.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ACTIONS_ROOT,
  type Action,
  AgencyLog,
  admitBatch,
  createAction,
  derive,
  MAX_KEY_BRANCHES,
  signJoinProof,
  toStored,
} from '../../core/index.ts';
import { AgencyFixture, codesOf, REVERSED } from './support/agency.ts';
import { seededSigner } from './support/keys.ts';

async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 500);
  await f.join('Ann', { relationship: 'non-exclusive' });
  return f;
}

/** Every verdict, by action id and code, in a stable order (to compare two derives). */
const verdicts = (d: ReturnType<typeof derive>): string[] =>
  d.state.verdicts.map((v) => `${v.id} ${v.kind} ${v.code}`).sort();

describe('a key builds on its own previous action', () => {
  it('two actions of one key that do not know each other are both applied and both flagged KEY_BRANCHED, whichever sorts first', async () => {
    const f = await agency();
    const base = f.heads();
    const one = await f.propose('Ann', { job: '~021', connects: 4 }, { deps: base });
    const two = await f.propose('Ann', { job: '~022', connects: 6 }, { deps: base });
    const d = derive(f.agencyId, f.actions);
    expect(codesOf(d, one)).toEqual(['KEY_BRANCHED']);
    expect(codesOf(d, two)).toEqual(['KEY_BRANCHED']);
    expect(d.state.verdicts.some((v) => v.kind === 'refused')).toBe(false);
    // both proposals are booked and both spent Connects: no branch erases the other's facts
    expect(d.state.proposals.map((p) => p.id).sort()).toEqual([one.id, two.id].sort());
    expect(d.state.balance).toBe(500 - 4 - 6);
    // and the order decides nothing
    const reversed = derive(f.agencyId, f.actions, { tieBreak: REVERSED });
    expect(verdicts(reversed)).toEqual(verdicts(d));
    expect(reversed.state.balance).toBe(d.state.balance);
  });

  it('the next write that knows both branches closes them: it and what follows are not flagged', async () => {
    const f = await agency();
    const base = f.heads();
    const one = await f.act('Ann', 'observeBalance', { balance: 40 }, { deps: base });
    const two = await f.act('Ann', 'observeBalance', { balance: 41 }, { deps: base });
    const merge = await f.act('Ann', 'observeBalance', { balance: 42 }, { deps: [one.id, two.id] });
    const next = await f.act('Ann', 'observeBalance', { balance: 43 }, { deps: [merge.id] });
    const d = derive(f.agencyId, f.actions);
    expect(codesOf(d, merge)).toEqual([]);
    expect(codesOf(d, next)).toEqual([]);
    expect(d.state.balance).toBe(43);
  });

  it(`a key may have ${MAX_KEY_BRANCHES} open branches; one more is refused KEY_FORKED, not as a race`, async () => {
    const f = await agency();
    const base = f.heads();
    const fan: Action[] = [];
    for (let i = 0; i <= MAX_KEY_BRANCHES; i++)
      fan.push(await f.act('Ann', 'observeBalance', { balance: 40 + i }, { deps: base }));
    const d = derive(f.agencyId, f.actions);
    const refused = d.state.verdicts.filter((v) => v.kind === 'refused');
    expect(refused.map((v) => v.code)).toEqual(['KEY_FORKED']);
    expect(refused[0]!.race).toBeUndefined();
    // the refused one is the last of the fan in the order; the others are applied and flagged
    const last = fan.map((a) => a.id).sort()[MAX_KEY_BRANCHES]!;
    expect(refused[0]!.id).toBe(last);
    for (const a of fan.filter((x) => x.id !== last)) expect(codesOf(d, a)).toEqual(['KEY_BRANCHED']);
    // a branch that closes two of them leaves room for another
    const [b1, b2] = fan.filter((x) => x.id !== last);
    await f.act('Ann', 'observeBalance', { balance: 50 }, { deps: [b1!.id, b2!.id] });
    // (on a teammate's chain, so that it sorts after the merge)
    const o1 = await f.act('Olga', 'observeBalance', { balance: 60 }, { deps: base });
    const o2 = await f.act('Olga', 'observeBalance', { balance: 61 }, { deps: [o1.id] });
    const again = await f.act('Ann', 'observeBalance', { balance: 51 }, { deps: [o2.id] });
    expect(codesOf(derive(f.agencyId, f.actions), again)).toEqual(['KEY_BRANCHED']);
  });

  it('two members writing concurrently are no branch: each key has its own chain', async () => {
    const f = await agency();
    const base = f.heads();
    const ann = await f.act('Ann', 'observeBalance', { balance: 40 }, { deps: base });
    const olga = await f.act('Olga', 'observeBalance', { balance: 41 }, { deps: base });
    const d = derive(f.agencyId, f.actions);
    expect(codesOf(d, ann)).toEqual([]);
    expect(codesOf(d, olga)).toEqual([]);
  });

  it('admitBatch stores a branch at the end of the log and one that sorts before its key’s stored action; it refuses a fifth, even one that sorts first', async () => {
    const f = await agency();
    const base = f.heads();
    const x = await f.act('Olga', 'observeBalance', { balance: 40 }, { deps: base });
    const stored = await f.act('Ann', 'observeBalance', { balance: 41 }, { deps: [x.id] });
    const z = await f.act('Olga', 'observeBalance', { balance: 42 }, { deps: [x.id] });
    let room = derive(f.agencyId, f.actions);
    expect(codesOf(room, stored)).toEqual([]);
    // deeper than Ann's stored action, without it in its past
    const late = await f.act('Ann', 'observeBalance', { balance: 43 }, { deps: [z.id], keep: false });
    const r1 = admitBatch(room, [late]);
    expect(r1.ok).toBe(true);
    room = r1.derivation;
    expect(codesOf(room, late)).toEqual(['KEY_BRANCHED']);
    expect(codesOf(room, stored)).toEqual(['KEY_BRANCHED']);
    // shallower than Ann's stored actions: it sorts before them, and all three stand
    const early = await f.act('Ann', 'observeBalance', { balance: 44 }, { deps: base, keep: false });
    const r2 = admitBatch(room, [early]);
    expect(r2.ok).toBe(true);
    room = r2.derivation;
    expect(codesOf(room, early)).toEqual(['KEY_BRANCHED']);
    const fourth = await f.act('Ann', 'observeBalance', { balance: 45 }, { deps: [x.id], keep: false });
    const r3 = admitBatch(room, [fourth]);
    expect(r3.ok).toBe(true);
    room = r3.derivation;
    const size = room.actions.size;
    // a fifth open branch that sorts first would make a stored action the fifth in everyone's derive: the
    // newcomer is the one refused, and nothing of it is kept
    const fifth = await f.act('Ann', 'observeBalance', { balance: 46 }, { deps: base, keep: false });
    const r4 = admitBatch(room, [fifth]);
    expect(r4.ok).toBe(false);
    if (!r4.ok) {
      expect([r4.id, r4.code]).toEqual([fifth.id, 'KEY_FORKED']);
      expect(r4.derivation.actions.size).toBe(size);
    }
  });

  it('an honest log with more heads than a write may name keeps the writer’s own last action among its deps', async () => {
    const f = new AgencyFixture();
    await f.create('Olga', 500);
    const names = Array.from({ length: 70 }, (_, i) => `M${i}`);
    for (const n of names) await f.join(n, { relationship: 'non-exclusive' });
    const base = f.heads();
    // 70 teammates write concurrently on the same heads, and Olga too: 71 heads of one depth, ordered by id,
    // and at most 64 may be named — Olga's is made the last by id (the one the oldest-first choice drops)
    const others = [];
    for (const n of names) others.push(await f.act(n, 'observeBalance', { balance: 300 }, { deps: base }));
    const top = others.map((a) => a.id).sort()[others.length - 1]!;
    let olga: Action | null = null;
    for (let b = 400; !olga || olga.id < top; b++) {
      olga = await f.act('Olga', 'observeBalance', { balance: b }, { deps: base, keep: false });
    }
    f.actions.push(olga);
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const a of f.actions) doc.getMap(ACTIONS_ROOT).set(a.id, toStored(a));
    });
    const log = await AgencyLog.open(doc, f.agencyId);
    expect(log.derived.heads.size).toBe(71);
    const result = await log.append(f.key('Olga'), 'observeBalance', { balance: 399 }, f.now + 60_000);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.action.deps.length).toBe(64);
    expect(result.action.deps).toContain(olga.id);
    expect(codesOf(log.derived, result.action)).toEqual([]);
  });
});

describe('what a fan costs', () => {
  const agencyId = 'agency-fan-00001';
  const owner = seededSigner('fan:owner');
  const eve = seededSigner('fan:eve');
  const invite = seededSigner('fan:invite');
  const T = 1_800_000_000_000;
  const N = 6_000;

  async function make(shape: 'chain' | 'fan'): Promise<Action[]> {
    const mk = async (s: typeof owner, type: never, payload: never, deps: string[]) => {
      const r = await createAction(agencyId, s, type, payload, deps, T);
      if (!r.ok) throw new Error(r.message);
      return r.action;
    };
    const g = await mk(
      owner,
      'createAgency' as never,
      { name: 'A', memberName: 'O', balance: 500 } as never,
      [],
    );
    const grant = await mk(
      owner,
      'grantInvite' as never,
      {
        invite: invite.publicKey,
        role: 'member',
        relationship: 'non-exclusive',
        expiresAt: T + 1e8,
      } as never,
      [g.id],
    );
    const proof = await signJoinProof(invite, agencyId, eve.publicKey);
    const join = await mk(
      eve,
      'joinAgency' as never,
      { invite: invite.publicKey, proof, name: 'Eve' } as never,
      [grant.id],
    );
    const out = [g, grant, join];
    let prev = join.id;
    for (let i = 0; i < N; i++) {
      const a = await mk(eve, 'observeBalance' as never, { balance: i } as never, [
        shape === 'fan' ? join.id : prev,
      ]);
      prev = a.id;
      out.push(a);
    }
    return out;
  }

  const cpu = (f: () => void): number => {
    const t = process.cpuUsage();
    f();
    const u = process.cpuUsage(t);
    return u.user + u.system;
  };

  it(`a ${N.toLocaleString('en')}-action fan by one member derives within 10× the CPU of a chain of as many (before: minutes)`, async () => {
    const chain = await make('chain');
    const fan = await make('fan');
    // warm both paths once, then take the better of two runs of each (the machine is shared)
    derive(agencyId, chain.slice(0, 500));
    derive(agencyId, fan.slice(0, 500));
    let fanDerived = derive(agencyId, []);
    const chainCpu = Math.min(
      cpu(() => derive(agencyId, chain)),
      cpu(() => derive(agencyId, chain)),
    );
    const fanCpu = Math.min(
      cpu(() => {
        fanDerived = derive(agencyId, fan);
      }),
      cpu(() => derive(agencyId, fan)),
    );
    console.log(
      `derive CPU: chain of ${N} ${Math.round(chainCpu / 1000)} ms, fan ${Math.round(fanCpu / 1000)} ms, ratio ${(fanCpu / chainCpu).toFixed(2)}`,
    );
    // all but the first few of the fan are one open branch too many of Eve's key
    expect(fanDerived.state.verdicts.filter((v) => v.code === 'KEY_FORKED').length).toBe(
      N - MAX_KEY_BRANCHES,
    );
    expect(fanDerived.state.verdicts.filter((v) => v.code === 'KEY_BRANCHED').length).toBe(MAX_KEY_BRANCHES);
    // ~4.5× here: what remains is the ancestry index filling its fixed budget of kept concurrent positions
    // (ancestry.ts MAX_UNKNOWN_TOTAL), the same however wide the fan; a quadratic walk is hundreds of times
    expect(fanCpu).toBeLessThanOrEqual(10 * chainCpu);
  }, 300_000);
});
