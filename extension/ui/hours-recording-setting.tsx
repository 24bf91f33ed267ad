// A business manager's switch for recording members' own weekly hours from their timesheets (issue 11): off
// by default; a plain member reads whether it is on. The rule (managers only) is core's: a plain member's
// request would be refused by the background, every replica and the server alike.
import type { AgencyView } from '../messaging/types.ts';
import type { Send } from './client.ts';
import { actOutcome, type Run } from './use-run.ts';

export interface HoursRecordingProps {
  view: AgencyView;
  send: Send;
  run: Run;
  busy: boolean;
}

export function HoursRecordingSetting({ view, send, run, busy }: HoursRecordingProps) {
  const on = view.state.hoursRecording === true;
  const manager = view.state.members[view.me]?.role === 'manager';
  const what = 'each member’s own hours per week, from their own timesheet (never anyone else’s)';
  if (!manager)
    return (
      <p class="muted" data-testid="hours-recording">
        {on ? `The agency records ${what}.` : 'The agency does not record members’ hours.'}
      </p>
    );
  const toggle = () =>
    void run(async () => {
      const res = await send({
        kind: 'act',
        agencyId: view.agencyId,
        type: 'setHoursRecording',
        payload: { on: !on },
      });
      return actOutcome(
        res,
        on ? 'Members’ own hours are no longer recorded' : 'Members’ own hours are recorded from now on',
        'turn recording of members’ hours on or off',
      );
    });
  return (
    <label class="inline" data-testid="hours-recording">
      <input type="checkbox" checked={on} disabled={busy} onChange={toggle} />
      Record {what}
    </label>
  );
}
