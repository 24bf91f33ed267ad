// An independent oracle for authority: who may do what (domain.md "Who may do what", R2–R5, R8, R9, P2,
// P3, P6) with D4 (the owner), D5 (strong remove covers authority), D6 (facts and key removals) and D7
// (invites die with their issuer's authority). Written from domain.md alone — it imports nothing from
// core but types, shares no table with it, and is slow on purpose: each action is judged on the state
// replayed from *its own causal past* (walking deps), then the concurrent demotions, removals, departures
// and key removals that took effect revoke what needed the authority they took.
//
// It answers, per action: 'applied' (derive must apply it), 'refused' (derive must refuse it), 'either' (an
// intent the actor had the right to take, whose fate hangs on something the oracle does not model, such as
// the balance an allowance must fit), or 'unknown' (domain.md does not decide it — two concurrent writes of
// one thing, say — or the oracle cannot tell). For facts it also says whether a P6 flag is due.
//
// Verdicts depend on other verdicts (a demotion that lost a seniority contest revokes nothing), so the
// oracle iterates: judge everything assuming a set of effective power events, recompute that set from the
// judgements, until it no longer changes.
import { toBase64Url } from '../../../core/bytes.ts';
import type { Action, ActionId, Payloads } from '../../../core/types.ts';

export type Judgement =
  | { kind: 'applied'; why: string; p6?: boolean | null; history?: boolean }
  | { kind: 'refused'; rule: string; why: string }
  | { kind: 'either'; why: string }
  | { kind: 'unknown'; why: string };

const FACTS = new Set([
  'submitProposal',
  'observeBalance',
  'learnUpworkId',
  'refundConnects',
  'receiveOffer',
  'recordPayout',
  // a contract as the member's own Upwork page lists it: a fact they saw (issue 11)
  'observeContract',
  // the member's own week of hours from their own timesheet (issue 11)
  'recordOwnHours',
  // a proposal's boost outcome from the member's own My proposals (issue 11)
  'observeBoost',
]);
const isFact = (a: Action) => FACTS.has(a.type);

interface OMember {
  role: 'manager' | 'member';
  status: 'active' | 'left' | 'removed';
  relationship: 'exclusive' | 'non-exclusive';
  /** The action that made them a business manager (P3 seniority), or null. */
  since: ActionId | null;
  /** The name given when joining (or creating), as the member typed it. */
  name: string;
}
interface OInvite {
  kind: 'member' | 'device';
  grant: ActionId;
  grantedBy: string;
  role: 'manager' | 'member';
  relationship: 'exclusive' | 'non-exclusive';
  member: string | null;
  expiresAt: number;
  used: boolean;
  revoked: boolean;
}
interface OOffer {
  as: 'agency' | 'independent' | 'unknown';
  member: string;
  kind: 'hourly' | 'fixed' | null;
  status: 'open' | 'accepted' | 'declined';
}
interface OState {
  created: boolean;
  owner: string | null;
  members: Map<string, OMember>;
  keys: Map<string, { member: string; active: boolean }>;
  invites: Map<string, OInvite>;
  offers: Map<string, OOffer>;
  contracts: Map<string, OOffer>;
}

const copyState = (s: OState): OState => ({
  created: s.created,
  owner: s.owner,
  members: new Map([...s.members].map(([k, v]) => [k, { ...v }])),
  keys: new Map([...s.keys].map(([k, v]) => [k, { ...v }])),
  invites: new Map([...s.invites].map(([k, v]) => [k, { ...v }])),
  offers: new Map([...s.offers].map(([k, v]) => [k, { ...v }])),
  contracts: new Map([...s.contracts].map(([k, v]) => [k, { ...v }])),
});

const emptyState = (): OState => ({
  created: false,
  owner: null,
  members: new Map(),
  keys: new Map(),
  invites: new Map(),
  offers: new Map(),
  contracts: new Map(),
});

type P<T extends keyof Payloads> = Payloads[T];
const payload = <T extends keyof Payloads>(a: Action, _t: T): P<T> => a.payload as P<T>;

export class Oracle {
  readonly actions = new Map<ActionId, Action>();
  /** Topological order (deps first, ties by id): the oracle's own, not derive's. */
  readonly topo: ActionId[] = [];
  private readonly past = new Map<ActionId, Set<ActionId>>();
  private readonly effTime = new Map<ActionId, number>();
  /** Another topological order: ties by id, largest first. */
  private readonly topoRev: ActionId[];
  /** Whose each browser key is, from the joins in the whole log (a key belongs to one member for good). */
  private readonly keyOwner = new Map<string, string>();
  judgements = new Map<ActionId, Judgement>();
  private previous = new Map<ActionId, Judgement>();
  private memo = new Map<string, OState | null>();
  private offerMemo = new Map<ActionId, OOffer['as']>();
  rounds = 0;

