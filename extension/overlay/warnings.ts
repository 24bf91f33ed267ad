// What to say before the member clicks Send (policy before the fact, domain.md "Facts versus intents"), as a
// sentence about this form: an exclusive member about to propose as a freelancer (R7), an agency proposal that
// would overdraw the shared balance (P1) or go beyond the proposer's monthly allowance (P4), a job a teammate
// already proposed on as the agency (P5). The P1/P4 test is core's own (checkAgencySpend), the same one derive
// flags the recorded fact with; who proposed on the job is core's derived state. Here it only warns: each
// warning holds the first click on Send once, and the member decides.
import { checkAgencySpend } from '../../core/lite.ts';
import { connects, timeAgo } from '../ui/format.ts';
import { effectiveAs, type ProposalPlan } from './proposal-plan.ts';
import type { JobProposal } from './teammates.ts';

export type WarningCode = 'EXCLUSIVE_AS_FREELANCER' | 'OVERDRAFT' | 'BEYOND_ALLOWANCE' | 'TEAMMATE_PROPOSED';

/** What "fix it" does: switch Upwork's control to the agency or to independent; null when only going back helps. */
export type Fix = 'agency' | 'independent' | null;

export interface Warning {
  code: WarningCode;
  /** The rule behind it, shown only as a small detail. */
  rule: 'R7' | 'P1' | 'P4' | 'P5';
  /** What it means for this form, in the member's terms. */
  sentence: string;
  fix: Fix;
}

const whose = (plan: ProposalPlan): string =>
  plan.proposer && plan.me && plan.proposer.id !== plan.me.id ? `${plan.proposer.name}'s` : 'your';

const are = (n: number): string => `${connects(n)} ${n === 1 ? 'is' : 'are'}`;

/**
 * P5: "Leo proposed on this job 2 hours ago as the agency." — the newest agency proposal on this job by someone
 * other than the proposer (the proposer's own repeat is Upwork's to refuse).
 */
function teammateWarning(plan: ProposalPlan, teammates: readonly JobProposal[], now: number): Warning | null {
  const other = teammates.find((p) => p.as === 'agency' && p.member !== plan.proposer?.id);
  if (!other) return null;
  const others = new Set(
    teammates.filter((p) => p.as === 'agency' && p.member !== plan.proposer?.id).map((p) => p.member),
  ).size;
  const also = others > 1 ? ` (and ${others - 1} other${others > 2 ? 's' : ''})` : '';
  const who = other.you ? 'You' : other.name;
  return {
    code: 'TEAMMATE_PROPOSED',
    rule: 'P5',
    sentence: `${who}${also} proposed on this job ${timeAgo(other.at, now)} as the agency.`,
    fix: null,
  };
}

export function warningsFor(plan: ProposalPlan, teammates: readonly JobProposal[] = [], now = 0): Warning[] {
  const warnings: Warning[] = [];
  const proposer = plan.proposer;
  if (proposer?.status !== 'active' || plan.otherAgency) return warnings;
  const as = effectiveAs(plan);

  const teammate = teammateWarning(plan, teammates, now);
  if (teammate) warnings.push(teammate);

  if (as === 'independent' && proposer.relationship === 'exclusive') {
    warnings.push({
      code: 'EXCLUSIVE_AS_FREELANCER',
      rule: 'R7',
      sentence: `This form is set to propose as a freelancer, but ${whose(plan) === 'your' ? 'you are' : `${proposer.name} is`} an exclusive member: every proposal goes as the agency.`,
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
      sentence: `This proposal needs ${connects(cost)}; ${are(summary.allowanceLeft)} left of ${whose(plan)} monthly allowance of ${summary.allowance}. Sent anyway, it is flagged for the business managers.`,
      fix,
    });
  }
  if (check.overdraft) {
    warnings.push({
      code: 'OVERDRAFT',
      rule: 'P1',
      sentence: `This proposal needs ${connects(cost)}, and ${are(summary.spendable)} free for ${whose(plan) === 'your' ? 'you' : proposer.name} to spend: the agency's balance would go below zero.`,
      fix,
    });
  }
  return warnings;
}
