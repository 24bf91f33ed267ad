// The server admits the small updates that waited in a room at once (sync-server/group.ts, admission.ts): one
// admitBatch for all of them; when core refuses it, the update holding the refused action is refused and
// the others are admitted again without it. That is sound only if it decides exactly what admitting the
// updates one after another decides — which updates stand, and the state they make — because an action's
// refusal by its own causal past does not depend on what else is admitted with it (verdicts are
// order-free). Checked here on random schedules (the convergence simulation, whose replicas sometimes
// force a refused intent into the log), cut into a room's log and a run of updates after it.
// Fixed seed; fast-check prints the seed, the path and the shrunk scenario on failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Action, admitBatch, type Derivation, derive } from '../../core/index.ts';
import { stableText } from './support/invariants.ts';
import { run, SIM_AGENCY, scenarioArbitrary } from './support/simulation.ts';

const RUNS = Number(process.env.ADMIT_RUNS ?? (process.env.SOAK ? 3000 : 300));
const TIMEOUT = process.env.SOAK ? 3_600_000 : 600_000;
const SEED = Number(process.env.ADMIT_SEED ?? 20261203);

/** Whether every dependency of `u` is in `d` or in `u` itself (else the server holds `u`: it waits). */
const ready = (d: Derivation, u: readonly Action[]): boolean => {
  const ids = new Set(u.map((a) => a.id));
  return u.every((a) => a.deps.every((dep) => ids.has(dep) || d.actions.has(dep)));
};

/** One update after another, as a room with one update in its inbox at a time. */
function oneByOne(
  base: readonly Action[],
  updates: readonly Action[][],
): { admitted: Set<number>; d: Derivation } {
  let d = derive(SIM_AGENCY, base);
  const admitted = new Set<number>();
  updates.forEach((u, k) => {
    if (!ready(d, u)) return;
    const r = admitBatch(d, u);
    d = r.derivation;
    if (r.ok) admitted.add(k);
  });
  return { admitted, d };
}

/** All at once, as a room admits a group: the update at fault is refused, the others admitted again. */
function together(
  base: readonly Action[],
  updates: readonly Action[][],
): { admitted: Set<number>; d: Derivation } {
  const out = new Set(updates.keys());
  for (;;) {
    // updates that depend on a refused one wait (they are checked again, and find their dependency missing)
    for (let changed = true; changed; ) {
      changed = false;
      const known = new Set(base.map((a) => a.id));
      for (const k of out) {
        const u = updates[k]!;
        const ids = new Set(u.map((a) => a.id));
        if (u.every((a) => a.deps.every((dep) => ids.has(dep) || known.has(dep))))
          for (const a of u) known.add(a.id);
        else {
          out.delete(k);
          changed = true;
        }
      }
    }
    const r = admitBatch(
      derive(SIM_AGENCY, base),
      [...out].flatMap((k) => updates[k]!),
    );
    if (r.ok) return { admitted: out, d: r.derivation };
    const fault = [...out].find((k) => updates[k]!.some((a) => a.id === r.id));
    if (fault === undefined) throw new Error(`admitBatch refused ${r.id}, which no update holds`);
    out.delete(fault);
  }
}

describe('admitting updates together', () => {
  it(
    `decides what admitting them one after another decides: the same updates stand, the same state (${RUNS} schedules)`,
    async () => {
      let refusals = 0;
      await fc.assert(
        fc.asyncProperty(
          scenarioArbitrary(),
          fc.integer({ min: 0, max: 100 }),
          fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 12 }),
          async (sc, cutPercent, sizes) => {
            const world = await run(sc);
            const oracle = derive(SIM_AGENCY, world.all);
            // any prefix of the order is causally closed: the room's log; the rest arrives in updates
            const ordered = oracle.order.map((id) => oracle.actions.get(id)!);
            const cut = Math.max(1, Math.floor((ordered.length * cutPercent) / 100));
            const base = ordered.slice(0, cut);
            const updates: Action[][] = [];
            for (let at = cut, i = 0; at < ordered.length; i++) {
              const size = sizes[i % sizes.length]!;
              updates.push(ordered.slice(at, at + size));
              at += size;
            }
            const a = oneByOne(base, updates);
            const b = together(base, updates);
            expect([...b.admitted].sort((x, y) => x - y)).toEqual([...a.admitted].sort((x, y) => x - y));
            expect(stableText(b.d.state)).toBe(stableText(a.d.state));
            expect(b.d.order).toEqual(a.d.order);
            if (a.admitted.size < updates.length) refusals++;
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
      // the schedules did refuse updates (else the property says little)
      expect(refusals).toBeGreaterThan(0);
    },
    TIMEOUT,
  );
});
