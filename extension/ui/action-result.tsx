// The outcome of one request a member made on a page: refused (a sentence about their situation, the rule's
// id only as a small detail), or the action's live status — saved in this browser, then synced with the
// server — read from the view's `recent` list.
import type { ComponentChildren } from 'preact';
import type { ActionStatus } from '../messaging/types.ts';
import type { Refusal } from './client.ts';
import { refusalSentence } from './refusal-text.ts';
import { RuleRef } from './rule-ref.tsx';

export type Outcome =
  | { kind: 'pending' }
  /** `doing` words what was refused ("set monthly allowances"), for "Only a business manager can …". */
  | { kind: 'refused'; refusal: Refusal; doing?: string }
  /** `note` says what the saved/synced state means here (e.g. an invite usable only once synced). */
  | { kind: 'saved'; id: string | null; text: string; flags?: Refusal[]; note?: ComponentChildren };

export interface ActionResultProps {
  outcome: Outcome | null;
  recent?: ActionStatus[];
  /** Lets a field point at the sentence that concerns it (aria-describedby). */
  id?: string;
}

export function ActionResult({ outcome, recent = [], id }: ActionResultProps) {
  if (!outcome) return null;
  if (outcome.kind === 'pending') {
    return (
      <p class="result" role="status" id={id}>
        Working…
      </p>
    );
  }
  if (outcome.kind === 'refused') {
    return (
      <div class="result refused" role="alert" id={id}>
        <p>{refusalSentence(outcome.refusal, outcome.doing)}</p>
        <RuleRef rule={outcome.refusal.rule} />
      </div>
    );
  }
  const live = outcome.id ? recent.find((s) => s.id === outcome.id) : undefined;
  if (live?.status === 'refused') {
    return (
      <div class="result refused" role="alert" id={id}>
        <p>
          {outcome.text}, then refused: {live.message}
        </p>
        <RuleRef rule={live.rule} />
      </div>
    );
  }
  // Only an action of the agency's log is saved, then synced; anything else (an export, a setting) just is.
  const where = !outcome.id
    ? ''
    : live?.status === 'synced'
      ? ' — synced with the server'
      : ' — saved in this browser';
  return (
    <div class={`result ${live?.status ?? 'saved'}`} role="status" id={id}>
      <p>
        {outcome.text}
        {where}.
      </p>
      {outcome.note ? <p class="muted">{outcome.note}</p> : null}
      {outcome.flags?.map((f) => (
        <div key={f.code} class="notice">
          <p>Flagged for the business managers: {f.message}</p>
          <RuleRef rule={f.rule} />
        </div>
      ))}
    </div>
  );
}
