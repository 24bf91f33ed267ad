// R9: the default team is Upwork's setting (Settings › My Teams). We show what Upwork shows and link there;
// nothing here changes it.
import type { Member } from '../../core/lite.ts';
import { teamLabel } from './format.ts';

export const MY_TEAMS_URL = 'https://www.upwork.com/freelancers/settings/teams';

export function DefaultTeam({ me }: { me: Member }) {
  if (me.relationship === 'exclusive') {
    return (
      <p class="muted" data-testid="default-team">
        As an exclusive member you propose as the agency on every proposal.
      </p>
    );
  }
  return (
    <p class="muted" data-testid="default-team">
      Your default team on Upwork: <strong>{teamLabel(me.defaultTeam)}</strong>. It is set on Upwork in{' '}
      <a href={MY_TEAMS_URL} target="_blank" rel="noreferrer">
        Settings › My Teams
      </a>
      .
    </p>
  );
}
