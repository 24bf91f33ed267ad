// Create an agency: you become its first business manager. The balance is the agency's Connects as Upwork
// shows them now (the first observation, domain.md); the server is where the team's replicas meet. The
// background first checks that an Agency Overlay sync server answers at that address (a short, bounded probe)
// and says plainly what is wrong when none does; creating it offline anyway is an explicit choice.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Request } from '../../messaging/types.ts';
import { ActionResult, type Outcome } from '../../ui/action-result.tsx';
import type { Send } from '../../ui/client.ts';
import { DEFAULT_SERVER, fieldProps, serverField, text, timeZones, wholeNumber } from '../../ui/fields.ts';
import { type AskToSeeServer, ServerProblem } from '../../ui/server-problem.tsx';
import { useRun } from '../../ui/use-run.ts';

export interface CreateAgencyProps {
  send: Send;
  defaultServer?: string;
  onServerUsed?: (server: string) => void;
  askToSee?: AskToSeeServer;
}

type CreateRequest = Extract<Request, { kind: 'createAgency' }>;

const RESULT_ID = 'create-result';

export function CreateAgencyForm({
  send,
  defaultServer = DEFAULT_SERVER,
  onServerUsed,
  askToSee,
}: CreateAgencyProps) {
  const { outcome, busy, run } = useRun();
  // The request the last outcome answers: "create offline anyway" and "find out why" repeat it.
  const [last, setLast] = useState<CreateRequest | null>(null);

  const create = (request: CreateRequest) => {
    setLast(request);
    void run(async (): Promise<Outcome> => {
      const res = await send(request);
      if (!res.ok) return { kind: 'refused', refusal: res };
      onServerUsed?.(request.server);
      return {
        kind: 'saved',
        id: null,
        text: request.offline
          ? `Agency created in this browser: it syncs once ${request.server} answers`
          : 'Agency created: you are its first business manager',
      };
    });
  };

  const submit = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const balance = wholeNumber(form, 'balance');
    if (balance === null) {
      setLast(null);
      void run(async () => ({
        kind: 'refused',
        refusal: {
          code: 'BAD_BALANCE',
          rule: 'REQUEST',
          message: 'Enter the balance as a whole number of Connects.',
          field: 'balance',
        },
      }));
      return;
    }
    const creationToken = text(form, 'creationToken');
    const timeZone = text(form, 'timeZone');
    create({
      kind: 'createAgency',
      server: serverField(form, 'server'),
      agencyName: text(form, 'agencyName'),
      memberName: text(form, 'memberName'),
      balance,
      ...(creationToken ? { creationToken } : {}),
      ...(timeZone && timeZone !== 'UTC' ? { timeZone } : {}),
    });
  };
  const field = (name: string) => fieldProps(outcome, name, RESULT_ID);
  return (
    <form onSubmit={submit} aria-labelledby="create-title">
      <h2 id="create-title">Create an agency</h2>
      <p class="muted">
        Write both names as Upwork shows them: the overlay finds the agency on Upwork’s pages by its name, and
        a manager’s proposal form names its freelancer.
      </p>
      <label>
        Agency name
        <input
          name="agencyName"
          required
          maxLength={120}
          autoComplete="organization"
          {...field('agencyName')}
        />
      </label>
      <label>
        Your name
        <input name="memberName" required maxLength={120} autoComplete="name" {...field('memberName')} />
      </label>
      <label>
        Agency Connects balance
        <span class="hint">As Upwork shows it now (Connects available to the agency).</span>
        <input
          name="balance"
          type="number"
          min={0}
          step={1}
          required
          inputMode="numeric"
          {...field('balance')}
        />
      </label>
      <label>
        Time zone
        <span class="hint">Monthly allowances follow this calendar; UTC unless you choose one.</span>
        <input name="timeZone" list="time-zones" defaultValue="UTC" {...field('timeZone')} />
      </label>
      <datalist id="time-zones">
        {timeZones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <label>
        Sync server address
        <span class="hint">
          Checked before the agency is created: an Agency Overlay sync server must answer there.
        </span>
        <input name="server" required defaultValue={defaultServer} inputMode="url" {...field('server')} />
      </label>
      <label>
        Creation token
        <span class="hint">Only if your sync server asks for one.</span>
        <input name="creationToken" autoComplete="off" {...field('creationToken')} />
      </label>
      <div class="row">
        <button type="submit" disabled={busy}>
          Create the agency
        </button>
      </div>
      <ActionResult outcome={outcome} id={RESULT_ID} />
      {outcome?.kind === 'refused' && last ? (
        <ServerProblem
          refusal={outcome.refusal}
          server={last.server}
          busy={busy}
          askToSee={askToSee}
          retry={() => create(last)}
          offlineAnyway={() => create({ ...last, offline: true })}
        />
      ) : null}
    </form>
  );
}
