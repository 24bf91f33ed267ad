// Removing an agency from this browser: its local copy and its entry here are deleted. It is not leaving
// (R11): the agency and the other members' copies are untouched, and this browser's membership stays in the
// log until a member leaves or is removed. Inside a section with one outcome, the section passes its `run`.
import { useState } from 'preact/hooks';
import { ActionResult } from './action-result.tsx';
import type { Send } from './client.ts';
import { type Run, useRun } from './use-run.ts';

export function RemoveAgency(props: { agencyId: string; name: string; send: Send; run?: Run }) {
  const { agencyId, name, send } = props;
  const own = useRun();
  const { busy, run } = props.run ? { busy: false, run: props.run } : own;
  const [confirming, setConfirming] = useState(false);
  const remove = () => {
    setConfirming(false);
    void run(async () => {
      const res = await send({ kind: 'removeAgency', agencyId });
      return res.ok
        ? { kind: 'saved', id: null, text: `${name} was removed from this browser` }
        : { kind: 'refused', refusal: res };
    });
  };
  return (
    <div class="stack">
      {confirming ? (
        <div class="stack">
          <p class="hint">
            This deletes this browser's copy of {name}, including anything not synced yet. The agency and the
            other members' copies stay as they are.
          </p>
          <div class="row">
            <button type="button" class="danger" onClick={remove}>
              Yes, remove {name} from this browser
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div class="row">
          <button type="button" class="danger" disabled={busy} onClick={() => setConfirming(true)}>
            Remove {name} from this browser
          </button>
        </div>
      )}
      {props.run ? null : <ActionResult outcome={own.outcome} />}
    </div>
  );
}
