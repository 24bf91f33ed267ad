// The team: each active member's name, role, relationship and default team (R9, as Upwork shows it).
import type { Member, MemberId } from '../../core/lite.ts';
import { relationshipLabel, roleLabel, teamLabel } from './format.ts';

export function TeamList({ members, me }: { members: Member[]; me: MemberId }) {
  const active = members.filter((m) => m.status === 'active');
  const former = members.filter((m) => m.status !== 'active');
  return (
    <section class="card" aria-labelledby="team-title">
      <h2 id="team-title">Team</h2>
      <ul class="team" aria-label="Team members">
        {active.map((m) => (
          <li key={m.id} data-member={m.id}>
            <span class="name">
              {m.name}
              {m.id === me ? ' (you)' : ''}
            </span>{' '}
            <span class="tags">
              {roleLabel(m.role)} · {relationshipLabel(m.relationship)}
              {m.relationship === 'non-exclusive' ? ` · default team: ${teamLabel(m.defaultTeam)}` : ''}
              {m.allowance !== null ? ` · allowance ${m.allowance}/month` : ''}
            </span>
          </li>
        ))}
      </ul>
      {former.length ? (
        <p class="muted">
          Former members (their history stays): {former.map((m) => `${m.name} (${m.status})`).join(', ')}
        </p>
      ) : null}
    </section>
  );
}
