// After Upwork confirmed the send on the same page (its notice above the still-visible form): the state after
// it — "Sent as the agency — 16 Connects; balance now 104" — and no second projection of the same spend. The
// numbers are the agency's as derived once the recorded proposal is in them; until then it says it is
// recording. A send Upwork confirmed but the agency could not record says so.
import type { ProposeAs } from '../../core/lite.ts';
import { connects } from '../ui/format.ts';
import { RuleDetail } from '../ui/rule-ref.tsx';
import { formRuleTitle } from '../ui/rules.ts';
import type { ProposalPlan } from './proposal-plan.ts';

export interface SentProposal {
  as: ProposeAs;
  /** Connects plus boost. */
  cost: number;
  /** Whose proposal it was when a business manager sent it for a member; null for the member's own. */
  forName: string | null;
  status: 'recording' | 'recorded' | 'not-recorded';
  /** Whether the agency's derived state holds the recorded proposal yet (its numbers include it). */
  counted: boolean;
  flags: { rule: string; message: string }[];
  /** Why it could not be recorded. */
  reason: string | null;
}

const n = (value: number): string => value.toLocaleString('en-US');

function headline(sent: SentProposal, plan: ProposalPlan): string {
  const forWhom = sent.forName ? ` for ${sent.forName}` : '';
  if (sent.as === 'independent')
    return `Sent independently${forWhom} — ${sent.forName ? 'their' : 'your'} own Connects; the agency's balance stays ${n(plan.summary.balance)}.`;
  const what = `Sent as the agency${forWhom} — ${connects(sent.cost)}`;
  if (sent.status === 'not-recorded') return `${what} on Upwork, but not recorded for the agency.`;
  if (sent.status === 'recording' || !sent.counted) return `${what}; recording it for the agency…`;
  return `${what}; balance now ${n(plan.summary.balance)}.`;
}

export function SentPanel({ sent, plan }: { sent: SentProposal; plan: ProposalPlan }) {
  const { summary } = plan;
  const whose = sent.forName ? `${sent.forName}'s` : 'Your';
  const showAllowance = sent.as === 'agency' && sent.counted && summary.allowance !== null;
  return (
    <div class="sent" role="status" data-testid="sent">
      <p data-testid="sent-headline">
        <strong>{headline(sent, plan)}</strong>
      </p>
      {showAllowance ? (
        <p data-testid="sent-allowance">
          {whose} allowance: {n(summary.allowanceLeft ?? 0)} left of {n(summary.allowance ?? 0)} this month.
        </p>
      ) : null}
      {sent.reason ? <p>{sent.reason}</p> : null}
      {sent.flags.length ? (
        <ul aria-label="Flagged for the business managers">
          {sent.flags.map((f) => (
            <li key={f.rule + f.message}>
              Flagged for the business managers: {f.message}
              <RuleDetail rule={f.rule} title={formRuleTitle(f.rule)} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