  constructor(all: Iterable<Action>) {
    for (const a of all) this.actions.set(a.id, a);
    // Actions waiting for a dependency nobody has are left out, as derive leaves them pending.
    const resolved = new Set<ActionId>();
    const visiting = new Set<ActionId>();
    const resolve = (id: ActionId): boolean => {
      if (resolved.has(id)) return true;
      const a = this.actions.get(id);
      if (!a || visiting.has(id)) return false;
      visiting.add(id);
      const ok = a.deps.every(resolve);
      visiting.delete(id);
      if (ok) resolved.add(id);
      return ok;
    };
    for (const id of this.actions.keys()) resolve(id);
    // Kahn's algorithm, smallest id first among the ready.
    const children = new Map<ActionId, ActionId[]>();
    const waiting = new Map<ActionId, number>();
    for (const id of resolved) {
      const a = this.actions.get(id)!;
      waiting.set(id, a.deps.length);
      for (const dep of a.deps) children.set(dep, [...(children.get(dep) ?? []), id]);
    }
    let ready = [...resolved].filter((id) => waiting.get(id) === 0).sort();
    while (ready.length) {
      const id = ready.shift()!;
      this.topo.push(id);
      const a = this.actions.get(id)!;
      const past = new Set<ActionId>();
      let eff = a.at;
      for (const dep of a.deps) {
        past.add(dep);
        for (const x of this.past.get(dep)!) past.add(x);
        eff = Math.max(eff, this.effTime.get(dep)! + 1);
      }
      this.past.set(id, past);
      this.effTime.set(id, eff);
      const next: ActionId[] = [];
      for (const c of children.get(id) ?? []) {
        const w = waiting.get(c)! - 1;
        waiting.set(c, w);
        if (w === 0) next.push(c);
      }
      ready = [...ready, ...next].sort();
    }
    this.topoRev = this.reverseTopo(this.topo);
    for (const id of this.topo) {
      const a = this.actions.get(id)!;
      if (a.type === 'createAgency' && !this.keyOwner.has(a.actor)) this.keyOwner.set(a.actor, a.actor);
      if (a.type !== 'joinAgency' || this.keyOwner.has(a.actor)) continue;
      const invite = toBase64Url(payload(a, 'joinAgency').invite);
      const grant = this.topo
        .map((x) => this.actions.get(x)!)
        .find(
          (b) =>
            (b.type === 'grantInvite' || b.type === 'grantDeviceInvite') &&
            toBase64Url((b.payload as { invite: Uint8Array }).invite) === invite &&
            this.before(b.id, a.id),
        );
      if (grant?.type === 'grantDeviceInvite')
        this.keyOwner.set(a.actor, payload(grant, 'grantDeviceInvite').member);
      else if (grant) this.keyOwner.set(a.actor, a.actor);
    }
    this.run();
  }

  /** The fate of `id` so far: this round's, else the last round's, else applied (the first round's guess). */
  private verdict(id: ActionId): Judgement {
    return this.judgements.get(id) ?? this.previous.get(id) ?? { kind: 'applied', why: 'not judged yet' };
  }

  /** Is `x` in the causal past of `y`? */
  before(x: ActionId, y: ActionId): boolean {
    return this.past.get(y)?.has(x) ?? false;
  }
  concurrent(x: ActionId, y: ActionId): boolean {
    return x !== y && !this.before(x, y) && !this.before(y, x);
  }
  eff(id: ActionId): number {
    return this.effTime.get(id)!;
  }

  /** Power events whose fate the oracle could not tell: what they would revoke is unknown too. */
  private uncertain = new Set<ActionId>();

  private run(): void {
    let effective = new Set<ActionId>();
    for (let round = 0; round < 8; round++) {
      this.rounds = round + 1;
      this.previous = this.judgements;
      this.judgements = new Map();
      this.memo = new Map();
      this.offerMemo = new Map();
      for (const id of this.topo) this.judgements.set(id, this.judge(this.actions.get(id)!, effective));
      const next = new Set(this.topo.filter((id) => this.isPower(id)));
      this.uncertain = new Set(this.topo.filter((id) => this.isPower(id, true)));
      const stable = this.topo.every((id) => this.previous.get(id)?.kind === this.judgements.get(id)!.kind);
      if (stable && next.size === effective.size && [...next].every((id) => effective.has(id))) return;
      effective = next;
    }
    // No fixed point: a cycle of concurrent power events domain.md does not settle.
    for (const id of this.topo) this.judgements.set(id, { kind: 'unknown', why: 'no fixed point' });
  }

  /** A power event that took effect: it revokes its target's concurrent acts that needed what it took. */
  private isPower(id: ActionId, uncertain = false): boolean {
    const a = this.actions.get(id)!;
    const kind = this.verdict(id).kind;
    if (uncertain ? kind === 'applied' || kind === 'refused' : kind !== 'applied') return false;
    if (a.type === 'removeMember' || a.type === 'leaveAgency' || a.type === 'removeDeviceKey') return true;
    return a.type === 'changeRole' && payload(a, 'changeRole').role === 'member';
  }

  /** The state after the applied actions of `id`'s causal past, replayed in topological order. */
  private stateBefore(id: ActionId, reverse: boolean): OState | null {
    const memoKey = `${reverse ? 'r' : 'f'}${id}`;
    if (this.memo.has(memoKey)) return this.memo.get(memoKey)!;
    const replayed = this.replay(id, reverse);
    const state = replayed === 'infeasible' ? null : replayed;
    this.memo.set(memoKey, state);
    return state;
  }

  /**
   * Replays the applied actions of `id`'s past. An action of unknown fate that may change authority makes
   * the state unknown (null), unless `assume` says whether it took effect (true: applied).
   */
  private replay(
    id: ActionId,
    reverse: boolean,
    assume?: ReadonlyMap<ActionId, boolean>,
  ): OState | 'infeasible' | null {
    const past = this.past.get(id)!;
    const s = emptyState();
    for (const x of reverse ? this.topoRev : this.topo) {
      if (!past.has(x)) continue;
      const j = this.verdict(x);
      if (j.kind === 'unknown' || j.kind === 'either') {
        if (this.changesAuthority(this.actions.get(x)!)) {
          const took = assume?.get(x);
          if (took === undefined) return null;
          if (took && !this.apply(s, this.actions.get(x)!)) return 'infeasible';
          continue;
        }
        if (j.kind === 'unknown') continue;
      }
      if (j.kind === 'refused') continue;
      // D13: what a member records after leaving (as far as they knew) is history, not state.
      if (j.kind === 'applied' && j.history) continue;
      if (!this.apply(s, this.actions.get(x)!)) return null;
    }
    return s;
  }

