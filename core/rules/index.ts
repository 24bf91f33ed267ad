// Applies one action at its place in the order: the agency must exist in its causal past, its key must be a
// member's key it knew as active (D6), then its rule decides. Facts are never refused once their author is
// known: a fact of a member who had left is kept as history, flagged (P6) and moves no number (D13).
import { branchOf } from '../key-chain.ts';
import { known, knownMember, knownOwner, knowsAll, type ReplayContext } from '../knowledge.ts';
import type { VerdictCode } from '../refusals.ts';
import { type Action, type ActionType, isFact, type MemberId } from '../types.ts';
import { amountNotByManager } from './amount-trust.ts';
import { boostsSeenRules } from './boosts-seen.ts';
import { connectsRules, createBalance } from './connects.ts';
import { contractsSeenRules } from './contracts-seen.ts';
import { create, join, memberRules } from './members.ts';
import { ownHoursRules } from './own-hours.ts';
import { refundRules } from './refunds.ts';
import { resealRules } from './reseal.ts';
import type { Actor, Outcome, Rule } from './rule.ts';
import { clearAmountFlag, sealKeyRules } from './seal-keys.ts';
import { workRules } from './work.ts';

export type { Outcome } from './rule.ts';

// A Map, not a merged object literal: one lookup per action of the replay.
const RULES = new Map(
  Object.entries({
    ...memberRules,
    ...connectsRules,
    ...refundRules,
    ...workRules,
    ...sealKeyRules,
    ...resealRules,
    ...contractsSeenRules,
    ...boostsSeenRules,
    ...ownHoursRules,
  }) as [ActionType, Rule<ActionType>][],
);

const NO_FLAGS: VerdictCode[] = [];
const done = (text: string | null, flags: VerdictCode[] = NO_FLAGS): Outcome => ({ ok: true, flags, text });
const refuse = (code: VerdictCode): Outcome => ({ ok: false, code });

/** Applies one action; never throws on bad input. `asMember`: judge it as if its actor were a plain member. */
export function applyRules(ctx: ReplayContext, a: Action, asMember = false): Outcome {
  const book = ctx.book;
  if (a.type === 'createAgency') {
    // A creation is the root of the log: one, with no dependencies (the server lets only one in).
    if (book.created !== null || a.deps.length > 0) return refuse('ALREADY_CREATED');
    const text = create(ctx, a as Action<'createAgency'>);
    createBalance(ctx, a as Action<'createAgency'>);
    return done(text);
  }
  if (book.created === null || !ctx.knows(book.created)) return refuse('NOT_CREATED');
  if (a.type === 'joinAgency') {
    const r = join(ctx, a as Action<'joinAgency'>);
    return r.ok ? done(r.text) : refuse(r.code);
  }
  const refusedKey = keyRefusal(ctx, a);
  if (refusedKey) return refuse(refusedKey);
  const outcome = applyMemberRules(ctx, a, asMember);
  // a branch of its key's chain (key-chain.ts) is applied like any action, and flagged
  if (outcome.ok && branchOf(book, a.actor, ctx.index, ctx.knows) === 'branch')
    return { ...outcome, flags: [...outcome.flags, 'KEY_BRANCHED'] };
  return outcome;
}

