// The agency rules: for each action type, a pure check and a pure effect on the derived state.
// A handler checks everything before it changes anything, so a refused intent never changes state.
// Facts (isFact) are never refused once their author is known: a fact that breaks a rule is applied and
// flagged (domain.md "Facts versus intents").
import { toBase64Url } from './bytes.ts';
import {
  allowanceLeft,
  balanceOf,
  checkAgencySpend,
  insertLedger,
  reservedIn,
  spentIn,
  sumBetween,
} from './connects.ts';
import { monthKey } from './month.ts';
import type { VerdictCode } from './refusals.ts';
import type {
  Action,
  ActionId,
  ActionType,
  AgencyState,
  Member,
  MemberId,
  Payloads,
  Relationship,
} from './types.ts';
import { isFact } from './types.ts';

/** A removal, departure or demotion: derive revokes the target's concurrent intents (strong remove). */
export interface PowerEvent {
  action: ActionId;
  index: number;
  by: MemberId;
  target: MemberId;
  kind: 'remove' | 'demote';
  /** Where actor and target became business managers, as of this event (P3 seniority; null: not one). */
  bySince: ActionId | null;
  targetSince: ActionId | null;
}

export interface ReplayContext {
  state: AgencyState;
  /** Position of the action in the log's total order. */
  index: number;
  actionId: ActionId;
  /** The action's time, never earlier than its dependencies' (domain.md: a spend's month). */
  eff: number;
  isAncestor(ancestor: ActionId, of: ActionId): boolean;
  /** The changeRelationship action that last made each member non-exclusive (R7 under concurrency). */
  nonExclusiveSince: Map<MemberId, ActionId>;
  /** Every applied join and relationship change per member, in the log's order (R7 under concurrency). */
  relationships: Map<MemberId, [ActionId, Relationship][]>;
  power: PowerEvent[];
  /**
   * What allowances reserve in a month, kept between actions of one replay; every handler that changes an
   * allowance, a member's status or an allowance holder's spending clears it.
   */
  reserved?: { month: string; value: number } | null;
}

function reservedNow(ctx: ReplayContext, month: string): number {
  const cached = ctx.reserved;
  if (cached && cached.month === month) return cached.value;
  const value = reservedIn(ctx.state, month);
  ctx.reserved = { month, value };
  return value;
}

export type Outcome =
  | { ok: true; flags: VerdictCode[]; text: string | null }
  | { ok: false; code: VerdictCode };

const NO_FLAGS: VerdictCode[] = [];
const done = (text: string | null, flags: VerdictCode[] = NO_FLAGS): Outcome => ({ ok: true, flags, text });
const refuse = (code: VerdictCode): Outcome => ({ ok: false, code });

type Handler<T extends ActionType> = (ctx: ReplayContext, a: Action<T>, actor: Member) => Outcome;

const nameOf = (s: AgencyState, id: MemberId): string => s.members[id]?.name ?? 'a former member';
const activeMember = (s: AgencyState, id: MemberId): Member | null => {
  const m = s.members[id];
  return m && m.status === 'active' ? m : null;
};
const isManager = (m: Member): boolean => m.role === 'manager' && m.status === 'active';
const activeManagers = (s: AgencyState): number =>
  Object.values(s.members).filter((m) => m.status === 'active' && m.role === 'manager').length;
const plural = (n: number): string => `${n} Connect${n === 1 ? '' : 's'}`;

function addMember(
  ctx: ReplayContext,
  id: MemberId,
  key: string,
  fields: Pick<Member, 'name' | 'role' | 'relationship'>,
): Member {
  const existing = ctx.state.members[id];
  const member: Member = {
    id,
    ...fields,
    status: 'active',
    joinedAt: ctx.eff,
    leftAt: null,
    managerSince: fields.role === 'manager' ? ctx.actionId : null,
    defaultTeam: existing?.defaultTeam ?? null,
    allowance: null,
    keys: existing ? existing.keys : [key],
  };
  ctx.state.members[id] = member;
  ctx.reserved = null;
  ctx.state.keys[key] = { member: id, active: true, label: ctx.state.keys[key]?.label ?? null };
  return member;
}