  /** Another topological order of `ids` (ties by id, largest first). */
  private reverseTopo(ids: ActionId[]): ActionId[] {
    const set = new Set(ids);
    const waiting = new Map<ActionId, number>();
    const children = new Map<ActionId, ActionId[]>();
    for (const id of ids) {
      const deps = this.actions.get(id)!.deps.filter((d) => set.has(d));
      waiting.set(id, deps.length);
      for (const d of deps) children.set(d, [...(children.get(d) ?? []), id]);
    }
    const out: ActionId[] = [];
    const ready = ids
      .filter((id) => waiting.get(id) === 0)
      .sort()
      .reverse();
    while (ready.length) {
      const id = ready.shift()!;
      out.push(id);
      for (const c of children.get(id) ?? []) {
        const w = waiting.get(c)! - 1;
        waiting.set(c, w);
        if (w === 0) ready.push(c);
      }
      ready.sort().reverse();
    }
    return out;
  }

  private changesAuthority(a: Action): boolean {
    return [
      'createAgency',
      'joinAgency',
      'grantInvite',
      'grantDeviceInvite',
      'revokeInvite',
      'removeMember',
      'leaveAgency',
      'changeRole',
      'changeRelationship',
      'removeDeviceKey',
      'receiveOffer',
      'acceptOffer',
      'declineOffer',
      'submitProposal',
    ].includes(a.type);
  }

  // --- effects of an applied action on the oracle's small state ------------------------------------------

  /** Applies `a`'s effect; false when what it acts on is not there (a replay assuming a fate that cannot be). */
  private apply(s: OState, a: Action): boolean {
    const actor = s.keys.get(a.actor)?.member;
    const memberOf = (id: string | undefined) => (id === undefined ? undefined : s.members.get(id));
    switch (a.type) {
      case 'createAgency':
        s.created = true;
        s.owner = a.actor;
        s.members.set(a.actor, {
          role: 'manager',
          status: 'active',
          relationship: 'exclusive',
          since: a.id,
          name: payload(a, 'createAgency').memberName,
        });
        s.keys.set(a.actor, { member: a.actor, active: true });
        return true;
      case 'joinAgency': {
        const invite = s.invites.get(toBase64Url(payload(a, 'joinAgency').invite));
        if (!invite) return false;
        invite.used = true;
        if (invite.kind === 'device') {
          s.keys.set(a.actor, { member: invite.member!, active: true });
          return true;
        }
        const id = s.keys.get(a.actor)?.member ?? a.actor;
        s.members.set(id, {
          role: invite.role,
          status: 'active',
          relationship: invite.relationship,
          since: invite.role === 'manager' ? a.id : null,
          name: payload(a, 'joinAgency').name,
        });
        s.keys.set(a.actor, { member: id, active: true });
        return true;
      }
      case 'grantInvite': {
        if (!actor) return false;
        const p = payload(a, 'grantInvite');
        s.invites.set(toBase64Url(p.invite), {
          kind: 'member',
          grant: a.id,
          grantedBy: actor,
          role: p.role,
          relationship: p.relationship,
          member: null,
          expiresAt: p.expiresAt,
          used: false,
          revoked: false,
        });
        return true;
      }
      case 'grantDeviceInvite': {
        if (!actor) return false;
        const p = payload(a, 'grantDeviceInvite');
        s.invites.set(toBase64Url(p.invite), {
          kind: 'device',
          grant: a.id,
          grantedBy: actor,
          role: 'member',
          relationship: 'exclusive',
          member: p.member,
          expiresAt: p.expiresAt,
          used: false,
          revoked: false,
        });
        return true;
      }
      case 'revokeInvite': {
        const invite = s.invites.get(toBase64Url(payload(a, 'revokeInvite').invite));
        if (!invite) return false;
        invite.revoked = true;
        return true;
      }
      case 'removeMember': {
        const t = memberOf(payload(a, 'removeMember').member);
        if (!t) return false;
        t.status = 'removed';
        return true;
      }
      case 'leaveAgency': {
        const me = memberOf(actor);
        const successor = payload(a, 'leaveAgency').successor;
        const next = memberOf(successor);
        if (!me || (successor !== undefined && !next)) return false;
        if (next && me.role === 'manager') {
          if (next.role !== 'manager') next.since = a.id;
          next.role = 'manager';
        }
        if (s.owner === actor && successor) s.owner = successor;
        me.status = 'left';
        return true;
      }
      case 'changeRole': {
        const p = payload(a, 'changeRole');
        const t = memberOf(p.member);
        if (!t) return false;
        if (t.role !== p.role) t.since = p.role === 'manager' ? a.id : null;
        t.role = p.role;
        return true;
      }
      case 'changeRelationship': {
        const p = payload(a, 'changeRelationship');
        const t = memberOf(p.member);
        if (!t) return false;
        t.relationship = p.relationship;
        return true;
      }
      case 'removeDeviceKey': {
        const key = s.keys.get(toBase64Url(payload(a, 'removeDeviceKey').key));
        if (!key) return false;
        key.active = false;
        return true;
      }
      case 'receiveOffer': {
        const p = payload(a, 'receiveOffer');
        // Upwork shows an offer to its freelancer and the business managers only (R2), and only a manager
        // records for someone else (D12): a plain member's record of a teammate's offer observes nothing.
        // Judged as its recorder knew their own role (its causal past), not as a later replay has it.
        let forOther: 'nothing' | 'unknown' | null = null;
        if (p.member !== actor) {
          const before = this.stateBefore(a.id, false);
          const role = before?.members.get(actor!)?.role;
          forOther = !before ? 'unknown' : role !== 'manager' ? 'nothing' : null;
          // D5: a concurrent demotion or removal of the recording manager may revoke the record.
          const lost = (b: Action) =>
            (b.type === 'changeRole' || b.type === 'removeMember') &&
            (b.payload as { member: string }).member === actor;
          if (forOther === null && this.raced(a, lost)) forOther = 'unknown';
        }
        if (forOther === 'nothing') return true;
        if (!s.offers.has(p.offer)) {
          let as = this.offerMemo.get(a.id);
          if (as === undefined) {
            as = forOther ?? this.offerAs(a);
            this.offerMemo.set(a.id, as);
          }
          s.offers.set(p.offer, {
            as,
            member: this.offerHolder(a, s),
            kind: p.terms?.kind ?? p.kind ?? null,
            status: 'open',
          });
        }
        return true;
      }
      case 'acceptOffer': {
        const o = s.offers.get(payload(a, 'acceptOffer').offer);
        if (!o) return false;
        o.status = 'accepted';
        s.contracts.set(payload(a, 'acceptOffer').offer, { ...o });
        return true;
      }
      case 'declineOffer': {
        const o = s.offers.get(payload(a, 'declineOffer').offer);
        if (!o) return false;
        o.status = 'declined';
        return true;
      }
      default:
        return true;
    }
  }

