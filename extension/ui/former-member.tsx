// A member who left or was removed (R11, P6) sees that state, plainly, instead of a half-alive product: when
// they went, that their history stays (read-only), and how to come back with a new invite. Nothing of the
// agency's present is shown as theirs any more (no balance to spend, no allowance, no "propose as").
import type { ComponentChildren } from 'preact';
import type { AgencyView } from '../messaging/types.ts';
import { type FormerStanding, formerSentence } from './former.ts';

export { type FormerStanding, formerSentence, formerStanding } from './former.ts';

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
