// D15: whom an amount is trusted from. An envelope's sealer is the action's signer (its ephemeral key proves
// nothing else), and every member can seal to the managers' published keys, so an amount counts only when
// its signer was a business manager as the action knew them (its causal past, never its signer-chosen time).
// A plain member's amount is kept in the log and flagged AMOUNT_NOT_BY_MANAGER; amountsView reads it nowhere.
import { carriesAmount, clearAmounts } from '../amounts.ts';
import type { ReplayContext } from '../knowledge.ts';
import type { VerdictCode } from '../refusals.ts';
import type { Action, ActionId } from '../types.ts';
import { UNTRUSTED_AMOUNT_CODES } from '../untrusted-amounts.ts';
import { type Actor, isManager } from './rule.ts';

/** Whether the action states an amount at all: sealed, or in the clear (0.2.0's shapes). */
export function statesAmount(a: Action): boolean {
  return isSealed(a) || clearAmounts(a.type, a.payload) !== null;
}

/**
 * Whether the action's amount is sealed. Only sealed ones are judged by their signer: 0.2.0's clear amounts
 * are read as they were (old logs derive the same), and the server refuses new ones (AMOUNT_IN_THE_CLEAR).
 */
const isSealed = (a: Action): boolean =>
  carriesAmount(a.type) && (a.payload as { sealed?: unknown }).sealed !== undefined;

/**
 * The flag of an amount stated by a plain member, or null. A manager's amount in a fact uses their authority:
 * a concurrent demotion re-judges it as a plain member's (D5), whichever of the two sorts first.
 */
export function amountNotByManager(
  ctx: ReplayContext,
  a: Action,
  actor: Actor,
  fact: boolean,
): VerdictCode | null {
  if (!isSealed(a)) return null;
  if (!isManager(actor)) return 'AMOUNT_NOT_BY_MANAGER';
  if (fact) ctx.book.authority.add(a.id);
  return null;
}

/** Whether the recorded action `id` holds an amount managers read (stated, and flagged for none of D15's reasons). */
export function holdsTrustedAmount(ctx: ReplayContext, id: ActionId): boolean {
  const a = ctx.d.actions.get(id);
  if (!a || !statesAmount(a)) return false;
  return !ctx.state.verdicts.some((v) => v.id === id && UNTRUSTED_AMOUNT_CODES.has(v.code));
}
