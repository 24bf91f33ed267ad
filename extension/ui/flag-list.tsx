// Flagged facts (P1 overdraft, P4 allowance, R7…): a member sees their own, business managers see all.
import type { Verdict } from '../../core/lite.ts';
import type { AgencyView } from '../messaging/types.ts';
import { meOf } from './permissions.ts';
import { RuleRef } from './rule-ref.tsx';

export function visibleFlags(view: AgencyView): Verdict[] {
  const manager = meOf(view)?.role === 'manager';
  return view.state.verdicts.filter((v) => v.kind === 'flagged' && (manager || v.actor === view.me));
}

export function FlagList({ view, limit = 5 }: { view: AgencyView; limit?: number }) {
  const flags = visibleFlags(view).slice(-limit).reverse();
  if (!flags.length) return null;
  const nameOf = (id: string) => view.state.members[id]?.name ?? 'a former member';
  return (
    <section class="card flags" aria-labelledby="flags-title">
      <h2 id="flags-title">Flags</h2>
      <ul aria-label="Flags">
        {flags.map((v) => (
          <li key={`${v.id}:${v.code}`}>
            {v.actor === view.me ? 'You' : nameOf(v.actor)}: {v.message}
            <RuleRef rule={v.rule} />
          </li>
        ))}
      </ul>
    </section>
  );
}
