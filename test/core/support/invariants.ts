// Invariants of a derived agency log that hold whatever the rules decide, checked against the log itself
// (nothing here reads a table of core's): verdicts are well formed and counted, facts are never lost (a
// fact is refused only when its key is not, or no longer, a member's), and a refused action changes
// nothing. Who may do what is checked against the independent oracle (support/oracle.ts,
// authority.property.test.ts); the domain's own invariants (the owner, no Connects offered that the
// agency does not have, R7) in coverage.property.test.ts.
import { type Action, type ActionId, type Derivation, derive } from '../../../core/index.ts';

/** JSON with sorted keys: two values deep-equal exactly when their texts are equal. */
export function stableText(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

const FACTS = new Set([
  'submitProposal',
  'observeBalance',
  'learnUpworkId',
  'refundConnects',
  'receiveOffer',
  'recordPayout',
]);

export function checkInvariants(agencyId: string, all: readonly Action[], d: Derivation): void {
  const fail = (message: string): never => {
    throw new Error(`invariant: ${message}`);
  };
  const s = d.state;
  const verdicts = new Map<ActionId, { refused: string | null; flags: Set<string> }>();
  for (const v of s.verdicts) {
    const e = verdicts.get(v.id) ?? { refused: null, flags: new Set<string>() };
    if (v.kind === 'refused') {
      if (e.refused) fail(`${v.id} refused twice`);
      e.refused = v.code;
    } else e.flags.add(v.code);
    if (!v.rule || !v.message) fail(`${v.code} names no rule or sentence`);
    verdicts.set(v.id, e);
  }
  for (const [id, v] of verdicts) {
    if (!d.position.has(id)) fail(`verdict for an action not in the order: ${id}`);
    if (v.refused && v.flags.size) fail(`${id} both refused and flagged`);
  }
  if (s.counts.applied + s.counts.refused !== d.order.length) fail('applied + refused ≠ ordered');
  if (s.counts.refused !== [...verdicts.values()].filter((v) => v.refused).length) fail('refused count');
  if (s.counts.flagged !== [...verdicts.values()].filter((v) => !v.refused && v.flags.size).length)
    fail('flagged count');
  if (s.counts.pending !== d.pending.size) fail('pending count');
  if (d.order.length + d.pending.size !== new Set(all.map((a) => a.id)).size) fail('an action is lost');

  // Facts are never dropped: a fact is refused only when the key that signed it was no member's when it
  // was written (its joining not in the fact's causal past), or is removed (D6); applied ones are where a
  // member reads them.
  const proposals = new Set(s.proposals.map((p) => p.id));
  const payouts = new Set(s.payouts.map((p) => p.id));
  const joined = new Map<string, ActionId[]>();
  for (const id of d.order) {
    const a = d.actions.get(id)!;
    if ((a.type === 'joinAgency' || a.type === 'createAgency') && !verdicts.get(id)?.refused)
      joined.set(a.actor, [...(joined.get(a.actor) ?? []), id]);
  }
  for (const id of d.order) {
    const a = d.actions.get(id)!;
    if (!FACTS.has(a.type)) continue;
    // one branch too many of its own key's chain (KEY_FORKED) is refused whoever signs it: only a modified
    // client writes one (fewer branches are applied, KEY_BRANCHED)
    const refused = verdicts.get(id)?.refused;
    if (refused) {
      const past = ancestors(d, id);
      const wasMember = (joined.get(a.actor) ?? []).some((j) => past.has(j));
      if (refused !== 'KEY_FORKED' && wasMember && s.keys[a.actor]?.active)
        fail(`fact ${a.type} ${id} refused though its key was and is a member's`);
      continue;
    }
    // Every proposal stays listed (P5: who already applied). A flagged payout or offer may be kept in the
    // log only: a departed member's (D13, history not state), or two records of one offer that disagree.
    if (a.type === 'submitProposal' && !proposals.has(id)) fail(`proposal ${id} lost`);
    if (s.verdicts.some((v) => v.id === id && v.kind === 'flagged')) continue;
    if (a.type === 'recordPayout' && !payouts.has(id)) fail(`payout ${id} lost`);
    if (a.type === 'receiveOffer' && !s.offers[(a.payload as { offer: string }).offer])
      fail(`offer ${id} lost`);
  }

  // No refused action changes state: the same log with each refused action made inert (an observation
  // by a key that is no member, under the same id so in the same place) derives the same state, verdicts
  // of those actions aside.
  const refusedIds = new Set([...verdicts].filter(([, v]) => v.refused).map(([id]) => id));
  if (refusedIds.size) {
    const inert = all.map((a) =>
      refusedIds.has(a.id)
        ? ({ ...a, type: 'observeBalance', payload: { balance: 0 }, actor: STRANGER_ID } as Action)
        : a,
    );
    const other = derive(agencyId, inert);
    const strip = (x: Derivation) =>
      stableText({
        ...x.state,
        verdicts: x.state.verdicts.filter((v) => !refusedIds.has(v.id)),
        counts: null,
      });
    if (strip(other) !== strip(d)) fail('a refused action changed the state');
  }
}

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

const STRANGER_ID = 'stranger-key-never-a-member-of-any-agency-x';
