// What to say before the member clicks Send (policy before the fact, domain.md "Facts versus intents"): an
// exclusive member about to propose as a freelancer (R7), an agency proposal that would overdraw the shared
// balance (P1) or go beyond the proposer's monthly allowance (P4). The P1/P4 test is core's own
// (checkAgencySpend), the same one derive flags the recorded fact with; here it only warns, and the member decides.
import { checkAgencySpend } from '../../core/lite.ts';
import { connects } from '../ui/format.ts';
import { effectiveAs, type ProposalPlan } from './proposal-plan.ts';

export type WarningCode = 'EXCLUSIVE_AS_FREELANCER' | 'OVERDRAFT' | 'BEYOND_ALLOWANCE';

/** What "fix it" does: switch Upwork's control to the agency or to independent; null when only going back helps. */
export type Fix = 'agency' | 'independent' | null;

export interface Warning {
  code: WarningCode;
  rule: 'R7' | 'P1' | 'P4';
  /** The rule's sentence, then what it means for this form. */
  sentence: string;
  fix: Fix;
}

/** The rules as domain.md states them, for the warnings' first sentence. */
export const RULE_SENTENCES = {
  R7: 'An exclusive member works on Upwork only as part of the agency: every proposal is submitted as the agency.',
  P1: "The agency's Connects balance should never go below zero.",
  P4: 'An agency proposal should stay within what remains of the monthly allowance a business manager gave.',
} as const;

const whose = (plan: ProposalPlan): string =>
  plan.proposer && plan.me && plan.proposer.id !== plan.me.id ? `${plan.proposer.name}'s` : 'your';

export function warningsFor(plan: ProposalPlan): Warning[] {
  const warnings: Warning[] = [];
  const proposer = plan.proposer;
  if (proposer?.status !== 'active' || plan.otherAgency) return warnings;
  const as = effectiveAs(plan);

  if (as === 'independent' && proposer.relationship === 'exclusive') {
    warnings.push({
      code: 'EXCLUSIVE_AS_FREELANCER',
      rule: 'R7',
      sentence: `${RULE_SENTENCES.R7} This form is set to propose as a freelancer.`,
      // The overlay switches radios only; a manager's dropdowns stay the manager's to change.
      fix: plan.agencyOption ? 'agency' : null,
    });
  }
  if (as !== 'agency') return warnings;

  // Proposing independently spends the member's own Connects: a way out for a non-exclusive member (R8, R10).
  const fix: Fix = proposer.relationship === 'non-exclusive' && plan.freelancerOption ? 'independent' : null;
  const { summary, cost } = plan;
  const check = checkAgencySpend({
    balance: summary.balance,
    reserved: summary.reserved,
    allowanceLeft: summary.allowanceLeft,
    cost,
  });
  if (check.beyondAllowance && summary.allowanceLeft !== null) {
    warnings.push({
      code: 'BEYOND_ALLOWANCE',
      rule: 'P4',
      sentence: `${RULE_SENTENCES.P4} This proposal needs ${connects(cost)}; ${connects(summary.allowanceLeft)} ${summary.allowanceLeft === 1 ? 'is' : 'are'} left of ${whose(plan)} ${summary.allowance} for this month.`,
      fix,
    });
  }
  if (check.overdraft) {
    warnings.push({
      code: 'OVERDRAFT',
      rule: 'P1',
      sentence: `${RULE_SENTENCES.P1} This proposal needs ${connects(cost)}, and ${connects(summary.spendable)} ${summary.spendable === 1 ? 'is' : 'are'} free for ${whose(plan) === 'your' ? 'you' : proposer.name} to spend.`,
      fix,
    });
  }
  return warnings;
}
