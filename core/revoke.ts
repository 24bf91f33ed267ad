// Strong remove, by authority (D5, D6, D7, D13, P3, P6). An applied removal, departure, demotion or key
// removal takes something away; every action concurrent with it (neither in the other's causal past) that
// needed what it took is refused — or, for a fact, kept and flagged — whichever of the two sorts first:
//  - a removal or departure of T: T's intents (MEMBER_GONE), T's facts become history (D13), a leave naming
//    T as successor (SUCCESSOR_GONE), joins through T's invites or into T's browsers (D7);
//  - a demotion of T: T's actions that passed only because T was a business manager (DEMOTED; SENIORITY
//    when it was a demotion or removal of the demoter), their facts re-judged as a plain member's, joins
//    through invites only a manager could grant (D7);
//  - a key removal: intents signed by that key (KEY_REVOKED), and its facts stamped after the removal; its
//    facts stamped no later are kept, counted and flagged (D6);
//  - the owner leaving names a successor, whom no concurrent demotion or removal takes down (D4).
// Power events can take each other away (two managers demoting each other). They are ranked without
// looking at ids — the owner first, then seniority as a business manager, then time, then member id — and
// kept greedily: one survives unless a surviving one ranked before it takes it away (P3: the senior wins).

import { clearPart } from './amounts.ts';
import { isAncestor } from './ancestry.ts';
import { toBase64Url } from './bytes.ts';
import { canonicalText } from './canonical.ts';
import type { Derivation, PowerEvent, Revocations } from './derivation.ts';
import { noRevocations } from './derivation.ts';
import type { VerdictCode } from './refusals.ts';
import { boostRecordFlagged } from './rules/boosts-seen.ts';
import { contractRecordFlag } from './rules/contracts-seen.ts';
import { refundCut } from './rules/refunds.ts';
import { type Action, type ActionId, isFact, type MemberId, type Payloads } from './types.ts';

export type Revocation =
  | { refuse: VerdictCode }
  | { history: true }
  | { flag: VerdictCode }
  | { asMember: true }
  | { pool: true };

/** Neither action is in the other's causal past. */
export function concurrent(d: Derivation, p: number, q: number): boolean {
  if (p === q) return false;
  const [lo, hi] = p < q ? [p, q] : [q, p];
  return d.cut[hi]! < lo && !isAncestor(d, d.order[lo]!, d.order[hi]!);
}

const memberOf = (d: Derivation, a: Action): MemberId | undefined => d.state.keys[a.actor]?.member;

const targets = (a: Action, member: MemberId): boolean => {
  if (a.type === 'removeMember') return (a.payload as Payloads['removeMember']).member === member;
  if (a.type === 'changeRole') {
    const p = a.payload as Payloads['changeRole'];
    return p.member === member && p.role === 'member';
  }
  return false;
};

/**
 * What power event `e` does to `x` (an action it is concurrent with), or null. `authority` says whether x
 * needed its actor's manager authority (derive records it while replaying).
 */