  /**
   * D8: whose an offer is, by what its recorder could know — agency when recorded so, when its member was
   * exclusive, or when they had proposed to the job as the agency (all as of the offer's causal past).
   */
  private offerAs(a: Action): 'agency' | 'independent' | 'unknown' {
    const p = payload(a, 'receiveOffer');
    if (p.as === 'agency') return 'agency';
    const s = this.stateBefore(a.id, false);
    if (!s) return 'unknown';
    const holder = this.offerHolder(a, s);
    const m = s.members.get(holder);
    if (!m || m.relationship === 'exclusive') return 'agency';
    for (const x of this.past.get(a.id)!) {
      const b = this.actions.get(x)!;
      if (b.type !== 'submitProposal' || this.verdict(x).kind !== 'applied') continue;
      const q = payload(b, 'submitProposal');
      if (q.as !== 'agency' || q.job !== p.job) continue;
      const proposer = this.proposer(b);
      if (proposer === null) return 'unknown';
      if (proposer === holder) return 'agency';
    }
    return 'independent';
  }

  /**
   * Whose proposal `b` is: the member it names only when a business manager recorded it for an active member
   * (P2: only managers record for others; D12: naming anyone else keeps it as the recorder's own).
   */
  private proposer(b: Action): string | null {
    const recorder = this.keyOwner.get(b.actor)!;
    const named = payload(b, 'submitProposal').member;
    if (named === undefined || named === recorder) return recorder;
    const s = this.stateBefore(b.id, false);
    if (!s) return null;
    const byManager = s.members.get(recorder)?.role === 'manager';
    return byManager && s.members.get(named)?.status === 'active' ? named : recorder;
  }

  /**
   * Two records of one offer, neither knowing the other, that say different things (another job, member,
   * side or kind): domain.md does not say which one the offer is.
   */
  private offerContested(offer: string): boolean {
    const records = [...this.actions.values()].filter(
      (b) => b.type === 'receiveOffer' && payload(b, 'receiveOffer').offer === offer,
    );
    const says = (b: Action) => {
      const p = payload(b, 'receiveOffer');
      return JSON.stringify([p.job, p.title ?? null, p.as, p.member, p.terms?.kind ?? p.kind ?? null]);
    };
    return records.some((x) => records.some((y) => this.concurrent(x.id, y.id) && says(x) !== says(y)));
  }

  /** D12: an offer recorded for someone who is not an active member is kept as its recorder's own. */
  private offerHolder(a: Action, s: OState): string {
    const named = payload(a, 'receiveOffer').member;
    return s.members.get(named)?.status === 'active' ? named : this.keyOwner.get(a.actor)!;
  }

  // --- judging one action ---------------------------------------------------------------------------------

  /**
   * Judges `a` on its past replayed in two topological orders, and — when actions of unknown fate that may
   * change authority are in that past (at most 3) — with each combination of them taking effect or not.
   * Decided only when every replay gives the same answer.
   */
  private judge(a: Action, effective: Set<ActionId>): Judgement {
    const past = this.past.get(a.id)!;
    const open = this.topo.filter((x) => {
      if (!past.has(x)) return false;
      const k = this.verdict(x).kind;
      return (k === 'unknown' || k === 'either') && this.changesAuthority(this.actions.get(x)!);
    });
    if (open.length > 3) return { kind: 'unknown', why: 'actions of unknown fate in its past' };
    let found: Judgement | null = null;
    for (let mask = 0; mask < 1 << open.length; mask++) {
      const assume = new Map(open.map((x, i) => [x, (mask & (1 << i)) !== 0]));
      for (const reverse of [false, true]) {
        const s = open.length ? this.replay(a.id, reverse, assume) : this.stateBefore(a.id, reverse);
        if (s === 'infeasible') continue;
        if (!s) return { kind: 'unknown', why: 'an action in its past has an unknown fate' };
        const j = this.judgeOn(a, s, effective);
        const first: Judgement = found ?? j;
        if (j.kind !== first.kind)
          return { kind: 'unknown', why: `its past replays two ways: ${first.why} / ${j.why}` };
        // D13: whether a fact is history decides what later actions see, so two replays must agree on it
        if (first.kind === 'applied' && j.kind === 'applied' && !first.history !== !j.history)
          return { kind: 'unknown', why: 'its past replays two ways: history or state' };
        found =
          first.kind === 'applied' && j.kind === 'applied' && first.p6 !== j.p6
            ? { kind: 'applied', why: first.why, p6: null, history: first.history }
            : first;
      }
    }
    return found ?? { kind: 'unknown', why: 'no replay of its past is possible' };
  }

