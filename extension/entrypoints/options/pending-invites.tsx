// Invites and browser codes nobody used yet: who made them, what they admit, for whom, until when. A business
// manager sees and may revoke any of them (P2); a plain member sees the codes that add a browser to them, which
// they may revoke. Revoking records revokeInvite (checked by core like any intent): the code then admits
// nobody, on every replica and on the server.
import type { Invite } from '../../../core/lite.ts';
import type { AgencyView } from '../../messaging/types.ts';
import { ActionResult } from '../../ui/action-result.tsx';
import type { Send } from '../../ui/client.ts';
import { DisabledReason } from '../../ui/disabled-reason.tsx';
import { actionDoing, dateTime, relationshipLabel, roleLabel } from '../../ui/format.ts';
import { canRevoke, meOf, openInvites } from '../../ui/permissions.ts';
import { actOutcome, useRun } from '../../ui/use-run.ts';

export function PendingInvites({ view, send, now }: { view: AgencyView; send: Send; now: number }) {
  const { outcome, run } = useRun();
  const manager = meOf(view)?.role === 'manager';
  const invites = openInvites(view, now).filter((i) => manager || canRevoke(view, i).ok);
  // One sentence for every Revoke this member may not use (the same rule for each).
  const denied = invites.map((i) => canRevoke(view, i)).find((a) => !a.ok) ?? { ok: true as const };
  const nameOf = (id: string | null) => (id ? (view.state.members[id]?.name ?? 'a former member') : '');
  const revoke = (invite: Invite, what: string) =>
    void run(async () =>
      actOutcome(
        await send({ kind: 'revokeInvite', agencyId: view.agencyId, invite: invite.id }),
        `${what} revoked`,
        actionDoing('revokeInvite'),
      ),
    );
  return (
    <section class="card" aria-labelledby="pending-title" id="pending">
      <h2 id="pending-title">{manager ? 'Unused invites and codes' : 'Your unused browser codes'}</h2>
      {invites.length === 0 ? (
        <p class="muted">
          {manager
            ? 'None: every invite and browser code was used, revoked or has expired.'
            : 'None: codes you make under Browsers are listed here until they are used.'}
        </p>
      ) : (
        <DisabledReason id="revoke-reason" allowed={denied} />
      )}
      {invites.length === 0 ? null : (
        <table class="stacks">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">For</th>
              <th scope="col">Made by</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span class="sr-only">Revoke</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invites.map((invite) => {
              const what =
                invite.kind === 'device'
                  ? 'Browser code'
                  : `Invite (${roleLabel(invite.role).toLowerCase()}, ${relationshipLabel(invite.relationship).toLowerCase()})`;
              const forWhom =
                invite.kind === 'device'
                  ? `${nameOf(invite.member)}${invite.member === view.me ? ' (you)' : ''}${invite.label ? ` · ${invite.label}` : ''}`
                  : (invite.label ?? 'a new member');
              const allowed = canRevoke(view, invite);
              return (
                <tr key={invite.id} data-invite={invite.id}>
                  <th scope="row">{what}</th>
                  <td>{forWhom}</td>
                  <td>{nameOf(invite.grantedBy)}</td>
                  <td>{dateTime(invite.expiresAt, view.state.timeZone)}</td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      disabled={!allowed.ok}
                      aria-describedby={allowed.ok ? undefined : 'revoke-reason'}
                      onClick={() => revoke(invite, what)}
                    >
                      Revoke<span class="sr-only"> {`${what} for ${forWhom}`}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ActionResult outcome={outcome} recent={view.recent} />
    </section>
  );
}
