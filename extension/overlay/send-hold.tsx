// The member clicked Send while a warning stands: the click was held once. The member decides — fix it (or go
// back to the form), or send anyway (which only lets their next click on Send through: the overlay never
// sends for them).
import { RuleDetail } from '../ui/rule-ref.tsx';
import { formRuleTitle } from '../ui/rules.ts';
import { fixLabel } from './warning-list.tsx';
import type { Fix, Warning } from './warnings.ts';

export interface SendHoldProps {
  warnings: Warning[];
  agencyName: string;
  onFix: (fix: Fix) => void;
  onSendAnyway: () => void;
}

/** A stable callback ref: Preact calls it once when the button mounts, so focus moves to the dialog once. */
const focusOnMount = (el: HTMLButtonElement | null): void => el?.focus();

export function SendHold({ warnings, agencyName, onFix, onSendAnyway }: SendHoldProps) {
  const fix = warnings.find((w) => w.fix)?.fix ?? null;
  return (
    <div
      class="hold"
      role="alertdialog"
      aria-labelledby="ao-hold-title"
      aria-describedby="ao-hold-body"
      data-testid="send-hold"
    >
      <h3 id="ao-hold-title">Before you send</h3>
      <ul id="ao-hold-body">
        {warnings.map((w) => (
          <li key={w.code}>
            {w.sentence}
            <RuleDetail rule={w.rule} title={formRuleTitle(w.rule)} />
          </li>
        ))}
      </ul>
      <div class="actions">
        <button
          type="button"
          class="primary"
          ref={focusOnMount}
          onClick={() => onFix(fix)}
          data-testid="hold-fix"
        >
          {fix === 'agency'
            ? `Fix it: propose as ${agencyName}`
            : fix === 'independent'
              ? 'Fix it: propose independently instead'
              : fixLabel(null, agencyName)}
        </button>
        <button type="button" onClick={onSendAnyway} data-testid="hold-send-anyway">
          Send anyway
        </button>
      </div>
    </div>
  );
}
