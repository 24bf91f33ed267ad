// Whether this browser's member left or was removed (R11, P6), and the sentence that says so. Pure and small:
// the overlay imports it (content-script budget), the popup and agency pages through former-member.tsx.
import type { AgencyView } from '../messaging/types.ts';
import { dayText } from './format.ts';

export interface FormerStanding {
  /**
   * `gone`: the sync server closed this browser because its member is no longer in the agency (MEMBER_GONE),
   * while this browser has not seen the removal itself (the server re-checks who may read before it relays
   * anything, so a removed member is never sent their removal).
   */
  status: 'left' | 'removed' | 'gone';
  /** When they went, as the agency's log has it (null when it does not say). */
  at: number | null;
}

/** The member this browser belongs to, when they are no longer in the agency; null otherwise. */
export function formerStanding(view: AgencyView): FormerStanding | null {
  const me = view.state.members[view.me];
  if (!me) return null;
  if (me.status !== 'active') return { status: me.status, at: me.leftAt };
  return view.sync.stoppedBy === 'MEMBER_GONE' ? { status: 'gone', at: null } : null;
}

/** "You left Northwind Digital on 1 Dec." / "You were removed from Northwind Digital on 1 Dec." */
export function formerSentence(view: AgencyView, former: FormerStanding, now: number): string {
  const agency = view.state.name || 'the agency';
  const when = former.at === null ? '' : ` on ${dayText(former.at, now, view.state.timeZone)}`;
  if (former.status === 'gone') return `You are no longer a member of ${agency}.`;
  return former.status === 'left' ? `You left ${agency}${when}.` : `You were removed from ${agency}${when}.`;
}
