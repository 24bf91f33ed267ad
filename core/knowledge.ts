// What an action knew. Intents are judged by their causal past — what their actor could have seen — not by
// whatever concurrent actions happen to sort before them, so no verdict hangs on which concurrent hash sorts
// first (domain.md D1–D15). Two tools give that view while derive replays the log in its order:
//  - registers: every write to a single value (a member's role or status, a key's status, the owner, the
//    time zone, an offer's answer…) is kept with its position; the value an action knew is the latest write
//    in its causal past, and concurrent writes it both knew are settled by a fixed rule per register (a
//    demotion beats a promotion, a departure beats a return…), never by their order;
//  - the Connects figures an action knew: the state at its position minus what concurrent actions sorted
//    before it contributed (usually nothing: a member's new action knows everything before it).

import { isAncestor, type Unknown } from './ancestry.ts';
import { type ReservationsCache, shrinkToFit, spentIn } from './connects.ts';
import { type Book, type Derivation, type Register, spendIndex } from './derivation.ts';
import type { VerdictCode } from './refusals.ts';
import type { Actor } from './rules/rule.ts';
import type {
  Action,
  ActionId,
  ActionType,
  AgencyState,
  MemberId,
  MemberStatus,
  Relationship,
  Role,
} from './types.ts';

export interface ReplayContext {
  d: Derivation;
  state: AgencyState;
  book: Book;
  action: Action;
  /** Position of the action in the log's total order. */
  index: number;
  /** The action's time, never earlier than its dependencies' (domain.md: a spend's month). */
  eff: number;
  /** Every position up to this one is in the action's causal past. */
  cut: number;
  /** The positions between the cut and the action that are not in its causal past; null: not kept. */
  unknown: Unknown;
  /** Is the action at position `p` (< index) in this action's causal past? */
  knows(p: number): boolean;
  /** This fact is kept as history only, moving nothing: its author had left (D13) or it was voided. */
  historyOnly: boolean;
  /** Its author's departure is concurrent with it (D13): flagged as a departed member's fact. */
  departed: boolean;
  /** This proposal draws on the unreserved pool: its member was leaving at the same time (D12). */
  pool: boolean;
  /** Per-replay cache of what allowances reserve (cleared by every change that moves it). */
  reservations: ReservationsCache;
  /** Positions before this one the action does not know (built on first use). */
  unknownCache?: number[];
  /** The acting member, filled anew for each action (rules/index.ts). */
  actor?: Actor;
}

/** Positions before the action's own that are not in its causal past: its concurrent predecessors. */
const NONE: number[] = [];

export function unknownPositions(ctx: ReplayContext): number[] {
  if (ctx.unknownCache) return ctx.unknownCache;
  if (ctx.cut + 1 >= ctx.index) return NONE;
  if (ctx.unknown) {
    ctx.unknownCache = Array.from(ctx.unknown);
    return ctx.unknownCache;
  }
  const out: number[] = [];
  for (let p = ctx.cut + 1; p < ctx.index; p++) if (!ctx.knows(p)) out.push(p);
  ctx.unknownCache = out;
  return out;
}

const positionAncestor = (d: Derivation, p: number, q: number): boolean =>
  p < q && (d.cut[q]! >= p || isAncestor(d, d.order[p]!, d.order[q]!));

// --- registers --------------------------------------------------------------------------------------------

/** How concurrent writes to one register are settled, by register kind (the key's prefix). */
const SETTLE = {
  // a departure beats a return; a removal beats a leave
  st: (v: unknown[]) => (v.includes('removed') ? 'removed' : v.includes('left') ? 'left' : 'active'),
  // a demotion beats a promotion
  ro: (v: unknown[]) => (v.includes('member') ? 'member' : 'manager'),
  // R7: exclusive is the default and the safe reading
  re: (v: unknown[]) => (v.includes('exclusive') ? 'exclusive' : 'non-exclusive'),
  // the lower allowance holds, "none" lowest: concurrent grants never reserve more than either manager meant
  gr: (v: unknown[]) => (v.includes(null) ? null : Math.min(...(v as number[]))),
  // a removed key stays removed
  ke: (v: unknown[]) => (v.includes('revoked') ? 'revoked' : 'active'),
  // two concurrent transfers (the owner leaving from two browsers): the smaller member id
  ow: (v: unknown[]) => [...(v as string[])].sort()[0],
  tz: (v: unknown[]) => [...(v as string[])].sort()[0],
  // R9: the agency is the safe reading of a member's default team
  dt: (v: unknown[]) => (v.includes('agency') ? 'agency' : 'independent'),
  // D15: sealing is in force once any business manager published a sealing key
  sl: () => true,
  // a browser's published seal key: the smaller, if one browser published two at the same time
  sb: (v: unknown[]) => [...(v as string[])].sort()[0],
  // an amount re-sealed to a browser's seal key (core/rules/reseal.ts): once is enough
  rs: () => true,
  // a browser's sealing key was published (read when its member is promoted)
  pk: () => true,
  // members' own hours: off (the default, and the private reading) beats on
  hr: (v: unknown[]) => !v.includes(false),
  // two managers deciding a disputed contract differently at once: the smaller member id, never the time
  ca: (v: unknown[]) => [...(v as string[])].sort()[0],
  // an accepted offer stays accepted (a contract exists on Upwork)
  of: (v: unknown[]) => (v.includes('accepted') ? 'accepted' : v.includes('declined') ? 'declined' : 'open'),
} satisfies Record<string, (values: unknown[]) => unknown>;

