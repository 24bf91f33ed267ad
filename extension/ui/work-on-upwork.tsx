// "Contracts on Upwork" on the agency pages: core's workOnUpwork (the contracts members' browsers saw on
// Upwork, each with its latest recorded week of hours) as a table. No amount is among these facts (D15).
import { type AgencyState, type MemberId, type WorkRow, workOnUpwork } from '../../core/lite.ts';
import { dayText } from './format.ts';

/** "750" minutes → "12:30". */
export const hoursText = (minutes: number): string =>
  `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;

function hoursCell(row: WorkRow, recording: boolean, now: number, timeZone: string): string {
  if (row.contract.kind !== 'hourly') return '—';
  if (row.latest)
    return `${hoursText(row.latest.minutes)} hrs in the week of ${dayText(Date.parse(`${row.latest.week}T12:00:00Z`), now, timeZone)}`;
  return recording ? 'none recorded yet' : 'not recorded';
}

export function WorkOnUpwork({ state, me, now }: { state: AgencyState; me: MemberId; now: number }) {
  const rows = workOnUpwork(state, me);
  const manager = state.members[me]?.role === 'manager';
  return (
    <section class="card" aria-labelledby="work-title" id="work">
      <h2 id="work-title">Contracts on Upwork</h2>
      <p class="muted">
        {manager
          ? 'The contracts members’ browsers saw on Upwork’s contracts page, and the hours recorded from their own timesheets.'
          : 'Your contracts as your browser saw them on Upwork’s contracts page, and the hours recorded from your own timesheet.'}
      </p>
      {rows.length ? (
        <table class="stacks" data-testid="work-contracts">
          <thead>
            <tr>
              <th scope="col">Contract</th>
              <th scope="col">Freelancer</th>
              <th scope="col">Kind</th>
              <th scope="col">Paid to</th>
              <th scope="col">Hours</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.contract.id}>
                <th scope="row">{row.contract.title}</th>
                <td data-label="Freelancer">
                  {row.disputedBy.length
                    ? `Disputed: ${row.disputedBy.join(' and ')} each recorded it; a business manager decides`
                    : (row.memberName ?? 'a former member')}
                </td>
                <td data-label="Kind">{row.contract.kind === 'hourly' ? 'Hourly' : 'Fixed price'}</td>
                <td data-label="Paid to">
                  {row.contract.as === 'agency'
                    ? `${state.name} (R6)`
                    : `${row.memberName ?? 'the freelancer'} (R8)`}
                </td>
                <td data-label="Hours">{hoursCell(row, state.hoursRecording, now, state.timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">
          None yet: a contract appears here once its freelancer opens Upwork’s contracts page with Agency
          Overlay.
        </p>
      )}
    </section>
  );
}
