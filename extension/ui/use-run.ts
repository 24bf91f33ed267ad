// One request at a time per section: its outcome (working, saved/synced, refused) for <ActionResult>. A
// section's controls share one run, so a later attempt always replaces the earlier outcome on screen.
import { useCallback, useRef, useState } from 'preact/hooks';
import type { Response, ResponseValues } from '../messaging/types.ts';
import type { Outcome } from './action-result.tsx';

export type Run = (task: () => Promise<Outcome>) => Promise<Outcome>;

export function useRun(): {
  outcome: Outcome | null;
  busy: boolean;
  run: Run;
  reset: () => void;
} {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const seq = useRef(0);
  const run = useCallback(async (task: () => Promise<Outcome>) => {
    const mine = ++seq.current;
    setOutcome({ kind: 'pending' });
    let result: Outcome;
    try {
      result = await task();
    } catch (e) {
      // The messaging client never throws; this is a bug in the page, still shown rather than swallowed.
      result = { kind: 'refused', refusal: { code: 'UI_ERROR', rule: 'REQUEST', message: String(e) } };
    }
    if (mine === seq.current) setOutcome(result);
    return result;
  }, []);
  const reset = useCallback(() => {
    seq.current++;
    setOutcome(null);
  }, []);
  return { outcome, busy: outcome?.kind === 'pending', run, reset };
}

/**
 * The outcome of an `act` request: its action id (for the live saved/synced status) and any flags. `doing`
 * words the action for a refusal ("set monthly allowances": "Only a business manager can …").
 */
export function actOutcome(res: Response<ResponseValues['act']>, text: string, doing?: string): Outcome {
  if (!res.ok) return { kind: 'refused', refusal: res, doing };
  return { kind: 'saved', id: res.value.id, text, flags: res.value.flags };
}
