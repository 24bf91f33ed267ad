// Says what happened when the browser discarded this agency's stored copy and the replica recovered from the
// record it keeps outside IndexedDB (replica/keep.ts): calm when nothing of the member's is lost, plain about
// what may be gone when something is. Shown until the member dismisses it.
import type { AgencyView } from '../messaging/types.ts';
import type { Send } from './client.ts';

const actions = (n: number) => (n === 1 ? '1 action' : `${n} actions`);

/** `name`: the agency's name as this browser last knew it (the derived state may be empty until the server answers). */
export function RecoveryNotice({ view, name, send }: { view: AgencyView; name?: string; send: Send }) {
  const r = view.recovered;
  if (!r) return null;
  const agency = view.state.name || name || 'this agency';
  const lossPossible = r.notKept > 0 || r.keyLost;
  const dismiss = () => void send({ kind: 'dismissRecovery', agencyId: view.agencyId });
  return (
    <section
      class={lossPossible ? 'notice' : 'notice calm'}
      role={lossPossible ? 'alert' : 'status'}
      data-testid="recovery-notice"
    >
      <p>
        <strong>This browser lost its stored copy of {agency}</strong> (the browser discarded the extension's
        database, as Chromium sometimes does after a crash).
      </p>
      <p>
        {r.restored > 0
          ? `Your ${actions(r.restored)} not yet on the server ${r.restored === 1 ? 'was' : 'were'} kept apart and ${r.restored === 1 ? 'is' : 'are'} back; ${r.restored === 1 ? 'it is' : 'they are'} sent when the server answers.`
          : 'Everything you did had reached the server.'}{' '}
        The rest of the agency comes back from the server as it syncs.
        {lossPossible ? '' : ' Nothing of yours is lost.'}
      </p>
      {r.notKept > 0 ? (
        <p>
          {actions(r.notKept)} you took while the server was unreachable {r.notKept === 1 ? 'was' : 'were'}{' '}
          beyond what is kept apart: any of them the server had not received is gone, and has to be done
          again.
        </p>
      ) : null}
      {r.keyLost ? (
        <p>
          This browser's key was lost too, so it cannot sync: add this browser again with a browser code
          (agency pages › Browsers, from another of your browsers or a business manager).
        </p>
      ) : null}
      <button type="button" class="link" onClick={dismiss}>
        OK
      </button>
    </section>
  );
}
