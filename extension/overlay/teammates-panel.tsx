// P5: teammates on this job — who in the agency already proposed on it and when, as the agency or
// independently — before anyone spends Connects again.
import { connects, dateTime, timeAgo } from '../ui/format.ts';
import type { JobProposal } from './teammates.ts';
import { whoProposed } from './teammates.ts';

export function proposalLine(p: JobProposal, now: number, timeZone?: string): string {
  const how = p.as === 'agency' ? `as the agency — ${connects(p.cost)}` : 'independently';
  const by = p.recordedBy ? ` (sent by ${p.recordedBy})` : '';
  return `${p.you ? 'You' : p.name} proposed ${how}${by}, ${timeAgo(p.at, now)} (${dateTime(p.at, timeZone)})`;
}

export function TeammatesPanel(props: { proposals: JobProposal[]; now: number; timeZone?: string }) {
  const { proposals, now, timeZone } = props;
  return (
    <section class="panel" aria-labelledby="ao-teammates" data-testid="teammates">
      <h3 id="ao-teammates">Teammates on this job</h3>
      {proposals.length === 0 ? (
        <p class="muted">No one in the agency has proposed on this job yet.</p>
      ) : (
        <>
          <p class={proposals.some((p) => !p.you) ? 'notice' : 'muted'} data-testid="teammates-summary">
            {whoProposed(proposals)}.
          </p>
          <ul aria-label="Proposals on this job">
            {proposals.map((p) => (
              <li key={p.id}>{proposalLine(p, now, timeZone)}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