function noteRelationship(
  ctx: ReplayContext,
  member: MemberId,
  id: ActionId,
  relationship: Relationship,
): void {
  if (relationship === 'non-exclusive') ctx.nonExclusiveSince.set(member, id);
  else ctx.nonExclusiveSince.delete(member);
  const list = ctx.relationships.get(member);
  if (list) list.push([id, relationship]);
  else ctx.relationships.set(member, [[id, relationship]]);
}

/** The relationship `member` had as far as action `id` could know; exclusive is the default (R7). */
function knownRelationship(ctx: ReplayContext, member: MemberId, id: ActionId): Relationship {
  const list = ctx.relationships.get(member) ?? [];
  for (let i = list.length - 1; i >= 0; i--) {
    const [event, relationship] = list[i]!;
    if (ctx.isAncestor(event, id)) return relationship;
  }
  return 'exclusive';
}

/** Sets the balance from an observation by time: events after it are applied on top (domain.md). */
function observe(ctx: ReplayContext, a: Action, value: number, source: 'page' | 'manager'): VerdictCode[] {
  const s = ctx.state;
  const prev = s.observation;
  if (prev && (ctx.eff < prev.at || (ctx.eff === prev.at && a.id < prev.id))) return [];
  const before = s.balance;
  const predicted = prev ? prev.value + sumBetween(s.ledger, prev.at, ctx.eff) : null;
  s.observation = {
    id: a.id,
    at: ctx.eff,
    value,
    source,
    drift: predicted === null ? null : value - predicted,
  };
  s.balance = balanceOf(s);
  const flags: VerdictCode[] = [];
  // P1: spends stamped after this observation but sorted before it (concurrent ones) now overdraw.
  if (s.balance < 0 && s.balance < before) flags.push('OVERDRAFT_OBSERVED');
  if (shrinkAllowances(ctx)) flags.push('ALLOWANCE_SHRUNK');
  return flags;
}

/**
 * When the balance falls below what allowances reserve, the unspent parts shrink to fit: proportionally,
 * rounded down, the remainder handed out one by one by largest fraction, ties by member id (domain.md).
 */
function shrinkAllowances(ctx: ReplayContext): boolean {
  const s = ctx.state;
  const month = monthKey(ctx.eff, s.timeZone);
  const total = reservedNow(ctx, month);
  const budget = Math.max(0, s.balance);
  if (total <= budget) return false;
  const holders = Object.values(s.members)
    .filter((m) => m.status === 'active' && m.allowance !== null)
    .map((m) => ({ m, spent: spentIn(s, m.id, month), unspent: allowanceLeft(s, m.id, month) ?? 0 }))
    .filter((h) => h.unspent > 0)
    .sort((x, y) => (x.m.id < y.m.id ? -1 : 1));
  const shares = holders.map((h) => ({
    h,
    share: Math.floor((h.unspent * budget) / total),
    rest: (h.unspent * budget) % total,
  }));
  let remainder = budget - shares.reduce((n, x) => n + x.share, 0);
  for (const x of [...shares].sort((p, q) => q.rest - p.rest || (p.h.m.id < q.h.m.id ? -1 : 1))) {
    if (remainder <= 0) break;
    x.share++;
    remainder--;
  }
  for (const { h, share } of shares) h.m.allowance = h.spent + share;
  ctx.reserved = null;
  return true;
}

