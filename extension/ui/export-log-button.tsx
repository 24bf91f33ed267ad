// "Export the agency's log": every signed action in one JSON file (for a 0.1 log, the entries as stored).
import { ActionResult } from './action-result.tsx';
import type { Send } from './client.ts';
import type { Download } from './download.ts';
import { useRun } from './use-run.ts';

export function ExportLogButton({
  agencyId,
  send,
  download,
}: {
  agencyId: string;
  send: Send;
  download?: Download;
}) {
  const { outcome, busy, run } = useRun();
  const exportLog = () =>
    void run(async () => {
      const res = await send({ kind: 'exportLog', agencyId });
      if (!res.ok) return { kind: 'refused', refusal: res };
      download?.(res.value.fileName, res.value.json);
      return { kind: 'saved', id: null, text: `Exported ${res.value.fileName}` };
    });
  return (
    <div class="stack">
      <div class="row">
        <button type="button" class="secondary" onClick={exportLog} disabled={busy}>
          Export the agency's log
        </button>
      </div>
      <ActionResult outcome={outcome} />
    </div>
  );
}