  /** Actions concurrent with `a` that write `what` (a member, offer, invite, key...). */
  private raced(a: Action, what: (b: Action) => boolean): boolean {
    for (const id of this.topo) {
      if (!this.concurrent(id, a.id)) continue;
      const b = this.actions.get(id)!;
      if (this.verdict(id).kind === 'refused') continue;
      if (what(b)) return true;
    }
    return false;
  }

  private judgeOn(a: Action, s: OState, effective: Set<ActionId>): Judgement {
    if (a.type === 'createAgency') {
      if (s.created) return { kind: 'refused', rule: 'LOG', why: 'created twice' };
      if (this.raced(a, (b) => b.type === 'createAgency'))
        return { kind: 'unknown', why: 'two creations at once' };
      return { kind: 'applied', why: 'creation' };
    }
    if (a.type === 'joinAgency') return this.judgeJoin(a, s);
    const key = s.keys.get(a.actor);
    if (!key) return { kind: 'refused', rule: 'LOG', why: 'a key no member holds (as of its past)' };
    if (!key.active) return { kind: 'refused', rule: 'D6', why: 'its key was removed in its past' };
    const me = key.member;
    const member = s.members.get(me)!;
    if (isFact(a)) return this.judgeFact(a, member, effective, key.member);
    if (member.status !== 'active')
      return { kind: 'refused', rule: 'P6', why: 'its member was gone in its past' };

    const own = this.authority(a, s, me);
    if (own.kind === 'refused') return own;
    // Strong remove (D5, P6, D6): concurrent power events that took effect revoke what needed what they took;
    // one whose fate is unknown leaves what it would revoke unknown.
    let maybe: Judgement | null = null;
    for (const id of [...effective, ...this.uncertain]) {
      if (!this.concurrent(id, a.id)) continue;
      const p = this.actions.get(id)!;
      const revoked = this.revokes(a, s, me, member, p);
      if (!revoked) continue;
      if (!effective.has(id)) maybe ??= { kind: 'unknown', why: `a concurrent ${p.type} of unknown fate` };
      else if (revoked.kind === 'refused') return revoked;
      else maybe ??= revoked;
    }
    return maybe ?? own;
  }

  /** What concurrent power event `p` does to intent `a` of `me` (null: nothing). */
  private revokes(a: Action, s: OState, me: string, member: OMember, p: Action): Judgement | null {
    {
      const pBy = this.keyOwner.get(p.actor);
      if (this.verdict(p.id).kind === 'refused') return null;
      if (p.type === 'removeDeviceKey' && toBase64Url(payload(p, 'removeDeviceKey').key) === a.actor)
        return { kind: 'refused', rule: 'D6', why: 'its key was removed concurrently' };
      // (a browser's own leave is concurrent with its action only on another branch of its chain: an older
      // copy of the agency writing beside it)
      if (p.type === 'leaveAgency' && pBy === me)
        return { kind: 'unknown', why: 'its member left concurrently, from another browser or branch' };
      const removes = p.type === 'removeMember' && payload(p, 'removeMember').member === me;
      const demotes =
        p.type === 'changeRole' &&
        payload(p, 'changeRole').member === me &&
        payload(p, 'changeRole').role === 'member';
      if (!removes && !demotes) return null;
      if (member.role === 'manager') {
        const contest = this.seniority(a, s, me, p);
        if (contest === 'wins') return null; // `p` loses to `a` and revokes nothing
        if (contest) return contest;
      }
      if (removes) return { kind: 'refused', rule: 'P6', why: 'its member was removed concurrently' };
      if (member.role !== 'manager') return null;
      const plain = copyState(s);
      plain.members.get(me)!.role = 'member';
      const asPlain = this.authority(a, plain, me);
      if (asPlain.kind === 'refused')
        return {
          kind: 'refused',
          rule: 'D5',
          why: `demoted concurrently, and ${asPlain.why} for a plain member`,
        };
      if (asPlain.kind === 'unknown') return asPlain;
      return null;
    }
  }

  /**
   * P3: `a` demotes or removes the manager who concurrently demotes or removes its actor (`p`). The one who
   * became a business manager first wins; returns the verdict for `a` when it loses or cannot be told.
   */
  private seniority(a: Action, s: OState, me: string, p: Action): Judgement | 'wins' | null {
    const target =
      a.type === 'changeRole' && payload(a, 'changeRole').role === 'member'
        ? payload(a, 'changeRole').member
        : a.type === 'removeMember'
          ? payload(a, 'removeMember').member
          : null;
    const other = this.keyOwner.get(p.actor);
    if (!target || target !== other) return null;
    const ps = this.stateBefore(p.id, false);
    const mine = s.members.get(me)?.since ?? null;
    const theirs = ps?.members.get(other)?.since ?? null;
    if (!mine || !theirs) return { kind: 'unknown', why: 'seniority without a promotion' };
    if (this.before(mine, theirs)) return 'wins';
    if (this.before(theirs, mine))
      return { kind: 'refused', rule: 'P3', why: 'the junior of two managers acting on each other' };
    return { kind: 'unknown', why: 'two managers promoted concurrently: seniority by the log’s order' };
  }

