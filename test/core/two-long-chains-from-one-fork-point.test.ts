// What a carried fork may cost (core/carried-forks.ts): one key's two long chains from one fork point (a
// restore that lost the fork point's successor; the refused branch's writes are refused with it, KEY_FORKED,
// before any rule reads their past), and two keys' chains from one fork point (two members writing offline
// a long time), each against one chain of as many actions. Figures in ARCHITECTURE.md, "A key's chain".
import { describe, expect, it } from 'vitest';
import { type Action, createAction, derive, signJoinProof } from '../../core/index.ts';
import { seededSigner } from './support/keys.ts';

const agencyId = 'agency-two-chains1';
const owner = seededSigner('two:owner');
const eve = seededSigner('two:eve');
const ann = seededSigner('two:ann');
const invite = seededSigner('two:invite');
const invite2 = seededSigner('two:invite2');
const T = 1_800_000_000_000;
// 1,000 by default (TWO_CHAINS_K=… to measure others): measured 3 Dec, ratio 4.1 at 1,000, 8.6 at 2,000,
// 23.7 at 4,000 — still superlinear (ARCHITECTURE.md); the bound guards against worse.
const K = Number(process.env.TWO_CHAINS_K ?? 1_000);

const mk = async (s: typeof owner, type: never, payload: never, deps: string[]) => {
  const r = await createAction(agencyId, s, type, payload, deps, T);
  if (!r.ok) throw new Error(r.message);
  return r.action;
};

async function base(): Promise<Action[]> {
  const g = await mk(
    owner,
    'createAgency' as never,
    { name: 'A', memberName: 'O', balance: 500 } as never,
    [],
  );
  const grant = (i: typeof invite, deps: string[]) =>
    mk(
      owner,
      'grantInvite' as never,
      { invite: i.publicKey, role: 'member', relationship: 'non-exclusive', expiresAt: T + 1e8 } as never,
      deps,
    );
  const g1 = await grant(invite, [g.id]);
  const g2 = await grant(invite2, [g1.id]);
  const join = async (s: typeof eve, i: typeof invite, name: string, deps: string[]) =>
    mk(
      s,
      'joinAgency' as never,
      { invite: i.publicKey, proof: await signJoinProof(i, agencyId, s.publicKey), name } as never,
      deps,
    );
  const j1 = await join(eve, invite, 'Eve', [g2.id]);
  const j2 = await join(ann, invite2, 'Ann', [j1.id]);
  return [g, g1, g2, j1, j2];
}

async function chain(s: typeof eve, from: string, n: number, tag: number): Promise<Action[]> {
  const out: Action[] = [];
  let prev = from;
  for (let i = 0; i < n; i++) {
    const a = await mk(s, 'observeBalance' as never, { balance: tag + i } as never, [prev]);
    out.push(a);
    prev = a.id;
  }
  return out;
}

function cpu(actions: readonly Action[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 2; run++) {
    const t = process.cpuUsage();
    derive(agencyId, actions);
    const u = process.cpuUsage(t);
    best = Math.min(best, u.user + u.system);
  }
  return best;
}

describe('two long chains from one fork point', () => {
  it(`one key's two chains of ${K.toLocaleString('en')} (a carried fork) derive within 20× the CPU of one chain of twice as many`, async () => {
    const b = await base();
    const fork = b[4]!.id;
    const one = [...b, ...(await chain(eve, fork, 2 * K, 0))];
    const two = [...b, ...(await chain(eve, fork, K, 10_000)), ...(await chain(eve, fork, K, 20_000))];
    const d = derive(agencyId, two);
    // one branch stands, the other is refused from its first action on
    expect(d.state.verdicts.filter((v) => v.code === 'KEY_FORKED')).toHaveLength(K);
    const c1 = cpu(one);
    const c2 = cpu(two);
    console.log(
      `derive CPU: one chain of ${2 * K} ${Math.round(c1 / 1000)} ms, one key's two chains of ${K} ${Math.round(c2 / 1000)} ms, ratio ${(c2 / c1).toFixed(2)}`,
    );
    expect(c2 / c1).toBeLessThan(20);
  }, 120_000);

  it(`two keys' chains of ${K.toLocaleString('en')} from one fork point, measured against one chain of twice as many`, async () => {
    const b = await base();
    const fork = b[4]!.id;
    const one = [...b, ...(await chain(eve, fork, 2 * K, 0))];
    const two = [...b, ...(await chain(eve, fork, K, 10_000)), ...(await chain(ann, fork, K, 20_000))];
    const d = derive(agencyId, two);
    expect(d.state.verdicts.filter((v) => v.kind === 'refused')).toHaveLength(0);
    const c1 = cpu(one);
    const c2 = cpu(two);
    console.log(
      `derive CPU: one chain of ${2 * K} ${Math.round(c1 / 1000)} ms, two keys' chains of ${K} ${Math.round(c2 / 1000)} ms, ratio ${(c2 / c1).toFixed(2)}`,
    );
    expect(c2).toBeGreaterThan(0);
  }, 120_000);
});
