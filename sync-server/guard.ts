// The rule admission of verified actions (intake.ts checks everything before it: structure, signatures,
// what the signer chose): the 5-minute rule, the actor, one creation, then core's admitBatch. Every verdict
// is core's, judged by what each action knew: an action its own causal past refuses is never honest, and
// refuses the update; one refused because a concurrent action took away what it needed (a race) is stored
// and relayed, since every replica refuses it the same way and closing an honest writer for a race would
// wedge it (yjs/yjs#550). A batch that does not land at the end of the log costs one derive, not one per
// action (issue 8, item 12).
import { type Action, type ActionId, admitBatchSteps, type Derivation } from '../core/index.ts';
import { MAX_CLOCK_SKEW_MS } from '../core/protocol.ts';
import { amountInTheClear, CLEAR_AMOUNT_MESSAGE } from './amounts-in-the-clear.ts';
import type { Slice } from './slice.ts';
import { inSlices } from './steps.ts';

export type Admission =
  | { ok: true; derivation: Derivation }
  /** An action depends on one the room does not have yet. */
  | { ok: 'wait'; derivation: Derivation }
  /** Refused; `id`: the action core refused (absent: the server's own precheck refused). */
  | { ok: false; derivation: Derivation; id?: string; code: string; rule: string; message: string };

export interface AdmitContext {
  now: number;
  /** The key the connection proved (base64url). */
  keyId: string;
  /** Whether actions signed by other keys may come through this message (vetted by intake.ts). */
  allowOtherActors: boolean;
}

/** Whether every dependency of `fresh` is in the room or in `fresh` itself. */
function depsKnown(d: Derivation, fresh: readonly Action[]): boolean {
  const batch = new Set<ActionId>(fresh.map((a) => a.id));
  return fresh.every((a) => a.deps.every((dep) => batch.has(dep) || d.actions.has(dep)));
}

const refused = (d: Derivation, code: string, message: string): Admission => ({
  ok: false,
  derivation: d,
  code,
  rule: 'LOG',
  message,
});

/**
 * What the server refuses in `fresh` before core's rules: a time stamp ahead of its clock, another key's
 * action where none may come, a second creation. Null when none.
 */
export function precheck(d: Derivation, fresh: readonly Action[], ctx: AdmitContext): Admission | null {
  for (const a of fresh) {
    if (a.at > ctx.now + MAX_CLOCK_SKEW_MS)
      return refused(d, 'FUTURE_TIME', 'An action is stamped more than 5 minutes ahead of the server clock.');
    if (a.actor !== ctx.keyId && !ctx.allowOtherActors)
      return refused(
        d,
        'NOT_YOUR_KEY',
        'An action is signed by a key other than the one this connection proved.',
      );
    // Agency ids are random: a second creation of an existing agency is never honest, and two creations
    // would leave the agency to whichever sorts first.
    if (a.type === 'createAgency' && (d.actions.size > 0 || a.deps.length > 0 || fresh.length > 1))
      return refused(d, 'ALREADY_CREATED', 'The agency already exists; it is created only once.');
  }
  if (amountInTheClear(fresh)) return refused(d, 'AMOUNT_IN_THE_CLEAR', CLEAR_AMOUNT_MESSAGE);
  return null;
}

/**
 * Admits verified actions into the room's projected derivation `d`, or says why not. On refusal the
 * returned derivation holds none of this batch (the update is refused as a whole). `ctx` is null for
 * actions prechecked already (a group's, each update with its own context). The room's intake waits for it
 * (one admission at a time), other rooms are served between its slices.
 */
export async function admitActions(
  d: Derivation,
  fresh: readonly Action[],
  ctx: AdmitContext | null,
  slice: Slice,
): Promise<Admission> {
  const problem = ctx ? precheck(d, fresh, ctx) : null;
  if (problem) return problem;
  if (!depsKnown(d, fresh)) return { ok: 'wait', derivation: d };
  // a batch that does not land at the end derives the log: in slices (steps.ts)
  const r = await inSlices(admitBatchSteps(d, fresh), slice);
  if (!r.ok)
    return { ok: false, derivation: r.derivation, id: r.id, code: r.code, rule: r.rule, message: r.message };
  return { ok: true, derivation: r.derivation };
}
