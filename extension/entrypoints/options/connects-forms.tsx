// The agency's Connects and calendar (P2, business managers only): record a purchase, enter the balance as
// Upwork shows it (an observation: events before it are already in Upwork's number), set the time zone.
import type { JSX } from 'preact';
import type { AgencyView, UiActionType } from '../../messaging/types.ts';
import { ActionResult } from '../../ui/action-result.tsx';
import type { Send } from '../../ui/client.ts';
import { DisabledReason } from '../../ui/disabled-reason.tsx';
import { fieldProps, text, timeZones, wholeNumber } from '../../ui/fields.ts';
import { actionDoing, connects } from '../../ui/format.ts';
import { canManage } from '../../ui/permissions.ts';
import { actOutcome, useRun } from '../../ui/use-run.ts';

export function ConnectsForms({ view, send }: { view: AgencyView; send: Send }) {
  const { outcome, busy, run } = useRun();
  const allowed = canManage(view);
  const disabled = !allowed.ok;
  const act = (type: UiActionType, payload: Record<string, unknown>, done: string) =>
    run(async () =>
      actOutcome(
        await send({ kind: 'act', agencyId: view.agencyId, type, payload }),
        done,
        actionDoing(type),
      ),
    );
  const onNumber =
    (field: string, type: UiActionType, key: string, done: (n: number) => string, min = 0) =>
    (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
      e.preventDefault();
      const form = e.currentTarget;
      const n = wholeNumber(form, field);
      if (n === null || n < min) return;
      void act(type, { [key]: n }, done(n)).then((o) => {
        if (o.kind === 'saved') form.reset();
      });
    };
  const onTimeZone = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const timeZone = text(e.currentTarget, 'timeZone');
    void act('setTimeZone', { timeZone }, `The agency's time zone is now ${timeZone}`);
  };
  const describedBy = disabled ? 'connects-reason' : undefined;
  // A refusal about a field (e.g. too many Connects) marks that field and points it at the sentence.
  const field = (name: string) => {
    const marked = fieldProps(outcome, name, 'connects-result');
    return marked['aria-invalid'] ? marked : { 'aria-describedby': describedBy };
  };
  return (
    <section class="card" aria-labelledby="connects-forms-title" id="connects">
      <h2 id="connects-forms-title">Connects and calendar</h2>
      <p class="muted">
        Balance now: {connects(view.connects.balance)}; available to the team{' '}
        {connects(view.connects.availableToTeam)}.
      </p>
      <DisabledReason id="connects-reason" allowed={allowed} />
      <form
        class="row"
        onSubmit={onNumber(
          'purchased',
          'recordPurchase',
          'connects',
          (n) => `Purchase of ${connects(n)} recorded`,
          1,
        )}
      >
        <label>
          Connects bought
          <input
            name="purchased"
            type="number"
            min={1}
            step={1}
            required
            disabled={disabled}
            {...field('connects')}
          />
        </label>
        <button type="submit" disabled={disabled || busy}>
          Record purchase
        </button>
      </form>
      <form
        class="row"
        onSubmit={onNumber('balance', 'enterBalance', 'balance', (n) => `Balance entered: ${connects(n)}`)}
      >
        <label>
          Balance as Upwork shows it
          <input
            name="balance"
            type="number"
            min={0}
            step={1}
            required
            disabled={disabled}
            {...field('balance')}
          />
        </label>
        <button type="submit" disabled={disabled || busy}>
          Enter balance
        </button>
      </form>
      <form class="row" onSubmit={onTimeZone}>
        <label>
          Agency time zone
          <span class="hint">Monthly allowances start on the 1st in this zone.</span>
          <input
            name="timeZone"
            list="agency-time-zones"
            required
            defaultValue={view.state.timeZone}
            disabled={disabled}
            {...field('timeZone')}
          />
        </label>
        <datalist id="agency-time-zones">
          {timeZones().map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <button type="submit" disabled={disabled || busy}>
          Set time zone
        </button>
      </form>
      <ActionResult outcome={outcome} recent={view.recent} id="connects-result" />
    </section>
  );
}
