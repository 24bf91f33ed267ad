// The sentence that says why controls are disabled, about the member's situation (refusal-text.ts), linked to
// them with aria-describedby; the rule's id is a small detail after it, never the headline.
import type { Allowed } from './permissions.ts';
import { refusalSentence } from './refusal-text.ts';
import { RuleRef } from './rule-ref.tsx';

export function DisabledReason({ id, allowed, doing }: { id: string; allowed: Allowed; doing?: string }) {
  if (allowed.ok) return null;
  return (
    <div class="reason">
      <p id={id}>{refusalSentence(allowed, doing)}</p>
      <RuleRef rule={allowed.rule} />
    </div>
  );
}
