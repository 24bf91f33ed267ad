// Says plainly when this browser can no longer act for the agency: its member left or was removed (P6;
// former-member.tsx shows that whole state), or this browser's own key was removed from the member (a key
// once known to the agency cannot be added again, so no code brings this browser's key back).
import type { AgencyView } from '../messaging/types.ts';
import { meOf, thisBrowserOf } from './permissions.ts';

export function StandingNotice({ view }: { view: AgencyView }) {
  const me = meOf(view);
  const agency = view.state.name || 'this agency';
  if (me && me.status === 'active' && thisBrowserOf(view)?.active === false)
    return (
      <p class="notice" role="alert" data-testid="standing-notice">
        This browser was removed from {me.name}'s browsers: it can no longer act for {agency}. Its past
        actions stay in the history. You can remove {agency} from this browser (agency pages › Sync and
        export).
      </p>
    );
  return null;
}
