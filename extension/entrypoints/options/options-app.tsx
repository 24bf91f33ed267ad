// The agency pages: create or join an agency; then invite, manage members, record Connects, leave, add
// browsers, revoke unused codes, set the sync server and export the log. Business managers see their
// controls; a plain member sees the team, what they can do themselves, and who manages the rest (P2). A member
// who left or was removed sees that, their history, and how to join again.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { OverviewView } from '../../messaging/types.ts';
import { ActivityList } from '../../ui/activity-list.tsx';
import { ActivitySearch } from '../../ui/activity-search.tsx';
import { AgencySwitcher } from '../../ui/agency-switcher.tsx';
import type { UiClient } from '../../ui/client.ts';
import { ConnectsCard } from '../../ui/connects-card.tsx';
import { DisputedContracts } from '../../ui/disputed-contracts.tsx';
import type { Download } from '../../ui/download.ts';
import { FlagList } from '../../ui/flag-list.tsx';
import { relationshipLabel, roleLabel } from '../../ui/format.ts';
import { FormerMemberNotice, formerStanding } from '../../ui/former-member.tsx';
import { InsightsSection } from '../../ui/insights-section.tsx';
import { OldFormatNotice } from '../../ui/old-format-notice.tsx';
import { meOf } from '../../ui/permissions.ts';
import { RecentActions } from '../../ui/recent-actions.tsx';
import type { AskToSeeServer } from '../../ui/server-problem.tsx';
import { StandingNotice } from '../../ui/standing-notice.tsx';
import { useFirstDataMark, useNow, useOverview } from '../../ui/use-overview.ts';
import { WorkOnUpwork } from '../../ui/work-on-upwork.tsx';
import { BrowsersSection } from './browsers-section.tsx';
import { ConnectsForms } from './connects-forms.tsx';
import { CreateAgencyForm } from './create-agency-form.tsx';
import { EarningsSection } from './earnings-section.tsx';
import { InviteForm } from './invite-form.tsx';
import { JoinAgencyForm } from './join-agency-form.tsx';
import { LeaveAgency } from './leave-agency.tsx';
import { MembersTable } from './members-table.tsx';
import { PendingInvites } from './pending-invites.tsx';
import { SettingsSection, ThisBrowserSection } from './settings-section.tsx';
import { TeamTable } from './team-table.tsx';

export interface OptionsProps {
  client: UiClient;
  initial?: OverviewView | null;
  now?: number;
  defaultServer?: string;
  onServerUsed?: (server: string) => void;
  copy?: (text: string) => Promise<void>;
  download?: Download;
  /** The browser's user agent, for the suggested name of a browser being added (tests pass their own). */
  userAgent?: string;
  /** Asks the browser to let the extension see why connections to a server fail ("Find out why"). */
  askToSee?: AskToSeeServer;
}

