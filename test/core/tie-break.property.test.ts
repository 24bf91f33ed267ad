// The tie-break-flip check: derive's total order is (Lamport depth, id), and nothing a member sees may hang
// on the id part beyond what domain.md lets the order decide. Each generated schedule is derived three
// times — ids ascending, ids descending, and ids re-ranked by a seeded random permutation — and every
// action must get the same verdict each time: applied or refused with the same code, and the same flags.
// Allowed to differ: which agency spend carries the P1 overdraft flags (flags whose rule is P1) and the
// order of lists; schedules where a key opened one branch too many of its own chain (KEY_FORKED) are not compared. Every other difference is collected by kind, each printed with the smallest schedule
// showing it (replayable: run(scenario) rebuilds the actions).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Derivation, derive, type TieBreak } from '../../core/index.ts';
import { REVERSED } from './support/agency.ts';
import { Findings } from './support/findings.ts';
import { stableText } from './support/invariants.ts';
import { run, SIM_AGENCY, scenarioArbitrary, shuffle, type World } from './support/simulation.ts';

const RUNS = Number(process.env.FLIP_RUNS ?? (process.env.SOAK ? 10_000 : 1000));
// 10,000 schedules under SOAK take minutes on two cores.
const TIMEOUT = process.env.SOAK ? 3_600_000 : 600_000;
const SEED = Number(process.env.FLIP_SEED ?? 20261210);

/** Ids ranked by a seeded hash (FNV-1a), then by id: a random permutation of the tie-break. */
function permuted(seed: number): TieBreak {
  const rank = new Map<string, number>();
  const of = (id: string) => {
    let h = rank.get(id);
    if (h === undefined) {
      h = (2166136261 ^ seed) >>> 0;
      for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
      rank.set(id, h);
    }
    return h;
  };
  return (a, b) => of(a) - of(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** What each action earned, as a member reads it, P1 flags aside. */
function verdicts(d: Derivation): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of d.order) out.set(id, 'applied');
  const flags = new Map<string, string[]>();
  for (const v of d.state.verdicts) {
    if (v.kind === 'refused') out.set(v.id, `refused ${v.code}`);
    else if (v.rule !== 'P1') flags.set(v.id, [...(flags.get(v.id) ?? []), v.code]);
  }
  for (const [id, fs] of flags) if (out.get(id) === 'applied') out.set(id, `flagged ${fs.sort().join('+')}`);
  return out;
}

/** A difference, named the same whichever derivation shows which side. */
function difference(x: string, y: string): string {
  const [p, q] = [x, y].sort();
  const refused = (v: string) => v.startsWith('refused');
  const flags = (v: string) => (v.startsWith('flagged ') ? v.slice(8).split('+') : []);
  if (refused(p!) && refused(q!)) return `refused either way, under ${p!.slice(8)} or ${q!.slice(8)}`;
  if (refused(p!) || refused(q!)) {
    const [no, yes] = refused(p!) ? [q!, p!] : [p!, q!];
    return `${yes} in one order, ${no === 'applied' ? 'applied' : `applied (${no})`} in the other`;
  }
  const only = [
    ...flags(p!).filter((f) => !flags(q!).includes(f)),
    ...flags(q!).filter((f) => !flags(p!).includes(f)),
  ];
  return `flagged ${only.sort().join('+')} in one order only`;
}

const ROOTS = new Set([
  'removeMember',
  'changeRole',
  'leaveAgency',
  'removeDeviceKey',
  'joinAgency',
  'createAgency',
]);

function compare(findings: Findings, world: World, base: Derivation, other: Derivation, how: string): void {
  const a = verdicts(base);
  const b = verdicts(other);
  const differing = base.order.filter((id) => a.get(id) !== b.get(id));
  if (!differing.length) return;
  // One kind per schedule, the likeliest root: a change of membership, role or keys, else the earliest.
  const root = differing.find((id) => ROOTS.has(base.actions.get(id)!.type)) ?? differing[0]!;
  const action = base.actions.get(root)!;
  const kind = `${action.type}: ${difference(a.get(root)!, b.get(root)!)}`;
  findings.add(
    kind,
    `ids ascending: ${a.get(root)}; ${how}: ${b.get(root)}; ${differing.length} action(s) differ in all`,
    world,
    base,
    new Set([root]),
  );
}

describe('tie-break flip (property-based)', () => {
  it(
    `no verdict hangs on which of two concurrent actions' ids sorts first, P1 flags aside (${RUNS} schedules)`,
    async () => {
      const findings = new Findings();
      let concurrent = 0;
      await fc.assert(
        fc.asyncProperty(scenarioArbitrary(), fc.nat(), async (sc, seed) => {
          const world = await run(sc);
          const base = derive(SIM_AGENCY, world.all);
          // A key that opened one branch too many of its chain (a modified client: KEY_FORKED) has its
          // branches ordered by the tie-break, which decides which one is refused — by design, no honest
          // browser does. Fewer branches (KEY_BRANCHED: an old copy writing beside its key's newer actions)
          // all stand, whatever the order, and are compared like the rest.
          const forked = (d: ReturnType<typeof derive>) =>
            d.state.verdicts.some((v) => v.code === 'KEY_FORKED');
          if (forked(base) || forked(derive(SIM_AGENCY, world.all, { tieBreak: REVERSED }))) return;
          if (forked(derive(SIM_AGENCY, world.all, { tieBreak: permuted(seed) }))) return;
          if (base.cut.some((c, i) => c < i - 1)) concurrent++;
          compare(
            findings,
            world,
            base,
            derive(SIM_AGENCY, world.all, { tieBreak: REVERSED }),
            'ids descending',
          );
          compare(
            findings,
            world,
            base,
            derive(SIM_AGENCY, world.all, { tieBreak: permuted(seed) }),
            `ids permuted (seed ${seed})`,
          );
          // Convergence stays: the same set delivered in another order derives deep-equal state.
          const again = derive(SIM_AGENCY, shuffle(world.all, seed));
          if (stableText(again.state) !== stableText(base.state)) expect(again.state).toEqual(base.state);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      expect(concurrent, 'schedules with concurrent actions').toBeGreaterThan(RUNS / 2);
      if (findings.size) expect.fail(findings.report('verdicts that depend on the tie-break'));
    },
    TIMEOUT,
  );
});
