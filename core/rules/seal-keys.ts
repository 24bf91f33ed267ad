// Each browser publishes the X25519 key that amounts are sealed to while its member is a business manager
// (D15, core/amounts.ts). Any active member's browser may: a member promoted later is then readable at once.
// Signed by the browser itself, so no one publishes a key for another browser.
//
// The cut-over to sealing: once a business manager's browser has published its key, an amount in the clear
// in an action that knows it (its causal past holds the publication) is flagged AMOUNT_IN_THE_CLEAR and read
// by no one (core/amounts.ts amountsView). Before it, as in 0.2.0's logs, a clear amount is what there was:
// read as it is, so old logs keep verifying and deriving the same. Flagged, never refused: the action's
// other effects are the same either way, and a replica syncing through another server still sees that the
// amount was exposed. The sync server refuses such updates outright (sync-server/amounts-in-the-clear.ts).

import { clearAmounts } from '../amounts.ts';
import { toBase64Url } from '../bytes.ts';
import { known, type ReplayContext, write } from '../knowledge.ts';
import type { VerdictCode } from '../refusals.ts';
import type { Action, Member } from '../types.ts';
import { isManager, type Rules } from './rule.ts';

export const sealKeyRules: Rules = {
  publishSealKey: {
    apply(ctx, a, actor) {
      ctx.state.sealKeys[a.actor] = toBase64Url(a.payload.key);
      // What re-sealing checks its recipient against, as each re-seal knew it (rules/reseal.ts).
      write(ctx, 'sb', a.actor, ctx.state.sealKeys[a.actor]);
      write(ctx, 'pk', a.actor, true);
      if (isManager(actor)) write(ctx, 'sl', '', true);
      return { text: null };
    },
  },
};

/**
 * A member promoted to business manager whose browser published its sealing key while they were plain is now
 * a sealing recipient: sealing is in force from the promotion on, as it would be had they published after it.
 * Judged by what the promotion knew (a publication concurrent with it starts sealing from its next action on).
 */
export function sealingOnPromotion(ctx: ReplayContext, member: Member): void {
  if (known<boolean>(ctx, 'sl', '') === true) return;
  if (member.keys.some((key) => known<boolean>(ctx, 'pk', key) === true)) write(ctx, 'sl', '', true);
}

/** D15: the flag of an amount stated in the clear after sealing came into force in the action's past. */
export function clearAmountFlag(ctx: ReplayContext, a: Action): VerdictCode | null {
  if (clearAmounts(a.type, a.payload) === null) return null;
  return known<boolean>(ctx, 'sl', '') === true ? 'AMOUNT_IN_THE_CLEAR' : null;
}
