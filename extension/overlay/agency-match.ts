// Which of this browser's agencies the proposal form is about. A member of several agencies sees the one
// whose option the page offers: the selected agency's option is found by its Upwork id, else by its name; when
// the page offers another agency this browser belongs to, the overlay asks the background to switch to it.
import { findAgencyOption } from '../features/upwork-page/find-agency-option.ts';
import type { ApplyPageFound, ProposeAsOption } from '../features/upwork-page/read-apply-page.ts';
import type { AgencyView, OverviewView } from '../messaging/types.ts';

export type AgencyMatch =
  /** The selected agency is the page's. `option` is its radio, null on a manager's form or without radios. */
  | { kind: 'matched'; view: AgencyView; option: ProposeAsOption | null; matchedBy: 'id' | 'name' | null }
  /** The page offers another agency this browser belongs to. */
  | { kind: 'switch'; agencyId: string; name: string }
  /** Nothing to show yet, or nothing that concerns this browser's agencies. */
  | { kind: 'none'; reason: 'loading' | 'no-agency' | 'not-offered'; offered: string[] };

export const normalizeName = (name: string | null | undefined): string =>
  (name ?? '').replace(/\s+/g, ' ').trim().toLowerCase();

function otherAgency(
  overview: OverviewView,
  matches: (name: string) => boolean,
): { agencyId: string; name: string } | null {
  const other = overview.agencies.find((a) => a.agencyId !== overview.view?.agencyId && matches(a.name));
  return other ? { agencyId: other.agencyId, name: other.name } : null;
}

export function matchAgency(reading: ApplyPageFound, overview: OverviewView | null): AgencyMatch {
  if (!overview) return { kind: 'none', reason: 'loading', offered: [] };
  const view = overview.view;
  if (!view) return { kind: 'none', reason: 'no-agency', offered: [] };
  const control = reading.proposeAs;

  if (control.kind === 'radios') {
    const agencyOptions = control.options.filter((o) => o.isAgency);
    // A freelancer-only form: Upwork does not offer any agency to this account.
    if (agencyOptions.length === 0) return { kind: 'none', reason: 'not-offered', offered: [] };
    const found = findAgencyOption(control.options, view.state.upworkId, view.state.name);
    if (found) return { kind: 'matched', view, option: found.option, matchedBy: found.matchedBy };
    const other = otherAgency(overview, (name) => findAgencyOption(control.options, null, name) !== null);
    if (other) return { kind: 'switch', ...other };
    return {
      kind: 'none',
      reason: 'not-offered',
      offered: agencyOptions.map((o) => o.agencyName ?? o.label),
    };
  }

  if (control.kind === 'manager-dropdowns' && control.team) {
    const team = normalizeName(control.team);
    if (team !== normalizeName(view.state.name)) {
      const other = otherAgency(overview, (name) => normalizeName(name) === team);
      if (other) return { kind: 'switch', ...other };
    }
  }
  return { kind: 'matched', view, option: null, matchedBy: null };
}
