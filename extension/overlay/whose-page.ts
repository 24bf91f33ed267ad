// Whose account an Upwork page is, from the account switcher's name (work-selectors.ts ACCOUNT_NAME; a guess
// outside My proposals, upwork-dom.md): the agency's (its name), the member's own freelancer account (their
// name in the agency, or that name followed by more, "Ben" for "Ben Adeyemi": Upwork shows the full name),
// another agency this browser belongs to, some other name, or unknown when the page shows no switcher. A page
// records what is someone's only when it is sure: unknown is never taken for own.
import type { AgencyView, OverviewView } from '../messaging/types.ts';
import { normalizeName } from './agency-match.ts';

export type WhosePage = 'agency' | 'own' | 'another-agency' | 'other' | 'unknown';

export function whosePage(
  account: string | null,
  view: AgencyView,
  overview: Pick<OverviewView, 'agencies'> | null = null,
): WhosePage {
  const name = normalizeName(account);
  if (!name) return 'unknown';
  if (name === normalizeName(view.state.name)) return 'agency';
  const others = (overview?.agencies ?? []).filter((a) => a.agencyId !== view.agencyId);
  if (others.some((a) => normalizeName(a.name) === name)) return 'another-agency';
  const mine = normalizeName(view.state.members[view.me]?.name);
  return mine && (name === mine || name.startsWith(`${mine} `)) ? 'own' : 'other';
}
