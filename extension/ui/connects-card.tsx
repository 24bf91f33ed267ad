// The agency's shared Connects: the balance, where the number comes from (domain.md "How the Connects
// numbers fit together"), what is free for the team and the member's own allowance (P4).
import type { ComponentChildren } from 'preact';
import type { ConnectsSummary } from '../../core/lite.ts';
import { RESERVED_LABEL } from './connects-words.ts';
import { asOfText, connects, dateTime, signed } from './format.ts';

export function ConnectsCard({
  summary,
  timeZone,
  cached,
  now = Date.now(),
  children,
}: {
  summary: ConnectsSummary;
  timeZone?: string;
  /** Set while the figures come from the snapshot a restarted worker read before the stored doc. */
  cached?: { at: number | null } | undefined;
  now?: number;
  /** Shown under the balance (the popup's sparkline and "spent this month"). */
  children?: ComponentChildren;
}) {
  const { observed, since } = summary;
  return (
    <section class="card" aria-labelledby="connects-title">
      <h2 id="connects-title">Agency Connects</h2>
      <p class="balance">
        <strong data-testid="balance">{summary.balance.toLocaleString('en-US')}</strong>{' '}
        <span>Connect{summary.balance === 1 ? '' : 's'}</span>
      </p>
      {cached ? (
        <p class="muted" role="status" data-testid="as-of">
          {asOfText(cached.at, now, timeZone)}
        </p>
      ) : null}
      {children}
      <p class="muted">
        {observed
          ? `${observed.source === 'page' ? 'Upwork showed' : 'A business manager entered'} ${connects(observed.value)} on ${dateTime(observed.at, timeZone)}`
          : 'No balance seen on Upwork yet'}
        ; since then {signed(-since.spent)} spent, {signed(since.refunded)} refunded,{' '}
        {signed(since.purchased)} purchased.
      </p>
      {observed?.drift ? (
        <p class="notice">
          Upwork's number differed from what the agency's log predicted by {signed(observed.drift)}.
        </p>
      ) : null}
      <dl class="facts">
        <dt>Available to the team</dt>
        <dd data-testid="available">{connects(summary.availableToTeam)}</dd>
        {summary.reserved > 0 ? (
          <>
            <dt>{RESERVED_LABEL}</dt>
            <dd data-testid="reserved">{connects(summary.reserved)}</dd>
          </>
        ) : null}
        <dt>Your allowance this month</dt>
        <dd data-testid="allowance">
          {summary.allowance === null
            ? "No monthly allowance: you draw on the team's pool"
            : `${connects(summary.allowanceLeft ?? 0)} left of ${summary.allowance}`}
        </dd>
      </dl>
    </section>
  );
}