  /** A fact: kept unless its key was removed before it (D6); a P6 flag when its author was gone or going. */
  private judgeFact(a: Action, member: OMember, effective: Set<ActionId>, me: string): Judgement {
    let p6: boolean | null = member.status !== 'active';
    // D13, as issue 8 (item 7) reads it: a removed or departed member's facts are history, not state —
    // those recorded after the departure and those concurrent with it alike (a key removal is D6: they count).
    let history = member.status !== 'active';
    let unsure = false;
    for (const id of [...effective, ...this.uncertain]) {
      if (!this.concurrent(id, a.id)) continue;
      const p = this.actions.get(id)!;
      if (!effective.has(id)) {
        // D6: should that removal of its key stand, a fact stamped after it is refused, whatever else holds
        if (
          p.type === 'removeDeviceKey' &&
          toBase64Url(payload(p, 'removeDeviceKey').key) === a.actor &&
          !(a.at <= p.at && this.eff(a.id) <= this.eff(p.id))
        )
          return {
            kind: 'unknown',
            why: 'a concurrent removal of its key of unknown fate, stamped before it',
          };
        const mine =
          (p.type === 'removeDeviceKey' && toBase64Url(payload(p, 'removeDeviceKey').key) === a.actor) ||
          (p.type === 'removeMember' && payload(p, 'removeMember').member === me) ||
          (p.type === 'leaveAgency' && this.keyOwner.get(p.actor) === me);
        if (mine) unsure = true;
        continue;
      }
      if (p.type === 'removeDeviceKey' && toBase64Url(payload(p, 'removeDeviceKey').key) === a.actor) {
        const byAt = a.at <= p.at;
        const byEff = this.eff(a.id) <= this.eff(p.id);
        if (byAt !== byEff)
          return { kind: 'unknown', why: 'stamped before its key removal by one clock, after by the other' };
        if (!byAt)
          return { kind: 'refused', rule: 'D6', why: 'stamped after a concurrent removal of its key' };
        p6 = true;
      }
      if (
        (p.type === 'removeMember' && payload(p, 'removeMember').member === me) ||
        (p.type === 'leaveAgency' && this.keyOwner.get(p.actor) === me)
      ) {
        p6 = true;
        history = true;
      }
    }
    if (unsure)
      return p6 === true
        ? { kind: 'applied', why: 'a fact', p6: null, history }
        : { kind: 'unknown', why: 'a concurrent removal of unknown fate' };
    return { kind: 'applied', why: 'a fact', p6, history };
  }

