// Removing an agency from this browser: its local copy and its entry here are deleted. It is not leaving
// (R11): the agency and the other members' copies are untouched, and this browser's membership stays in the
// log until a member leaves or is removed.
import { useState } from 'preact/hooks';
import { ActionResult } from './action-result.tsx';
import type { Send } from './client.ts';
import { useRun } from './use-run.ts';

export function RemoveAgency({ agencyId, name, send }: { agencyId: string; name: string; send: Send }) {
  const { outcome, busy, run } = useRun();
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
      <ActionResult outcome={outcome} />
    </div>
  );
}
