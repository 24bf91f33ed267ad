// P5: who in the agency already proposed on a job, and when, before anyone spends Connects on it again.
import type { AgencyState, MemberId, ProposeAs } from '../../core/lite.ts';

export interface JobProposal {
  id: string;
  member: MemberId;
  name: string;
  you: boolean;
  as: ProposeAs;
  /** Connects plus boost; an independent proposal spends the member's own. */
  cost: number;
  at: number;
  /** Who recorded it, when a business manager sent it for the member. */
  recordedBy: string | null;
}

const nameOf = (state: AgencyState, id: MemberId): string => state.members[id]?.name ?? 'A former member';

/** Every proposal recorded on `jobKey`, newest first. */
export function proposalsOnJob(state: AgencyState, jobKey: string, me: MemberId | null): JobProposal[] {
  const key = jobKey.toLowerCase();
  return state.proposals
    .filter((p) => p.job.toLowerCase() === key)
    .map((p) => ({
      id: p.id,
      member: p.member,
      name: nameOf(state, p.member),
      you: p.member === me,
      as: p.as,
      cost: p.connects + p.boost,
      at: p.at,
      recordedBy: p.recordedBy !== p.member ? nameOf(state, p.recordedBy) : null,
    }))
    .sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1));
}

/** "Ana proposed on this job" / "You and Ana proposed on this job" / "Ana, Ben and 2 others proposed…". */
export function whoProposed(list: readonly JobProposal[]): string {
  const names: string[] = [];
  for (const p of list) {
    const name = p.you ? 'You' : p.name;
    if (!names.includes(name)) names.push(name);
  }
  // "You" first reads best; the rest keep newest-first order.
  names.sort((a, b) => (a === 'You' ? -1 : b === 'You' ? 1 : 0));
  if (names.length === 0) return '';
  const shown =
    names.length <= 3
      ? names.length === 1
        ? names[0]
        : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
      : `${names.slice(0, 2).join(', ')} and ${names.length - 2} others`;
  return `${shown} proposed on this job`;
}
