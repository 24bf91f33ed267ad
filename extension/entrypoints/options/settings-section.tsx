// The agency's sync server, a reconnect, the export of its log (every action in the file is signed, so
// anyone holding it can verify who did what: core's verifyAction with the agency id), and removing the
// agency from this browser. The section shows one outcome: the latest of its controls'.
import type { JSX } from 'preact';
import type { AgencyView } from '../../messaging/types.ts';
import { ActionResult } from '../../ui/action-result.tsx';
import type { Send } from '../../ui/client.ts';
import type { Download } from '../../ui/download.ts';
import { ExportLogButton } from '../../ui/export-log-button.tsx';
import { fieldProps, serverField } from '../../ui/fields.ts';
import { HoursRecordingSetting } from '../../ui/hours-recording-setting.tsx';
import { RemoveAgency } from '../../ui/remove-agency.tsx';
import { SyncStatus } from '../../ui/sync-status.tsx';
import { useRun } from '../../ui/use-run.ts';

export interface SettingsProps {
  view: AgencyView;
  send: Send;
  now: number;
  download?: Download;
}

export function SettingsSection({ view, send, now, download }: SettingsProps) {
  const { outcome, busy, run } = useRun();
  const setServer = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const address = serverField(e.currentTarget, 'server');
    void run(async () => {
      const res = await send({ kind: 'setServer', agencyId: view.agencyId, server: address });
      return res.ok
        ? { kind: 'saved', id: null, text: `Sync server set to ${address}` }
        : { kind: 'refused', refusal: res };
    });
  };
  return (
    <section class="card" aria-labelledby="settings-title" id="settings">
      <h2 id="settings-title">Sync and export</h2>
      <SyncStatus
        sync={view.sync}
        now={now}
        onReconnect={() => void send({ kind: 'reconnect', agencyId: view.agencyId })}
      />
      <form class="row" onSubmit={setServer}>
        <label class="grow">
          Sync server address
          <input
            name="server"
            required
            inputMode="url"
            defaultValue={view.sync.server}
            {...fieldProps(outcome, 'server', 'settings-result')}
          />
        </label>
        <button type="submit" disabled={busy}>
          Save server
        </button>
      </form>
      <h3>Hours</h3>
      <HoursRecordingSetting view={view} send={send} run={run} busy={busy} />
      <h3>Export</h3>
      <p class="muted">
        A file with every signed action of {view.state.name}. Anyone can verify each signature with the agency
        id <code>{view.agencyId}</code>.
      </p>
      <ExportLogButton agencyId={view.agencyId} send={send} download={download} run={run} />
      <h3>This browser</h3>
      <p class="muted">
        Removing {view.state.name} from this browser deletes its copy here; it does not leave the agency (to
        leave, see below).
      </p>
      <RemoveAgency agencyId={view.agencyId} name={view.state.name} send={send} run={run} />
      <ActionResult outcome={outcome} id="settings-result" />
    </section>
  );
}

/** For a member who left: the agency's log to keep, and removing it from this browser. */
export function ThisBrowserSection({ view, send, download }: Omit<SettingsProps, 'now'>) {
  const { outcome, run } = useRun();
  return (
    <section class="card" aria-labelledby="this-browser-title" id="settings">
      <h2 id="this-browser-title">This browser's copy</h2>
      <p class="muted">
        Export the agency's log for your records, or remove {view.state.name} from this browser.
      </p>
      <ExportLogButton agencyId={view.agencyId} send={send} download={download} run={run} />
      <RemoveAgency agencyId={view.agencyId} name={view.state.name} send={send} run={run} />
      <ActionResult outcome={outcome} />
    </section>
  );
}
