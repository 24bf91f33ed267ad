// "Export the agency's log": every signed action in one JSON file (for a 0.1 log, the entries as stored).
// Inside a section that shows one outcome for all its controls, the section passes its own `run`.
import { ActionResult } from './action-result.tsx';
import type { Send } from './client.ts';
import type { Download } from './download.ts';
import { type Run, useRun } from './use-run.ts';

export function ExportLogButton(props: { agencyId: string; send: Send; download?: Download; run?: Run }) {
  const own = useRun();
  const { busy, run } = props.run ? { busy: false, run: props.run } : own;
  const exportLog = () =>
    void run(async () => {
      const res = await props.send({ kind: 'exportLog', agencyId: props.agencyId });
      if (!res.ok) return { kind: 'refused', refusal: res };
      props.download?.(res.value.fileName, res.value.json);
      return { kind: 'saved', id: null, text: `Exported ${res.value.fileName}` };
    });
  return (
    <div class="stack">
      <div class="row">
        <button type="button" class="secondary" onClick={exportLog} disabled={busy}>
          Export the agency's log
        </button>
      </div>
      {props.run ? null : <ActionResult outcome={own.outcome} />}
    </div>
  );
}
