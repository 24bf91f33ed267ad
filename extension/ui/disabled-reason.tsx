// The sentence that says why controls are disabled (P3, P6…), linked to them with aria-describedby; the rule's
// id is a small detail after it, never the headline.
import type { Allowed } from './permissions.ts';
import { RuleRef } from './rule-ref.tsx';

export function DisabledReason({ id, allowed }: { id: string; allowed: Allowed }) {
  if (allowed.ok) return null;
  return (
    <div class="reason">
      <p id={id}>{allowed.message}</p>
      <RuleRef rule={allowed.rule} />
    </div>
  );
}