/** An action by a known, active key: its member's standing, then its rule. */
function applyMemberRules(ctx: ReplayContext, a: Action, asMember: boolean): Outcome {
  const book = ctx.book;
  const id: MemberId = ctx.state.keys[a.actor]!.member;
  const member = knownMember(ctx, id)!;
  const fact = isFact(a.type);
  const actor = actorOf(ctx, a, id, member.role, fact, asMember);
  const rule = RULES.get(a.type)!;
  if (fact) {
    ctx.departed ||= member.status !== 'active';
    ctx.historyOnly ||= ctx.departed;
    const r = rule.apply(ctx, a, actor);
    const flags = withAmountFlags(ctx, a, actor, true, r.flags ?? NO_FLAGS);
    return done(r.text, ctx.departed ? [...flags, 'MEMBER_GONE_FACT'] : flags);
  }
  if (member.status !== 'active') return refuse('MEMBER_GONE');
  const code = rule.check?.(ctx, a, actor) ?? null;
  if (code) return refuse(code);
  // D5 asks of every intent: would it be refused if its actor were a plain member? Remember those.
  if (
    actor.role === 'manager' &&
    rule.check?.(ctx, a, { ...actor, role: 'member', isOwner: false }) !== null
  ) {
    book.authority.add(a.id);
  }
  const r = rule.apply(ctx, a, actor);
  return done(r.text, withAmountFlags(ctx, a, actor, false, r.flags ?? NO_FLAGS));
}

/** The key checks every action after a creation or a join passes: known, active, and its key's chain. */
function keyRefusal(ctx: ReplayContext, a: Action): VerdictCode | null {
  const key = ctx.state.keys[a.actor];
  const keyStatus = knowsAll(ctx)
    ? key && (key.active ? 'active' : 'revoked')
    : known<string>(ctx, 'ke', a.actor);
  if (keyStatus === undefined) return 'UNKNOWN_KEY';
  if (keyStatus !== 'active') return 'KEY_REVOKED';
  // a key's actions form a chain with few branches (key-chain.ts): one branch too many is refused before
  // any rule reads its causal past
  if (branchOf(ctx.book, a.actor, ctx.index, ctx.knows) === 'fan') return 'KEY_FORKED';
  return null;
}

/** The acting member, as the action knew them: one record per replay, filled for each action. */
function actorOf(
  ctx: ReplayContext,
  a: Action,
  id: MemberId,
  role: Actor['role'],
  fact: boolean,
  asMember: boolean,
): Actor {
  ctx.actor ??= { id, key: a.actor, role: 'member', isOwner: false, record: ctx.state.members[id]! };
  const actor = ctx.actor;
  actor.id = id;
  actor.key = a.actor;
  actor.role = asMember ? 'member' : role;
  // the owner matters to intents only (D4)
  actor.isOwner = !fact && !asMember && knownOwner(ctx) === id;
  actor.record = ctx.state.members[id]!;
  return actor;
}

/**
 * Why an intent's own causal past refuses it, or null: what applyRules would answer, without applying it.
 * A revocation (revoke.ts) refuses what a concurrent action took; an intent its own past already refuses
 * keeps that reason, so its verdict does not hang on which round found the revocation first. Creations and
 * joins decide as they apply, and facts are not refused by rules: null for them.
 */
export function ownRefusal(ctx: ReplayContext, a: Action, asMember = false): VerdictCode | null {
  if (a.type === 'createAgency' || a.type === 'joinAgency' || isFact(a.type)) return null;
  if (ctx.book.created === null || !ctx.knows(ctx.book.created)) return 'NOT_CREATED';
  const refusedKey = keyRefusal(ctx, a);
  if (refusedKey) return refusedKey;
  const id: MemberId = ctx.state.keys[a.actor]!.member;
  const member = knownMember(ctx, id)!;
  if (member.status !== 'active') return 'MEMBER_GONE';
  const actor = actorOf(ctx, a, id, member.role, false, asMember);
  return RULES.get(a.type)!.check?.(ctx, a, actor) ?? null;
}

/**
 * D15: an amount in the clear once sealing is in force (seal-keys.ts), or stated by a plain member
 * (amount-trust.ts), is flagged.
 */
function withAmountFlags(
  ctx: ReplayContext,
  a: Action,
  actor: Actor,
  fact: boolean,
  flags: VerdictCode[],
): VerdictCode[] {
  const out = [clearAmountFlag(ctx, a), amountNotByManager(ctx, a, actor, fact)].filter(
    (f): f is VerdictCode => f !== null,
  );
  return out.length ? [...flags, ...out] : flags;
}
