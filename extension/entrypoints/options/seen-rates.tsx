// Inside Contracts and earnings (D15, business managers only): the rates and prices of business managers' own
// contracts, recorded from their own Upwork contracts pages (issue 11) and sealed to the managers' browsers —
// the contracts seen on Upwork whose figure this browser opened (AmountsView.seen). Presentational.
import type { AgencyState, Figure } from '../../../core/lite.ts';

const dollars = (cents: number): string =>
  `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export function SeenRates({ state, seen }: { state: AgencyState; seen: Record<string, Figure> }) {
  const rows = Object.values(state.contractsSeen ?? {}).filter((c) => typeof seen[c.id] === 'number');
  if (!rows.length) return null;
  return (
    <>
      <h3>From managers’ own contracts pages on Upwork</h3>
      <table class="stacks" data-testid="earnings-seen">
        <thead>
          <tr>
            <th scope="col">Contract</th>
            <th scope="col">Freelancer</th>
            <th scope="col">Rate or price</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <th scope="row">{c.title}</th>
              <td data-label="Freelancer">{state.members[c.member ?? '']?.name ?? 'a former member'}</td>
              <td data-label="Rate or price">
                {dollars(seen[c.id]!)}
                {c.kind === 'hourly' ? ' an hour' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