  /** May `me` take intent `a` in state `s` (its past)? Authority first, then what the intent needs to exist. */
  private authority(a: Action, s: OState, me: string): Judgement {
    const m = s.members.get(me)!;
    const manager = m.role === 'manager';
    const ok = (why: string): Judgement => ({ kind: 'applied', why });
    const no = (rule: string, why: string): Judgement => ({ kind: 'refused', rule, why });
    const unknown = (why: string): Judgement => ({ kind: 'unknown', why });
    const active = (id: string) => s.members.get(id)?.status === 'active';
    const touches = (kinds: string[], same: (b: Action) => boolean) =>
      this.raced(a, (b) => kinds.includes(b.type) && same(b));
    const targets = (b: Action): string | undefined =>
      (b.payload as { member?: string }).member ??
      (b.type === 'leaveAgency' ? this.keyOwner.get(b.actor) : undefined);
    const memberRaced = (id: string) =>
      touches(['removeMember', 'leaveAgency', 'changeRole', 'joinAgency'], (b) =>
        b.type === 'joinAgency'
          ? b.actor === id
          : targets(b) === id || (b.payload as { successor?: string }).successor === id,
      );
    const inviteRaced = (id: string) =>
      touches(
        ['grantInvite', 'grantDeviceInvite', 'joinAgency', 'revokeInvite'],
        (b) => toBase64Url((b.payload as { invite: Uint8Array }).invite) === id,
      );
    const offerRaced = (id: string) =>
      touches(
        ['receiveOffer', 'acceptOffer', 'declineOffer'],
        (b) => (b.payload as { offer?: string }).offer === id,
      ) || this.offerContested(id);
    // Authority first (judged on the causal past alone); then what the intent acts on, which a concurrent
    // write of the same thing (domain.md does not say which comes first) leaves unknown.
    switch (a.type) {
      case 'grantInvite':
      case 'grantDeviceInvite': {
        const p = a.payload as { invite: Uint8Array; member?: string };
        if (a.type === 'grantInvite' && !manager) return no('P2', 'only business managers invite');
        if (a.type === 'grantDeviceInvite' && p.member !== me && !manager)
          return no('P2', 'browsers are added by their member or a business manager');
        const id = toBase64Url(p.invite);
        if (inviteRaced(id)) return unknown('the same invite key is used concurrently');
        // Two grants of one key at once: domain.md does not say which holds (core keeps the earlier one,
        // whatever else refuses it); a grant refused for another reason still contends.
        if (
          this.topo.some(
            (x) =>
              this.concurrent(x, a.id) &&
              ['grantInvite', 'grantDeviceInvite'].includes(this.actions.get(x)!.type) &&
              toBase64Url((this.actions.get(x)!.payload as { invite: Uint8Array }).invite) === id,
          )
        )
          return unknown('the same invite key is granted concurrently');
        if (s.invites.has(id)) return no('P2', 'an invite with this key exists');
        if (a.type === 'grantDeviceInvite') {
          if (memberRaced(p.member!)) return unknown('its member changes concurrently');
          if (!active(p.member!)) return no('P2', 'a browser for someone who is no active member');
        }
        return ok('granted by whoever may');
      }
      case 'revokeInvite': {
        const id = toBase64Url(payload(a, 'revokeInvite').invite);
        const invite = s.invites.get(id);
        if (!manager && !(invite?.kind === 'device' && invite.member === me))
          return no('P2', 'only business managers revoke invites');
        if (inviteRaced(id)) return unknown('the invite is granted, used or revoked concurrently');
        if (!invite || invite.used || invite.revoked) return no('P2', 'no unused invite to revoke');
        return ok('revoked by whoever may');
      }
      case 'removeMember':
      case 'changeRole':
      case 'changeRelationship':
      case 'setAllowance': {
        if (!manager) return no('P2', `${a.type} is for business managers`);
        const p = a.payload as { member: string; role?: string; monthly?: number | null };
        if (memberRaced(p.member)) return unknown('its target changes concurrently');
        if (!active(p.member)) return no('P2', 'no such active member');
        const demotes = a.type === 'removeMember' || (a.type === 'changeRole' && p.role === 'member');
        const target = s.members.get(p.member)!;
        if (demotes && s.owner === p.member && target.role === 'manager')
          return no('D4', 'the owner stays a business manager');
        if (demotes && target.role === 'manager') {
          const managers = [...s.members.values()].filter(
            (x) => x.status === 'active' && x.role === 'manager',
          );
          if (managers.length <= 1) return no('P3', 'the last business manager');
        }
        if (a.type === 'setAllowance' && p.monthly !== null)
          return { kind: 'either', why: 'an allowance must fit the balance' };
        return ok(`${a.type} by a business manager`);
      }
      case 'setTimeZone':
      case 'enterBalance':
      case 'recordPurchase':
        return manager
          ? ok(`${a.type} by a business manager`)
          : no('P2', `${a.type} is for business managers`);
      case 'assignContract':
        // deciding whose a disputed contract is: a business manager's (the contract must be one a member's
        // browser recorded, which this oracle does not model)
        return manager
          ? { kind: 'either', why: 'the contract must be known' }
          : no('P2', 'only business managers decide whose a contract is');
      case 'setDefaultTeam':
        return payload(a, 'setDefaultTeam').member === me
          ? ok('their own')
          : no('R9', 'only the member sets it');
      case 'leaveAgency': {
        const successor = payload(a, 'leaveAgency').successor;
        // Promoted concurrently (P3 would count them as a manager in one order only): not decided here.
        if (
          touches(['changeRole', 'leaveAgency'], (b) =>
            b.type === 'changeRole'
              ? payload(b, 'changeRole').member === me
              : payload(b, 'leaveAgency').successor === me,
          )
        )
          return unknown('its role changes concurrently');
        if (successor !== undefined && memberRaced(successor))
          return unknown('the successor changes concurrently');
        if (successor !== undefined && (successor === me || !active(successor)))
          return no('P3', 'a successor must be another active member');
        if (s.owner === me && successor === undefined)
          return no('D4', 'the owner names a successor to leave');
        const managers = [...s.members.values()].filter((x) => x.status === 'active' && x.role === 'manager');
        if (manager && managers.length <= 1 && successor === undefined)
          return no('P3', 'the last manager names a successor');
        if (successor !== undefined && !manager && s.members.get(successor)?.role !== 'manager')
          return unknown('a plain member names a successor (domain.md is silent)');
        return ok('a member leaves');
      }
      case 'removeDeviceKey': {
        const p = payload(a, 'removeDeviceKey');
        if (p.member !== me && !manager)
          return no('P2', 'browsers are removed by their member or a business manager');
        if (
          memberRaced(p.member) ||
          touches(['removeDeviceKey', 'joinAgency'], (b) =>
            b.type === 'joinAgency' ? true : payload(b, 'removeDeviceKey').member === p.member,
          )
        )
          return unknown('that member’s browsers change concurrently');
        if (!active(p.member)) return no('P2', 'no such active member');
        const key = s.keys.get(toBase64Url(p.key));
        if (!key || key.member !== p.member || !key.active) return no('LOG', 'not a browser of that member');
        const live = [...s.keys.values()].filter((k) => k.member === p.member && k.active).length;
        if (live <= 1) return no('LOG', 'a member keeps one browser');
        return ok('a browser removed by whoever may');
      }
      case 'acceptOffer':
      case 'declineOffer': {
        const id = (a.payload as { offer: string }).offer;
        const o = s.offers.get(id);
        if (o && o.as === 'agency' && !manager)
          return no('R2', 'only a business manager answers an agency offer');
        if (offerRaced(id)) return unknown('the offer is recorded or answered concurrently');
        if (o?.status !== 'open') return no('R2', 'no open offer');
        if (o.as === 'unknown') return unknown('whose offer it is');
        if (o.as === 'agency') return ok('a business manager answers an agency offer');
        return o.member === me
          ? ok('the member answers their own independent offer')
          : no('R8', 'an independent offer is its member’s');
      }
      case 'editContractTerms':
      case 'submitMilestone':
      case 'logTime': {
        const p = a.payload as { contract: string; kind?: string; terms?: { kind: string } };
        const c = s.contracts.get(p.contract);
        const rule = a.type === 'editContractTerms' ? 'R3' : a.type === 'submitMilestone' ? 'R4' : 'R5';
        if (!c) {
          if (offerRaced(p.contract)) return unknown('the contract starts concurrently');
          return no(rule, 'no such contract');
        }
        if (c.as === 'unknown') return unknown('whose contract it is');
        if (a.type === 'editContractTerms') {
          const may = c.as === 'agency' ? manager : c.member === me;
          if (!may)
            return no(c.as === 'agency' ? 'R3' : 'R8', 'terms are edited by whoever owns the contract');
          // a sealed edit states its kind in the clear, 0.2.0's in its terms (D15)
          if ((p.terms?.kind ?? p.kind) !== c.kind) return no('D10', 'a contract’s kind never changes');
          return ok('terms edited');
        }
        if (a.type === 'submitMilestone') {
          if (c.kind !== 'fixed') return no('R4', 'milestones are for fixed-price contracts');
          if (c.member === me) return ok('its freelancer');
          if (c.as === 'agency')
            return manager ? ok('a business manager') : no('R4', 'its freelancer or a business manager');
          return manager
            ? unknown('a manager’s milestone on an independent contract')
            : no('R4', 'not its freelancer');
        }
        if (c.kind !== 'hourly') return no('R5', 'time is for hourly contracts');
        return c.member === me ? ok('its freelancer') : no('R5', 'only its freelancer logs time');
      }
      default:
        return unknown(`${a.type} is not modelled`);
    }
  }

