// Whether this browser's member left or was removed (R11, P6), and the sentence that says so. Pure and small:
// the overlay imports it (content-script budget), the popup and agency pages through former-member.tsx.
import type { AgencyView } from '../messaging/types.ts';
import { dayText } from './format.ts';

export interface FormerStanding {
  status: 'left' | 'removed';
  /** When they went, as the agency's log has it (null when it does not say). */
  at: number | null;
}

/** The member this browser belongs to, when they are no longer in the agency; null otherwise. */
export function formerStanding(view: AgencyView): FormerStanding | null {
  const me = view.state.members[view.me];
  if (!me || me.status === 'active') return null;
  return { status: me.status, at: me.leftAt };
}

/** "You left Northwind Digital on 1 Dec." / "You were removed from Northwind Digital on 1 Dec." */
export function formerSentence(view: AgencyView, former: FormerStanding, now: number): string {
  const agency = view.state.name || 'the agency';
  const when = former.at === null ? '' : ` on ${dayText(former.at, now, view.state.timeZone)}`;
  return former.status === 'left' ? `You left ${agency}${when}.` : `You were removed from ${agency}${when}.`;
}
