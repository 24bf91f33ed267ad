// Property-based convergence: five members on five replicas act on what their replica shows, sync in
// random partitions, then receive the rest of the log in random orders (one by one or in batches).
// Every replica must derive exactly the state a full derive of the whole log gives, each partial replica
// must agree with a full derive of what it holds, and the invariants of the log must hold.
// Fixed seed; fast-check prints the seed, the path and the shrunk scenario on failure.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { derive } from '../../core/index.ts';
import { checkInvariants, stableText } from './support/invariants.ts';
import { MEMBERS, OPS, run, type Scenario, SIM_AGENCY, type Step, shuffle } from './support/simulation.ts';

const RUNS = Number(process.env.CONVERGENCE_RUNS ?? (process.env.SOAK ? 20_000 : 1000));
const SEED = Number(process.env.CONVERGENCE_SEED ?? 20261102);

const member = fc.nat({ max: MEMBERS - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('act' as const),
      member,
      op: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(0, 1, 2, 3, 4, 8, 9) }, // spends, observations, allowances
        { weight: 1, arbitrary: fc.constantFrom(10, 10, 11, 12, 13) }, // roles, relationships, removals
        { weight: 2, arbitrary: fc.nat({ max: OPS - 1 }) },
      ),
      a: fc.nat({ max: 1000 }),
      b: fc.nat({ max: 1000 }),
      force: fc.nat({ max: 4 }).map((n) => n === 0),
      second: fc.nat({ max: 5 }).map((n) => n === 0),
      minutes: fc.nat({ max: 240 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('sync' as const), from: member, to: member, seed: fc.nat() }),
  },
);
const scenario: fc.Arbitrary<Scenario> = fc.record({
  setup: fc.record({
    balance: fc.nat({ max: 200 }),
    roles: fc.array(fc.constantFrom('manager' as const, 'member' as const), { minLength: 4, maxLength: 4 }),
    relationships: fc.array(fc.constantFrom('exclusive' as const, 'non-exclusive' as const), {
      minLength: 4,
      maxLength: 4,
    }),
  }),
  steps: fc.array(step, { minLength: 1, maxLength: 45 }),
  merge: fc.array(fc.record({ seed: fc.nat(), oneByOne: fc.boolean() }), {
    minLength: MEMBERS,
    maxLength: MEMBERS,
  }),
});

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
  it(`replicas that saw the same actions in any order derive deep-equal state, and the invariants hold (${RUNS} schedules)`, async () => {
    let richest = 0;
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
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
    // The generator must reach the interesting corners, or the property proves little.
    for (const code of [
      'OVERDRAFT',
      'ALLOWANCE_EXCEEDED',
      'EXCLUSIVE_INDEPENDENT',
      'MEMBER_GONE',
      'MEMBER_GONE_FACT',
      'DEMOTED',
      'NOT_BUSINESS_MANAGER',
    ]) {
      expect(seen, `no schedule produced ${code}`).toContain(code);
    }
    expect(richest).toBeGreaterThan(5);
  }, 300_000);
});