export function revocation(
  d: Derivation,
  e: PowerEvent,
  x: Action,
  authority: boolean,
  needed: (id: ActionId) => boolean = (id) => d.book.authority.has(id),
): Revocation | null {
  if (x.id === e.id) return null;
  const author = memberOf(d, x);
  if (e.kind === 'revokeKey') {
    if (x.actor !== e.key) return null;
    if (!isFact(x.type)) return { refuse: 'KEY_REVOKED' };
    const xEff = d.effAt[d.position.get(x.id)!]!;
    return xEff <= d.effAt[e.pos]! ? { flag: 'KEY_REVOKED_FACT' } : { refuse: 'KEY_REVOKED' };
  }
  // D4: the successor becomes the owner, who is always a business manager: no concurrent demotion of them —
  // their own included — stands against the transfer
  if (
    e.transfer &&
    e.successor !== null &&
    (author !== e.successor || x.type === 'changeRole') &&
    targets(x, e.successor)
  ) {
    return { refuse: 'OWNER_PROTECTED' };
  }
  if (x.type === 'joinAgency') {
    const invite = d.state.invites[toBase64Url((x.payload as Payloads['joinAgency']).invite)];
    if (!invite) return null;
    if (e.kind === 'demote') {
      const grant = d.book.invites.get(invite.id);
      const managerOnly = grant !== undefined && needed(d.order[grant.grant]!);
      return invite.grantedBy === e.target && managerOnly ? { refuse: 'INVITE_ISSUER_GONE' } : null;
    }
    if (invite.grantedBy === e.target) return { refuse: 'INVITE_ISSUER_GONE' };
    return invite.member === e.target ? { refuse: 'INVITE_INVALID' } : null;
  }
  if (author === e.target) {
    // R11: a member may leave at any time, so a leave is never refused by a race; what a concurrent demotion
    // or removal takes from it is the authority it used (D5): its successor is not promoted.
    if (x.type === 'leaveAgency') return authority ? { asMember: true } : null;
    if (e.kind === 'demote') {
      if (!authority) return null;
      if (isFact(x.type)) return { asMember: true };
      return { refuse: targets(x, e.actor) ? 'SENIORITY' : 'DEMOTED' };
    }
    return isFact(x.type) ? { history: true } : { refuse: 'MEMBER_GONE' };
  }
  if (e.kind === 'demote') return null;
  if (x.type === 'leaveAgency' && (x.payload as Payloads['leaveAgency']).successor === e.target) {
    return { refuse: 'SUCCESSOR_GONE' };
  }
  // D12: a proposal a manager booked for someone who was leaving at the same time uses no stale allowance
  if (x.type === 'submitProposal' && (x.payload as Payloads['submitProposal']).member === e.target) {
    return { pool: true };
  }
  return null;
}

/** Sort key of a power event: the owner's first, then seniority as a manager when acting, time, member id. */
function rank(d: Derivation, e: PowerEvent): [number, number, string, string] {
  return [e.standing, d.effAt[e.pos]!, e.actor, `${e.kind}:${e.target}:${e.key ?? ''}`];
}

function compareRank(a: ReturnType<typeof rank>, b: ReturnType<typeof rank>): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * A uniqueness conflict between concurrent actions. Two records of one offer that disagree are all void
 * (facts: kept and flagged; the next record settles it). Of joins with one invite, or grants of one invite
 * key, the earliest by time (then by signing key, never by id) may stand and the others are refused.
 */
function settleContest(
  d: Derivation,
  what: string,
  group: { code: VerdictCode; ids: Set<ActionId> },
  holds: (id: ActionId) => boolean,
  out: Revocations,
): void {
  // D9: concurrent refunds on one job are credited in time order; the ones that order cut are flagged.
  if (what.startsWith('refund:')) {
    const job = what.slice('refund:'.length);
    for (const id of group.ids)
      if (!out.flag.has(id) && refundCut(d.state, job, id)) out.flag.set(id, group.code);
    return;
  }
  // Concurrent records of one proposal's boost outcome: flagged when not its author's (boosts-seen.ts).
  if (what.startsWith('boost:')) {
    const proposal = what.slice('boost:'.length);
    for (const id of group.ids)
      if (!out.flag.has(id) && boostRecordFlagged(d.state, proposal, id)) out.flag.set(id, group.code);
    return;
  }
  // Concurrent records of one contract: each one's flag (taken, disputed, kind) from the settled contract.
  if (what.startsWith('contract:')) {
    const contract = what.slice('contract:'.length);
    for (const id of group.ids) {
      const flag = out.flag.has(id) ? null : contractRecordFlag(d.state, contract, id);
      if (flag) out.flag.set(id, flag);
    }
    return;
  }
  if (what.startsWith('offer:')) {
    for (const id of disagreeing(d, group.ids, holds)) {
      out.voided.add(id);
      out.flag.set(id, group.code);
    }
    return;
  }
  const key = (id: ActionId): [number, string] => [d.effAt[d.position.get(id)!]!, d.actions.get(id)!.actor];
  // The rank alone decides, not what else refuses a contender: a contest that waited on other revocations
  // could feed back into them (a join through the invite changes who is a manager) and never settle.
  const ids = [...group.ids];
  ids.sort((x, y) => {
    const [ex, ax] = key(x);
    const [ey, ay] = key(y);
    return ex - ey || (ax < ay ? -1 : ax > ay ? 1 : 0) || (x < y ? -1 : 1);
  });
  for (const id of ids.slice(1)) if (!out.refuse.has(id)) out.refuse.set(id, group.code);
}

