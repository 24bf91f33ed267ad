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
import { text } from '../../ui/fields.ts';
import { dateTime } from '../../ui/format.ts';
import { canManage } from '../../ui/permissions.ts';
import { useRun } from '../../ui/use-run.ts';

export interface InviteFormProps {
  view: AgencyView;
  send: Send;
  copy?: (text: string) => Promise<void>;
}

export function InviteForm({ view, send, copy }: InviteFormProps) {
  const { outcome, busy, run } = useRun();
  const [invite, setInvite] = useState<{ code: string; expiresAt: number } | null>(null);
  const [copied, setCopied] = useState(false);
  const allowed = canManage(view);
  const submit = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const label = text(form, 'label');
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
      if (!res.ok) return { kind: 'refused', refusal: res };
      setInvite(res.value);
      return { kind: 'saved', id: res.value.id, text: 'Invite created' };
    });
  };
  const disabled = !allowed.ok;
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
              <input name="days" type="number" min={1} max={30} step={1} defaultValue="7" required />
            </label>
            <label>
              Who it is for
              <span class="hint">Optional, for your own records.</span>
              <input name="label" maxLength={120} />
            </label>
          </div>
          <div class="row">
            <button type="submit" disabled={busy || disabled}>
              Create invite
            </button>
          </div>
        </fieldset>
      </form>
      <ActionResult outcome={outcome} recent={view.recent} />
      {invite ? (
        <div class="stack">
          <label>
            Invite code to send
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
