// R11: anyone may leave at any time and keeps their Upwork profile and work history; P6: their past
// actions stay in the agency's history; D4/P3: the owner names a successor, who takes the agency over.
import { useState } from 'preact/hooks';
import type { AgencyView } from '../../messaging/types.ts';
import { ActionResult } from '../../ui/action-result.tsx';
import type { Send } from '../../ui/client.ts';
import { DisabledReason } from '../../ui/disabled-reason.tsx';
import { activeMembers, canLeave, meOf, needsSuccessor } from '../../ui/permissions.ts';
import { actOutcome, useRun } from '../../ui/use-run.ts';

export function LeaveAgency({ view, send }: { view: AgencyView; send: Send }) {
  const { outcome, busy, run } = useRun();
  const [successor, setSuccessor] = useState('');
  const [confirming, setConfirming] = useState(false);
  const me = meOf(view);
  const others = activeMembers(view).filter((m) => m.id !== view.me);
  const required = needsSuccessor(view);
  const allowed = canLeave(view, successor || null);
  const leave = () => {
    setConfirming(false);
    void run(async () =>
      actOutcome(
        await send({
          kind: 'act',
          agencyId: view.agencyId,
          type: 'leaveAgency',
          payload: successor ? { successor } : {},
        }),
        `You left ${view.state.name}`,
      ),
    );
  };
  return (
    <section class="card" aria-labelledby="leave-title" id="leave">
      <h2 id="leave-title">Leave the agency</h2>
      <p>
        You can leave at any time. You keep your Upwork profile and your work history; your past actions stay
        in the agency's history, attributed to you. After leaving you can no longer act for {view.state.name},
        until a business manager invites you again.
      </p>
      {me?.role === 'manager' ? (
        <label>
          Successor
          <span class="hint">
            {required
              ? 'You own the agency: name who takes it over; they become its owner and a business manager.'
              : 'Optional: a member to make a business manager as you leave.'}
          </span>
          <select
            value={successor}
            onChange={(e) => setSuccessor((e.target as HTMLSelectElement).value)}
            aria-describedby={allowed.ok ? undefined : 'leave-reason'}
          >
            <option value="">{required ? 'Choose a successor…' : 'No successor'}</option>
            {others.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <DisabledReason id="leave-reason" allowed={allowed} />
      {confirming ? (
        <div class="row">
          <button type="button" class="danger" onClick={leave}>
            Yes, leave {view.state.name}
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <div class="row">
          <button
            type="button"
            class="danger"
            disabled={!allowed.ok || busy}
            aria-describedby={allowed.ok ? undefined : 'leave-reason'}
            onClick={() => setConfirming(true)}
          >
            Leave {view.state.name}
          </button>
        </div>
      )}
      <ActionResult outcome={outcome} recent={view.recent} />
    </section>
  );
}