export type RegisterKind = keyof typeof SETTLE;

const settle = (kind: RegisterKind, values: unknown[]): unknown =>
  values.length === 1 ? values[0] : SETTLE[kind](values);

function registerOf(ctx: ReplayContext, kind: RegisterKind, subject: string): Register | undefined {
  return ctx.book.registers.get(kind)?.get(subject);
}

/**
 * Records a write by the current action to register (`kind`, `subject`), e.g. ('ro', member id) for a role;
 * returns the register's value now (its concurrent heads settled).
 */
export function write(ctx: ReplayContext, kind: RegisterKind, subject: string, value: unknown): unknown {
  let byKind = ctx.book.registers.get(kind);
  if (!byKind) {
    byKind = new Map();
    ctx.book.registers.set(kind, byKind);
  }
  let reg = byKind.get(subject);
  if (!reg) {
    reg = { events: [], maximal: [] };
    byKind.set(subject, reg);
  }
  const events = reg.events;
  reg.maximal = reg.maximal.filter((i) => !ctx.knows(events[i]!.pos));
  reg.maximal.push(events.length);
  events.push({ id: ctx.action.id, pos: ctx.index, value });
  return reg.maximal.length === 1
    ? value
    : settle(
        kind,
        reg.maximal.map((i) => events[i]!.value),
      );
}

/** The register's value as the current action knew it; undefined when it knew no write. */
export function known<V>(ctx: ReplayContext, kind: RegisterKind, subject: string): V | undefined {
  const reg = registerOf(ctx, kind, subject);
  if (!reg) return undefined;
  const events = reg.events;
  // An action that knows every action before it (the common case) knows each register's current value.
  if (ctx.cut + 1 >= ctx.index && events[events.length - 1]!.pos < ctx.index) {
    const heads = reg.maximal;
    return (
      heads.length === 1
        ? events[heads[0]!]!.value
        : settle(
            kind,
            heads.map((i) => events[i]!.value),
          )
    ) as V;
  }
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.pos >= ctx.index || !ctx.knows(e.pos)) continue;
    // e is the latest write it knew; older writes it knew that e had not seen were concurrent with e
    const floor = ctx.d.cut[e.pos]!;
    if (i === 0 || events[i - 1]!.pos <= floor) return e.value as V;
    const found = [e];
    for (let j = i - 1; j >= 0 && events[j]!.pos > floor; j--) {
      const f = events[j]!;
      if (!ctx.knows(f.pos) || found.some((g) => positionAncestor(ctx.d, f.pos, g.pos))) continue;
      found.push(f);
    }
    return settle(
      kind,
      found.map((x) => x.value),
    ) as V;
  }
  return undefined;
}

export interface KnownMember {
  id: MemberId;
  status: MemberStatus;
  role: Role;
  relationship: Relationship;
}

/** Records that `ids` contest one unique thing (`what`): revoke.ts settles the group, whatever the order. */
export function contest(ctx: ReplayContext, what: string, code: VerdictCode, ids: readonly ActionId[]): void {
  let group = ctx.book.contested.get(what);
  if (!group) {
    group = { code, ids: new Set() };
    ctx.book.contested.set(what, group);
  }
  for (const id of ids) group.ids.add(id);
}

/** Whether the action knows every action before it: then what it knew is the state at its position. */
export const knowsAll = (ctx: ReplayContext): boolean => ctx.cut + 1 >= ctx.index;

/** A member as the current action knew them, or null when it knew no join of theirs. */
export function knownMember(ctx: ReplayContext, id: MemberId): KnownMember | null {
  if (knowsAll(ctx)) return ctx.state.members[id] ?? null;
  const status = known<MemberStatus>(ctx, 'st', id);
  if (!status) return null;
  return {
    id,
    status,
    role: known<Role>(ctx, 'ro', id) ?? 'member',
    relationship: known<Relationship>(ctx, 're', id) ?? 'exclusive',
  };
}

