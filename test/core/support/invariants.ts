// Invariants of a derived agency log, checked against independent bookkeeping (not core's own rules):
// facts are never lost, refused intents change nothing, only business managers take manager-only intents
// and there is always one (P2, P3), every step into a negative balance is flagged (P1), every spend beyond
// an allowance is flagged (P4), and an independent proposal is flagged exactly when its author could only
// know the member as exclusive (R7).
import {
  type Action,
  type ActionId,
  type Derivation,
  derive,
  MANAGER_ONLY,
  monthKey,
  type Payloads,
  sha256,
  toBase64Url,
} from '../../../core/index.ts';

/** JSON with sorted keys: two values deep-equal exactly when their texts are equal. */
export function stableText(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

const FACT_REFUSALS = new Set(['UNKNOWN_KEY', 'KEY_REVOKED', 'NOT_CREATED']);

function ancestorsOf(d: Derivation, id: ActionId): Set<ActionId> {
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

interface Tracked {
  role: 'manager' | 'member';
  status: 'active' | 'gone';
  /** undefined: shrunk by an observation, value no longer known here. */
  allowance: number | null | undefined;
}

export function checkInvariants(agencyId: string, all: readonly Action[], d: Derivation): void {
  const fail = (message: string): never => {
    throw new Error(`invariant: ${message}`);
  };
  const s = d.state;
  const verdicts = new Map<ActionId, { refused: string | null; flags: Set<string>; rules: Set<string> }>();
  for (const v of s.verdicts) {
    const e = verdicts.get(v.id) ?? { refused: null, flags: new Set(), rules: new Set() };
    if (v.kind === 'refused') {
      if (e.refused) fail(`${v.id} refused twice`);
      e.refused = v.code;
    } else e.flags.add(v.code);
    e.rules.add(v.rule);
    verdicts.set(v.id, e);
  }
  for (const [id, v] of verdicts) {
    if (!d.position.has(id)) fail(`verdict for an action not in the order: ${id}`);
    if (v.refused && v.flags.size) fail(`${id} both refused and flagged`);
  }
  const refused = (id: ActionId) => verdicts.get(id)?.refused ?? null;
  if (s.counts.applied + s.counts.refused !== d.order.length) fail('applied + refused ≠ ordered');
  if (s.counts.pending !== d.pending.size) fail('pending count');

  // Independent bookkeeping over the log's order, from the applied actions only.
  const members = new Map<string, Tracked>();
  const keys = new Map<string, { member: string; active: boolean }>();
  const invites = new Map<string, Payloads['grantInvite']>();
  const offers = new Map<string, Payloads['receiveOffer']>();
  const contracts = new Map<string, 'agency' | 'independent'>();
  const relationships = new Map<string, [ActionId, string][]>();
  const spent = new Map<string, number>();
  let timeZone = 'UTC';
  let observation: { at: number; id: string; value: number } | null = null;
  const ledger: { at: number; delta: number }[] = [];
  const balance = () =>
    observation
      ? observation.value + ledger.filter((e) => e.at > observation!.at).reduce((n, e) => n + e.delta, 0)
      : 0;
  const managers = () =>
    [...members.values()].filter((m) => m.role === 'manager' && m.status === 'active').length;
  let created = false;

  for (const id of d.order) {
    const a = d.actions.get(id)!;
    const eff = d.eff.get(id)!;
    const r = refused(id);
    const v = verdicts.get(id);
    const isFactType = [
      'submitProposal',
      'observeBalance',
      'learnUpworkId',
      'refundConnects',
      'receiveOffer',
      'recordPayout',
    ].includes(a.type);
    if (isFactType && r && !FACT_REFUSALS.has(r)) fail(`fact ${a.type} ${id} refused with ${r}`);
    if (r) continue;
    const key = keys.get(a.actor);
    if (a.type !== 'createAgency' && a.type !== 'joinAgency' && !key?.active) {
      fail(`${a.type} ${id} applied for an unknown or revoked key`);
    }
    const actor = key?.member ?? a.actor;
    const actorState = members.get(actor);
    const before = balance();
    const managerOnly =
      MANAGER_ONLY.has(a.type) &&
      !(
        (a.type === 'acceptOffer' || a.type === 'declineOffer') &&
        offers.get((a.payload as { offer: string }).offer)?.as === 'independent'
      ) &&
      !(
        a.type === 'editContractTerms' &&
        contracts.get((a.payload as { contract: string }).contract) === 'independent'
      );
    if (managerOnly && !(actorState?.role === 'manager' && actorState.status === 'active')) {
      fail(`P2: ${a.type} ${id} applied for a member who is not an active business manager`);
    }
    if (
      !isFactType &&
      a.type !== 'createAgency' &&
      a.type !== 'joinAgency' &&
      actorState?.status !== 'active'
    ) {
      fail(`P6: intent ${a.type} ${id} applied for a member who is gone`);
    }
    switch (a.type) {
      case 'createAgency': {
        const p = a.payload as Payloads['createAgency'];
        created = true;
        timeZone = p.timeZone ?? 'UTC';
        members.set(a.actor, { role: 'manager', status: 'active', allowance: null });
        keys.set(a.actor, { member: a.actor, active: true });
        observation = { at: eff, id, value: p.balance };
        break;
      }
      case 'grantInvite': {
        const p = a.payload as Payloads['grantInvite'];
        invites.set(toBase64Url(p.invite), p);
        break;
      }
      case 'joinAgency': {
        // the invite is checked by core; here only its role and relationship matter
        const known = keys.get(a.actor);
        const mid = known?.member ?? a.actor;
        const granted = invites.get(toBase64Url(sha256((a.payload as Payloads['joinAgency']).secret)));
        if (!granted) fail(`join ${id} applied without a granted invite`);
        members.set(mid, { role: granted!.role, status: 'active', allowance: null });
        keys.set(a.actor, { member: mid, active: true });
        const list = relationships.get(mid) ?? [];
        list.push([id, granted!.relationship]);
        relationships.set(mid, list);
        break;
      }
      case 'removeMember': {
        const t = members.get((a.payload as { member: string }).member)!;
        t.status = 'gone';
        break;
      }
      case 'leaveAgency': {
        const p = a.payload as Payloads['leaveAgency'];
        if (p.successor && actorState?.role === 'manager') members.get(p.successor)!.role = 'manager';
        actorState!.status = 'gone';
        break;
      }
      case 'changeRole': {
        const p = a.payload as Payloads['changeRole'];
        members.get(p.member)!.role = p.role;
        break;
      }
      case 'changeRelationship': {
        const p = a.payload as Payloads['changeRelationship'];
        const list = relationships.get(p.member) ?? [];
        list.push([id, p.relationship]);
        relationships.set(p.member, list);
        break;
      }
      case 'setAllowance': {
        const p = a.payload as Payloads['setAllowance'];
        members.get(p.member)!.allowance = p.monthly;
        break;
      }
      case 'setTimeZone':
        timeZone = (a.payload as Payloads['setTimeZone']).timeZone;
        break;
      case 'addDeviceKey': {
        const p = a.payload as Payloads['addDeviceKey'];
        keys.set(toBase64Url(p.key), { member: p.member, active: true });
        break;
      }
      case 'removeDeviceKey': {
        const p = a.payload as Payloads['removeDeviceKey'];
        keys.get(toBase64Url(p.key))!.active = false;
        break;
      }
      case 'enterBalance':
      case 'observeBalance': {
        const value = (a.payload as { balance: number }).balance;
        if (!observation || eff > observation.at || (eff === observation.at && id > observation.id)) {
          observation = { at: eff, id, value };
        }
        break;
      }
      case 'recordPurchase':
        ledger.push({ at: eff, delta: (a.payload as Payloads['recordPurchase']).connects });
        break;
      case 'refundConnects':
        ledger.push({ at: eff, delta: (a.payload as Payloads['refundConnects']).connects });
        if (!s.ledger.some((e) => e.id === id)) fail(`refund ${id} lost`);
        break;
      case 'receiveOffer': {
        const p = a.payload as Payloads['receiveOffer'];
        if (!offers.has(p.offer)) offers.set(p.offer, p);
        if (!s.offers[p.offer]) fail(`offer ${p.offer} lost`);
        break;
      }
      case 'acceptOffer': {
        const o = offers.get((a.payload as { offer: string }).offer)!;
        contracts.set(o.offer, o.as);
        break;
      }
      case 'recordPayout':
        if (!s.payouts.some((x) => x.id === id)) fail(`payout ${id} lost`);
        break;
      case 'submitProposal': {
        const p = a.payload as Payloads['submitProposal'];
        if (!s.proposals.some((x) => x.id === id)) fail(`proposal ${id} lost`);
        const member = p.member && members.has(p.member) ? p.member : actor;
        if (p.as === 'independent') {
          const past = ancestorsOf(d, id);
          const known = [...(relationships.get(member) ?? [])].reverse().find(([e]) => past.has(e))?.[1];
          const flagged = v?.flags.has('EXCLUSIVE_INDEPENDENT') ?? false;
          if (flagged !== (known !== 'non-exclusive')) {
            fail(`R7: independent proposal ${id} known as ${known ?? 'exclusive'} but flagged=${flagged}`);
          }
          break;
        }
        const cost = p.connects + p.boost;
        ledger.push({ at: eff, delta: -cost });
        const month = `${member}|${monthKey(eff, timeZone)}`;
        const total = (spent.get(month) ?? 0) + cost;
        spent.set(month, total);
        const allowance = members.get(member)?.allowance;
        if (typeof allowance === 'number' && total > allowance && !v?.flags.has('ALLOWANCE_EXCEEDED')) {
          fail(`P4: proposal ${id} spent ${total} of an allowance of ${allowance} without a flag`);
        }
        break;
      }
    }
    if (v?.flags.has('ALLOWANCE_SHRUNK'))
      for (const m of members.values()) if (m.allowance !== null) m.allowance = undefined;
    const after = balance();
    if (after < 0 && after < before && !v?.rules.has('P1')) {
      fail(`P1: ${a.type} ${id} took the balance from ${before} to ${after} without a P1 flag`);
    }
    if (created && managers() < 1) fail(`P3: no business manager after ${a.type} ${id}`);
  }
  if (balance() !== s.balance) fail(`balance ${s.balance}, independently ${balance()}`);

  // No refused action changes state: the same log with each refused action made inert (signed by a key
  // that is no member) derives the same state, verdicts of those actions aside.
  const refusedIds = new Set([...verdicts].filter(([, v]) => v.refused).map(([id]) => id));
  if (refusedIds.size) {
    const inert = all.map((a) => (refusedIds.has(a.id) ? { ...a, actor: STRANGER_ID } : a));
    const other = derive(agencyId, inert);
    const strip = (x: Derivation) =>
      stableText({ ...x.state, verdicts: x.state.verdicts.filter((v) => !refusedIds.has(v.id)) });
    if (strip(other) !== strip(d)) fail('a refused action changed the state');
  }
}

const STRANGER_ID = 'stranger-key-never-a-member-of-any-agency-x';
