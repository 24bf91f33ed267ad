// The ancestry index (core/ancestry.ts) answers "is X in Y's causal past?" exactly as a walk of the DAG
// does, for every pair, on random DAGs and on the shapes that used to make queries walk: one action
// concurrent with a long chain, two long branches merging, a fan-out wider than an action may keep.
// Only `id`, `deps` and `at` matter to the order, so the actions here are bare (nothing is signed).
// Fixed seed; fast-check prints the seed, the path and the shrunk DAG on failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAncestor, MAX_UNKNOWN } from '../../core/ancestry.ts';
import { newDerivation } from '../../core/derive.ts';
import { orderActions } from '../../core/order.ts';
import type { Action } from '../../core/types.ts';

const RUNS = process.env.SOAK ? 2000 : 200;
const SEED = Number(process.env.ANCESTRY_SEED ?? 20261202);

/** Node `i`'s deps, as indexes of earlier nodes (node 0 is the root). */
type Dag = number[][];

const idOf = (i: number) => `n${String(i).padStart(6, '0')}`;

function derivationOf(dag: Dag) {
  const d = newDerivation('agency-ancestry');
  dag.forEach((deps, i) => {
    d.actions.set(idOf(i), { id: idOf(i), deps: deps.map(idOf), at: i } as unknown as Action);
  });
  orderActions(d);
  return d;
}

/** Every node's ancestors, by a plain walk of the DAG (the oracle). */
function ancestorsOf(dag: Dag): Set<number>[] {
  const out: Set<number>[] = [];
  dag.forEach((deps, i) => {
    const s = new Set<number>();
    for (const dep of deps) {
      s.add(dep);
      for (const x of out[dep]!) s.add(x);
    }
    out[i] = s;
  });
  return out;
}

/** Every pair (or `sample` of them) asked of the index, against the oracle; and each kept set is exact. */
function check(dag: Dag, sample?: (i: number, j: number) => boolean): { kept: number; walked: number } {
  const d = derivationOf(dag);
  const anc = ancestorsOf(dag);
  for (let i = 0; i < dag.length; i++)
    for (let j = 0; j < dag.length; j++) {
      if (sample && !sample(i, j)) continue;
      const truth = anc[i]!.has(j);
      if (isAncestor(d, idOf(j), idOf(i)) !== truth)
        expect.fail(
          `node ${j} ${truth ? 'is' : 'is not'} an ancestor of node ${i}; the index says otherwise`,
        );
    }
  let kept = 0;
  let walked = 0;
  for (let p = 0; p < d.order.length; p++) {
    if (sample && !sample(p, p)) continue;
    const a = anc[Number(d.order[p]!.slice(1))]!;
    const before = (q: number) => a.has(Number(d.order[q]!.slice(1)));
    for (let q = 0; q <= d.cut[p]!; q++)
      if (!before(q)) expect.fail(`position ${q} is within the cut of ${p} but not in its past`);
    const u = d.unknown[p];
    if (!u) {
      walked++;
      continue;
    }
    kept++;
    const expected: number[] = [];
    for (let q = d.cut[p]! + 1; q < p; q++) if (!before(q)) expected.push(q);
    expect(Array.from(u)).toEqual(expected);
  }
  return { kept, walked };
}

/** A random DAG: each node depends on 1–3 earlier ones, mostly recent (long chains), now and then old. */
const dagArbitrary = fc
  .array(
    fc.record({
      deps: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      old: fc.boolean(),
    }),
    { minLength: 1, maxLength: 120 },
  )
  .map((nodes) => {
    const dag: Dag = [[]];
    nodes.forEach(({ deps, old }, k) => {
      const i = k + 1;
      const span = old ? i : Math.min(i, 4);
      dag.push([...new Set(deps.map((x) => i - 1 - (x % span)))]);
    });
    return dag;
  });

describe('the ancestry index', () => {
  it(`answers every ancestry question as a walk of the DAG does (${RUNS} random DAGs)`, () => {
    fc.assert(
      fc.property(dagArbitrary, (dag) => {
        check(dag);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('keeps each action of a long chain concurrent with one action to that one action, and a merge to none', () => {
    // root ← w; root ← c1 ← c2 ← … ← c300; merge on w and c300
    const dag: Dag = [[], [0], [0]];
    for (let i = 3; i < 302; i++) dag.push([i - 1]);
    dag.push([1, 301]);
    expect(check(dag).walked).toBe(0);
    const d = derivationOf(dag);
    const merge = d.position.get(idOf(302))!;
    expect(d.cut[merge]).toBe(merge - 1);
    // every action of the chain sorted after w keeps exactly w
    const w = d.position.get(idOf(1))!;
    for (let i = 3; i < 302; i++) {
      const p = d.position.get(idOf(i))!;
      if (p > w) expect(Array.from(d.unknown[p]!)).toEqual([w]);
    }
  });

  it('two long branches that merge: the merge and everything after it know the whole order before them', () => {
    const dag: Dag = [[]];
    let a = 0;
    let b = 0;
    for (let i = 0; i < 400; i++) {
      dag.push([a]);
      a = dag.length - 1;
      dag.push([b]);
      b = dag.length - 1;
    }
    dag.push([a, b]);
    for (let i = 0; i < 10; i++) dag.push([dag.length - 1]);
    const { walked } = check(dag, (i, j) => (i * 7919 + j) % 13 === 0);
    expect(walked).toBe(0);
    const d = derivationOf(dag);
    for (let k = dag.length - 11; k < dag.length; k++) {
      const p = d.position.get(idOf(k))!;
      expect(d.cut[p]).toBe(p - 1);
    }
  });

  /** A fan-out of `wide` actions on one, then merged by an honest replica 64 heads at a time, then a chain. */
  function fanOut(wide: number): Dag {
    const dag: Dag = [[], [0]];
    for (let i = 0; i < wide; i++) dag.push([1]);
    let last = -1;
    for (let i = 2; i < wide + 2; i += 63) {
      const heads = Array.from({ length: Math.min(63, wide + 2 - i) }, (_, k) => i + k);
      dag.push(last < 0 ? heads : [last, ...heads]);
      last = dag.length - 1;
    }
    for (let i = 0; i < 5; i++) dag.push([dag.length - 1]);
    return dag;
  }

  it('a fan-out an action may keep: the merges of it are indexed, and the last knows the whole order', () => {
    const dag = fanOut(1000);
    const { walked } = check(dag, (i, j) => i >= dag.length - 40 || (i * 104729 + j) % 97 === 0);
    expect(walked).toBe(0);
    const d = derivationOf(dag);
    const end = d.order.length - 1;
    expect(d.cut[end]).toBe(end - 1);
  });

  it('a fan-out wider than an action may keep: those actions walk, and every answer is still right', () => {
    const dag = fanOut(MAX_UNKNOWN + 200);
    const { walked } = check(dag, (i, j) => i >= dag.length - 40 || (i * 104729 + j) % 997 === 0);
    expect(walked).toBeGreaterThan(0);
  }, 60_000);
});
