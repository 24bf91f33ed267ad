// The popup: the agency's Connects, sync status, team, default team (R9), flags and recent activity. It
// renders straight from the background's derived view (no spinner for data the replica already has).
import type { OverviewView } from '../../messaging/types.ts';
import { ActivityList } from '../../ui/activity-list.tsx';
import { AgencySwitcher } from '../../ui/agency-switcher.tsx';
import { BalanceTrend } from '../../ui/balance-trend.tsx';
import type { UiClient } from '../../ui/client.ts';
import { ConnectsCard } from '../../ui/connects-card.tsx';
import { DefaultTeam } from '../../ui/default-team.tsx';
import type { Download } from '../../ui/download.ts';
import { FlagList } from '../../ui/flag-list.tsx';
import { FormerMemberNotice, formerStanding } from '../../ui/former-member.tsx';
import { OldFormatNotice } from '../../ui/old-format-notice.tsx';
import { meOf } from '../../ui/permissions.ts';
import { RecentActions } from '../../ui/recent-actions.tsx';
import { RecoveryNotice } from '../../ui/recovery-notice.tsx';
import { StandingNotice } from '../../ui/standing-notice.tsx';
import { SyncStatus } from '../../ui/sync-status.tsx';
import { TeamList } from '../../ui/team-list.tsx';
import { useFirstDataMark, useNow, useOverview } from '../../ui/use-overview.ts';

export interface PopupProps {
  client: UiClient;
  openAgencyPages: () => void;
  /** The view to draw first (e.g. the last one this popup saw), replaced as soon as the background answers. */
  initial?: OverviewView | null;
  now?: number;
  download?: Download;
}

export function PopupApp({ client, openAgencyPages, initial = null, now: fixedNow, download }: PopupProps) {
  const { view: overview, error } = useOverview(client, initial);
  const now = useNow(fixedNow);
  useFirstDataMark('popup-first-render', overview !== null);
  if (!overview) {
    // Only before the background's first answer (a few ms) or when it cannot be reached.
    return (
      <main class="popup" aria-busy={error ? 'false' : 'true'}>
        {error ? <p role="alert">The extension's background did not answer: {error.message}</p> : null}
      </main>
    );
  }
  const view = overview.view;
  if (!view) {
    return (
      <main class="popup">
        <h1>Agency Overlay</h1>
        <p>You are not in an agency yet.</p>
        <p class="muted">
          Create your agency, or paste the invite code a business manager sent you, on the agency pages.
        </p>
        <button type="button" onClick={openAgencyPages}>
          Open the agency pages
        </button>
      </main>
    );
  }
  if (view.oldFormat) {
    const name = overview.agencies.find((a) => a.agencyId === view.agencyId)?.name || 'This agency';
    return (
      <main class="popup">
        <header class="bar">
          <h1>{name}</h1>
          <AgencySwitcher overview={overview} send={client.send} />
        </header>
        <OldFormatNotice agencyId={view.agencyId} name={name} send={client.send} download={download} />
        <footer class="bar">
          <button type="button" class="secondary" onClick={openAgencyPages}>
            Agency pages
          </button>
        </footer>
      </main>
    );
  }
  const former = formerStanding(view);
  const reconnect = () => void client.send({ kind: 'reconnect', agencyId: view.agencyId });
  if (former) {
    return (
      <main class="popup">
        <header class="bar">
          <h1>{view.state.name || 'Agency'}</h1>
          <AgencySwitcher overview={overview} send={client.send} />
        </header>
        <FormerMemberNotice view={view} former={former} now={now}>
          <div class="row">
            <button type="button" onClick={openAgencyPages}>
              Join again with a new invite
            </button>
          </div>
        </FormerMemberNotice>
        <RecentActions
          recent={view.recent}
          activity={view.state.activity}
          now={now}
          myName={view.state.members[view.me]?.name}
        />
        <ActivityList activity={view.state.activity} now={now} />
      </main>
    );
  }
  const me = meOf(view);
  return (
    <main class="popup">
      <header class="bar">
        <h1>
          {view.state.name || overview.agencies.find((a) => a.agencyId === view.agencyId)?.name || 'Agency'}
        </h1>
        <AgencySwitcher overview={overview} send={client.send} />
      </header>
      <SyncStatus sync={view.sync} now={now} onReconnect={reconnect} />
      <RecoveryNotice
        view={view}
        name={overview.agencies.find((a) => a.agencyId === view.agencyId)?.name}
        send={client.send}
      />
      <StandingNotice view={view} />
      <ConnectsCard summary={view.connects} timeZone={view.state.timeZone} cached={view.cached} now={now}>
        <BalanceTrend view={view} now={now} />
      </ConnectsCard>
      <FlagList view={view} />
      <TeamList members={Object.values(view.state.members)} me={view.me} />
      {me ? <DefaultTeam me={me} /> : null}
      <RecentActions
        recent={view.recent}
        activity={view.state.activity}
        now={now}
        myName={view.state.members[view.me]?.name}
      />
      <ActivityList activity={view.state.activity} now={now} />
      <footer class="bar">
        <button type="button" class="secondary" onClick={openAgencyPages}>
          Agency pages
        </button>
      </footer>
    </main>
  );
}
