// The shape every rule has: a pure check (intents only) and an effect, side by side (Zero's mutators).
// A check reads what the action knew (knowledge.ts), never what concurrent actions sorted before it did, so a
// verdict does not depend on the order of concurrent actions. A refused intent never reaches its effect.
import type { ReplayContext } from '../knowledge.ts';
import type { VerdictCode } from '../refusals.ts';
import type { Action, ActionType, KeyId, Member, MemberId, Role } from '../types.ts';

/** The acting member as the action knew them (status active for every intent that reaches a check). */
export interface Actor {
  id: MemberId;
  key: KeyId;
  role: Role;
  isOwner: boolean;
  /** The member's record in the state at this position (for names and effects). */
  record: Member;
}

export type Outcome =
  | { ok: true; flags: VerdictCode[]; text: string | null }
  | { ok: false; code: VerdictCode };

export interface Rule<T extends ActionType> {
  /** Intents: null when allowed, else the refusal. Facts have none (a fact is never refused by its rule). */
  check?(ctx: ReplayContext, a: Action<T>, actor: Actor): VerdictCode | null;
  apply(ctx: ReplayContext, a: Action<T>, actor: Actor): { text: string | null; flags?: VerdictCode[] };
}

export type Rules = { [T in ActionType]?: Rule<T> };

export const isManager = (actor: Actor): boolean => actor.role === 'manager';

export const plural = (n: number): string => `${n} Connect${n === 1 ? '' : 's'}`;

export const nameOf = (ctx: ReplayContext, id: MemberId): string =>
  ctx.state.members[id]?.name ?? 'a former member';
