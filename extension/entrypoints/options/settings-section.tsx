// The agency's sync server, a reconnect, and the export of its log: every action in the file is signed,
// so anyone holding it can verify who did what (core's verifyAction with the agency id).
import type { JSX } from 'preact';
import type { AgencyView } from '../../messaging/types.ts';
import { ActionResult } from '../../ui/action-result.tsx';
import type { Send } from '../../ui/client.ts';
import { SERVER_PATTERN, text } from '../../ui/fields.ts';
import { SyncStatus } from '../../ui/sync-status.tsx';
import { useRun } from '../../ui/use-run.ts';

export interface SettingsProps {
  view: AgencyView;
  send: Send;
  now: number;
  download?: (fileName: string, json: string) => void;
}

export function SettingsSection({ view, send, now, download }: SettingsProps) {
  const server = useRun();
  const exporting = useRun();
  const setServer = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const address = text(e.currentTarget, 'server');
    void server.run(async () => {
      const res = await send({ kind: 'setServer', agencyId: view.agencyId, server: address });
      return res.ok
        ? { kind: 'saved', id: null, text: `Sync server set to ${address}` }
        : { kind: 'refused', refusal: res };
    });
  };
  const exportLog = () =>
    void exporting.run(async () => {
      const res = await send({ kind: 'exportLog', agencyId: view.agencyId });
      if (!res.ok) return { kind: 'refused', refusal: res };
      download?.(res.value.fileName, res.value.json);
      return { kind: 'saved', id: null, text: `Exported ${res.value.fileName}` };
    });
  return (
    <section class="card" aria-labelledby="settings-title" id="settings">
      <h2 id="settings-title">Sync and export</h2>
      <SyncStatus
        sync={view.sync}
        now={now}
        onReconnect={() => void send({ kind: 'reconnect', agencyId: view.agencyId })}
      />
      <form class="row" onSubmit={setServer}>
        <label>
          Sync server address
          <input
            name="server"
            required
            inputMode="url"
            pattern={SERVER_PATTERN}
            defaultValue={view.sync.server}
          />
        </label>
        <button type="submit" disabled={server.busy}>
          Save server
        </button>
      </form>
      <ActionResult outcome={server.outcome} />
      <h3>Export</h3>
      <p class="muted">
        A file with every signed action of {view.state.name}. Anyone can verify each signature with the agency
        id <code>{view.agencyId}</code>.
      </p>
      <div class="row">
        <button type="button" class="secondary" onClick={exportLog} disabled={exporting.busy}>
          Export the agency's log
        </button>
      </div>
      <ActionResult outcome={exporting.outcome} />
    </section>
  );
}
