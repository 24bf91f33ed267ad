// The Insights view of the agency pages (issue 12): for a month or the last 30/90 days, the balance over
// time, per member (Connects spent, proposals, offers, offer rate, boosts, duplicates) and per job (who
// proposed, when, for how much, duplicates P5 marked as wasted), with CSV exports. A business manager sees
// every row; a plain member the agency-wide figures and their own row and jobs. No amounts anywhere (D15).
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import {
  agencyStart,
  type Insights,
  insights,
  lastDays,
  monthKey,
  monthPeriod,
  movementsCsv,
  offersCsv,
  type Period,
  proposalsCsv,
} from '../../core/lite.ts';
import type { AgencyView } from '../messaging/types.ts';
import { BalanceChart } from './balance-chart.tsx';
import { BalanceTable, balanceSentence } from './balance-table.tsx';
import { BoostOutcomesLine } from './boost-outcomes.tsx';
import { SPENT_LABEL } from './connects-words.ts';
import type { Download } from './download.ts';
import { connects, dateTime, dayText } from './format.ts';
import { JobsTable } from './insights-jobs.tsx';
import './insights.css';

export type PeriodChoice = { kind: 'month'; month: string } | { kind: 'days'; days: 30 | 90 };

/** "December 2026" for "2026-12". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(y, m - 1, 15),
  );
}

/**
 * The months from the agency's start (`since`; null: this month alone) to this month, the newest first: a
 * month before the agency existed has nothing to show.
 */
export function agencyMonths(now: number, timeZone: string, since: number | null): string[] {
  const first = monthKey(Math.min(since ?? now, now), timeZone);
  const months: string[] = [];
  for (let m = monthKey(now, timeZone); m >= first; m = previousMonth(m)) months.push(m);
  return months;
}

/** The month before `month` ("2027-01" → "2026-12"). */
function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function periodOf(choice: PeriodChoice, now: number, timeZone: string): Period {
  return choice.kind === 'month' ? monthPeriod(choice.month, timeZone) : lastDays(choice.days, now);
}

const choiceValue = (c: PeriodChoice) => (c.kind === 'month' ? c.month : `days-${c.days}`);
const parseChoice = (v: string): PeriodChoice =>
  v === 'days-30' || v === 'days-90'
    ? { kind: 'days', days: Number(v.slice(5)) as 30 | 90 }
    : { kind: 'month', month: v };

