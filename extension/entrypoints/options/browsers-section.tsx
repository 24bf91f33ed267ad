// Browsers: each browser has its own non-extractable key. To use the agency in another browser, a member
// makes a one-time code here (a business manager may make one for any active member) and pastes it into the
// new browser's join form; that browser then signs its own addition (issue 8, item 2).
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { AgencyView } from '../../messaging/types.ts';
import { ActionResult } from '../../ui/action-result.tsx';
import type { Send } from '../../ui/client.ts';
import { DisabledReason } from '../../ui/disabled-reason.tsx';
import { text } from '../../ui/fields.ts';
import { dateTime } from '../../ui/format.ts';
import { canAct, deviceCodeTargets, meOf } from '../../ui/permissions.ts';
import { useRun } from '../../ui/use-run.ts';

export interface BrowsersProps {
  view: AgencyView;
  send: Send;
  copy?: (text: string) => Promise<void>;
}

export function BrowsersSection({ view, send, copy }: BrowsersProps) {
  return (
    <section class="card" aria-labelledby="browsers-title" id="browsers">
      <h2 id="browsers-title">Browsers</h2>
      <YourBrowsers view={view} />
      <AddBrowserForm view={view} send={send} copy={copy} />
    </section>
  );
}

/** The browsers of the member this browser belongs to, this one marked, removed ones said plainly. */
function YourBrowsers({ view }: { view: AgencyView }) {
  const me = meOf(view);
  if (!me) return null;
  return (
    <ul class="team" aria-label="Your browsers">
      {me.keys.map((keyId, i) => {
        const key = view.state.keys[keyId];
        const name = key?.label ?? (i === 0 ? 'The browser you joined with' : 'A browser');
        return (
          <li key={keyId} data-key={keyId}>
            <span class="name">
              {name}
              {keyId === view.browserKey ? ' (this browser)' : ''}
            </span>{' '}
            <span class="tags">{key?.active === false ? 'removed: it can no longer act' : 'active'}</span>
          </li>
        );
      })}
    </ul>
  );
}

function AddBrowserForm({ view, send, copy }: BrowsersProps) {
  const { outcome, busy, run } = useRun();
  const [made, setMade] = useState<{
    invite: string;
    code: string;
    expiresAt: number;
    forName: string;
  } | null>(null);
  const [copied, setCopied] = useState(false);
  const allowed = canAct(view);
  const targets = deviceCodeTargets(view);
  const manager = meOf(view)?.role === 'manager';
  const submit = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const member = text(form, 'member') || view.me;
    const label = text(form, 'label');
    const forName = targets.find((m) => m.id === member)?.name ?? '';
    setMade(null);
    setCopied(false);
    void run(async () => {
      const res = await send({
        kind: 'createDeviceInvite',
        agencyId: view.agencyId,
        member,
        expiresInDays: Number(text(form, 'days')),
        ...(label ? { label } : {}),
      });
      if (!res.ok) return { kind: 'refused', refusal: res };
      setMade({ ...res.value, forName });
      return {
        kind: 'saved',
        id: res.value.id,
        text: `Code made for ${member === view.me ? 'your' : `${forName}'s`} new browser`,
      };
    });
  };
  // A code revoked or used since it was made admits nobody: it is not offered any more.
  const state = made ? view.state.invites[made.invite] : undefined;
  const spent = state?.revoked ? 'revoked' : state?.usedBy ? 'used' : null;
  return (
    <div class="stack">
      <h3 id="add-browser-title">Add another browser</h3>
      <p class="muted">
        Make a code here, then in the other browser install Agency Overlay, open its agency pages and paste
        the code under <em>Join an agency</em>. The code works once, and only until it expires.
      </p>
      <DisabledReason id="add-browser-reason" allowed={allowed} />
      <form onSubmit={submit} aria-labelledby="add-browser-title">
        <fieldset disabled={!allowed.ok} class="stack" style={{ border: 0, padding: 0, margin: 0 }}>
          <div class="row">
            {manager ? (
              <label>
                For
                <select name="member" defaultValue={view.me}>
                  {targets.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                      {m.id === view.me ? ' (you)' : ''}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label>
              Code expires in (days)
              <input name="days" type="number" min={1} max={30} step={1} defaultValue="1" required />
            </label>
            <label>
              Note
              <span class="hint">Optional, e.g. "work laptop".</span>
              <input name="label" maxLength={120} />
            </label>
            <button type="submit" disabled={busy || !allowed.ok}>
              Make a code
            </button>
          </div>
        </fieldset>
      </form>
      <ActionResult outcome={outcome} recent={view.recent} />
      {made && spent ? (
        <p class="muted" data-testid="device-code-spent">
          {spent === 'revoked' ? 'This code was revoked: it admits nobody.' : 'This code was used.'}
        </p>
      ) : null}
      {made && !spent ? (
        <div class="stack">
          <label>
            Code for {made.forName ? `${made.forName}'s` : 'the'} new browser
            <textarea readOnly rows={3} value={made.code} class="code" data-testid="device-code" />
          </label>
          <p class="muted">
            Valid once, until {dateTime(made.expiresAt, view.state.timeZone)}. Whoever holds it can add a
            browser to this membership: paste it only into your own browser, and revoke it below if it goes
            astray.
          </p>
          {copy ? (
            <div class="row">
              <button
                type="button"
                class="secondary"
                onClick={() => void copy(made.code).then(() => setCopied(true))}
              >
                {copied ? 'Copied' : 'Copy the code'}
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
