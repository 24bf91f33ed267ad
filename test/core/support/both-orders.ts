// The same actions in both tie-break orders, and delivered one by one to a replica in the log's order and in
// reverse: every check must hold in each, and every action must earn the same verdict in each.
import { type Action, applyActions, type Derivation, derive } from '../../../core/index.ts';
import { type AgencyFixture, outcomeOf } from './agency.ts';

/** Derivations of `f`'s actions: by id, reversed, and applied one by one from `from` on in both directions. */
export function derivations(f: AgencyFixture, from = 0): [string, Derivation][] {
  const out: [string, Derivation][] = [
    ['tie-break by id', f.derive()],
    ['tie-break reversed', f.deriveReversed()],
  ];
  for (const [name, tail] of [
    ['one by one', f.actions.slice(from)],
    ['one by one, the last first', f.actions.slice(from).reverse()],
  ] as [string, Action[]][]) {
    let d = derive(f.agencyId, f.actions.slice(0, from));
    for (const a of tail) d = applyActions(d, [a]);
    out.push([name, d]);
  }
  return out;
}

/**
 * Runs `check` on every derivation of `f` (see derivations) and requires each action's outcome (refused or
 * not, the rule ids of its flags) and each verdict code to be the same in all of them.
 */
export function inBothOrders(
  f: AgencyFixture,
  check: (d: Derivation, order: string) => void,
  opts: { from?: number } = {},
): void {
  const all = derivations(f, opts.from ?? 0);
  const verdicts = (d: Derivation) =>
    f.actions.map((a) => ({
      type: a.type,
      ...outcomeOf(d, a),
      codes: d.state.verdicts
        .filter((v) => v.id === a.id)
        .map((v) => v.code)
        .sort(),
    }));
  const first = verdicts(all[0]![1]);
  for (const [order, d] of all) {
    check(d, `(${order})`);
    if (order !== all[0]![0]) {
      if (JSON.stringify(verdicts(d)) !== JSON.stringify(first))
        throw new Error(
          `verdicts differ (${order}):\n${JSON.stringify(verdicts(d))}\nvs\n${JSON.stringify(first)}`,
        );
    }
  }
}