const handlers: { [T in ActionType]: Handler<T> } = {
  createAgency: () => refuse('ALREADY_CREATED'), // creation is handled before dispatch
  joinAgency: () => refuse('ALREADY_MEMBER'), // joining is handled before dispatch

  grantInvite(ctx, a, actor) {
    if (!isManager(actor)) return refuse('NOT_BUSINESS_MANAGER');
    const id = toBase64Url(a.payload.invite);
    if (ctx.state.invites[id]) return refuse('INVITE_TAKEN');
    ctx.state.invites[id] = {
      id,
      kind: 'member',
      grantedBy: actor.id,
      role: a.payload.role,
      relationship: a.payload.relationship,
      member: null,
      expiresAt: a.payload.expiresAt,
      label: a.payload.label ?? null,
      usedBy: null,
      revoked: false,
    };
    return done(
      `${actor.name} invited a new ${a.payload.relationship} ${a.payload.role === 'manager' ? 'business manager' : 'member'}`,
    );
  },

  grantDeviceInvite(ctx, a, actor) {
    if (a.payload.member !== actor.id && !isManager(actor)) return refuse('NOT_KEY_OWNER');
    const target = activeMember(ctx.state, a.payload.member);
    if (!target) return refuse('UNKNOWN_MEMBER');
    const id = toBase64Url(a.payload.invite);
    if (ctx.state.invites[id]) return refuse('INVITE_TAKEN');
    ctx.state.invites[id] = {
      id,
      kind: 'device',
      grantedBy: actor.id,
      role: target.role,
      relationship: target.relationship,
      member: target.id,
      expiresAt: a.payload.expiresAt,
      label: a.payload.label ?? null,
      usedBy: null,
      revoked: false,
    };
    return done(`${actor.name} made a code to add a browser for ${target.name}`);
  },

  revokeInvite(ctx, a, actor) {
    const invite = ctx.state.invites[toBase64Url(a.payload.invite)];
    if (!invite || invite.usedBy || invite.revoked) return refuse('INVITE_INVALID');
    if (!isManager(actor) && !(invite.kind === 'device' && invite.member === actor.id))
      return refuse('NOT_BUSINESS_MANAGER');
    invite.revoked = true;
    return done(`${actor.name} revoked an unused invite`);
  },

  removeMember(ctx, a, actor) {
    const s = ctx.state;
    if (!isManager(actor)) return refuse('NOT_BUSINESS_MANAGER');
    const target = activeMember(s, a.payload.member);
    if (!target) return refuse('UNKNOWN_MEMBER');
    if (isManager(target) && activeManagers(s) <= 1) return refuse('LAST_MANAGER');
    target.status = 'removed';
    ctx.reserved = null;
    target.leftAt = ctx.eff;
    ctx.power.push({
      action: a.id,
      index: ctx.index,
      by: actor.id,
      target: target.id,
      kind: 'remove',
      bySince: actor.managerSince,
      targetSince: target.managerSince,
    });
    return done(`${actor.name} removed ${target.name} from the agency`);
  },

  leaveAgency(ctx, a, actor) {
    const s = ctx.state;
    const successorId = a.payload.successor;
    const successor = successorId ? activeMember(s, successorId) : null;
    if (successorId && (!successor || successor.id === actor.id)) return refuse('UNKNOWN_MEMBER');
    if (isManager(actor) && activeManagers(s) <= 1 && !successor) return refuse('SUCCESSOR_REQUIRED');
    if (successor && isManager(actor) && !isManager(successor)) {
      successor.role = 'manager';
      successor.managerSince = ctx.actionId;
    }
    actor.status = 'left';
    ctx.reserved = null;
    actor.leftAt = ctx.eff;
    ctx.power.push({
      action: a.id,
      index: ctx.index,
      by: actor.id,
      target: actor.id,
      kind: 'remove',
      bySince: actor.managerSince,
      targetSince: actor.managerSince,
    });
    return done(
      `${actor.name} left the agency${successor ? `; ${successor.name} is now a business manager` : ''}`,
    );
  },

  changeRole(ctx, a, actor) {
    const s = ctx.state;
    if (!isManager(actor)) return refuse('NOT_BUSINESS_MANAGER');
    const target = activeMember(s, a.payload.member);
    if (!target) return refuse('UNKNOWN_MEMBER');
    if (target.role === a.payload.role) return done(null);
    if (a.payload.role === 'member' && activeManagers(s) <= 1) return refuse('LAST_MANAGER');
    const targetSince = target.managerSince;
    target.role = a.payload.role;
    target.managerSince = a.payload.role === 'manager' ? a.id : null;
    if (a.payload.role === 'member') {
      ctx.power.push({
        action: a.id,
        index: ctx.index,
        by: actor.id,
        target: target.id,
        kind: 'demote',
        bySince: actor.managerSince,
        targetSince,
      });
    }
    return done(
      `${actor.name} made ${target.name} ${a.payload.role === 'manager' ? 'a business manager' : 'a member (no longer a business manager)'}`,
    );
  },

  changeRelationship(ctx, a, actor) {
    if (!isManager(actor)) return refuse('NOT_BUSINESS_MANAGER');
    const target = activeMember(ctx.state, a.payload.member);
    if (!target) return refuse('UNKNOWN_MEMBER');
    target.relationship = a.payload.relationship;
    noteRelationship(ctx, target.id, a.id, a.payload.relationship);
    return done(`${actor.name} made ${target.name} ${a.payload.relationship}`);
  },

  setDefaultTeam(_ctx, a, actor) {
    if (a.payload.member !== actor.id) return refuse('NOT_OWN_SETTING');
    actor.defaultTeam = a.payload.team;
    return done(null);
  },

  setAllowance(ctx, a, actor) {
    const s = ctx.state;
    if (!isManager(actor)) return refuse('NOT_BUSINESS_MANAGER');
    const target = activeMember(s, a.payload.member);
    if (!target) return refuse('UNKNOWN_MEMBER');
    const monthly = a.payload.monthly;
    if (monthly !== null) {
      const month = monthKey(ctx.eff, s.timeZone);
      const unspent = Math.max(0, monthly - spentIn(s, target.id, month));
      if (reservedIn(s, month, target.id) + unspent > s.balance) return refuse('ALLOWANCE_OVER_BALANCE');
    }
    target.allowance = monthly;
    ctx.reserved = null;
    return done(
      monthly === null
        ? `${actor.name} removed ${target.name}'s monthly allowance`
        : `${actor.name} gave ${target.name} a monthly allowance of ${plural(monthly)}`,
    );
  },

  setTimeZone(ctx, a, actor) {
    if (!isManager(actor)) return refuse('NOT_BUSINESS_MANAGER');
    ctx.state.timeZone = a.payload.timeZone;
    return done(`${actor.name} set the agency's time zone to ${a.payload.timeZone}`);
  },

  enterBalance(ctx, a, actor) {
    if (!isManager(actor)) return refuse('NOT_BUSINESS_MANAGER');
    const flags = observe(ctx, a, a.payload.balance, 'manager');
    return done(`${actor.name} entered the agency balance: ${plural(a.payload.balance)}`, flags);
  },

  recordPurchase(ctx, a, actor) {
    const s = ctx.state;
    if (!isManager(actor)) return refuse('NOT_BUSINESS_MANAGER');
    insertLedger(s.ledger, { id: a.id, at: ctx.eff, delta: a.payload.connects, kind: 'purchase' });
    s.balance = balanceOf(s);
    return done(`${actor.name} recorded a purchase of ${plural(a.payload.connects)}`);
  },

  removeDeviceKey(ctx, a, actor) {
    const s = ctx.state;
    if (a.payload.member !== actor.id && !isManager(actor)) return refuse('NOT_KEY_OWNER');
    const target = activeMember(s, a.payload.member);
    if (!target) return refuse('UNKNOWN_MEMBER');
    const keyId = toBase64Url(a.payload.key);
    const key = s.keys[keyId];
    if (!key || key.member !== target.id || !key.active) return refuse('KEY_NOT_FOUND');
    if (target.keys.filter((k) => s.keys[k]?.active).length <= 1) return refuse('LAST_KEY');
    key.active = false;
    return done(`${actor.name} removed a browser of ${target.name}`);
  },

  acceptOffer(ctx, a, actor) {
    const offer = ctx.state.offers[a.payload.offer];
    if (offer?.status !== 'open') return refuse('UNKNOWN_OFFER');
    if (offer.as === 'agency' ? !isManager(actor) : offer.member !== actor.id) {
      return refuse(offer.as === 'agency' ? 'NOT_MANAGER_ACCEPT' : 'NOT_OWN_OFFER');
    }
    offer.status = 'accepted';
    ctx.state.contracts[offer.id] = {
      id: offer.id,
      job: offer.job,
      title: offer.title,
      as: offer.as,
      member: offer.member,
      terms: offer.terms,
      payee: offer.as === 'agency' ? 'agency' : offer.member,
      milestones: [],
      timeLog: [],
      minutesLogged: 0,
      paid: 0,
    };
    return done(`${actor.name} accepted the offer for '${offer.title}'`);
  },

  declineOffer(ctx, a, actor) {
    const offer = ctx.state.offers[a.payload.offer];
    if (offer?.status !== 'open') return refuse('UNKNOWN_OFFER');
    if (offer.as === 'agency' ? !isManager(actor) : offer.member !== actor.id) {
      return refuse(offer.as === 'agency' ? 'NOT_MANAGER_ACCEPT' : 'NOT_OWN_OFFER');
    }
    offer.status = 'declined';
    return done(`${actor.name} declined the offer for '${offer.title}'`);
  },

  editContractTerms(ctx, a, actor) {
    const contract = ctx.state.contracts[a.payload.contract];
    if (!contract) return refuse('UNKNOWN_CONTRACT');
    if (contract.as === 'agency' ? !isManager(actor) : contract.member !== actor.id) {
      return refuse(contract.as === 'agency' ? 'NOT_MANAGER_TERMS' : 'NOT_OWN_CONTRACT');
    }
    contract.terms = a.payload.terms;
    return done(`${actor.name} edited the terms of '${contract.title}'`);
  },

  submitMilestone(ctx, a, actor) {
    const contract = ctx.state.contracts[a.payload.contract];
    if (!contract) return refuse('UNKNOWN_CONTRACT');
    if (contract.terms.kind !== 'fixed') return refuse('NOT_FIXED_PRICE');
    const managerMay = contract.as === 'agency' && isManager(actor);
    if (contract.member !== actor.id && !managerMay) return refuse('NOT_FREELANCER_OR_MANAGER');
    contract.milestones.push({
      id: a.payload.milestone,
      title: a.payload.title,
      amount: a.payload.amount,
      by: actor.id,
    });
    return done(`${actor.name} submitted the milestone '${a.payload.title}' on '${contract.title}'`);
  },

  logTime(ctx, a, actor) {
    const contract = ctx.state.contracts[a.payload.contract];
    if (!contract) return refuse('UNKNOWN_CONTRACT');
    if (contract.terms.kind !== 'hourly') return refuse('NOT_HOURLY');
    if (contract.member !== actor.id) return refuse('NOT_CONTRACT_FREELANCER');
    contract.minutesLogged += a.payload.minutes;
    return done(null);
  },

  // --- facts ---------------------------------------------------------------------------------------------

  submitProposal(ctx, a, actor) {
    const s = ctx.state;
    const p = a.payload;
    const flags: VerdictCode[] = [];
    let member = actor;
    if (p.member && p.member !== actor.id) {
      const other = s.members[p.member];
      if (!isManager(actor)) flags.push('RECORDED_FOR_OTHER');
      if (other) member = other;
    }
    s.proposals.push({
      id: a.id,
      job: p.job,
      title: p.title,
      as: p.as,
      connects: p.connects,
      boost: p.boost,
      member: member.id,
      recordedBy: actor.id,
      at: ctx.eff,
    });
    if (p.as === 'independent') {
      // R7 is judged against what the proposer could have known: the member's relationship as of the
      // latest join or change in the proposal's causal past. A concurrent change either way neither
      // excuses nor condemns it, so every replica flags the same proposals whatever order they saw.
      if (knownRelationship(ctx, member.id, a.id) !== 'non-exclusive') flags.push('EXCLUSIVE_INDEPENDENT');
      return done(`${member.name} proposed independently on '${p.title}'`, flags);
    }
    const cost = p.connects + p.boost;
    const month = monthKey(ctx.eff, s.timeZone);
    const check = checkAgencySpend({
      balance: s.balance,
      reserved: reservedNow(ctx, month),
      allowanceLeft: allowanceLeft(s, member.id, month),
      cost,
    });
    if (check.beyondAllowance) flags.push('ALLOWANCE_EXCEEDED');
    if (check.overdraft) flags.push('OVERDRAFT');
    const spent = s.spent[member.id] ?? {};
    spent[month] = (spent[month] ?? 0) + cost;
    s.spent[member.id] = spent;
    if (member.allowance !== null) ctx.reserved = null;
    insertLedger(s.ledger, { id: a.id, at: ctx.eff, delta: -cost, kind: 'proposal' });
    s.balance = balanceOf(s);
    return done(`${member.name} proposed as the agency on '${p.title}' — ${plural(cost)}`, flags);
  },

  observeBalance(ctx, a) {
    return done(null, observe(ctx, a, a.payload.balance, 'page'));
  },

  learnUpworkId(ctx, a) {
    ctx.state.upworkId = a.payload.upworkId;
    return done(null);
  },

  refundConnects(ctx, a, actor) {
    const s = ctx.state;
    insertLedger(s.ledger, { id: a.id, at: ctx.eff, delta: a.payload.connects, kind: 'refund' });
    s.balance = balanceOf(s);
    return done(`${actor.name} recorded a refund of ${plural(a.payload.connects)} for job ${a.payload.job}`);
  },

  receiveOffer(ctx, a) {
    const p = a.payload;
    if (ctx.state.offers[p.offer]) return done(null);
    ctx.state.offers[p.offer] = {
      id: p.offer,
      job: p.job,
      title: p.title,
      as: p.as,
      member: p.member,
      terms: p.terms,
      status: 'open',
    };
    return done(
      `${nameOf(ctx.state, p.member)} received an offer for '${p.title}'${p.as === 'agency' ? ' (to the agency)' : ''}`,
    );
  },

  recordPayout(ctx, a) {
    const s = ctx.state;
    const contract = s.contracts[a.payload.contract];
    const payee = contract ? contract.payee : 'agency';
    if (contract) contract.paid += a.payload.amount;
    s.payouts.push({ id: a.id, contract: a.payload.contract, amount: a.payload.amount, payee, at: ctx.eff });
    return done(null, contract ? [] : ['PAYOUT_UNKNOWN_CONTRACT']);
  },
};

