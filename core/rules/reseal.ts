// D15: a business manager's browser lets a newly published manager browser read the amounts sealed before it
// could be sealed to (core/reseal.ts says what is missing; extension/replica/reseal.ts wraps). Every field
// is the re-sealer's choice, so each is bounded here, by what the action knew, and the sync server refuses an
// update this refuses by its own causal past (sync-server/guard.ts):
//  - the actor is a business manager (a plain member can open nothing to re-seal; the check also makes the
//    action one that needs authority, so a concurrent demotion refuses it: D5);
//  - the recipient is an active browser key of an active business manager, and `seal` the key that browser
//    published (a plain member's, a demoted manager's, a removed key's or a replaced seal key is refused);
//  - each box names an applied amount-bearing action with an envelope, in the action's causal past, not already
//    sealed or re-sealed to that seal key in its past (an honest browser never repeats what it knows).
// Concurrent re-seals of one amount by two managers both stand: neither knew the other, the recipient opens
// whichever it finds first, and nothing counts them (amounts are read by action id, core/amounts.ts).
import { carriesAmount } from '../amounts.ts';
import { bytesEqual, toBase64Url } from '../bytes.ts';
import { known, knownMember, knowsAll, type ReplayContext, write } from '../knowledge.ts';
import type { VerdictCode } from '../refusals.ts';
import { SEAL } from '../schemas.ts';
import type { Action, ActionId, Payloads, Sealed, Verdict } from '../types.ts';
import { isManager, nameOf, type Rules } from './rule.ts';

/** The register subject of "this amount was re-sealed to this seal key". */
const resealed = (seal: string, action: string): string => `${seal}|${action}`;

/** Whether the envelope already names `seal` among its recipients. */
export function sealedTo(sealed: Sealed, seal: Uint8Array): boolean {
  for (let i = 0; i < sealed.to.length; i += SEAL.RECIPIENT_BYTES)
    if (bytesEqual(sealed.to.subarray(i, i + SEAL.KEY_BYTES), seal)) return true;
  return false;
}

function recipientCheck(ctx: ReplayContext, p: Payloads['resealAmounts']): VerdictCode | null {
  const key = toBase64Url(p.key);
  const record = ctx.state.keys[key];
  if (!record) return 'RESEAL_NOT_MANAGER_KEY';
  const keyStatus = knowsAll(ctx) ? (record.active ? 'active' : 'revoked') : known<string>(ctx, 'ke', key);
  const member = knownMember(ctx, record.member);
  if (keyStatus !== 'active' || member?.status !== 'active' || member.role !== 'manager')
    return 'RESEAL_NOT_MANAGER_KEY';
  return known<string>(ctx, 'sb', key) === toBase64Url(p.seal) ? null : 'RESEAL_NOT_MANAGER_KEY';
}

/**
 * Ids refused so far in the replay that wrote `verdicts`, scanned on demand: verdicts are only ever
 * appended, and a new replay (or a copied state) starts a new array, so one scan per array and replay.
 */
const refusedSoFar = new WeakMap<readonly Verdict[], { scanned: number; ids: Set<ActionId> }>();

function wasRefused(verdicts: readonly Verdict[], id: ActionId): boolean {
  let seen = refusedSoFar.get(verdicts);
  if (!seen) {
    seen = { scanned: 0, ids: new Set() };
    refusedSoFar.set(verdicts, seen);
  }
  for (; seen.scanned < verdicts.length; seen.scanned++) {
    const v = verdicts[seen.scanned]!;
    if (v.kind === 'refused') seen.ids.add(v.id);
  }
  return seen.ids.has(id);
}

function boxCheck(ctx: ReplayContext, p: Payloads['resealAmounts'], seal: string): VerdictCode | null {
  for (const box of p.boxes) {
    const pos = ctx.d.position.get(box.action);
    if (pos === undefined || pos >= ctx.index || !ctx.knows(pos)) return 'RESEAL_NOT_SEALED';
    // a refused action holds no amount: a box naming it would make the refused action matter (an
    // invariant: a refused action changes nothing, convergence property test, seed 13)
    if (wasRefused(ctx.state.verdicts, box.action)) return 'RESEAL_NOT_SEALED';
    const target = ctx.d.ordered[pos] as Action;
    const sealed = carriesAmount(target.type) ? (target.payload as { sealed?: Sealed }).sealed : undefined;
    if (!sealed) return 'RESEAL_NOT_SEALED';
    if (sealedTo(sealed, p.seal) || known(ctx, 'rs', resealed(seal, box.action)) !== undefined)
      return 'RESEAL_REPEATED';
  }
  return null;
}

export const resealRules: Rules = {
  resealAmounts: {
    check(ctx, a, actor) {
      if (!isManager(actor)) return 'RESEAL_NOT_MANAGER';
      return recipientCheck(ctx, a.payload) ?? boxCheck(ctx, a.payload, toBase64Url(a.payload.seal));
    },
    apply(ctx, a, actor) {
      const seal = toBase64Url(a.payload.seal);
      for (const box of a.payload.boxes) write(ctx, 'rs', resealed(seal, box.action), true);
      const to = ctx.state.keys[toBase64Url(a.payload.key)]!.member;
      const n = a.payload.boxes.length;
      return {
        text: `${actor.record.name} let ${nameOf(ctx, to)}’s browser read ${n} earlier amount${n === 1 ? '' : 's'}`,
      };
    },
  },
};
