// Create an agency: you become its first business manager. The balance is the agency's Connects as Upwork
// shows them now (the first observation, domain.md); the server is where the team's replicas meet.
import type { JSX } from 'preact';
import { ActionResult } from '../../ui/action-result.tsx';
import type { Send } from '../../ui/client.ts';
import { DEFAULT_SERVER, SERVER_PATTERN, text, timeZones, wholeNumber } from '../../ui/fields.ts';
import { useRun } from '../../ui/use-run.ts';

export interface CreateAgencyProps {
  send: Send;
  defaultServer?: string;
  onServerUsed?: (server: string) => void;
}

export function CreateAgencyForm({ send, defaultServer = DEFAULT_SERVER, onServerUsed }: CreateAgencyProps) {
  const { outcome, busy, run } = useRun();
  const submit = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const balance = wholeNumber(form, 'balance');
    const server = text(form, 'server');
    const creationToken = text(form, 'creationToken');
    const timeZone = text(form, 'timeZone');
    void run(async () => {
      if (balance === null) {
        return {
          kind: 'refused',
          refusal: {
            code: 'BAD_BALANCE',
            rule: 'REQUEST',
            message: 'Enter the balance as a whole number of Connects.',
          },
        };
      }
      const res = await send({
        kind: 'createAgency',
        server,
        agencyName: text(form, 'agencyName'),
        memberName: text(form, 'memberName'),
        balance,
        ...(creationToken ? { creationToken } : {}),
        ...(timeZone && timeZone !== 'UTC' ? { timeZone } : {}),
      });
      if (!res.ok) return { kind: 'refused', refusal: res };
      onServerUsed?.(server);
      return { kind: 'saved', id: null, text: 'Agency created: you are its first business manager' };
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="create-title">
      <h2 id="create-title">Create an agency</h2>
      <label>
        Agency name
        <input name="agencyName" required maxLength={120} autoComplete="organization" />
      </label>
      <label>
        Your name
        <input name="memberName" required maxLength={120} autoComplete="name" />
      </label>
      <label>
        Agency Connects balance
        <span class="hint">As Upwork shows it now (Connects available to the agency).</span>
        <input name="balance" type="number" min={0} step={1} required inputMode="numeric" />
      </label>
      <label>
        Time zone
        <span class="hint">Monthly allowances follow this calendar; UTC unless you choose one.</span>
        <input name="timeZone" list="time-zones" defaultValue="UTC" />
      </label>
      <datalist id="time-zones">
        {timeZones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <label>
        Sync server address
        <input name="server" required defaultValue={defaultServer} inputMode="url" pattern={SERVER_PATTERN} />
      </label>
      <label>
        Creation token
        <span class="hint">Only if your sync server asks for one.</span>
        <input name="creationToken" autoComplete="off" />
      </label>
      <div class="row">
        <button type="submit" disabled={busy}>
          Create the agency
        </button>
      </div>
      <ActionResult outcome={outcome} />
    </form>
  );
}
