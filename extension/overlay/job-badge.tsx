// On a job page or the find-work slide-over: a small badge when someone in the agency already proposed (P5).
import { timeAgo } from '../ui/format.ts';
import { type JobProposal, whoProposed } from './teammates.ts';

export function JobBadge(props: { agencyName: string; proposals: JobProposal[]; now: number }) {
  const { proposals, now, agencyName } = props;
  if (proposals.length === 0) return null;
  const latest = proposals[0]!;
  return (
    <p class="badge" role="status" data-testid="job-badge" title={`${agencyName} · Agency Overlay`}>
      <strong>{whoProposed(proposals)}</strong>{' '}
      <span class="muted">
        · {latest.as === 'agency' ? 'as the agency' : 'independently'}, {timeAgo(latest.at, now)}
      </span>
    </p>
  );
}
