// The warnings before Send, each a sentence about this form (its rule a small detail) and, where one exists,
// a one-click fix that changes Upwork's control (only on this click). The list can take focus, so a member
// who closes the held Send lands back here rather than on the page's body.
import { RuleDetail } from '../ui/rule-ref.tsx';
import { formRuleTitle } from '../ui/rules.ts';
import type { Fix, Warning } from './warnings.ts';

export function fixLabel(fix: Fix, agencyName: string): string {
  if (fix === 'agency') return `Propose as ${agencyName}`;
  if (fix === 'independent') return 'Propose independently instead';
  return 'Go back to the form';
}

export function WarningList(props: { warnings: Warning[]; agencyName: string; onFix: (fix: Fix) => void }) {
  const { warnings, agencyName, onFix } = props;
  // The region stays mounted so a screen reader announces warnings as they appear.
  return (
    <div aria-live="polite" data-testid="warnings">
      {warnings.length ? (
        <ul class="warnings" aria-label="Before you send" tabIndex={-1} data-focus-after-hold="">
          {warnings.map((w) => (
            <li key={w.code} class="warning" data-rule={w.rule} data-testid={`warning-${w.rule}`}>
              <p>{w.sentence}</p>
              <RuleDetail rule={w.rule} title={formRuleTitle(w.rule)} />
              {w.fix ? (
                <button type="button" class="fix" onClick={() => onFix(w.fix)}>
                  {fixLabel(w.fix, agencyName)}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