  /** D7, and the invite being valid, unused and unexpired when it is used. */
  private judgeJoin(a: Action, s: OState): Judgement {
    const id = toBase64Url(payload(a, 'joinAgency').invite);
    const invite = s.invites.get(id);
    const no = (why: string): Judgement => ({ kind: 'refused', rule: 'D7', why });
    if (!s.created) return no('before the agency exists');
    if (invite?.kind === 'member' && this.nameInUse(s, payload(a, 'joinAgency').name, a.actor))
      return { kind: 'refused', rule: 'LOG', why: 'an active member it knew of has this name' };
    if (
      this.raced(a, (b) =>
        ['grantInvite', 'grantDeviceInvite', 'joinAgency', 'revokeInvite'].includes(b.type)
          ? toBase64Url((b.payload as { invite: Uint8Array }).invite) === id
          : false,
      )
    )
      return { kind: 'unknown', why: 'the invite is granted, used or revoked concurrently' };
    if (!invite) return no('no such invite in its past');
    if (invite.used || invite.revoked) return no('used or revoked');
    if (
      this.raced(
        a,
        (b) =>
          (b.type === 'joinAgency' || b.type === 'revokeInvite') &&
          toBase64Url((b.payload as { invite: Uint8Array }).invite) === id,
      )
    )
      return { kind: 'unknown', why: 'the invite is used or revoked concurrently' };
    if (invite.expiresAt < this.eff(a.id)) return no('expired');
    const issuer = s.members.get(invite.grantedBy);
    const forSelf = invite.kind === 'device' && invite.member === invite.grantedBy;
    if (issuer?.status !== 'active') return no('its issuer is gone');
    if (!forSelf && issuer.role !== 'manager') return no('its issuer is no longer a business manager');
    // The issuer demoted, removed or gone concurrently with the join: "from then on" does not say.
    if (
      this.raced(a, (b) =>
        ['removeMember', 'changeRole', 'leaveAgency'].includes(b.type)
          ? ((b.payload as { member?: string }).member ?? this.keyOwner.get(b.actor)) === invite.grantedBy
          : false,
      )
    )
      return { kind: 'unknown', why: 'its issuer loses authority concurrently' };
    const key = s.keys.get(a.actor);
    if (invite.kind === 'device') {
      if (key) return no('a key already held');
      if (s.members.get(invite.member!)?.status !== 'active') return no('for someone no longer a member');
      if (this.raced(a, (b) => ['removeMember', 'leaveAgency'].includes(b.type)))
        return { kind: 'unknown', why: 'membership changes concurrently' };
      return { kind: 'applied', why: 'a browser joins' };
    }
    if (key && s.members.get(key.member)?.status === 'active') return no('already a member');
    if (key && this.raced(a, (b) => b.type === 'removeMember' || b.type === 'leaveAgency'))
      return { kind: 'unknown', why: 'a returning member, concurrently changed' };
    return { kind: 'applied', why: 'a member joins' };
  }

  /**
   * Identity: a member is shown by the name they gave, so a join may not take the name of a member its
   * browser knew as active. "Mia", " mia " and "MIA" are one name to a reader; a member who left frees theirs.
   */
  private nameInUse(s: OState, name: string, joiner: string): boolean {
    const self = s.keys.get(joiner)?.member ?? joiner;
    // what a reader cannot see does not tell two names apart: case, spaces, zero-width and format characters
    const plain = (n: string) =>
      n
        .normalize('NFKC')
        .toLowerCase()
        .replace(/\s|\u00ad|\u034f|[\u200b-\u200f]|[\u2060-\u2064]|\ufeff/gu, '');
    return [...s.members].some(
      ([id, m]) => id !== self && m.status === 'active' && plain(m.name) === plain(name),
    );
  }
}
