// The overlay beside Upwork's proposal settings: propose as, Connects, teammates on this job, the warnings
// before Send and the held Send; once a send is recorded, the state after it instead of another projection.
// Presentational: the controller (apply-session.ts) owns the page and the background, and passes everything in.
import type { ProposeAs } from '../../core/lite.ts';
import { ConnectsPanel } from './connects-panel.tsx';
import type { ProposalPlan } from './proposal-plan.ts';
import { ProposeAsPanel } from './propose-as-panel.tsx';
import { SendHold } from './send-hold.tsx';
import { SentPanel, type SentProposal } from './sent-panel.tsx';
import type { JobProposal } from './teammates.ts';
import { TeammatesPanel } from './teammates-panel.tsx';
import { WarningList } from './warning-list.tsx';
import type { Fix, Warning } from './warnings.ts';

/** What happened to the last click on Send that did not (yet) send, as the member reads it. */
export type SendNote = { kind: 'armed'; sendLabel: string } | { kind: 'not-sent'; text: string };

export interface ApplyOverlayProps {
  plan: ProposalPlan;
  warnings: Warning[];
  teammates: JobProposal[];
  now: number;
  /** The warnings a held Send click waits on; null when no click is held. */
  hold: Warning[] | null;
  note: SendNote | null;
  /** The proposal Upwork confirmed on this page view; from then on the overlay shows the state after it. */
  sent: SentProposal | null;
  /** Parts of the form the reader could not see (the overlay still works without them). */
  unread: string[];
  onChoose: (as: ProposeAs) => void;
  onFix: (fix: Fix) => void;
  onSendAnyway: () => void;
}

function Note({ note }: { note: SendNote }) {
  return (
    <p class="note" data-testid="send-note">
      {note.kind === 'armed'
        ? `Click “${note.sendLabel}” again to send. The overlay never sends for you.`
        : note.text}
    </p>
  );
}

export function ApplyOverlay(props: ApplyOverlayProps) {
  const { plan, warnings, hold, sent } = props;
  return (
    <section
      class="overlay"
      aria-label={`${plan.agencyName} — Agency Overlay`}
      data-testid="apply-overlay"
      tabIndex={-1}
      data-focus-after-hold=""
    >
      <header>
        <span class="brand">Agency Overlay</span>
        <span class="agency">{plan.agencyName}</span>
      </header>
      {sent ? (
        <SentPanel sent={sent} plan={plan} />
      ) : hold ? (
        <SendHold
          warnings={hold}
          agencyName={plan.agencyName}
          onFix={props.onFix}
          onSendAnyway={props.onSendAnyway}
        />
      ) : (
        <WarningList warnings={warnings} agencyName={plan.agencyName} onFix={props.onFix} />
      )}
      {props.note && !sent ? <Note note={props.note} /> : null}
      <div class="panels">
        {sent ? null : <ProposeAsPanel plan={plan} onChoose={props.onChoose} />}
        {sent ? null : <ConnectsPanel plan={plan} />}
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
