// Property-based convergence: 3–6 members on their own replicas act on what their replica shows, sync in
// random partitions and merges, then receive the rest of the log in random orders (one by one or in
// batches).
// Every replica must derive exactly the state a full derive of the whole log gives, each partial replica
// must agree with a full derive of what it holds, and the invariants of the log must hold.
// Fixed seed; fast-check prints the seed, the path and the shrunk scenario on failure.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { derive } from '../../core/index.ts';
import { checkInvariants, stableText } from './support/invariants.ts';
import { run, SIM_AGENCY, scenarioArbitrary, shuffle } from './support/simulation.ts';

const RUNS = Number(process.env.CONVERGENCE_RUNS ?? (process.env.SOAK ? 10_000 : 1000));
// 10,000 schedules under SOAK take minutes on two cores.
const TIMEOUT = process.env.SOAK ? 3_600_000 : 600_000;
const SEED = Number(process.env.CONVERGENCE_SEED ?? 20261102);

const counted = new Map<string, number>();
function stats(world: Awaited<ReturnType<typeof run>>, oracle: ReturnType<typeof derive>): void {
  const bump = (k: string) => counted.set(k, (counted.get(k) ?? 0) + 1);
  const sizes = new Set(world.replicas.map((r) => r.actions.size));
  if (sizes.size > 1) bump('replicas differed before the merge');
  if (oracle.cut.some((c, i) => c < i)) bump('log had concurrent actions');
  for (const code of new Set(oracle.state.verdicts.map((v) => v.code))) bump(code);
}
afterAll(() => {
  if (process.env.CONVERGENCE_STATS) console.log([...counted].sort((a, b) => b[1] - a[1]));
});

function sameState(actual: unknown, expected: unknown): void {
  // Text comparison is fast; on a difference, let vitest print the structural diff.
  if (stableText(actual) !== stableText(expected)) expect(actual).toEqual(expected);
}

describe('convergence (property-based)', () => {
  it(
    `replicas that saw the same actions in any order derive deep-equal state, and the invariants hold (${RUNS} schedules)`,
    async () => {
      let richest = 0;
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(scenarioArbitrary(), async (sc) => {
          const world = await run(sc);
          // Each replica, before the final merge, agrees with a full derive of what it holds.
          for (const r of world.replicas) {
            const full = derive(SIM_AGENCY, shuffle([...r.actions.values()], sc.merge[0]!.seed));
            sameState(r.d.state, full.state);
            expect([...r.d.heads].sort()).toEqual([...full.heads].sort());
          }
          const oracle = derive(SIM_AGENCY, world.all);
          for (const [i, r] of world.replicas.entries()) {
            const plan = sc.merge[i]!;
            r.receive(shuffle(world.all, plan.seed), plan.oneByOne);
            sameState(r.d.state, oracle.state);
            expect(r.d.order).toEqual(oracle.order);
          }
          checkInvariants(SIM_AGENCY, world.all, oracle);
          richest = Math.max(richest, oracle.state.verdicts.length);
          for (const v of oracle.state.verdicts) seen.add(v.code);
          if (process.env.CONVERGENCE_STATS) stats(world, oracle);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      // Every code is reached in coverage.property.test.ts; here, enough happens for convergence to mean much.
      expect(seen.size).toBeGreaterThan(15);
      expect(richest).toBeGreaterThan(5);
    },
    TIMEOUT,
  );
});
