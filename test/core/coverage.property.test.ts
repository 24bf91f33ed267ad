// The generator reaches every rule, and the domain's own invariants hold on what it generates.
// One pass over the schedules (beforeAll) collects what each test below asserts:
// - every refusal and flag code core can give (core/refusals.ts VERDICTS) occurs at least once — a rule
//   no schedule reaches is a failing test, not a silent gap;
// - D4, P3: the agency always has an owner who is an active business manager;
// - D2: no summary ever offers a member Connects the agency does not have, this month or the next ones;
// - R7: an independent proposal is flagged under R7 exactly when its author could only know the member as
//   exclusive (the latest relationship in its causal past);
// - D15: verdicts never depend on rates, milestone amounts or payouts.
// Each failure is reported by kind with the smallest schedule that shows it.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Action,
  type ActionId,
  connectsSummary,
  type Derivation,
  derive,
  toBase64Url,
  VERDICTS,
} from '../../core/index.ts';
import { withoutAmounts } from './support/agency.ts';
import { Findings } from './support/findings.ts';
import { run, SIM_AGENCY, scenarioArbitrary, type World } from './support/simulation.ts';

const RUNS = Number(process.env.COVERAGE_RUNS ?? (process.env.SOAK ? 10_000 : 1000));
// 10,000 schedules under SOAK take minutes on two cores.
const TIMEOUT = process.env.SOAK ? 3_600_000 : 600_000;
const SEED = Number(process.env.COVERAGE_SEED ?? 20261211);
const DAY = 86_400_000;

const reached = new Map<string, number>();
const owner = new Findings();
const room = new Findings();
const r7 = new Findings();
const amounts = new Findings();

function ancestors(d: Derivation, id: ActionId): Set<ActionId> {
  const seen = new Set<ActionId>();
  const stack = [...(d.actions.get(id)?.deps ?? [])];
  while (stack.length) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    stack.push(...(d.actions.get(x)?.deps ?? []));
  }
  return seen;
}

function checkOwner(world: World, d: Derivation): void {
  const s = d.state;
  const o = s.ownerId ? s.members[s.ownerId] : undefined;
  if (!s.ownerId) return; // never created (every action before a creation)
  if (o?.status !== 'active' || o.role !== 'manager')
    owner.add(
      `the owner is ${o ? `${o.status} ${o.role}` : 'no member'}`,
      'D4: the owner is always an active business manager',
      world,
      d,
    );
  if (!Object.values(s.members).some((m) => m.status === 'active' && m.role === 'manager'))
    owner.add('no active business manager', 'P3: the agency always has one', world, d);
}

function checkRoom(world: World, d: Derivation): void {
  const s = d.state;
  const last = Math.max(...d.order.map((id) => d.eff.get(id)!));
  const have = Math.max(0, s.balance);
  const who = [null, ...Object.values(s.members).map((m) => m.id)];
  const seen = new Set<string>();
  for (const now of [last + 1, last + 2 * DAY, last + 32 * DAY, last + 64 * DAY]) {
    for (const m of who) {
      const c = connectsSummary(s, now, m);
      const over = (what: string, n: number | null) => {
        if (n !== null && n > have && !seen.has(what) && seen.add(what))
          room.add(
            `${what} above the balance`,
            `D2: ${what} ${n} with a balance of ${s.balance}, ${Math.round((now - last) / DAY)} day(s) after the last action`,
            world,
            d,
          );
      };
      over('spendable', c.spendable);
      over('reserved', c.reserved);
      over('allowanceLeft', c.allowanceLeft);
      over('availableToTeam', c.availableToTeam);
    }
  }
}

