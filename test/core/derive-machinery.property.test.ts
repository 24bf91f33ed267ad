// derive's machinery against a straightforward reference, on random seeded logs. derive keeps one Map (ids to
// positions), reads the actions by id through it (core/actions-by-id.ts), sizes its arrays once and notices
// an id given twice without a lookup of its own (core/order.ts). None of that may change a result:
//  - the order, depths, effective times, pending actions and the actions by id equal what a plain recursion
//    over the DAG and a sort by (depth, id) give (bare actions: only `id`, `deps` and `at` matter to them);
//  - on signed logs of random schedules, the state is the same whether the log comes as an array, as an
//    iterable, shuffled, or with copies of its actions, and equals applying it one action at a time.
// Fixed seeds; fast-check prints the seed, the path and the shrunk case on failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyActions, derive, newDerivation } from '../../core/derive.ts';
import { byId, orderActions, orderSteps } from '../../core/order.ts';
import { runSteps } from '../../core/steps.ts';
import type { Action } from '../../core/types.ts';
import { stableText } from './support/invariants.ts';
import { run, SIM_AGENCY, scenarioArbitrary, shuffle } from './support/simulation.ts';

const SEED = Number(process.env.MACHINERY_SEED ?? 20261203);
const DAG_RUNS = process.env.SOAK ? 2000 : 300;
const LOG_RUNS = process.env.SOAK ? 300 : 25;

interface Node {
  id: string;
  deps: string[];
  at: number;
}

/** A random DAG of bare actions: random ids (so the tie-break matters), now and then a dep never given. */
const dagArbitrary = fc
  .array(
    fc.record({
      deps: fc.array(fc.nat(), { minLength: 0, maxLength: 3 }),
      old: fc.boolean(),
      missing: fc.integer({ min: 0, max: 40 }),
      at: fc.integer({ min: 0, max: 50 }),
      name: fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('a', 'b', 'c', 'd', 'e') }),
    }),
    { minLength: 1, maxLength: 80 },
  )
  .map((rows) => {
    const nodes: Node[] = [];
    rows.forEach((row, i) => {
      const span = row.old ? i : Math.min(i, 3);
      const deps = i ? [...new Set(row.deps.map((x) => nodes[i - 1 - (x % span)]!.id))] : [];
      if (row.missing === 0) deps.push(`missing-${i}`);
      // an id made unique by its index, yet sorting at random against the others
      nodes.push({ id: `${row.name}-${i}`, deps, at: row.at * 1000 });
    });
    return nodes;
  });

/** The reference: depth and effective time by recursion, pending when a dep is missing, order by sort. */
function reference(nodes: readonly Node[]) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const memo = new Map<string, { depth: number; eff: number } | null>();
  const settle = (id: string): { depth: number; eff: number } | null => {
    if (memo.has(id)) return memo.get(id)!;
    const n = byId.get(id);
    let out: { depth: number; eff: number } | null = null;
    if (n) {
      out = { depth: 1, eff: n.at };
      for (const dep of n.deps) {
        const s = settle(dep);
        if (!s) {
          out = null;
          break;
        }
        out.depth = Math.max(out.depth, s.depth + 1);
        out.eff = Math.max(out.eff, s.eff + 1);
      }
    }
    memo.set(id, out);
    return out;
  };
  const ordered = nodes
    .filter((n) => settle(n.id))
    .map((n) => ({ id: n.id, ...settle(n.id)! }))
    .sort((x, y) => x.depth - y.depth || (x.id < y.id ? -1 : 1));
  const pending = nodes.filter((n) => !settle(n.id)).map((n) => n.id);
  return { ordered, pending };
}

const sameState = (actual: unknown, expected: unknown): void => {
  if (stableText(actual) !== stableText(expected)) expect(actual).toEqual(expected);
};

describe("derive's machinery", () => {
  it(`orders, positions and finds every action as a plain recursion and sort do (${DAG_RUNS} random DAGs)`, () => {
    fc.assert(
      fc.property(dagArbitrary, fc.nat(), fc.boolean(), (nodes, seed, viaSet) => {
        const d = newDerivation('agency-machinery');
        // given in any order, some of them twice: as a list to order, or set one by one first (a restore)
        const given = shuffle(
          [...nodes, ...nodes.filter((_, i) => i % 3 === 0)],
          seed,
        ) as unknown as Action[];
        if (viaSet) {
          for (const a of given) d.actions.set(a.id, a);
          orderActions(d);
        } else runSteps(orderSteps(d, byId, given));
        const ref = reference(nodes);
        expect(d.order).toEqual(ref.ordered.map((x) => x.id));
        expect(d.depthAt).toEqual(ref.ordered.map((x) => x.depth));
        expect(d.effAt).toEqual(ref.ordered.map((x) => x.eff));
        expect([...d.pending].sort()).toEqual([...ref.pending].sort());
        ref.ordered.forEach((x, p) => {
          expect(d.position.get(x.id)).toBe(p);
          expect(d.ordered[p]!.id).toBe(x.id);
        });
        // the actions by id hold every action given, once, ordered or pending
        expect(d.actions.size).toBe(nodes.length);
        expect([...d.actions.keys()].sort()).toEqual(nodes.map((n) => n.id).sort());
        for (const n of nodes) {
          expect(d.actions.has(n.id)).toBe(true);
          expect(d.actions.get(n.id)!.id).toBe(n.id);
        }
        expect(d.actions.has('never-given')).toBe(false);
        expect(d.actions.get('never-given')).toBeUndefined();
        for (const [id, a] of d.actions) expect(a.id).toBe(id);
      }),
      { seed: SEED, numRuns: DAG_RUNS },
    );
  });

  it(`derives the same state from a log given as an array, an iterable, shuffled, with copies, or one action at a time (${LOG_RUNS} random schedules)`, async () => {
    let ordered = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary(), fc.nat(), async (sc, seed) => {
        const world = await run(sc);
        const all = world.all;
        const full = derive(SIM_AGENCY, all);
        ordered += full.order.length;
        function* iterable(): Generator<Action> {
          yield* shuffle(all, seed + 1);
        }
        const copies = shuffle([...all, ...all.filter((_, i) => i % 2 === 0)], seed);
        for (const other of [
          derive(SIM_AGENCY, shuffle(all, seed)),
          derive(SIM_AGENCY, iterable()),
          derive(SIM_AGENCY, copies),
        ]) {
          sameState(other.state, full.state);
          expect(other.order).toEqual(full.order);
          expect(other.actions.size).toBe(full.actions.size);
        }
        // in causal order, one at a time: the incremental path, rebuilding when it must
        let d = derive(SIM_AGENCY, []);
        for (const id of full.order) d = applyActions(d, [full.actions.get(id)!]);
        sameState(d.state, full.state);
        expect(d.order).toEqual(full.order);
        expect(d.actions.size).toBe(full.order.length);
        for (const id of full.order) expect(d.actions.get(id)).toBe(full.actions.get(id));
      }),
      { seed: SEED, numRuns: LOG_RUNS },
    );
    // the schedules made logs worth the name
    expect(ordered).toBeGreaterThan(LOG_RUNS * 5);
  }, 600_000);
});
