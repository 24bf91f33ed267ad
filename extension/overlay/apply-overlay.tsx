// The overlay beside Upwork's proposal settings: propose as, Connects, teammates on this job, the warnings
// before Send and the held Send. Presentational: the controller (apply-session.ts) owns the page and the
// background, and passes everything in.
import type { ProposeAs } from '../../core/lite.ts';
import { ConnectsPanel } from './connects-panel.tsx';
import type { ProposalPlan } from './proposal-plan.ts';
import { ProposeAsPanel } from './propose-as-panel.tsx';
import { SendHold } from './send-hold.tsx';
import type { JobProposal } from './teammates.ts';
import { TeammatesPanel } from './teammates-panel.tsx';
import { WarningList } from './warning-list.tsx';
import type { Fix, Warning } from './warnings.ts';

/** What happened to the last send, as the member reads it. */
export type SendNote =
  | { kind: 'armed'; sendLabel: string }
  | { kind: 'recording' }
  | { kind: 'recorded'; text: string; flags: { rule: string; message: string }[] }
  | { kind: 'not-recorded'; text: string };

export interface ApplyOverlayProps {
  plan: ProposalPlan;
  warnings: Warning[];
  teammates: JobProposal[];
  now: number;
  /** The warnings a held Send click waits on; null when no click is held. */
  hold: Warning[] | null;
  note: SendNote | null;
  /** Parts of the form the reader could not see (the overlay still works without them). */
  unread: string[];
  onChoose: (as: ProposeAs) => void;
  onFix: (fix: Fix) => void;
  onSendAnyway: () => void;
}

function Note({ note }: { note: SendNote }) {
  switch (note.kind) {
    case 'armed':
      return (
        <p class="note" data-testid="send-note">
          Click “{note.sendLabel}” again to send. The overlay never sends for you.
        </p>
      );
    case 'recording':
      return (
        <p class="note" data-testid="send-note">
          Upwork confirmed the proposal; recording it for the agency…
        </p>
      );
    case 'recorded':
      return (
        <div class="note" data-testid="send-note">
          <p>{note.text}</p>
          {note.flags.length ? (
            <ul aria-label="Flagged for the business managers">
              {note.flags.map((f) => (
                <li key={f.rule + f.message}>
                  <strong class="rule">{f.rule}</strong> Flagged for the business managers: {f.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      );
    case 'not-recorded':
      return (
        <p class="note" data-testid="send-note">
          {note.text}
        </p>
      );
  }
}

export function ApplyOverlay(props: ApplyOverlayProps) {
  const { plan, warnings, hold } = props;
  const gone = plan.me && plan.me.status !== 'active';
  return (
    <section class="overlay" aria-label={`${plan.agencyName} — Agency Overlay`} data-testid="apply-overlay">
      <header>
        <span class="brand">Agency Overlay</span>
        <span class="agency">{plan.agencyName}</span>
      </header>
      {gone ? (
        <p class="notice" data-testid="member-gone">
          <strong class="rule">P6</strong> You are no longer a member of {plan.agencyName}: nothing from this
          form is recorded for the agency.
        </p>
      ) : null}
      {hold ? (
        <SendHold
          warnings={hold}
          agencyName={plan.agencyName}
          onFix={props.onFix}
          onSendAnyway={props.onSendAnyway}
        />
      ) : (
        <WarningList warnings={warnings} agencyName={plan.agencyName} onFix={props.onFix} />
      )}
      {props.note ? <Note note={props.note} /> : null}
      <div class="panels">
        <ProposeAsPanel plan={plan} onChoose={props.onChoose} />
        <ConnectsPanel plan={plan} />
        <TeammatesPanel proposals={props.teammates} now={props.now} />
      </div>
      {props.unread.length ? (
        <p class="muted small" data-testid="unread">
          Not shown on this form: {props.unread.join(', ')}.
        </p>
      ) : null}
    </section>
  );
}
