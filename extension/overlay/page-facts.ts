// The facts the overlay records, as `act` requests for the background. Each is what the member saw on
// Upwork's page (domain.md "Facts versus intents"); none is ever sent to Upwork. These are the only action
// types the background accepts from a content script (messaging/types.ts PAGE_FACT_TYPES).
import type { Payloads } from '../../core/lite.ts';
import type { ProposeAsOption } from '../features/upwork-page/read-apply-page.ts';
import type { AgencyView, PageFactType } from '../messaging/types.ts';
import { effectiveAs, type ProposalPlan } from './proposal-plan.ts';

export type FactRequest = {
  [K in PageFactType]: { kind: 'act'; agencyId: string; type: K; payload: Payloads[K] };
}[PageFactType];

const isActive = (view: AgencyView): boolean => view.state.members[view.me]?.status === 'active';

/**
 * The agency option's balance as an observation, when it differs from the shared state. Only the agency
 * option's number: the freelancer option's is the member's own balance and never touches the agency's.
 */
export function balanceObservation(view: AgencyView, option: ProposeAsOption | null): FactRequest | null {
  if (!isActive(view) || !option?.isAgency || option.balance === null) return null;
  if (option.balance === view.state.balance) return null;
  return {
    kind: 'act',
    agencyId: view.agencyId,
    type: 'observeBalance',
    payload: { balance: option.balance },
  };
}

/** The agency's Upwork id (its option's value), learned when the option was recognised by name only. */
export function upworkIdToLearn(
  view: AgencyView,
  option: ProposeAsOption | null,
  matchedBy: 'id' | 'name' | null,
): FactRequest | null {
  if (!isActive(view) || matchedBy !== 'name' || !option || !/^\d{1,30}$/.test(option.value)) return null;
  if (view.state.upworkId === option.value) return null;
  return { kind: 'act', agencyId: view.agencyId, type: 'learnUpworkId', payload: { upworkId: option.value } };
}

/**
 * R9: the choice Upwork pre-selects on a non-exclusive member's form is their default team; recorded as
 * Upwork shows it when it differs from what the agency knows. Only the member's own form says so.
 */
export function defaultTeamToRecord(view: AgencyView, plan: ProposalPlan): FactRequest | null {
  const me = plan.me;
  if (me?.status !== 'active' || me.relationship !== 'non-exclusive') return null;
  if (plan.managerForm || !plan.agencyOption || !plan.preselected || plan.otherAgency) return null;
  if (me.defaultTeam === plan.preselected) return null;
  return {
    kind: 'act',
    agencyId: view.agencyId,
    type: 'setDefaultTeam',
    payload: { member: me.id, team: plan.preselected },
  };
}

const MAX_TITLE = 300;

/** The submitted proposal as a fact: job, title, which way, Connects and boost, and for whom. */
export function proposalFact(plan: ProposalPlan): FactRequest | null {
  const me = plan.me;
  if (me?.status !== 'active' || plan.otherAgency) return null;
  const title = (plan.jobTitle ?? '').slice(0, MAX_TITLE).trim() || `Job ${plan.jobKey}`;
  const payload: Payloads['submitProposal'] = {
    job: plan.jobKey,
    title,
    as: effectiveAs(plan),
    connects: plan.connects,
    boost: plan.boost,
  };
  // On a business manager's form the proposal is the chosen member's; the manager is who recorded it.
  if (plan.proposer && plan.proposer.id !== me.id) payload.member = plan.proposer.id;
  return { kind: 'act', agencyId: plan.agencyId, type: 'submitProposal', payload };
}
