// Contracts two members recorded as their own at the same time (D8): no one holds one until a business manager
// decides whose it is (assignContract). Shown on the agency pages to business managers only, and only while
// there is one; the rule (managers only) is core's, so a plain member's request would be refused by the
// background, every replica and the server alike.
import type { JSX } from 'preact';
import type { AgencyView } from '../messaging/types.ts';
import { ActionResult } from './action-result.tsx';
import type { Send } from './client.ts';
import { text } from './fields.ts';
import { actOutcome, useRun } from './use-run.ts';

export function DisputedContracts({ view, send }: { view: AgencyView; send: Send }) {
  const { outcome, busy, run } = useRun();
  const state = view.state;
  const disputed = Object.values(state.contractsSeen ?? {}).filter((c) => c.member === null);
  if (!disputed.length && outcome === null) return null;
  const nameOf = (id: string) => state.members[id]?.name ?? 'a former member';
  const active = Object.values(state.members).filter((m) => m.status === 'active');
  const firstActive = (ids: readonly string[] | undefined) =>
    ids?.find((id) => state.members[id]?.status === 'active');
  const decide = (e: JSX.TargetedSubmitEvent<HTMLFormElement>, contract: string, title: string) => {
    e.preventDefault();
    const member = text(e.currentTarget, 'member');
    void run(async () =>
      actOutcome(
        await send({
          kind: 'act',
          agencyId: view.agencyId,
          type: 'assignContract',
          payload: { contract, member },
        }),
        `'${title}' is ${nameOf(member)}’s contract`,
        'decide whose a disputed contract is',
      ),
    );
  };
  return (
    <section class="card" aria-labelledby="disputed-title" id="disputed-contracts">
      <h2 id="disputed-title">Disputed contracts</h2>
      <p class="muted">
        Two members recorded each of these as their own at the same time, neither knowing of the other’s
        record, so no one holds it: decide whose it is (D8).
      </p>
      <ul class="plain">
        {disputed.map((c) => (
          <li key={c.id} data-testid={`disputed-${c.id}`}>
            <form class="row" onSubmit={(e) => decide(e, c.id, c.title)}>
              <span class="grow">
                <strong>{c.title}</strong> — recorded by {(c.disputed ?? []).map(nameOf).sort().join(' and ')}
              </span>
              <label>
                Whose is it?{' '}
                <select name="member">
                  {active.map((m) => (
                    // the first of its recorders who is still a member comes preselected
                    <option key={m.id} value={m.id} selected={m.id === firstActive(c.disputed)}>
                      {m.name}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" disabled={busy}>
                Decide
              </button>
            </form>
          </li>
        ))}
      </ul>
      <ActionResult outcome={outcome} id="disputed-result" />
    </section>
  );
}
