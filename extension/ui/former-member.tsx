// A member who left or was removed (R11, P6) sees that state, plainly, instead of a half-alive product: when
// they went, that their history stays (read-only), and how to come back with a new invite. Nothing of the
// agency's present is shown as theirs any more (no balance to spend, no allowance, no "propose as").
import type { ComponentChildren } from 'preact';
import type { AgencyView } from '../messaging/types.ts';
import { dayText } from './format.ts';
import { meOf } from './permissions.ts';

export interface FormerStanding {
  status: 'left' | 'removed';
  /** When they went, as the agency's log has it (null when it does not say). */
  at: number | null;
}

/** The member this browser belongs to, when they are no longer in the agency; null otherwise. */
export function formerStanding(view: AgencyView): FormerStanding | null {
  const me = meOf(view);
  if (!me || me.status === 'active') return null;
  return { status: me.status, at: me.leftAt };
}

/** "You left Northwind Digital on 1 Dec" / "You were removed from Northwind Digital on 1 Dec". */
export function formerSentence(view: AgencyView, former: FormerStanding, now: number): string {
  const agency = view.state.name || 'the agency';
  const when = former.at === null ? '' : ` on ${dayText(former.at, now, view.state.timeZone)}`;
  return former.status === 'left' ? `You left ${agency}${when}.` : `You were removed from ${agency}${when}.`;
}

export function FormerMemberNotice(props: {
  view: AgencyView;
  former: FormerStanding;
  now: number;
  children?: ComponentChildren;
}) {
  return (
    <section class="card former" aria-labelledby="former-title" data-testid="former-member">
      <h2 id="former-title">{formerSentence(props.view, props.former, props.now)}</h2>
      <p>
        Your past actions stay in its history, attributed to you. This browser no longer syncs it, and nothing
        you do on Upwork is recorded for it.
      </p>
      {props.children}
    </section>
  );
}
