// The balance chart's text equivalent: one sentence for the picture (its aria-label), and a table of the
// points that are not proposals (those are in the per-job table): where the period started, each balance
// Upwork showed, each purchase and refund, and where it ended.
import type { BalancePoint, Insights } from '../../core/lite.ts';
import { connects, dateTime, signed } from './format.ts';

export function balanceSentence(ins: Insights, periodText: string): string {
  const b = ins.balance;
  const reserved = ins.reservedNextMonth
    ? ` Next month's allowances will reserve ${connects(ins.reservedNextMonth)}.`
    : '';
  return `Agency Connects balance over ${periodText}: from ${connects(b.start)} to ${connects(b.end)}; ${connects(b.spent)} spent (boosts included), ${connects(b.purchased)} purchased, ${connects(b.refunded)} refunded, ${b.observations} balance${b.observations === 1 ? '' : 's'} seen on Upwork.${reserved}`;
}

const WHAT: Record<BalancePoint['kind'], string> = {
  start: 'Start of the period',
  observation: 'Balance Upwork showed',
  proposal: 'Agency proposal',
  purchase: 'Purchase',
  refund: 'Refund',
};

export function BalanceTable({ ins, timeZone }: { ins: Insights; timeZone: string }) {
  const rows = ins.balance.points.filter((p) => p.kind !== 'proposal');
  return (
    <details class="balance-details">
      <summary>The balance as a table</summary>
      <table class="stacks insights-table" data-testid="balance-table">
        <caption class="sr-only">Balance changes other than proposals</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Change</th>
            <th scope="col">Balance after</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p, i) => (
            <tr key={i}>
              <td data-label="When">{dateTime(p.at, timeZone)}</td>
              <td data-label="What">{WHAT[p.kind]}</td>
              <td data-label="Change">{p.kind === 'start' ? '' : signed(p.delta)}</td>
              <td data-label="Balance after">{connects(p.balance)}</td>
            </tr>
          ))}
          <tr>
            <td data-label="When">End of the period</td>
            <td data-label="What">Balance</td>
            <td data-label="Change" />
            <td data-label="Balance after">{connects(ins.balance.end)}</td>
          </tr>
        </tbody>
      </table>
    </details>
  );
}
