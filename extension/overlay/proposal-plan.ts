// What sending this form would do for the agency, from the page's reading and the agency's derived state:
// who proposes, which way (agency or independent), what it costs and what the agency's numbers become. Pure;
// the warnings and the recorded fact are both computed from this one plan.
import { type ConnectsSummary, connectsSummary, type Member, type ProposeAs } from '../../core/lite.ts';
import type { ApplyPageFound, ProposeAsOption } from '../features/upwork-page/read-apply-page.ts';
import { FREELANCER_OPTION_VALUE } from '../features/upwork-page/selectors.ts';
import type { AgencyView } from '../messaging/types.ts';
import { normalizeName } from './agency-match.ts';

export interface ProposalPlan {
  agencyId: string;
  agencyName: string;
  jobKey: string;
  jobTitle: string | null;
  /** The member using this browser; null when this browser's key is not (or no longer) a member. */
  me: Member | null;
  /** Whose proposal it is: the member themself, or on a business manager's form the member chosen there. */
  proposer: Member | null;
  /** The name the manager's form shows when it is nobody in the agency's state. */
  unknownProposerName: string | null;
  /** Which way the form is set now; null when the page does not say. */
  as: ProposeAs | null;
  /** The form is set to another agency's option: nothing of it concerns this agency. */
  otherAgency: boolean;
  /** The choice Upwork pre-selected when the form appeared (the member's default team, R9). */
  preselected: ProposeAs | null;
  agencyOption: ProposeAsOption | null;
  freelancerOption: ProposeAsOption | null;
  /** Business manager's form (team and member dropdowns) rather than an agency member's radios. */
  managerForm: boolean;
  /**
   * On a business manager's form, Upwork's "Freelancer" menu still shows its placeholder: nobody is chosen
   * yet, so the proposal is nobody's until the manager picks one (it would be recorded as the manager's own).
   */
  proposerUnchosen: boolean;
  connects: number;
  boost: number;
  /** What the send costs: required plus boost. */
  cost: number;
  /** The agency's numbers for the proposer (their allowance, P4), now. */
  summary: ConnectsSummary;
  /** The agency's balance after sending as the agency. */
  balanceAfter: number;
  /** What would be left of the proposer's allowance after sending as the agency; null without one. */
  allowanceAfter: number | null;
}

function radiosAs(
  reading: ApplyPageFound,
  agencyOption: ProposeAsOption | null,
): { as: ProposeAs | null; other: boolean } {
  if (reading.proposeAs.kind !== 'radios') return { as: null, other: false };
  const checked = reading.proposeAs.options.find((o) => o.checked);
  if (!checked) return { as: null, other: false };
  if (agencyOption && checked.value === agencyOption.value) return { as: 'agency', other: false };
  if (checked.value === FREELANCER_OPTION_VALUE || !checked.isAgency)
    return { as: 'independent', other: false };
  return { as: null, other: true };
}

function memberByName(view: AgencyView, name: string | null): Member | null {
  const wanted = normalizeName(name);
  if (!wanted) return null;
  return (
    Object.values(view.state.members).find(
      (m) => m.status === 'active' && normalizeName(m.name) === wanted,
    ) ?? null
  );
}

export interface PlanInput {
  reading: ApplyPageFound;
  view: AgencyView;
  /** The agency's option on the page (from matchAgency). */
  agencyOption: ProposeAsOption | null;
  /** What the page had checked when it appeared. */
  preselected: ProposeAs | null;
  now: number;
}

export function planProposal({ reading, view, agencyOption, preselected, now }: PlanInput): ProposalPlan {
  const state = view.state;
  const me = state.members[view.me] ?? null;
  const control = reading.proposeAs;
  const managerForm = control.kind === 'manager-dropdowns';

  let proposer = me;
  let unknownProposerName: string | null = null;
  let proposerUnchosen = false;
  let as: ProposeAs | null = null;
  let otherAgency = false;
  if (control.kind === 'radios') {
    const r = radiosAs(reading, agencyOption);
    as = r.as;
    otherAgency = r.other;
  } else if (control.kind === 'manager-dropdowns') {
    if (control.team)
      as = normalizeName(control.team) === normalizeName(state.name) ? 'agency' : 'independent';
    if (control.member) {
      const chosen = memberByName(view, control.member);
      if (chosen) proposer = chosen;
      else if (normalizeName(control.member) !== normalizeName(me?.name))
        unknownProposerName = control.member;
    } else proposerUnchosen = true;
  }

  const freelancerOption =
    control.kind === 'radios'
      ? (control.options.find((o) => o.value === FREELANCER_OPTION_VALUE) ?? null)
      : null;
  const cost = reading.totalConnects;
  const summary = connectsSummary(state, now, proposer?.id ?? null);
  return {
    agencyId: view.agencyId,
    agencyName: state.name,
    jobKey: reading.jobKey,
    jobTitle: reading.jobTitle,
    me,
    proposer,
    unknownProposerName,
    as,
    otherAgency,
    preselected,
    agencyOption,
    freelancerOption,
    managerForm,
    proposerUnchosen,
    connects: reading.connectsRequired,
    boost: Math.max(0, cost - reading.connectsRequired),
    cost,
    summary,
    balanceAfter: summary.balance - cost,
    allowanceAfter: summary.allowanceLeft === null ? null : summary.allowanceLeft - cost,
  };
}

/**
 * The way the proposal goes out when the page does not say (no "propose as" control was found): an
 * exclusive member has only the agency (R7); a non-exclusive one goes the way their default team leads (R9).
 */
export function effectiveAs(plan: ProposalPlan): ProposeAs {
  if (plan.as) return plan.as;
  const who = plan.proposer;
  if (!who || who.relationship === 'exclusive') return 'agency';
  return who.defaultTeam ?? 'independent';
}