/** Applies one action at its place in the order. Returns what happened; never throws on bad input. */
export function applyRules(ctx: ReplayContext, a: Action): Outcome {
  const s = ctx.state;
  if (a.type === 'createAgency') {
    if (s.ownerId) return refuse('ALREADY_CREATED');
    const p = a.payload as Payloads['createAgency'];
    s.name = p.name;
    s.timeZone = p.timeZone ?? 'UTC';
    s.ownerId = a.actor;
    addMember(ctx, a.actor, a.actor, { name: p.memberName, role: 'manager', relationship: 'exclusive' });
    observe(ctx, a, p.balance, 'manager');
    return done(`${p.memberName} created the agency ${p.name}`);
  }
  if (!s.ownerId) return refuse('NOT_CREATED');
  if (a.type === 'joinAgency') return join(ctx, a as Action<'joinAgency'>);
  const key = s.keys[a.actor];
  if (!key) return refuse('UNKNOWN_KEY');
  if (!key.active) return refuse('KEY_REVOKED');
  const actor = s.members[key.member]!;
  if (actor.status !== 'active') {
    if (!isFact(a.type)) return refuse('MEMBER_GONE');
    const outcome = (handlers[a.type] as Handler<ActionType>)(ctx, a, actor);
    return outcome.ok ? { ...outcome, flags: [...outcome.flags, 'MEMBER_GONE_FACT'] } : outcome;
  }
  return (handlers[a.type] as Handler<ActionType>)(ctx, a, actor);
}