const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
const count = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export function InsightsSection(props: { view: AgencyView; now: number; download?: Download }) {
  const { view, now } = props;
  const state = view.state;
  const tz = state.timeZone;
  const [choice, setChoice] = useState<PeriodChoice>({ kind: 'month', month: monthKey(now, tz) });
  const observations = view.observations ?? [];
  const asked = periodOf(choice, now, tz);
  const since = agencyStart(state, observations);
  const ins: Insights = useMemo(
    () => insights(state, observations, asked, view.me),
    [state, observations, asked.from, asked.to, view.me],
  );
  // insights() starts the period at the agency's start when it began later: the exports cover the same.
  const period = ins.period;
  const chosenText = choice.kind === 'month' ? monthLabel(choice.month) : `the last ${choice.days} days`;
  const periodText =
    period.from > asked.from
      ? `${chosenText} (since the agency began, ${dayText(period.from, now, tz)})`
      : chosenText;
  const fileTag = choice.kind === 'month' ? choice.month : `last-${choice.days}-days`;
  const save = (name: string, text: string) =>
    props.download?.(`${name}-${fileTag}.csv`, text, 'text/csv;charset=utf-8');
  const t = ins.totals;
  return (
    <section class="card insights" aria-labelledby="insights-title" id="insights">
      <h2 id="insights-title">Insights</h2>
      <div class="row">
        <label>
          Period{' '}
          <select value={choiceValue(choice)} onChange={(e) => setChoice(parseChoice(e.currentTarget.value))}>
            {agencyMonths(now, tz, since).map((m) => (
              <option key={m} value={m}>
                {monthLabel(m)}
              </option>
            ))}
            <option value="days-30">Last 30 days</option>
            <option value="days-90">Last 90 days</option>
          </select>
        </label>
      </div>
      <p class="muted">
        Times in the agency's time zone ({tz}). From {dateTime(period.from, tz)} to{' '}
        {dateTime(Math.min(period.to, now + 1) - 1, tz)}.
        {ins.everyRow
          ? ''
          : ' You see the agency’s totals and your own figures; business managers see every member’s.'}
      </p>
      <dl class="pairs" data-testid="insights-totals">
        <Pair label="Balance" testId="insights-balance">
          {connects(ins.balance.start)} → {connects(ins.balance.end)}
        </Pair>
        <Pair label={SPENT_LABEL} testId="insights-spent">
          {connects(t.spent)}, of which {connects(t.boost)} on boosts
        </Pair>
        <Pair label="Purchased and refunded">
          {connects(ins.balance.purchased)} purchased, {connects(ins.balance.refunded)} refunded
        </Pair>
        <Pair label="Proposals" testId="insights-proposals">
          {count(t.agencyProposals, 'as the agency', 'as the agency')},{' '}
          {count(t.independentProposals, 'independently', 'independently')}
        </Pair>
        <Pair label="Offers" testId="insights-offers">
          {count(t.offers, 'offer')}; offer rate {percent(t.offerRate)} of agency proposals
        </Pair>
        <Pair label="Duplicates (P5)" testId="insights-wasted">
          {t.duplicates
            ? `${count(t.duplicates, 'duplicate agency proposal')}: ${connects(t.wasted)} wasted`
            : 'None: nobody proposed twice as the agency on one job'}
        </Pair>
        <Pair label="Next month's allowances will reserve" testId="insights-reserved">
          {connects(ins.reservedNextMonth)}
        </Pair>
      </dl>
      <figure class="chart">
        <BalanceChart
          points={ins.balance.points}
          period={period}
          now={now}
          reserved={ins.reservedNextMonth || null}
          label={balanceSentence(ins, periodText)}
        />
        <figcaption class="muted">
          <span class="key key-line" aria-hidden="true" /> balance after each movement ·{' '}
          <span class="key key-observation" aria-hidden="true" /> balance Upwork showed ·{' '}
          <span class="key key-purchase" aria-hidden="true" /> purchase ·{' '}
          <span class="key key-refund" aria-hidden="true" /> refund
          {ins.reservedNextMonth ? (
            <>
              {' '}
              · <span class="key key-reserved" aria-hidden="true" /> reserved for next month's allowances
            </>
          ) : null}
        </figcaption>
      </figure>
      <BalanceTable ins={ins} timeZone={tz} />
      <MembersInsightTable ins={ins} me={view.me} />
      <JobsTable ins={ins} timeZone={tz} />
      <div class="row">
        <span>Export {periodText} as CSV:</span>
        <button
          type="button"
          class="secondary"
          onClick={() => save('proposals', proposalsCsv(state, period, view.me))}
        >
          Proposals
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => save('connects-movements', movementsCsv(state, observations, period))}
        >
          Connects movements
        </button>
        <button type="button" class="secondary" onClick={() => save('offers', offersCsv(state, view.me))}>
          Offers
        </button>
      </div>
    </section>
  );
}

/** A label and its figure, kept together however the row wraps (a dl's div groups them). */
function Pair(props: { label: string; testId?: string; children: ComponentChildren }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.children}</dd>
    </div>
  );
}

function MembersInsightTable({ ins, me }: { ins: Insights; me: string }) {
  return (
    <table class="stacks insights-table insights-wide" data-testid="insights-members">
      <caption>{ins.everyRow ? 'Per member' : 'Your figures'}</caption>
      <thead>
        <tr>
          <th scope="col">Member</th>
          <th scope="col">{SPENT_LABEL}</th>
          <th scope="col">Of which on boosts</th>
          <th scope="col">As the agency</th>
          <th scope="col">Independently</th>
          <th scope="col">Offers</th>
          <th scope="col">Offer rate</th>
          <th scope="col">Boosted (won an offer)</th>
          <th scope="col">Duplicates</th>
        </tr>
      </thead>
      <tbody>
        {ins.members.map((r) => (
          <tr key={r.member} data-member={r.member}>
            <th scope="row">
              {r.name}
              {r.member === me ? ' (you)' : ''}
            </th>
            <td data-label={SPENT_LABEL}>{r.spent}</td>
            <td data-label="Of which on boosts">{r.boost}</td>
            <td data-label="As the agency">{r.agencyProposals}</td>
            <td data-label="Independently">{r.independentProposals}</td>
            <td data-label="Offers">{r.offers}</td>
            <td data-label="Offer rate">{percent(r.offerRate)}</td>
            <td data-label="Boosted (won an offer)">
              {r.boosted} ({r.boostedWithOffer})
              <BoostOutcomesLine outcomes={r.outcomes} />
            </td>
            <td data-label="Duplicates" class={r.duplicates ? 'wasted' : undefined}>
              {r.duplicates ? `${r.duplicates} (${connects(r.wasted)} wasted)` : '0'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
