// The outcome of one request a member made on a page: refused (with the rule's sentence), or the action's
// live status — saved in this browser, then synced with the server — read from the view's `recent` list.
import type { ActionStatus, Response } from '../messaging/types.ts';
import type { Refusal } from './client.ts';

export type Outcome =
  | { kind: 'pending' }
  | { kind: 'refused'; refusal: Refusal }
  | { kind: 'saved'; id: string | null; text: string; flags?: Refusal[] };

export function outcomeOf<T>(res: Response<T>, text: string, id: string | null = null): Outcome {
  return res.ok ? { kind: 'saved', id, text } : { kind: 'refused', refusal: res };
}

export function ActionResult({ outcome, recent = [] }: { outcome: Outcome | null; recent?: ActionStatus[] }) {
  if (!outcome) return null;
  if (outcome.kind === 'pending') {
    return (
      <p class="result" role="status">
        Working…
      </p>
    );
  }
  if (outcome.kind === 'refused') {
    return (
      <p class="result refused" role="alert">
        Refused ({outcome.refusal.rule}): {outcome.refusal.message}
      </p>
    );
  }
  const live = outcome.id ? recent.find((s) => s.id === outcome.id) : undefined;
  const where =
    live?.status === 'refused'
      ? `refused (${live.rule}): ${live.message}`
      : live?.status === 'synced'
        ? 'synced with the server'
        : 'saved in this browser';
  return (
    <div class={`result ${live?.status ?? 'saved'}`} role="status">
      <p>
        {outcome.text} — {where}.
      </p>
      {outcome.flags?.map((f) => (
        <p key={f.code} class="notice">
          Flagged ({f.rule}): {f.message}
        </p>
      ))}
    </div>
  );
}
