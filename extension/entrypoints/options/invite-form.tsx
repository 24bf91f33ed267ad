// A business manager invites someone (P2): role, relationship, expiry; single use. The code to send carries
// the server address, agency id and the invite's private key (the log records only its public half) — not a
// chrome-extension:// link, whose id differs per browser.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Relationship, Role } from '../../../core/lite.ts';
import type { AgencyView } from '../../messaging/types.ts';
import { ActionResult } from '../../ui/action-result.tsx';
import type { Send } from '../../ui/client.ts';
import { DisabledReason } from '../../ui/disabled-reason.tsx';
import { fieldProps, text } from '../../ui/fields.ts';
import { actionDoing, dateTime } from '../../ui/format.ts';
import { canManage } from '../../ui/permissions.ts';
import { useRun } from '../../ui/use-run.ts';

export interface InviteFormProps {
  view: AgencyView;
  send: Send;
  copy?: (text: string) => Promise<void>;
}

interface MadeInvite {
  id: string;
  invite: string;
  code: string;
  expiresAt: number;
  label: string;
}

export function InviteForm({ view, send, copy }: InviteFormProps) {
  const { outcome, busy, run } = useRun();
  const [invite, setInvite] = useState<MadeInvite | null>(null);
  const [copied, setCopied] = useState(false);
  const allowed = canManage(view);
  const submit = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const label = text(form, 'label');
    // A new attempt replaces the last code on screen, whatever its outcome.
    setInvite(null);
    setCopied(false);
    void run(async () => {
      const res = await send({
        kind: 'createInvite',
        agencyId: view.agencyId,
        role: text(form, 'role') as Role,
        relationship: text(form, 'relationship') as Relationship,
        expiresInDays: Number(text(form, 'days')),
        ...(label ? { label } : {}),
      });
      if (!res.ok) return { kind: 'refused', refusal: res, doing: actionDoing('grantInvite') };
      setInvite({ ...res.value, label });
      return {
        kind: 'saved',
        id: res.value.id,
        text: label ? `Invite for ${label} created` : 'Invite created',
      };
    });
  };
  const disabled = !allowed.ok;
  // The invite lives in the agency's log: until the server has it, nobody can join with the code. Said only
  // while that is not a matter of a moment: the agency never reached its server, or this browser is offline.
  const waiting =
    invite && !view.recent.some((r) => r.id === invite.id && r.status === 'synced')
      ? view.sync.lastSyncedAt === null
        ? `This invite cannot be used until the agency reaches its sync server (${view.sync.server}): nobody can join with the code before then. Check the address under Sync and export.`
        : view.sync.status === 'offline' || view.sync.status === 'stopped'
          ? 'This browser is not connected to the sync server now: the code works once the invite reaches it.'
          : null
      : null;
  // A code shown here that was revoked or used since admits nobody: it is not offered any more.
  const state = invite ? view.state.invites[invite.invite] : undefined;
  const spent = state?.revoked ? 'revoked' : state?.usedBy ? 'used' : null;
  return (
    <section class="card" aria-labelledby="invite-title" id="invite">
      <h2 id="invite-title">Invite a member</h2>
      <DisabledReason id="invite-reason" allowed={allowed} />
      <form onSubmit={submit} aria-describedby={disabled ? 'invite-reason' : undefined}>
        <fieldset disabled={disabled} class="stack" style={{ border: 0, padding: 0, margin: 0 }}>
          <div class="row">
            <label>
              Role
              <select name="role" defaultValue="member">
                <option value="member">Member</option>
                <option value="manager">Business manager</option>
              </select>
            </label>
            <label>
              Relationship
              <select name="relationship" defaultValue="exclusive">
                <option value="exclusive">Exclusive</option>
                <option value="non-exclusive">Non-exclusive</option>
              </select>
            </label>
            <label>
              Expires in (days)
              <input
                name="days"
                type="number"
                min={1}
                max={30}
                step={1}
                defaultValue="7"
                required
                {...fieldProps(outcome, 'expiresInDays', 'invite-result')}
              />
            </label>
            <label>
              Who it is for
              <span class="hint">Optional, for your own records; shown in the list of unused invites.</span>
              <input name="label" maxLength={120} {...fieldProps(outcome, 'label', 'invite-result')} />
            </label>
          </div>
          <div class="row">
            <button type="submit" disabled={busy || disabled}>
              Create invite
            </button>
          </div>
        </fieldset>
      </form>
      <ActionResult outcome={outcome} recent={view.recent} id="invite-result" />
      {waiting ? (
        <p class="notice" role="alert" data-testid="invite-unusable">
          {waiting}
        </p>
      ) : null}
      {invite && spent ? (
        <p class="muted" data-testid="invite-spent">
          {spent === 'revoked'
            ? 'This invite was revoked: its code admits nobody.'
            : 'This invite was used: its code admits nobody else.'}
        </p>
      ) : null}
      {invite && !spent ? (
        <div class="stack">
          <label>
            {invite.label ? `Invite code to send to ${invite.label}` : 'Invite code to send'}
            <textarea readOnly rows={3} value={invite.code} class="code" data-testid="invite-code" />
          </label>
          <p class="muted">
            Single use: the first person who joins with it uses it up. It expires on{' '}
            {dateTime(invite.expiresAt, view.state.timeZone)}. Send it privately — whoever has it can join.
          </p>
          {copy ? (
            <div class="row">
              <button
                type="button"
                class="secondary"
                onClick={() => void copy(invite.code).then(() => setCopied(true))}
              >
                {copied ? 'Copied' : 'Copy the code'}
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
