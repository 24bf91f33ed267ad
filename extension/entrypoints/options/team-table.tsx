// The team as a plain member sees it on the agency pages: who is in the agency, their role, relationship and
// monthly allowance, read-only, and who to ask for changes (P2: business managers manage members).

import type { AgencyView } from '../../messaging/types.ts';
import { connects, listWords, relationshipLabel, roleLabel } from '../../ui/format.ts';
import { activeMembers, managerNames } from '../../ui/permissions.ts';

export function TeamTable({ view }: { view: AgencyView }) {
  const managers = managerNames(view);
  const who =
    managers.length === 1
      ? `${managers[0]} is the agency's business manager`
      : `${listWords(managers)} are the agency's business managers`;
  return (
    <section class="card" aria-labelledby="members-title" id="members">
      <h2 id="members-title">Members</h2>
      <p class="muted" data-testid="managers-note">
        {who}: ask them to invite someone, change a role or an allowance, or record Connects.
      </p>
      <table class="stacks">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Relationship</th>
            <th scope="col">Monthly allowance</th>
          </tr>
        </thead>
        <tbody>
          {activeMembers(view).map((m) => (
            <tr key={m.id} data-member={m.id}>
              <th scope="row">
                {m.name}
                {m.id === view.me ? ' (you)' : ''}
              </th>
              <td data-label="Role">{roleLabel(m.role)}</td>
              <td data-label="Relationship">{relationshipLabel(m.relationship)}</td>
              <td data-label="Monthly allowance">
                {m.allowance === null
                  ? 'None (draws on the team’s pool)'
                  : `${connects(m.allowance)} a month`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