/**
 * The records of one offer that stand void: each that holds something and has a concurrent record that holds
 * something and says otherwise. A group gathers its records over every round of a derive, and a record that
 * contradicted in one round may hold nothing in the last (its author departed concurrently, D13; it was
 * refused; a concurrent demotion made it a plain member's record of a teammate's offer, D12): such a record
 * contradicts nothing, so the group is judged again each time (convergence property test, seed 25).
 */
function disagreeing(d: Derivation, ids: Iterable<ActionId>, holds: (id: ActionId) => boolean): ActionId[] {
  const live = [...ids].filter(holds);
  const text = new Map(
    live.map((id) => [id, canonicalText(clearPart('receiveOffer', d.actions.get(id)!.payload as never))]),
  );
  return live.filter((x) =>
    live.some(
      (y) => y !== x && text.get(x) !== text.get(y) && concurrent(d, d.position.get(x)!, d.position.get(y)!),
    ),
  );
}

/** By position: the smallest cut of any later position (n: no later position). */
function suffixMinCut(d: Derivation): Int32Array {
  const n = d.order.length;
  const out = new Int32Array(n + 1);
  out[n] = n;
  for (let p = n - 1; p >= 0; p--) out[p] = Math.min(out[p + 1]!, d.cut[p]!);
  return out;
}

/** Positions of every action per signing member and per key (built once per computation). */
function authorsIndex(d: Derivation): { byMember: Map<MemberId, number[]>; byKey: Map<string, number[]> } {
  const byMember = new Map<MemberId, number[]>();
  const byKey = new Map<string, number[]>();
  for (let p = 0; p < d.order.length; p++) {
    const a = d.ordered[p]!;
    const m = d.state.keys[a.actor]?.member;
    if (m !== undefined) {
      const list = byMember.get(m);
      if (list) list.push(p);
      else byMember.set(m, [p]);
    }
    const keyed = byKey.get(a.actor);
    if (keyed) keyed.push(p);
    else byKey.set(a.actor, [p]);
  }
  return { byMember, byKey };
}

/**
 * The positions a power event may act on: its target's actions, its key's, successors named, joins (those
 * of this replay and those an earlier round applied, RoundMemory).
 */
function candidates(
  d: Derivation,
  e: PowerEvent,
  index: ReturnType<typeof authorsIndex>,
  memory: RoundMemory,
): number[] {
  const out = new Set<number>(
    e.kind === 'revokeKey' ? (index.byKey.get(e.key!) ?? []) : (index.byMember.get(e.target) ?? []),
  );
  for (const other of d.book.power) {
    if (other.kind === 'leave' && other.successor === e.target) out.add(other.pos);
    if (e.transfer && (other.kind === 'remove' || other.kind === 'demote') && other.target === e.successor)
      out.add(other.pos);
  }
  if (e.kind === 'remove' || e.kind === 'leave') {
    for (const x of d.state.proposals) {
      if (x.member === e.target && x.recordedBy !== e.target) out.add(d.position.get(x.id)!);
    }
  }
  for (const [id, invite] of Object.entries(d.state.invites)) {
    if (invite.grantedBy !== e.target && invite.member !== e.target) continue;
    for (const p of d.book.invites.get(id)?.joins ?? []) out.add(p);
    for (const p of memory.joins.get(id) ?? []) out.add(p);
  }
  return [...out];
}

/**
 * Which racing power events stand. One takes another away when they are concurrent and the first refuses
 * the second (a removal refuses its target's concurrent removal of someone else, a demotion its target's
 * concurrent demotion of someone…). When two take each other away (two managers demoting each other), only
 * the higher-ranked one does (P3: the senior wins). Then an event stands when every event that would take it
 * away does not — computed from the events nothing takes away, outward; a cycle left over (three or more
 * taking each other away in a ring) is broken by letting its highest-ranked event stand. Those that fall are
 * refused in `out`.
 */
