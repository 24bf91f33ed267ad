// Browsers (device keys): each browser has its own non-extractable key. A member adds a new browser of
// theirs — or a business manager adds one for a member — by pasting the key that browser shows.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { AgencyView } from '../../messaging/types.ts';
import { ActionResult } from '../../ui/action-result.tsx';
import type { Send } from '../../ui/client.ts';
import { text } from '../../ui/fields.ts';
import { activeMembers, canAct, meOf } from '../../ui/permissions.ts';
import { useRun } from '../../ui/use-run.ts';

export function ThisBrowserKey({ send, copy }: { send: Send; copy?: (text: string) => Promise<void> }) {
  const [key, setKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const show = async () => {
    const res = await send({ kind: 'deviceKey' });
    if (res.ok) setKey(res.value.publicKey);
    else setError(`Refused (${res.rule}): ${res.message}`);
  };
  return (
    <div class="stack">
      <p class="muted">
        To use the agency in this browser as an existing member, add this browser's key from a browser where
        you are already a member (or ask a business manager).
      </p>
      {key ? (
        <label>
          This browser's key
          <input readOnly value={key} class="code" />
        </label>
      ) : null}
      <div class="row">
        {key ? null : (
          <button type="button" class="secondary" onClick={() => void show()}>
            Show this browser's key
          </button>
        )}
        {key && copy ? (
          <button type="button" class="secondary" onClick={() => void copy(key)}>
            Copy the key
          </button>
        ) : null}
      </div>
      {error ? (
        <p role="alert" class="refused">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function AddBrowserForm({ view, send }: { view: AgencyView; send: Send }) {
  const { outcome, busy, run } = useRun();
  const allowed = canAct(view);
  const manager = meOf(view)?.role === 'manager';
  // A member adds keys for themself only; business managers for anyone (domain.md, "Who may do what").
  const targets = manager ? activeMembers(view) : activeMembers(view).filter((m) => m.id === view.me);
  const submit = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const label = text(form, 'label');
    void run(async () => {
      const res = await send({
        kind: 'addDevice',
        agencyId: view.agencyId,
        member: text(form, 'member'),
        publicKey: text(form, 'publicKey'),
        ...(label ? { label } : {}),
      });
      if (!res.ok) return { kind: 'refused', refusal: res };
      form.reset();
      return { kind: 'saved', id: res.value.id, text: 'Browser added' };
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="add-browser-title">
      <h3 id="add-browser-title">Add a browser</h3>
      <fieldset disabled={!allowed.ok} class="stack" style={{ border: 0, padding: 0, margin: 0 }}>
        <div class="row">
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
          <label>
            The new browser's key
            <input name="publicKey" required pattern="[A-Za-z0-9_\-]{43}" autoComplete="off" class="code" />
          </label>
          <label>
            Label
            <span class="hint">Optional, e.g. "laptop".</span>
            <input name="label" maxLength={120} />
          </label>
          <button type="submit" disabled={busy}>
            Add browser
          </button>
        </div>
      </fieldset>
      <ActionResult outcome={outcome} recent={view.recent} />
    </form>
  );
}
