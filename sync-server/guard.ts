// The rule admission of verified actions (intake.ts checks everything before it: structure, signatures,
// what the signer chose): the 5-minute rule, the actor, and core's rules evaluated at the action's own
// dependencies (appendLocal on the state derived from its causal past). An intent that only loses a
// concurrent race passes here (its causal past allows it) and is refused by every replica's derive
// instead: closing an honest client for a race would wedge it (yjs/yjs#550).
import {
  type Action,
  type ActionId,
  appendLocal,
  applyActions,
  type Derivation,
  derive,
} from '../core/index.ts';
import { MAX_CLOCK_SKEW_MS } from '../core/protocol.ts';

export type Admission =
  | { ok: true; derivation: Derivation }
  /** An action depends on one the room does not have yet. */
  | { ok: 'wait'; derivation: Derivation }
  | { ok: false; derivation: Derivation; code: string; rule: string; message: string };

export interface AdmitContext {
  agencyId: string;
  now: number;
  /** The key the connection proved (base64url). */
  keyId: string;
  /** Whether actions signed by other keys may come through this message (a sync step 2: see room.ts). */
  allowOtherActors: boolean;
  /** Derivations of past states keyed by their heads, reused for chains of actions on an old state. */
  branches: Map<string, Derivation>;
}

const MAX_BRANCHES = 4;
const headsKey = (ids: Iterable<ActionId>): string => [...ids].sort().join(',');

function sameHeads(d: Derivation, deps: readonly ActionId[]): boolean {
  if (d.heads.size !== deps.length) return false;
  for (const dep of deps) if (!d.heads.has(dep)) return false;
  return true;
}

/** The action's causal past: its deps and all their ancestors. */
function closure(d: Derivation, deps: readonly ActionId[]): Action[] {
  const seen = new Set<ActionId>();
  const stack = [...deps];
  const out: Action[] = [];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const a = d.actions.get(id);
    if (!a) continue;
    out.push(a);
    for (const dep of a.deps) if (!seen.has(dep)) stack.push(dep);
  }
  return out;
}

/** New actions in an order where each one's deps come first; null when a dep is nowhere to be found. */
function causalOrder(d: Derivation, fresh: readonly Action[]): Action[] | null {
  const byId = new Map(fresh.map((a) => [a.id, a]));
  const done = new Set<ActionId>();
  const out: Action[] = [];
  const visit = (root: Action): boolean => {
    const stack: [Action, number][] = [[root, 0]];
    const onPath = new Set<ActionId>([root.id]);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [a, i] = top;
      if (i < a.deps.length) {
        top[1]++;
        const dep = a.deps[i]!;
        if (done.has(dep) || d.actions.has(dep)) continue;
        const next = byId.get(dep);
        if (!next || onPath.has(dep)) return false;
        onPath.add(dep);
        stack.push([next, 0]);
      } else {
        stack.pop();
        onPath.delete(a.id);
        if (!done.has(a.id)) {
          done.add(a.id);
          out.push(a);
        }
      }
    }
    return true;
  };
  for (const a of fresh) if (!done.has(a.id) && !visit(a)) return null;
  return out;
}

function remember(branches: Map<string, Derivation>, key: string, d: Derivation): void {
  branches.delete(key);
  branches.set(key, d);
  while (branches.size > MAX_BRANCHES) branches.delete(branches.keys().next().value!);
}

/**
 * Admits verified actions into the room's projected derivation `d`, or says why not. On refusal the
 * returned derivation no longer holds any action of this batch (the update is refused as a whole).
 */
export function admitActions(d: Derivation, fresh: readonly Action[], ctx: AdmitContext): Admission {
  for (const a of fresh) {
    if (a.at > ctx.now + MAX_CLOCK_SKEW_MS) {
      return {
        ok: false,
        derivation: d,
        code: 'FUTURE_TIME',
        rule: 'LOG',
        message: 'An action is stamped more than 5 minutes ahead of the server clock.',
      };
    }
    if (a.actor !== ctx.keyId && !ctx.allowOtherActors) {
      return {
        ok: false,
        derivation: d,
        code: 'NOT_YOUR_KEY',
        rule: 'LOG',
        message: 'An action is signed by a key other than the one this connection proved.',
      };
    }
    if (a.type === 'createAgency' && (d.actions.size > 0 || a.deps.length > 0)) {
      // Agency ids are random: a second creation of an existing agency is never honest, and letting the
      // id tie-break choose between two creations would hand the agency to whoever sorts first.
      return {
        ok: false,
        derivation: d,
        code: 'ALREADY_CREATED',
        rule: 'LOG',
        message: 'The agency already exists; it is created only once.',
      };
    }
  }
  const ordered = causalOrder(d, fresh);
  if (!ordered) return { ok: 'wait', derivation: d };
  const added: ActionId[] = [];
  let current = d;
  for (const a of ordered) {
    if (a.type === 'createAgency' && current.actions.size > 0) {
      return rollback(
        current,
        added,
        ctx.agencyId,
        'ALREADY_CREATED',
        'LOG',
        'The agency already exists; it is created only once.',
      );
    }
    if (sameHeads(current, a.deps)) {
      // The common case: the action is written on top of everything the room has.
      const r = appendLocal(current, a);
      if (!r.ok) return rollback(current, added, ctx.agencyId, r.code, r.rule, r.message);
      current = r.derivation;
    } else {
      const key = headsKey(a.deps);
      let past = ctx.branches.get(key);
      ctx.branches.delete(key);
      past ??= derive(ctx.agencyId, closure(current, a.deps));
      const r = appendLocal(past, a);
      if (!r.ok) return rollback(current, added, ctx.agencyId, r.code, r.rule, r.message);
      remember(ctx.branches, a.id, r.derivation);
      current = applyActions(current, [a]);
    }
    added.push(a.id);
  }
  return { ok: true, derivation: current };
}

function rollback(
  d: Derivation,
  added: ActionId[],
  agencyId: string,
  code: string,
  rule: string,
  message: string,
): Admission {
  if (!added.length) return { ok: false, derivation: d, code, rule, message };
  const drop = new Set(added);
  const kept = [...d.actions.values()].filter((a) => !drop.has(a.id));
  return { ok: false, derivation: derive(agencyId, kept), code, rule, message };
}
