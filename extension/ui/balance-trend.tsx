// Under the popup's balance: the last 30 days of the agency's balance as a sparkline, and what the agency
// (and the member) spent this month.
import { balanceSeries, lastDays, monthKey, reservedNextMonth, spentInMonth } from '../../core/lite.ts';
import type { AgencyView } from '../messaging/types.ts';
import { BalanceChart } from './balance-chart.tsx';
import { connects } from './format.ts';
import './insights.css';

export function BalanceTrend({ view, now }: { view: AgencyView; now: number }) {
  const state = view.state;
  const period = lastDays(30, now);
  const series = balanceSeries(state, view.observations ?? [], period);
  const spent = spentInMonth(state, monthKey(now, state.timeZone), view.me);
  const reserved = reservedNextMonth(state);
  return (
    <div class="balance-trend" data-testid="balance-trend">
      <BalanceChart
        points={series.points}
        period={period}
        now={now}
        reserved={null}
        compact
        height={48}
        label={`Agency balance over the last 30 days: from ${connects(series.start)} to ${connects(series.end)}.`}
      />
      <p class="spent-month" data-testid="spent-this-month">
        Spent this month: {connects(spent.agency)}
        {spent.mine && spent.mine !== spent.agency ? ` (${connects(spent.mine)} by you)` : ''}
        {reserved ? `; ${connects(reserved)} reserved for next month's allowances` : ''}.
      </p>
    </div>
  );
}
