// Manage members (P2, business managers only: plain members see team-table.tsx instead): role, relationship,
// monthly allowance (P4), removal. The owner cannot be demoted or removed (D4). Every change goes to core
// through the background, which may still refuse it.
import { useEffect, useState } from 'preact/hooks';
import type { Member, Relationship, Role } from '../../../core/lite.ts';
import type { AgencyView, UiActionType } from '../../messaging/types.ts';
import { ActionResult } from '../../ui/action-result.tsx';
import type { Send } from '../../ui/client.ts';
import { DisabledReason } from '../../ui/disabled-reason.tsx';
import { fieldProps } from '../../ui/fields.ts';
import { actionDoing, connects, relationshipLabel, roleLabel } from '../../ui/format.ts';
import { activeMembers, canDemoteOrRemove, canManage } from '../../ui/permissions.ts';
import { actOutcome, useRun } from '../../ui/use-run.ts';

export function MembersTable({ view, send }: { view: AgencyView; send: Send }) {
  const { outcome, run } = useRun();
  const allowed = canManage(view);
  // Whose row the last request was about: a refusal about one of its fields marks that field only.
  const [about, setAbout] = useState<string | null>(null);
  const act = (type: UiActionType, payload: Record<string, unknown>, text: string) => {
    setAbout(typeof payload.member === 'string' ? payload.member : null);
    return run(async () =>
      actOutcome(
        await send({ kind: 'act', agencyId: view.agencyId, type, payload }),
        text,
        actionDoing(type),
      ),
    );
  };
  return (
    <section class="card" aria-labelledby="members-title" id="members">
      <h2 id="members-title">Members</h2>
      <DisabledReason id="manage-reason" allowed={allowed} />
      <table class="stacks">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Relationship</th>
            <th scope="col">Monthly allowance</th>
            <th scope="col">
              <span class="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {activeMembers(view).map((m) => (
            <MemberRow
              key={m.id}
              view={view}
              member={m}
              act={act}
              marked={about === m.id ? fieldProps(outcome, 'monthly', 'members-result') : {}}
            />
          ))}
        </tbody>
      </table>
      <ActionResult outcome={outcome} recent={view.recent} id="members-result" />
    </section>
  );
}

type Act = (type: UiActionType, payload: Record<string, unknown>, text: string) => Promise<unknown>;

function MemberRow(props: {
  view: AgencyView;
  member: Member;
  act: Act;
  /** aria-invalid and aria-describedby for the allowance field, when the last refusal is about it. */
  marked: ReturnType<typeof fieldProps>;
}) {
  const { view, member: m, act, marked } = props;
  const [confirming, setConfirming] = useState(false);
  const [allowance, setAllowance] = useState(m.allowance === null ? '' : String(m.allowance));
  // A change synced from another manager (or a shrink, P4) replaces what the field shows.
  useEffect(() => setAllowance(m.allowance === null ? '' : String(m.allowance)), [m.allowance]);
  const managing = canManage(view);
  const demoting = canDemoteOrRemove(view, m.id);
  const describedBy = managing.ok ? (demoting.ok ? undefined : `last-manager-${m.id}`) : 'manage-reason';
  const you = m.id === view.me ? ' (you)' : '';
  const monthly = allowance.trim() === '' ? null : Number(allowance);
  const allowanceValid = monthly === null || (Number.isInteger(monthly) && monthly >= 0);
  return (
    <tr data-member={m.id}>
      <th scope="row">
        {m.name}
        {you}
        {!demoting.ok && managing.ok ? (
          <p id={`last-manager-${m.id}`} class="hint">
            {m.id === view.me ? 'You own the agency' : `${m.name} owns the agency`}: the owner stays a
            business manager and cannot be removed.
          </p>
        ) : null}
      </th>
      <td>
        <select
          aria-label={`Role of ${m.name}`}
          aria-describedby={describedBy}
          value={m.role}
          disabled={!managing.ok || (m.role === 'manager' && !demoting.ok)}
          onChange={(e) => {
            const role = (e.target as HTMLSelectElement).value as Role;
            void act(
              'changeRole',
              { member: m.id, role },
              `${m.name} is now ${roleLabel(role).toLowerCase()}`,
            );
          }}
        >
          <option value="member">{roleLabel('member')}</option>
          <option value="manager">{roleLabel('manager')}</option>
        </select>
      </td>
      <td>
        <select
          aria-label={`Relationship of ${m.name}`}
          aria-describedby={managing.ok ? undefined : 'manage-reason'}
          value={m.relationship}
          disabled={!managing.ok}
          onChange={(e) => {
            const relationship = (e.target as HTMLSelectElement).value as Relationship;
            void act(
              'changeRelationship',
              { member: m.id, relationship },
              `${m.name} is now ${relationshipLabel(relationship).toLowerCase()}`,
            );
          }}
        >
          <option value="exclusive">{relationshipLabel('exclusive')}</option>
          <option value="non-exclusive">{relationshipLabel('non-exclusive')}</option>
        </select>
      </td>
      <td>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (!allowanceValid) return;
            void act(
              'setAllowance',
              { member: m.id, monthly },
              monthly === null
                ? `${m.name} has no monthly allowance`
                : `${m.name} may spend ${connects(monthly)} a month`,
            );
          }}
        >
          <input
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            placeholder="none"
            aria-label={`Monthly allowance of ${m.name}`}
            aria-describedby={managing.ok ? undefined : 'manage-reason'}
            {...marked}
            value={allowance}
            disabled={!managing.ok}
            onInput={(e) => setAllowance((e.target as HTMLInputElement).value)}
            style={{ width: '6rem' }}
          />
          <button type="submit" class="secondary" disabled={!managing.ok || !allowanceValid}>
            Set<span class="sr-only"> allowance of {m.name}</span>
          </button>
        </form>
      </td>
      <td>
        {m.id === view.me ? (
          <span class="hint">To go, leave the agency below.</span>
        ) : confirming ? (
          <div class="stack">
            <p class="hint">Their past actions stay in the agency's history, attributed to them.</p>
            <div class="row">
              <button
                type="button"
                class="danger"
                onClick={() => {
                  setConfirming(false);
                  void act('removeMember', { member: m.id }, `${m.name} was removed`);
                }}
              >
                Confirm removing {m.name}
              </button>
              <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <button
            type="button"
            class="secondary"
            aria-describedby={describedBy}
            disabled={!managing.ok || !demoting.ok}
            onClick={() => setConfirming(true)}
          >
            Remove<span class="sr-only"> {m.name}</span>
          </button>
        )}
      </td>
    </tr>
  );
}
