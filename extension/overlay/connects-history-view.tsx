// Beside Upwork's Connects history: the agency's balance as its log sees it next to Upwork's, the difference
// explained, and what became of each "Refunded…" row (D9). Presentational: connects-history-facts.ts decides.
import type { ConnectsRow } from '../features/upwork-page/read-connects-history.ts';
import type { AgencyView } from '../messaging/types.ts';
import { connects } from '../ui/format.ts';
import {
  type ConnectsHistoryPage,
  refundStatus,
  type Whose,
  whoseHistory,
} from './connects-history-facts.ts';
import { WorkFrame } from './work-frame.tsx';
import type { PageContext } from './work-page.ts';

function difference(page: ConnectsHistoryPage, view: AgencyView, whose: Whose): string {
  const agency = view.state.name;
  if (whose === 'other')
    return `This is the history of ${page.account}, not ${agency}’s: Connects never move between the two accounts, so nothing here is recorded for the agency.`;
  if (whose === 'unknown')
    return `The page does not say whose history it is, so nothing is recorded. Switch Upwork to ${agency} to see the agency’s.`;
  if (page.balance === null) return 'Upwork’s balance is not on this page.';
  const diff = page.balance - view.state.balance;
  if (diff === 0) return 'Upwork and the agency’s log agree.';
  const pending = page.rows.filter((r) => r.kind === 'refund' && refundStatus(r, view).kind === 'to-record');
  if (pending.length > 0) return 'Recording the refunds below, then Upwork’s balance.';
  return `Upwork shows ${connects(Math.abs(diff))} ${diff > 0 ? 'more' : 'fewer'} than the log: Connects spent or bought outside the overlay. Upwork’s number is recorded as the balance.`;
}

function refundLine(row: ConnectsRow, view: AgencyView, whose: Whose): string {
  const what = `Refunded ${connects(row.delta)}${row.title ? ` for “${row.title}”` : ''}`;
  if (whose !== 'agency') return `${what}: not recorded.`;
  const status = refundStatus(row, view);
  switch (status.kind) {
    case 'recorded':
      return `${what}: in the agency’s log.`;
    case 'to-record':
      return `${what}: recording…`;
    case 'not-agency':
      return `${what}: no one proposed on this job as the agency, so it is not the pool’s (D9).`;
    case 'no-job':
      return `${what}: the row names no job the agency knows, so it is not recorded.`;
    case 'no-date':
      return `${what}: the row shows no date, so it is not recorded.`;
  }
}

export function ConnectsHistoryView({ page, ctx }: { page: ConnectsHistoryPage; ctx: PageContext }) {
  const view = ctx.view;
  const whose = view ? whoseHistory(page, view) : 'unknown';
  const refunds = page.rows.filter((r) => r.kind === 'refund');
  return (
    <WorkFrame ctx={ctx} testId="connects-history">
      {view ? (
        <>
          <dl class="facts">
            <dt>Upwork shows</dt>
            <dd data-testid="upwork-balance">{page.balance === null ? '—' : connects(page.balance)}</dd>
            <dt>The agency’s log</dt>
            <dd data-testid="log-balance">{connects(view.state.balance)}</dd>
          </dl>
          <p class="muted" data-testid="balance-difference">
            {difference(page, view, whose)}
          </p>
          {refunds.length ? (
            <ul class="small" aria-label="Refunds on this page" data-testid="refunds">
              {refunds.map((r) => (
                <li key={`${r.on}|${r.jobKey ?? r.title}|${r.delta}`}>{refundLine(r, view, whose)}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </WorkFrame>
  );
}
