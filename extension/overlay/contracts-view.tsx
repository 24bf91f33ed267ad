// Beside Upwork's contracts list: per contract, the agency's rules for it (R4 milestones, R5 time, R6 paid to
// the agency, R8 a member's own). Presentational: contracts-facts.ts decides.
import type { ListedContract } from '../features/upwork-page/read-contracts.ts';
import { contractLines } from './contracts-facts.ts';
import { whosePage } from './whose-page.ts';
import { WorkFrame } from './work-frame.tsx';
import type { PageContext } from './work-page.ts';

/** Whose list this is, when that decides what is recorded (contracts-facts.ts); null when nothing to say. */
export function whoseLine(account: string | null, ctx: PageContext): string | null {
  const view = ctx.view;
  if (!view) return null;
  const manager = view.state.members[view.me]?.role === 'manager';
  const agency = view.state.name;
  switch (whosePage(account, view, ctx.overview)) {
    case 'own':
      return manager
        ? 'Your own contracts: recorded with their rates, which only business managers can read (D15).'
        : null;
    case 'another-agency':
      return `Upwork’s account menu names “${account}”, another of your agencies: nothing on this list is recorded for ${agency}.`;
    case 'agency':
      return manager
        ? `${agency}’s contracts list: each contract is recorded from its freelancer’s own list, not from here.`
        : null;
    case 'other':
      return manager
        ? `Upwork’s account menu names “${account}”, neither you nor ${agency}: nothing on this list is recorded. Your own contracts are recorded from your own account’s list.`
        : null;
    case 'unknown':
      return manager
        ? 'Upwork’s account menu was not found, so whose list this is cannot be told: nothing on it is recorded. Your own contracts are recorded from your own account’s list.'
        : null;
  }
}

export function ContractsView({
  contracts,
  account,
  ctx,
}: {
  contracts: ListedContract[];
  account: string | null;
  ctx: PageContext;
}) {
  const view = ctx.view;
  const whose = whoseLine(account, ctx);
  return (
    <WorkFrame ctx={ctx} testId="contracts-overlay">
      {whose ? (
        <p class="small muted" data-testid="contracts-whose">
          {whose}
        </p>
      ) : null}
      {view ? (
        <ul class="small" aria-label="Contracts" data-testid="contracts">
          {contracts.map((c) => {
            const { member, disputed, lines } = contractLines(c, view);
            return (
              <li key={c.id} data-testid={`contract-${c.id}`}>
                <strong>{c.title}</strong>
                {member && member !== 'you' ? ` — ${member}’s` : ''}
                {member === null && !disputed && view.state.members[view.me]?.role === 'manager'
                  ? ' — not in the agency’s log yet'
                  : ''}
                : {lines.map((l) => l.text).join(' ')}
              </li>
            );
          })}
        </ul>
      ) : null}
    </WorkFrame>
  );
}
