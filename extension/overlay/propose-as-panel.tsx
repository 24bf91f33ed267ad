// "Propose as": the agency or independent, kept in step with Upwork's own control. It shows what the page
// has checked (read back after every change) and changes Upwork's control only when the member clicks here.
import type { ProposeAs } from '../../core/lite.ts';
import { connects } from '../ui/format.ts';
import type { ProposalPlan } from './proposal-plan.ts';

export interface ProposeAsPanelProps {
  plan: ProposalPlan;
  onChoose: (as: ProposeAs) => void;
}

const teamWord = (as: ProposeAs | null, agencyName: string): string =>
  as === 'agency' ? agencyName : as === 'independent' ? 'independent freelancer' : 'nothing';

function Choice(props: {
  as: ProposeAs;
  checked: boolean;
  title: string;
  detail: string;
  onChoose: (as: ProposeAs) => void;
}) {
  const id = `ao-propose-as-${props.as}`;
  return (
    <label class={`choice${props.checked ? ' checked' : ''}`} for={id}>
      <input
        type="radio"
        id={id}
        name="ao-propose-as"
        value={props.as}
        checked={props.checked}
        data-testid={`propose-as-${props.as}`}
        onChange={() => props.onChoose(props.as)}
      />
      <span class="choice-title">{props.title}</span>
      <span class="choice-detail">{props.detail}</span>
    </label>
  );
}

export function ProposeAsPanel({ plan, onChoose }: ProposeAsPanelProps) {
  const who = plan.proposer;
  if (plan.managerForm) {
    return (
      <section class="panel" aria-labelledby="ao-propose-as">
        <h3 id="ao-propose-as">Propose as</h3>
        {plan.proposerUnchosen ? (
          <p data-testid="propose-as-manager">
            {plan.as === 'agency' ? `As ${plan.agencyName}` : `As ${teamWord(plan.as, plan.agencyName)}`}: no
            freelancer is chosen yet in Upwork's "Freelancer" menu above. Choose who this proposal is for;
            until then it would be recorded as yours.
          </p>
        ) : (
          <p data-testid="propose-as-manager">
            {plan.as === 'agency' ? `As ${plan.agencyName}` : `As ${teamWord(plan.as, plan.agencyName)}`}
            {who ? ` for ${who.name}` : plan.unknownProposerName ? ` for ${plan.unknownProposerName}` : ''}
            {plan.me && who && who.id !== plan.me.id ? ', recorded by you' : ''}.
          </p>
        )}
        {plan.unknownProposerName ? (
          <p class="muted">
            {plan.unknownProposerName} is not in the agency's team list here: the proposal will be recorded as
            yours.
          </p>
        ) : null}
        <p class="muted">Change it in Upwork's team and freelancer menus above.</p>
      </section>
    );
  }

  const agencyDetail =
    plan.summary.allowanceLeft !== null
      ? `${connects(plan.cost)} from your allowance (${plan.summary.allowanceLeft} left this month)`
      : `${connects(plan.cost)} from the agency's ${plan.summary.balance.toLocaleString('en-US')}`;
  const own = plan.freelancerOption?.balance;
  const independentDetail = `From your own Connects${own === null || own === undefined ? '' : ` (${own.toLocaleString('en-US')} available)`}; the agency's balance is untouched`;

  if (!plan.agencyOption) {
    return (
      <section class="panel" aria-labelledby="ao-propose-as">
        <h3 id="ao-propose-as">Propose as</h3>
        <p class="muted" data-testid="propose-as-unknown">
          Upwork's form shows no "propose as" choice here.
        </p>
      </section>
    );
  }

  const exclusive = who?.relationship === 'exclusive';
  return (
    <section class="panel" aria-labelledby="ao-propose-as">
      <h3 id="ao-propose-as">Propose as</h3>
      <fieldset class="choices" aria-labelledby="ao-propose-as">
        <Choice
          as="agency"
          checked={plan.as === 'agency'}
          title={plan.agencyName}
          detail={agencyDetail}
          onChoose={onChoose}
        />
        {exclusive ? null : (
          <Choice
            as="independent"
            checked={plan.as === 'independent'}
            title="Independent freelancer"
            detail={independentDetail}
            onChoose={onChoose}
          />
        )}
      </fieldset>
      {exclusive ? (
        <p class="muted" data-testid="propose-as-exclusive">
          As an exclusive member you propose as the agency only.
        </p>
      ) : (
        <p class="muted" data-testid="default-team">
          Upwork pre-selected <strong>{teamWord(plan.preselected, plan.agencyName)}</strong>: your default
          team. You choose on every proposal.
        </p>
      )}
    </section>
  );
}
