// D15: which amounts a business manager's browser cannot open yet, and the wraps that let it. An amount is
// sealed to the managers' browsers its writer knew; a manager promoted later (or a manager's new browser)
// publishes its seal key after, so the amounts before it are re-sealed to it by a manager's browser that can
// open them (extension/replica/reseal.ts; the rule and its bounds: core/rules/reseal.ts). Pure and
// zod-free: both the re-sealer (what to wrap) and the recipient (what it was sent) read the derivation.
import { carriesAmount } from './amounts.ts';
import { fromBase64Url, toBase64Url } from './bytes.ts';
import type { Derivation } from './derivation.ts';
import { sealedTo } from './rules/reseal.ts';
import type { Action, ActionId, KeyId, ResealBox, Sealed } from './types.ts';

/** A business manager's active browser and the sealed amounts it cannot open, the newest first. */
export interface ResealNeed {
  key: KeyId;
  /** Its published seal key, base64url. */
  seal: string;
  actions: ActionId[];
}

const refusedIn = (d: Derivation): Set<ActionId> =>
  new Set(d.state.verdicts.filter((v) => v.kind === 'refused').map((v) => v.id));

/** The applied resealAmounts of the log, with the seal key each names (base64url). */
function* appliedReseals(d: Derivation, refused: ReadonlySet<ActionId>) {
  for (const a of d.ordered)
    if (a.type === 'resealAmounts' && !refused.has(a.id)) yield a as Action<'resealAmounts'>;
}

/**
 * Every active browser of an active business manager with a published seal key, and the applied sealed
 * amounts neither sealed nor re-sealed to that key. Browsers that miss nothing are left out.
 */
export function resealNeeds(d: Derivation): ResealNeed[] {
  const s = d.state;
  const targets: { key: KeyId; seal: string; raw: Uint8Array; done: Set<ActionId>; actions: ActionId[] }[] =
    [];
  for (const [key, k] of Object.entries(s.keys)) {
    const m = s.members[k.member];
    const seal = s.sealKeys[key];
    const raw = seal ? fromBase64Url(seal) : null;
    if (k.active && raw && m?.status === 'active' && m.role === 'manager')
      targets.push({ key, seal: seal!, raw, done: new Set(), actions: [] });
  }
  if (!targets.length) return [];
  const refused = refusedIn(d);
  const bySeal = new Map(targets.map((t) => [t.seal, t]));
  for (const r of appliedReseals(d, refused)) {
    const t = bySeal.get(toBase64Url(r.payload.seal));
    if (t) for (const b of r.payload.boxes) t.done.add(b.action);
  }
  for (let i = d.ordered.length - 1; i >= 0; i--) {
    const a = d.ordered[i]!;
    if (!carriesAmount(a.type) || refused.has(a.id)) continue;
    const sealed = (a.payload as { sealed?: Sealed }).sealed;
    if (!sealed) continue;
    for (const t of targets) if (!t.done.has(a.id) && !sealedTo(sealed, t.raw)) t.actions.push(a.id);
  }
  return targets.filter((t) => t.actions.length).map(({ key, seal, actions }) => ({ key, seal, actions }));
}

/** The boxes applied re-seals addressed to `seal` (base64url), by the action each opens; the first one kept. */
export function resealsTo(d: Derivation, seal: string): Map<ActionId, ResealBox> {
  const out = new Map<ActionId, ResealBox>();
  for (const r of appliedReseals(d, refusedIn(d))) {
    if (toBase64Url(r.payload.seal) !== seal) continue;
    for (const b of r.payload.boxes) if (!out.has(b.action)) out.set(b.action, b);
  }
  return out;
}
