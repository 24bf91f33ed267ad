// The rule behind a sentence, as a small secondary detail: a member reads the sentence about their situation;
// the rule's id (domain.md) is there for whoever asks "why?", never the headline. Ids that name no agency
// rule (REQUEST, SERVER, LOG, STORAGE…) are the extension's own bookkeeping and are not shown at all.
import { ruleTitle } from './rules.ts';

/** The detail itself, given the rule's few words (the overlay passes its own, smaller list's). */
export function RuleDetail({ rule, title }: { rule: string; title: string | null }) {
  if (!title) return null;
  return (
    <small class="rule-ref">
      Rule {rule} · {title}
    </small>
  );
}

export function RuleRef({ rule }: { rule: string }) {
  return <RuleDetail rule={rule} title={ruleTitle(rule)} />;
}