function survivingPower(
  d: Derivation,
  racing: readonly PowerEvent[],
  needed: (id: ActionId) => boolean,
  out: Revocations,
): PowerEvent[] {
  const ranked = [...racing].sort((a, b) => compareRank(rank(d, a), rank(d, b)));
  const order = new Map(ranked.map((e, i) => [e, i]));
  const takes = new Map<PowerEvent, Map<PowerEvent, VerdictCode>>(); // taker → taken → code
  for (const e of ranked) takes.set(e, new Map());
  for (const e of ranked) {
    for (const f of ranked) {
      if (e === f || !concurrent(d, e.pos, f.pos)) continue;
      const r = revocation(d, e, d.actions.get(f.id)!, needed(f.id), needed);
      if (r && 'refuse' in r) takes.get(e)!.set(f, r.refuse);
    }
  }
  for (const e of ranked) {
    for (const f of [...takes.get(e)!.keys()]) {
      if (takes.get(f)!.has(e) && order.get(f)! < order.get(e)!) takes.get(e)!.delete(f);
    }
  }
  const takers = new Map<PowerEvent, PowerEvent[]>(ranked.map((e) => [e, []]));
  for (const [e, taken] of takes) for (const f of taken.keys()) takers.get(f)!.push(e);
  const stands = new Map<PowerEvent, boolean>();
  while (stands.size < ranked.length) {
    let changed = false;
    for (const e of ranked) {
      if (stands.has(e)) continue;
      const by = takers.get(e)!;
      if (by.some((t) => stands.get(t) === true)) stands.set(e, false);
      else if (by.every((t) => stands.get(t) === false)) stands.set(e, true);
      else continue;
      changed = true;
    }
    if (!changed) stands.set(ranked.find((e) => !stands.has(e))!, true);
  }
  for (const e of ranked) {
    if (stands.get(e)) continue;
    const taker = takers.get(e)!.find((t) => stands.get(t))!;
    out.refuse.set(e.id, takes.get(taker)!.get(e)!);
  }
  return ranked.filter((e) => stands.get(e));
}

/**
 * Whether an offer record holds something, as this round decides: not refused (by its own past in the last
 * replay, or by this round's revocations), not a departed member's (D13: by its own past or by this round's
 * revocations), not a plain member's record of a teammate's offer (D12, as the last replay judged it). Reads
 * the last replay's verdicts once, on first use.
 */
function offerRecordHolds(d: Derivation, current: Revocations, out: Revocations): (id: ActionId) => boolean {
  let said: Map<ActionId, Set<string>> | null = null;
  const says = (id: ActionId, code: string): boolean => {
    if (!said) {
      said = new Map();
      for (const v of d.state.verdicts) {
        const set = said.get(v.id) ?? new Set<string>();
        set.add(v.kind === 'refused' ? 'refused' : v.code);
        said.set(v.id, set);
      }
    }
    return said.get(id)?.has(code) ?? false;
  };
  return (id) =>
    !(says(id, 'refused') && !current.refuse.has(id)) &&
    !out.refuse.has(id) &&
    !out.history.has(id) &&
    !(says(id, 'MEMBER_GONE_FACT') && !current.history.has(id)) &&
    !says(id, 'OFFER_FOR_OTHER');
}

/**
 * What the rounds of one derive have seen so far. A replay records only what it applied: an action a
 * revocation refused records neither that it needed authority nor the power it would take away, and the
 * next round — not seeing them — lifted the refusal, which brought them back the round after: rounds
 * alternated instead of settling (authority oracle, seed 19). Every round
 * therefore judges with everything an earlier round saw applied; an action's own causal past is the same
 * in every round, so what it needed and what it would take are too.
 */
export interface RoundMemory {
  /** Intents that needed their actor's manager authority in some round. */
  authority: Set<ActionId>;
  /** Power events applied in some round, by id. */
  power: Map<ActionId, PowerEvent>;
  /** By invite id: the positions of the joins that used it in some round. */
  joins: Map<string, Set<number>>;
}

export const emptyRoundMemory = (): RoundMemory => ({
  authority: new Set(),
  power: new Map(),
  joins: new Map(),
});

/** Adds what the last replay applied to `memory`. */
export function rememberRound(d: Derivation, memory: RoundMemory): void {
  for (const id of d.book.authority) memory.authority.add(id);
  for (const e of d.book.power) memory.power.set(e.id, e);
  for (const [invite, uses] of d.book.invites) {
    if (!uses.joins.length) continue;
    const seen = memory.joins.get(invite) ?? new Set<number>();
    for (const p of uses.joins) seen.add(p);
    memory.joins.set(invite, seen);
  }
}

