// Connects: what this proposal costs (boost included), the agency's shared balance and what it will be after
// sending, and what remains of the proposer's monthly allowance (P4).
import { connects } from '../ui/format.ts';
import { effectiveAs, type ProposalPlan } from './proposal-plan.ts';

const n = (value: number): string => value.toLocaleString('en-US');

export function ConnectsPanel({ plan }: { plan: ProposalPlan }) {
  const { summary } = plan;
  // An exclusive member proposes as the agency only (R7): a form set to "freelancer" is a mistake the warning
  // names, not a way of spending that leaves the agency's balance untouched.
  const mustBeAgency = plan.proposer?.relationship === 'exclusive';
  const asAgency = effectiveAs(plan) === 'agency' || mustBeAgency;
  const later = asAgency && effectiveAs(plan) !== 'agency' ? ' once the form proposes as the agency' : '';
  const whose =
    plan.proposer && plan.me && plan.proposer.id !== plan.me.id ? `${plan.proposer.name}'s` : 'Your';
  return (
    <section class="panel" aria-labelledby="ao-connects">
      <h3 id="ao-connects">Connects</h3>
      <dl class="facts">
        <dt>This proposal</dt>
        <dd data-testid="overlay-cost">
          {connects(plan.cost)}
          {plan.boost > 0 ? ` (${n(plan.connects)} + ${n(plan.boost)} boost)` : ''}
        </dd>
        <dt>Agency balance</dt>
        <dd>
          <strong data-testid="overlay-balance">{n(summary.balance)}</strong>
          {asAgency ? (
            <>
              {' → '}
              <strong data-testid="overlay-balance-after" class={plan.balanceAfter < 0 ? 'bad' : ''}>
                {n(plan.balanceAfter)}
              </strong>{' '}
              after sending{later}
            </>
          ) : (
            ' (untouched when proposing independently)'
          )}
        </dd>
        <dt>{whose} allowance</dt>
        <dd data-testid="overlay-allowance">
          {summary.allowance === null ? (
            `No monthly allowance: draws on the team's ${n(Math.max(0, summary.availableToTeam))} available`
          ) : (
            <>
              {n(summary.allowanceLeft ?? 0)} left of {n(summary.allowance)} this month
              {asAgency && plan.allowanceAfter !== null ? (
                <>
                  {' → '}
                  <span class={plan.allowanceAfter < 0 ? 'bad' : ''}>{n(plan.allowanceAfter)}</span> after
                  sending
                  {later}
                </>
              ) : null}
            </>
          )}
        </dd>
      </dl>
    </section>
  );
}
