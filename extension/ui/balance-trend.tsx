// Under the popup's balance: the agency's balance over the last 30 days — from the agency's start when it is
// younger (before it there was no balance to draw, not a balance of 0) — as a sparkline whose caption says
// what it is, over which days, and the balance now; the caption is also its text for screen readers. Then
// what the agency (and the member) spent this month, boosts included, as Insights counts it.
import { agencyStart, balanceSeries, lastDays, monthKey, sinceStart, spentInMonth } from '../../core/lite.ts';
import type { AgencyView } from '../messaging/types.ts';
import { BalanceChart } from './balance-chart.tsx';
import { SPENT_LABEL } from './connects-words.ts';
import { connects, dayText } from './format.ts';
import './insights.css';

export function BalanceTrend({ view, now }: { view: AgencyView; now: number }) {
  const state = view.state;
  const observations = view.observations ?? [];
  const last30 = lastDays(30, now);
  const period = sinceStart(last30, agencyStart(state, observations));
  const series = balanceSeries(state, observations, period);
  const spent = spentInMonth(state, monthKey(now, state.timeZone), view.me);
  const since =
    period.from === last30.from
      ? 'last 30 days'
      : `since the agency began, ${dayText(period.from, now, state.timeZone)}`;
  return (
    <div class="balance-trend" data-testid="balance-trend">
      <figure class="sparkline">
        <BalanceChart
          points={series.points}
          period={period}
          now={now}
          reserved={null}
          compact
          height={48}
          label={{ captionId: 'sparkline-caption' }}
        />
        <figcaption id="sparkline-caption" data-testid="sparkline-caption">
          Balance, {since}: {connects(series.start)} → <strong>{connects(series.end)}</strong> now
        </figcaption>
      </figure>
      <p class="spent-month" data-testid="spent-this-month">
        {SPENT_LABEL} this month: {connects(spent.agency)}
        {spent.mine && spent.mine !== spent.agency ? ` (${connects(spent.mine)} by you)` : ''}
      </p>
    </div>
  );
}
