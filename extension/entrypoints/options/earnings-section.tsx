// Contracts and earnings (D15, business managers only): offers, contracts with their rate or price,
// milestones and payouts, and the forms to record them. Amounts come from the background's `amounts` request:
// only what this browser's key opens (sealed to the managers' browsers), so a figure sealed before this
// browser could read amounts shows as such. The forms send amounts in the clear to the background, which
// seals them before signing (replica-amounts.ts): no amount leaves this browser readable to plain members.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AmountsView, Figure } from '../../../core/lite.ts';
import type { AgencyView, UiActionType } from '../../messaging/types.ts';
import { ActionResult } from '../../ui/action-result.tsx';
import { AmountField } from '../../ui/amount-field.tsx';
import type { Send } from '../../ui/client.ts';
import { parseDollars } from '../../ui/dollars.ts';
import { text } from '../../ui/fields.ts';
import { actionDoing } from '../../ui/format.ts';
import { actOutcome, useRun } from '../../ui/use-run.ts';
import { SeenRates } from './seen-rates.tsx';

/** Cents as dollars ("$1,234.50"). */
export const money = (cents: number): string =>
  `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const figureText = (f: Figure, hourly = false): string =>
  f === null ? 'not readable in this browser' : `${money(f)}${hourly ? ' an hour' : ''}`;

type AmountForm = 'offer' | 'terms' | 'milestone' | 'payout';

export function EarningsSection({ view, send }: { view: AgencyView; send: Send }) {
  const { outcome, busy, run } = useRun();
  const [amounts, setAmounts] = useState<AmountsView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [amountErrors, setAmountErrors] = useState<Partial<Record<AmountForm, string>>>({});
  /** The amount typed in `form` as cents, or null after showing under the field what is wrong with it. */
  const cents = (form: HTMLFormElement, which: AmountForm): number | null => {
    const r = parseDollars(text(form, 'amount'));
    setAmountErrors((e) => ({ ...e, [which]: r.ok ? undefined : r.message }));
    if (r.ok) return r.cents;
    (form.elements.namedItem('amount') as HTMLInputElement | null)?.focus();
    return null;
  };
  const amountField = (which: AmountForm, label: string) => (
    <AmountField
      label={label}
      id={`amount-${which}`}
      error={amountErrors[which] ?? null}
      onInput={() => amountErrors[which] && setAmountErrors((e) => ({ ...e, [which]: undefined }))}
    />
  );
  const state = view.state;
  const revision = `${state.counts.applied}/${state.counts.flagged}/${state.counts.refused}`;
  useEffect(() => {
    let live = true;
    void send({ kind: 'amounts', agencyId: view.agencyId }).then((res) => {
      if (!live) return;
      if (res.ok) {
        setAmounts(res.value);
        setProblem(null);
      } else setProblem(res.message);
    });
    return () => {
      live = false;
    };
  }, [send, view.agencyId, revision]);

  const act = (type: UiActionType, payload: Record<string, unknown>, done: string, form?: HTMLFormElement) =>
    run(async () =>
      actOutcome(
        await send({ kind: 'act', agencyId: view.agencyId, type, payload }),
        done,
        actionDoing(type),
      ),
    ).then((o) => {
      if (o.kind === 'saved') form?.reset();
    });

  const members = Object.values(state.members).filter((m) => m.status === 'active');
  const contracts = Object.values(state.contracts);
  const offers = Object.values(state.offers).filter((o) => o.status === 'open');
  const nameOf = (id: string) => state.members[id]?.name ?? 'a former member';

  const onOffer = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const kind = text(form, 'kind') === 'fixed' ? 'fixed' : 'hourly';
    const amount = cents(form, 'offer');
    if (amount === null) return;
    const terms = kind === 'hourly' ? { kind, hourlyRate: amount } : { kind, amount };
    const title = text(form, 'title');
    void act(
      'receiveOffer',
      {
        offer: text(form, 'offer'),
        job: text(form, 'job'),
        title,
        as: 'agency',
        member: text(form, 'member'),
        terms,
      },
      `Offer for '${title}' recorded`,
      form,
    );
  };
  const onTerms = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const contract = state.contracts[text(form, 'contract')];
    const amount = cents(form, 'terms');
    if (!contract?.kind || amount === null) return;
    const terms =
      contract.kind === 'hourly' ? { kind: 'hourly', hourlyRate: amount } : { kind: 'fixed', amount };
    void act(
      'editContractTerms',
      { contract: contract.id, terms },
      `Terms of '${contract.title}' edited`,
      form,
    );
  };
  const onMilestone = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const contract = text(form, 'contract');
    const amount = cents(form, 'milestone');
    const title = text(form, 'title');
    if (amount === null) return;
    // D11 makes one milestone of two records with the same id, so the id names this record alone: a count of
    // the milestones this browser knows would collide with another browser's at the same moment.
    const milestone = `m-${crypto.randomUUID()}`;
    void act(
      'submitMilestone',
      { contract, milestone, title, amount },
      `Milestone '${title}' submitted`,
      form,
    );
  };
  const onPayout = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const amount = cents(form, 'payout');
    if (amount === null) return;
    void act(
      'recordPayout',
      { contract: text(form, 'contract'), amount },
      `Payout of ${money(amount)} recorded`,
      form,
    );
  };

  const contractOptions = (list = contracts) =>
    list.map((c) => (
      <option key={c.id} value={c.id}>
        {c.title} ({nameOf(c.member)})
      </option>
    ));
  const fixed = contracts.filter((c) => c.kind !== 'hourly');

  return (
    <section class="card" aria-labelledby="earnings-title" id="earnings">
      <h2 id="earnings-title">Contracts and earnings</h2>
      <p class="muted">
        Only business managers see rates, milestone amounts and payouts, as on Upwork: they are sealed to the
        business managers’ browsers, and plain members’ browsers never receive them.
      </p>
      {problem ? <p class="muted">{problem}</p> : null}
      {offers.length ? (
        <>
          <h3>Open offers</h3>
          <ul data-testid="earnings-offers">
            {offers.map((o) => (
              <li key={o.id}>
                <strong>{o.title}</strong> for {nameOf(o.member)}
                {o.kind ? ` — ${o.kind === 'hourly' ? 'hourly' : 'fixed price'}: ` : ': '}
                {figureText(amounts?.offers[o.id]?.figure ?? null, o.kind === 'hourly')}{' '}
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void act('acceptOffer', { offer: o.id }, `Offer for '${o.title}' accepted`)}
                >
                  Accept
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>Contracts</h3>
      {contracts.length ? (
        <table class="stacks" data-testid="earnings-contracts">
          <thead>
            <tr>
              <th scope="col">Contract</th>
              <th scope="col">Freelancer</th>
              <th scope="col">Rate or price</th>
              <th scope="col">Milestones</th>
              <th scope="col">Paid</th>
            </tr>
          </thead>
          <tbody>
            {contracts.map((c) => {
              const a = amounts?.contracts[c.id];
              return (
                <tr key={c.id}>
                  <th scope="row">{c.title}</th>
                  <td data-label="Freelancer">{nameOf(c.member)}</td>
                  <td data-label="Rate or price">{figureText(a?.figure ?? null, c.kind === 'hourly')}</td>
                  <td data-label="Milestones">
                    {c.milestones.length
                      ? c.milestones
                          .map((m) => `${m.title}: ${figureText(a?.milestones[m.id] ?? null)}`)
                          .join('; ')
                      : '—'}
                  </td>
                  <td data-label="Paid">
                    {money(a?.paid ?? 0)}
                    {a?.unread ? ` (+${a.unread} not readable here)` : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p class="muted">No contracts yet: an offer accepted here or on Upwork becomes one.</p>
      )}
      <SeenRates state={state} seen={amounts?.seen ?? {}} />
      <details>
        <summary>Record an offer</summary>
        <form class="row" onSubmit={onOffer} aria-label="Record an offer">
          <label>
            Offer id
            <input name="offer" required pattern="[A-Za-z0-9_~.:-]{1,80}" />
          </label>
          <label>
            Job id
            <input name="job" required pattern="[A-Za-z0-9_~.:-]{1,80}" />
          </label>
          <label>
            Title
            <input name="title" required maxLength={300} />
          </label>
          <label>
            For
            <select name="member">
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Kind
            <select name="kind">
              <option value="hourly">Hourly (rate)</option>
              <option value="fixed">Fixed price</option>
            </select>
          </label>
          {amountField('offer', 'Rate or price ($)')}
          <button type="submit" disabled={busy}>
            Record offer
          </button>
        </form>
      </details>
      {contracts.length ? (
        <>
          <form class="row" onSubmit={onTerms} aria-label="Edit terms">
            <label>
              Contract
              <select name="contract">{contractOptions()}</select>
            </label>
            {amountField('terms', 'New rate or price ($)')}
            <button type="submit" disabled={busy}>
              Edit terms
            </button>
          </form>
          {fixed.length ? (
            <form class="row" onSubmit={onMilestone} aria-label="Submit a milestone">
              <label>
                Contract
                <select name="contract">{contractOptions(fixed)}</select>
              </label>
              <label>
                Milestone
                <input name="title" required maxLength={200} />
              </label>
              {amountField('milestone', 'Amount ($)')}
              <button type="submit" disabled={busy}>
                Submit milestone
              </button>
            </form>
          ) : null}
          <form class="row" onSubmit={onPayout} aria-label="Record a payout">
            <label>
              Contract
              <select name="contract">{contractOptions()}</select>
            </label>
            {amountField('payout', 'Payout ($)')}
            <button type="submit" disabled={busy}>
              Record payout
            </button>
          </form>
        </>
      ) : null}
      <ActionResult outcome={outcome} recent={view.recent} id="earnings-result" />
    </section>
  );
}