/**
 * The revocations the power events of the last replay make, from scratch. `current` is what the replay ran
 * with: an action its own causal past already refused keeps that reason. `memory` adds the power events and
 * authority earlier rounds saw applied that a revocation of this round's input refused (RoundMemory).
 */
export function computeRevocations(d: Derivation, current: Revocations, memory: RoundMemory): Revocations {
  const out = noRevocations();
  const refusedByPast = new Set<ActionId>();
  for (const v of d.state.verdicts)
    if (v.kind === 'refused' && !current.refuse.has(v.id)) refusedByPast.add(v.id);
  // A join refused in the replay because a concurrent join used its invite first is a contender, not refused
  // by its own past: which of the two stands is settled below, without looking at the order.
  for (const group of d.book.contested.values()) for (const id of group.ids) refusedByPast.delete(id);
  const settleContests = () => {
    const holds = offerRecordHolds(d, current, out);
    for (const [what, group] of d.book.contested) settleContest(d, what, group, holds, out);
  };
  const needed = (id: ActionId) => d.book.authority.has(id) || memory.authority.has(id);
  // a power event this round's input refused still contends: whether it stands is decided again below
  const power = [...d.book.power];
  const applied = new Set(power.map((e) => e.id));
  for (const [id, e] of memory.power) if (current.refuse.has(id) && !applied.has(id)) power.push(e);
  if (!power.length) {
    settleContests();
    return out;
  }
  // A power event that nothing is concurrent with takes nothing: most logs have none that are.
  const minCutAfter = suffixMinCut(d);
  const racing = power.filter((e) => d.cut[e.pos]! < e.pos - 1 || minCutAfter[e.pos + 1]! < e.pos);
  if (!racing.length) {
    settleContests();
    return out;
  }
  const index = authorsIndex(d);
  const survivors = survivingPower(d, racing, needed, out);
  for (const e of survivors) {
    for (const p of candidates(d, e, index, memory)) {
      const x = d.ordered[p]!;
      if (out.refuse.has(x.id) || refusedByPast.has(x.id) || !concurrent(d, e.pos, p)) continue;
      const r = revocation(d, e, x, needed(x.id), needed);
      if (!r) continue;
      if ('refuse' in r) out.refuse.set(x.id, r.refuse);
      else if ('history' in r) out.history.add(x.id);
      else if ('flag' in r) out.flag.set(x.id, r.flag);
      else if ('pool' in r) out.pool.add(x.id);
      else out.asMember.add(x.id);
    }
  }
  settleContests();
  return out;
}

/** What the surviving power events of `d` do to a new action at the end of the order, or null. */
export function revokedAtEnd(
  d: Derivation,
  x: Action,
  authority: boolean,
  knows: (p: number) => boolean,
): Revocation | null {
  for (const e of d.book.power) {
    if (d.revocations.refuse.has(e.id) || knows(e.pos)) continue;
    const r = revocation(d, e, x, authority);
    if (r) return r;
  }
  return null;
}

export const sameRevocations = (a: Revocations, b: Revocations): boolean =>
  sameMap(a.refuse, b.refuse) &&
  sameSet(a.history, b.history) &&
  sameMap(a.flag, b.flag) &&
  sameSet(a.asMember, b.asMember) &&
  sameSet(a.pool, b.pool) &&
  sameSet(a.voided, b.voided);

function sameMap<K, V>(a: Map<K, V>, b: Map<K, V>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function sameSet<K>(a: Set<K>, b: Set<K>): boolean {
  if (a.size !== b.size) return false;
  for (const k of a) if (!b.has(k)) return false;
  return true;
}

/** Adds everything `b` decides to `a` (after a few rounds derive only accumulates, so it always ends). */
export function mergeRevocations(a: Revocations, b: Revocations): Revocations {
  const out = noRevocations();
  for (const r of [a, b]) {
    for (const [k, v] of r.refuse) out.refuse.set(k, v);
    for (const k of r.history) out.history.add(k);
    for (const [k, v] of r.flag) out.flag.set(k, v);
    for (const k of r.asMember) out.asMember.add(k);
    for (const k of r.pool) out.pool.add(k);
    for (const k of r.voided) out.voided.add(k);
  }
  return out;
}

export type { ActionId };
