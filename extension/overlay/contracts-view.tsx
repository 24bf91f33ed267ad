// Beside Upwork's contracts list: per contract, the agency's rules for it (R4 milestones, R5 time, R6 paid to
// the agency, R8 a member's own). Presentational: contracts-facts.ts decides.
import type { ListedContract } from '../features/upwork-page/read-contracts.ts';
import { contractLines } from './contracts-facts.ts';
import { WorkFrame } from './work-frame.tsx';
import type { PageContext } from './work-page.ts';

export function ContractsView({ contracts, ctx }: { contracts: ListedContract[]; ctx: PageContext }) {
  const view = ctx.view;
  return (
    <WorkFrame ctx={ctx} testId="contracts-overlay">
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