function checkR7(world: World, d: Derivation): void {
  // Each member's joins and relationship changes that were applied, with the relationship they set.
  const grants = new Map<string, 'exclusive' | 'non-exclusive'>();
  const events = new Map<string, [ActionId, 'exclusive' | 'non-exclusive'][]>();
  const refused = new Set(d.state.verdicts.filter((v) => v.kind === 'refused').map((v) => v.id));
  for (const id of d.order) {
    const a = d.actions.get(id)!;
    if (refused.has(id)) continue;
    const p = a.payload as Record<string, unknown>;
    if (a.type === 'grantInvite')
      grants.set(toBase64Url(p.invite as Uint8Array), p.relationship as 'exclusive');
    if (a.type === 'joinAgency') {
      const rel = grants.get(toBase64Url(p.invite as Uint8Array));
      const member = d.state.keys[a.actor]?.member;
      if (rel && member === a.actor) events.set(a.actor, [...(events.get(a.actor) ?? []), [id, rel]]);
    }
    if (a.type === 'changeRelationship')
      events.set(p.member as string, [
        ...(events.get(p.member as string) ?? []),
        [id, p.relationship as 'exclusive'],
      ]);
  }
  for (const id of d.order) {
    const a = d.actions.get(id)! as Action<'submitProposal'>;
    if (a.type !== 'submitProposal' || a.payload.as !== 'independent' || a.payload.member || refused.has(id))
      continue;
    const member = d.state.keys[a.actor]?.member;
    if (!member) continue;
    const past = ancestors(d, id);
    const known = (events.get(member) ?? []).filter(([e]) => past.has(e));
    // The latest ones: those no other known event follows. Concurrent latest ones that disagree: skip.
    const latest = known.filter(([e]) => !known.some(([f]) => f !== e && ancestors(d, f).has(e)));
    const rels = new Set(latest.map(([, r]) => r));
    if (rels.size > 1) continue;
    const exclusive = !rels.has('non-exclusive');
    const flagged = d.state.verdicts.some((v) => v.id === id && v.kind === 'flagged' && v.rule === 'R7');
    if (flagged !== exclusive)
      r7.add(
        `independent proposal known ${exclusive ? 'exclusive' : 'non-exclusive'}, ${flagged ? 'flagged' : 'not flagged'} R7`,
        'R7: flagged exactly when its author could only know the member as exclusive',
        world,
        d,
        new Set([id]),
      );
  }
}

function checkAmounts(world: World, d: Derivation): void {
  const blind = derive(SIM_AGENCY, withoutAmounts(world.all));
  const text = (x: Derivation) => x.state.verdicts.map((v) => `${v.id} ${v.kind} ${v.code} ${v.rule}`).sort();
  const a = text(d);
  const b = text(blind);
  if (a.join('\n') !== b.join('\n')) {
    const diff = [...a.filter((x) => !b.includes(x)), ...b.filter((x) => !a.includes(x))];
    amounts.add('verdicts change when amounts are hidden', `D15: ${diff.slice(0, 4).join('; ')}`, world, d);
  }
}

describe('the generator reaches every rule, and the domain’s invariants hold (property-based)', () => {
  beforeAll(async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary(), async (sc) => {
        const world = await run(sc);
        const d = derive(SIM_AGENCY, world.all);
        for (const v of d.state.verdicts) reached.set(v.code, (reached.get(v.code) ?? 0) + 1);
        checkOwner(world, d);
        checkRoom(world, d);
        checkR7(world, d);
        checkAmounts(world, d);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    if (process.env.COVERAGE_STATS) console.log([...reached].sort((x, y) => y[1] - x[1]));
  }, TIMEOUT);

  it(`every refusal and flag code in core/refusals.ts occurs at least once (${RUNS} schedules)`, () => {
    const missing = Object.keys(VERDICTS).filter((code) => !reached.has(code));
    expect(missing, 'codes no generated schedule reached (a rule no test exercises, or a dead code)').toEqual(
      [],
    );
  });

  it('D4, P3: the agency always has an owner who is an active business manager', () => {
    if (owner.size) expect.fail(owner.report('owner invariant broken'));
  });

  it('D2: no summary offers Connects the agency does not have, now or in a later month', () => {
    if (room.size) expect.fail(room.report('Connects offered beyond the balance'));
  });

  it('R7: an independent proposal is flagged exactly when its author could only know the member as exclusive', () => {
    if (r7.size) expect.fail(r7.report('R7 flags off'));
  });

  it('D15: verdicts do not depend on rates, milestone amounts or payouts', () => {
    if (amounts.size) expect.fail(amounts.report('verdicts that read amounts'));
  });
});