export function OptionsApp(props: OptionsProps) {
  const { client, initial = null, now: fixedNow } = props;
  const { view: overview, error } = useOverview(client, initial);
  const now = useNow(fixedNow);
  useFirstDataMark('options-first-render', overview !== null);
  if (!overview) {
    return (
      <main class="page" aria-busy={error ? 'false' : 'true'}>
        <h1>Agency Overlay</h1>
        {error ? <p role="alert">The extension's background did not answer: {error.message}</p> : null}
      </main>
    );
  }
  const view = overview.view;
  const newAgency = (
    <div class="stack">
      <section class="card">
        <CreateAgencyForm
          send={client.send}
          defaultServer={props.defaultServer}
          onServerUsed={props.onServerUsed}
          askToSee={props.askToSee}
        />
      </section>
      <section class="card">
        <JoinAgencyForm send={client.send} userAgent={props.userAgent} askToSee={props.askToSee} />
      </section>
    </div>
  );
  if (!view) {
    return (
      <main class="page">
        <h1>Agency Overlay</h1>
        <p>
          Create your agency if you run it on Upwork, or join one with the invite code a business manager sent
          you.
        </p>
        {newAgency}
        <section class="card" aria-labelledby="this-browser-title">
          <h2 id="this-browser-title">Already a member in another browser?</h2>
          <p class="muted">
            In that browser, open the agency pages › <em>Browsers</em> › <em>Add another browser</em>, and
            paste the code it makes under <em>Join an agency</em> above.
          </p>
        </section>
      </main>
    );
  }
  if (view.oldFormat) {
    const name = overview.agencies.find((a) => a.agencyId === view.agencyId)?.name || 'This agency';
    return (
      <main class="page">
        <header class="bar">
          <h1>{name}</h1>
          <AgencySwitcher overview={overview} send={client.send} />
        </header>
        <OldFormatNotice agencyId={view.agencyId} name={name} send={client.send} download={props.download} />
        {newAgency}
      </main>
    );
  }
  const former = formerStanding(view);
  if (former) {
    return (
      <main class="page">
        <header class="bar">
          <h1>{view.state.name}</h1>
          <AgencySwitcher overview={overview} send={client.send} />
        </header>
        <FormerMemberNotice view={view} former={former} now={now}>
          <p>To join again, paste the new invite code a business manager sends you below.</p>
        </FormerMemberNotice>
        <section class="card" id="join">
          <JoinAgencyForm send={client.send} userAgent={props.userAgent} askToSee={props.askToSee} />
        </section>
        <RecentActions
          recent={view.recent}
          activity={view.state.activity}
          now={now}
          myName={view.state.members[view.me]?.name}
          limit={10}
        />
        <ActivityList activity={view.state.activity} now={now} limit={20} />
        <ThisBrowserSection view={view} send={client.send} download={props.download} />
        <details id="another" class="card">
          <summary>Create another agency</summary>
          <CreateAgencyForm
            send={client.send}
            defaultServer={props.defaultServer}
            onServerUsed={props.onServerUsed}
            askToSee={props.askToSee}
          />
        </details>
      </main>
    );
  }
  const me = meOf(view);
  // A plain member sees what they can do; the business managers' controls are shown to managers only (P2).
  const manager = me?.role === 'manager' && me.status === 'active';
  return (
    <main class="page">
      <header class="bar">
        <h1>{view.state.name}</h1>
        <AgencySwitcher overview={overview} send={client.send} />
      </header>
      <nav class="sections" aria-label="Sections">
        {manager ? <a href="#invite">Invite</a> : null}
        <a href="#pending">{manager ? 'Unused invites' : 'Unused codes'}</a>
        <a href="#members">Members</a>
        {manager ? <a href="#connects">Connects</a> : null}
        {manager ? <a href="#earnings">Contracts and earnings</a> : null}
        <a href="#work">Contracts on Upwork</a>
        <a href="#insights">Insights</a>
        <a href="#activity">Activity</a>
        <a href="#browsers">Browsers</a>
        <a href="#settings">Sync and export</a>
        <a href="#leave">Leave</a>
        <a href="#another">Another agency</a>
      </nav>
      {me ? (
        <p data-testid="my-standing">
          You are {me.name}: {roleLabel(me.role).toLowerCase()},{' '}
          {relationshipLabel(me.relationship).toLowerCase()}.
        </p>
      ) : null}
      <StandingNotice view={view} />
      <ConnectsCard summary={view.connects} timeZone={view.state.timeZone} cached={view.cached} />
      <FlagList view={view} />
      {manager ? <InviteForm view={view} send={client.send} copy={props.copy} /> : null}
      <PendingInvites view={view} send={client.send} now={now} />
      {manager ? <MembersTable view={view} send={client.send} /> : <TeamTable view={view} />}
      {manager ? <ConnectsForms view={view} send={client.send} /> : null}
      {/* D15: rates and earnings are the business managers' (a plain member's browser cannot open them) */}
      {manager ? <EarningsSection view={view} send={client.send} /> : null}
      <WorkOnUpwork state={view.state} me={view.me} now={now} />
      {/* D8: a contract two members recorded at once waits for a business manager's decision */}
      {manager ? <DisputedContracts view={view} send={client.send} /> : null}
      <InsightsSection view={view} now={now} download={props.download} />
      <BrowsersSection view={view} send={client.send} copy={props.copy} />
      <SettingsSection view={view} send={client.send} now={now} download={props.download} />
      <RecentActions
        recent={view.recent}
        activity={view.state.activity}
        now={now}
        myName={view.state.members[view.me]?.name}
        limit={10}
      />
      <ActivitySearch view={view} send={client.send} now={now} />
      <LeaveAgency view={view} send={client.send} />
      <AnotherAgency>{newAgency}</AnotherAgency>
    </main>
  );
}

/** Creating or joining a second agency, folded away; its forms exist only while it is open. */
function AnotherAgency({ children }: { children: ComponentChildren }) {
  const [open, setOpen] = useState(false);
  return (
    <details
      id="another"
      class="card"
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>Create or join another agency</summary>
      {open ? children : null}
    </details>
  );
}
