// Step 5 of the write check (intake.ts has 1–4): core's rules admit what was checked, into the room's
// projected derivation (guard.ts, over core's admitBatch). An update is admitted as a whole: an action its
// own causal past refuses refuses it; one a concurrent action refuses (a race) is stored like any other.
//  - alone: a large update (a catch-up) a chunk at a time, looking at the clock between chunks;
//  - a group (group.ts): the small updates that waited while the room worked, in one admission, so they cost
//    one derive together. Verdicts are order-free (core's derive): an action refused by its own causal past
//    is refused in any group and in any order, so admitting them together decides exactly what admitting
//    them one after another would. When the group is refused, the update holding the refused action is
//    refused and the others are checked again without it.
import { type Action, deriveSteps } from '../core/index.ts';
import { type Entry, encodeRuns, runsOf } from './codec.ts';
import { type AdmitContext, admitActions, precheck } from './guard.ts';
import {
  type Admitted,
  type Checked,
  EVERY,
  type IntakeResult,
  type IntakeRoom,
  MEMBERSHIP_TYPES,
  PIECE_BYTES,
  refuse,
} from './intake.ts';
import type { Slice } from './slice.ts';
import { inSlices } from './steps.ts';

/** Actions admitted between two looks at the clock. */
const ADMIT_CHUNK = 1024;

const contextOf = (room: IntakeRoom, c: Checked): AdmitContext => ({
  now: room.now(),
  keyId: c.item.peer.keyId,
  allowOtherActors: c.actions.some((a) => a.actor !== c.item.peer.keyId), // vetted in step 4
});

/**
 * The close for an action core refused. A fork of the writer's own key chain has a code of its own: an honest
 * browser writes one only when its copy lost an action the server holds, and it tells the member so.
 */
const refusedBy = (r: { code: string; rule: string; message: string }): IntakeResult =>
  refuse(r.code === 'KEY_FORKED' ? 'KEY_FORKED' : 'INVALID_ACTION', `${r.code} (${r.rule}): ${r.message}`);

/** Admits one checked update, a chunk at a time. */
export async function admitAlone(room: IntakeRoom, c: Checked, slice: Slice): Promise<IntakeResult> {
  const { actions, order } = c;
  const ctx = contextOf(room, c);
  // A long update that lands at the end is applied in place (a few µs an action); one that does not is
  // derived once, whole.
  let current = room.derivation();
  for (let from = 0; from < order.length; from += ADMIT_CHUNK) {
    const chunk = order.slice(from, from + ADMIT_CHUNK).map((i) => actions[i]!);
    const r = await admitActions(current, chunk, ctx, slice);
    current = r.derivation;
    if (r.ok === true) {
      room.setDerivation(current);
      await slice.pace();
      continue;
    }
    if (from > 0) {
      // the update is refused as a whole: the chunks admitted before this one go too
      const ours = new Set(actions.map((a) => a.id));
      current = await inSlices(
        deriveSteps(
          room.id,
          [...current.actions.values()].filter((a) => !ours.has(a.id)),
        ),
        slice,
      );
    }
    room.setDerivation(current);
    if (r.ok === 'wait') return { kind: 'wait', needs: { kind: 'any' } };
    return refusedBy(r);
  }
  // Admitted is stored, even if its connection closed meanwhile: the room's derivation holds it now (and
  // the connection's next catch-up finds it held).
  await slice.pace();
  return { kind: 'accept', admitted: await admittedParts(c, slice), caps: c.caps };
}

export type GroupAdmission =
  | { ok: true; results: IntakeResult[] }
  /** `refused` holds the refusal of the update at `index`; the others are to be checked again. */
  | { ok: false; index: number; refused: IntakeResult };

/** Admits a group of checked updates at once (each, its own precheck). */
export async function admitGroup(
  room: IntakeRoom,
  group: readonly Checked[],
  slice: Slice,
): Promise<GroupAdmission> {
  const d = room.derivation();
  const all: Action[] = [];
  for (let k = 0; k < group.length; k++) {
    const c = group[k]!;
    const batch = c.order.map((i) => c.actions[i]!);
    const problem = precheck(d, batch, contextOf(room, c));
    if (problem && problem.ok === false)
      return {
        ok: false,
        index: k,
        refused: refuse('INVALID_ACTION', `${problem.code} (${problem.rule}): ${problem.message}`),
      };
    all.push(...batch);
  }
  const r = await admitActions(d, all, null, slice);
  room.setDerivation(r.derivation);
  if (r.ok === 'wait') {
    // cannot happen (each update's dependencies were found in the room or before it in the group); the
    // updates are checked again one by one
    return { ok: false, index: -1, refused: { kind: 'wait', needs: { kind: 'any' } } };
  }
  if (r.ok === false) {
    const index = group.findIndex((c) => c.actions.some((a) => a.id === r.id));
    return {
      ok: false,
      index,
      refused: refusedBy(r),
    };
  }
  const results: IntakeResult[] = [];
  for (const c of group)
    results.push({ kind: 'accept', admitted: await admittedParts(c, slice), caps: c.caps });
  return { ok: true, results };
}

/** The admitted entries, in Yjs order, as pieces of at most PIECE_BYTES (whole entries, runs in order). */
async function admittedParts(c: Checked, slice: Slice): Promise<Admitted[]> {
  const { fresh: entries, actions, order: admitted, claims } = c;
  // in Yjs order per client: a prefix of each client's run (admissionOrder made sure of it)
  const all = admitted.length === entries.length;
  const sorted = all ? entries.map((_, i) => i) : [...admitted].sort((x, y) => x - y);
  const out: Admitted[] = [];
  let piece: number[] = [];
  let bytes = 0;
  const cut = async () => {
    if (piece.length) out.push(partOf(entries, actions, piece, claims));
    piece = [];
    bytes = 0;
    await slice.pace();
  };
  for (let k = 0; k < sorted.length; k++) {
    const i = sorted[k]!;
    const size = entries[i]!.bytes.length;
    if (bytes + size > PIECE_BYTES) await cut();
    piece.push(i);
    bytes += size;
    if ((k & EVERY) === EVERY) await slice.pace();
  }
  await cut();
  return out;
}

function partOf(
  entries: readonly Entry[],
  actions: readonly Action[],
  indexes: readonly number[],
  claims: ReadonlyMap<number, string>,
): Admitted {
  const kept = indexes.map((i) => entries[i]!);
  const runs = runsOf(kept);
  const clocks = new Map<number, number>();
  for (const run of runs)
    clocks.set(run.client, Math.max(clocks.get(run.client) ?? 0, run.clock + run.length));
  const used = new Set(kept.map((e) => e.client));
  return {
    runs,
    update: encodeRuns(runs),
    clocks,
    claims: [...claims].filter(([client]) => used.has(client)),
    actions: indexes.length,
    membership: indexes.some((i) => MEMBERSHIP_TYPES.has(actions[i]!.type)),
  };
}
