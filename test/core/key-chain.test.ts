// A browser key's actions form a chain (core/key-chain.ts): each must have its key's previous applied action
// in its causal past. A signer chooses `deps`; without this bound one member could write thousands of
// actions all concurrent with each other (a "fan", issue 8): each then read the state as it knew it by
// setting aside thousands of concurrent predecessors, and a 6,000-action fan took a minute to derive.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ACTIONS_ROOT,
  type Action,
  AgencyLog,
  admitBatch,
  createAction,
  derive,
  signJoinProof,
  toStored,
} from '../../core/index.ts';
import { AgencyFixture, codesOf } from './support/agency.ts';
import { seededSigner } from './support/keys.ts';

async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 500);
  await f.join('Ann', { relationship: 'non-exclusive' });
  return f;
}

describe('a key builds on its own previous action', () => {
  it('two actions of one key that do not know each other: the first in the order stands, the other is refused KEY_FORKED', async () => {
    const f = await agency();
    const base = f.heads();
    const one = await f.act('Ann', 'observeBalance', { balance: 40 }, { deps: base });
    const two = await f.act('Ann', 'observeBalance', { balance: 41 }, { deps: base });
    const d = derive(f.agencyId, f.actions);
    const [first, second] = one.id < two.id ? [one, two] : [two, one];
    expect(codesOf(d, first)).toEqual([]);
    expect(codesOf(d, second)).toEqual(['KEY_FORKED']);
    expect(d.state.verdicts.find((v) => v.id === second.id)?.race).toBeUndefined();
    // the refused one moved nothing: the balance is the standing observation's
    expect(d.state.balance).toBe(first === one ? 40 : 41);
  });

  it('two members writing concurrently are no fork: each key has its own chain', async () => {
    const f = await agency();
    const base = f.heads();
    const ann = await f.act('Ann', 'observeBalance', { balance: 40 }, { deps: base });
    const olga = await f.act('Olga', 'observeBalance', { balance: 41 }, { deps: base });
    const d = derive(f.agencyId, f.actions);
    expect(codesOf(d, ann)).toEqual([]);
    expect(codesOf(d, olga)).toEqual([]);
  });

  it('admitBatch refuses a fork at the end of the log, and a newcomer that sorts before its key’s stored action', async () => {
    const f = await agency();
    const base = f.heads();
    const x = await f.act('Olga', 'observeBalance', { balance: 40 }, { deps: base });
    const stored = await f.act('Ann', 'observeBalance', { balance: 41 }, { deps: [x.id] });
    const z = await f.act('Olga', 'observeBalance', { balance: 42 }, { deps: [x.id] });
    const room = derive(f.agencyId, f.actions);
    const size = room.actions.size;
    expect(codesOf(room, stored)).toEqual([]);
    // deeper than Ann's stored action, without it in its past
    const late = await f.act('Ann', 'observeBalance', { balance: 43 }, { deps: [z.id], keep: false });
    const r1 = admitBatch(room, [late]);
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect([r1.id, r1.code]).toEqual([late.id, 'KEY_FORKED']);
    // shallower than Ann's stored action: the stored one would be the fork in everyone's derive, so the
    // newcomer is the one refused
    const early = await f.act('Ann', 'observeBalance', { balance: 44 }, { deps: base, keep: false });
    const r2 = admitBatch(room, [early]);
    expect(r2.ok).toBe(false);
    if (!r2.ok) {
      expect([r2.id, r2.code]).toEqual([early.id, 'KEY_FORKED']);
      expect(r2.derivation.actions.size).toBe(size);
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
    // all but the first of the fan are forks of Eve's key
    expect(fanDerived.state.verdicts.filter((v) => v.code === 'KEY_FORKED').length).toBe(N - 1);
    // ~4.5× here: what remains is the ancestry index filling its fixed budget of kept concurrent positions
    // (ancestry.ts MAX_UNKNOWN_TOTAL), the same however wide the fan; a quadratic walk is hundreds of times
    expect(fanCpu).toBeLessThanOrEqual(10 * chainCpu);
  }, 300_000);
});