export const knownActive = (ctx: ReplayContext, id: MemberId): KnownMember | null => {
  const m = knownMember(ctx, id);
  return m && m.status === 'active' ? m : null;
};

export const knownOwner = (ctx: ReplayContext): MemberId | null =>
  knowsAll(ctx) ? ctx.state.ownerId : (known<MemberId>(ctx, 'ow', '') ?? null);

/** Did the current action know one of these positions (that passes `which`)? */
export function knowsSome(
  ctx: ReplayContext,
  positions: Iterable<number>,
  which: (p: number) => boolean = () => true,
): boolean {
  for (const p of positions) if (p < ctx.index && which(p) && ctx.knows(p)) return true;
  return false;
}

/** Did the current action know at least one of these positions? */
export const knowsAny = (ctx: ReplayContext, positions: readonly number[] | undefined): boolean =>
  positions?.some((p) => p < ctx.index && ctx.knows(p)) ?? false;

// --- Connects as the action knew them -----------------------------------------------------------------------

export interface KnownConnects {
  balance: number;
  /** Unspent allowance per holder before the cap. */
  unspent: Map<MemberId, number>;
  /** Capped unspent allowance per holder this month (worked out on first read). */
  shares(): Map<MemberId, number>;
}

/** What `member` spent in `month` as the action knew it: without its concurrent predecessors' spends. */
export function knownSpent(ctx: ReplayContext, member: MemberId, month: string): number {
  let spent = spentIn(ctx.state, member, month);
  for (const p of unknownPositions(ctx)) {
    const i = spendIndex(ctx.book.spends, p);
    if (i >= 0 && ctx.book.spends.member[i] === member && ctx.book.spends.month[i] === month) {
      spent -= ctx.book.spends.cost[i]!;
    }
  }
  return spent;
}

/**
 * The balance as the action knew it: the latest observation it knew, plus the movements it knew after it.
 * `skip` holds the positions before it that it did not know (a small set: its concurrent predecessors).
 */
function knownBalance(ctx: ReplayContext, skip: ReadonlySet<number>): number {
  const s = ctx.state;
  const d = ctx.d;
  const o = ctx.book.observations;
  let obs: { eff: number; value: number } | null = null;
  for (let i = o.pos.length - 1; i >= 0; i--) {
    if (o.pos[i]! < ctx.index && !skip.has(o.pos[i]!)) {
      obs = { eff: o.eff[i]!, value: o.value[i]! };
      break;
    }
  }
  const from = obs ? obs.eff : Number.NEGATIVE_INFINITY;
  let balance = obs ? obs.value : 0;
  for (let i = s.ledger.length - 1; i >= 0; i--) {
    const e = s.ledger[i]!;
    if (e.at <= from) break;
    const p = d.position.get(e.id);
    if (p !== undefined && p < ctx.index && !skip.has(p)) balance += e.delta;
  }
  return balance;
}

/** Action types that can move a Connects figure: the balance, spending, allowances, membership, the zone. */
const MOVES_CONNECTS: ReadonlySet<ActionType> = new Set<ActionType>([
  'createAgency',
  'joinAgency',
  'leaveAgency',
  'removeMember',
  'setAllowance',
  'setTimeZone',
  'enterBalance',
  'recordPurchase',
  'submitProposal',
  'observeBalance',
  'refundConnects',
]);

/**
 * The balance and allowances in `month` as the current action knew them. When every action sorted before
 * it is in its causal past (or the ones that are not moved no Connects), that is the state at its position.
 */
export function knownConnects(ctx: ReplayContext, month: string): KnownConnects {
  const all = unknownPositions(ctx);
  const unknown = all.length ? all.filter((p) => MOVES_CONNECTS.has(ctx.d.ordered[p]!.type)) : all;
  if (!unknown.length) {
    const { state, reservations } = ctx;
    return {
      balance: state.balance,
      unspent: reservations.unspentIn(state, month),
      shares: () => reservations.shares(state, month),
    };
  }
  const s = ctx.state;
  const skip = new Set(unknown);
  const balance = knownBalance(ctx, skip);
  const unspent = new Map<MemberId, number>();
  for (const id in s.members) {
    const m = knownMember(ctx, id);
    const grant = known<number | null>(ctx, 'gr', id) ?? null;
    if (m?.status !== 'active' || grant === null) continue;
    unspent.set(id, Math.max(0, grant - knownSpent(ctx, id, month)));
  }
  return { balance, unspent, shares: () => shrinkToFit(unspent, balance) };
}