function join(ctx: ReplayContext, a: Action<'joinAgency'>): Outcome {
  const s = ctx.state;
  const invite = s.invites[toBase64Url(a.payload.invite)];
  if (!invite || invite.usedBy || invite.revoked || invite.expiresAt < ctx.eff) return refuse('INVITE_INVALID');
  const key = s.keys[a.actor];
  const existing = key ? s.members[key.member] : undefined;
  if (existing?.status === 'active') return refuse('ALREADY_MEMBER');
  if (invite.kind === 'device') {
    const target = activeMember(s, invite.member!);
    if (!target || key) return refuse('INVITE_INVALID');
    invite.usedBy = target.id;
    s.keys[a.actor] = { member: target.id, active: true, label: a.payload.name };
    target.keys.push(a.actor);
    return done(`${target.name} added a browser (${a.payload.name})`);
  }
  const id = existing ? existing.id : a.actor;
  invite.usedBy = id;
  // R7/R10: joining as non-exclusive is what lets this member propose independently from now on.
  noteRelationship(ctx, id, a.id, invite.relationship);
  const member = addMember(ctx, id, a.actor, {
    name: a.payload.name,
    role: invite.role,
    relationship: invite.relationship,
  });
  return done(
    `${member.name} joined the agency as ${invite.relationship} ${invite.role === 'manager' ? 'business manager' : 'member'}`,
  );
}

/** Intents that only a business manager may take: a demotion revokes its target's concurrent ones. */
export const MANAGER_ONLY: ReadonlySet<ActionType> = new Set<ActionType>([
  'grantInvite',
  'revokeInvite',
  'removeMember',
  'changeRole',
  'changeRelationship',
  'setAllowance',
  'setTimeZone',
  'enterBalance',
  'recordPurchase',
  'acceptOffer',
  'declineOffer',
  'editContractTerms',
]);

/** Actions that can revoke others' concurrent intents; the incremental path re-derives for them. */
export const POWER_TYPES: ReadonlySet<ActionType> = new Set<ActionType>([
  'removeMember',
  'leaveAgency',
  'changeRole',
]);
