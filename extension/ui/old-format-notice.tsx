// An agency whose log was written by Agency Overlay 0.1: this version cannot read its signed format, so it
// shows nothing of it but this, with what to do (README "Upgrading from 0.1") and the two buttons needed.
import { ActionResult } from './action-result.tsx';
import type { Send } from './client.ts';
import type { Download } from './download.ts';
import { ExportLogButton } from './export-log-button.tsx';
import { RemoveAgency } from './remove-agency.tsx';
import { useRun } from './use-run.ts';

export const OLD_FORMAT_MESSAGE =
  'This agency was created with Agency Overlay 0.1, whose log format this version cannot read. Export it for your records, remove it from this browser, and create the agency again; then re-invite members.';

export function OldFormatNotice({
  agencyId,
  name,
  send,
  download,
}: {
  agencyId: string;
  name: string;
  send: Send;
  download?: Download;
}) {
  const { outcome, run } = useRun();
  return (
    <section class="card" aria-labelledby="old-format-title" data-testid="old-format">
      <h2 id="old-format-title">{name} needs to be created again</h2>
      <p class="notice" role="alert">
        {OLD_FORMAT_MESSAGE}
      </p>
      <ExportLogButton agencyId={agencyId} send={send} download={download} run={run} />
      <RemoveAgency agencyId={agencyId} name={name} send={send} run={run} />
      <ActionResult outcome={outcome} />
    </section>
  );
}
