// What a replica does about amounts (D15): seals the amounts of an action this browser records to the
// business managers' browsers its log knows, opens the envelopes addressed to this browser (or re-sealed to
// it), and re-seals what it can open for a manager's browser that published its key later. Kept out of
// replica.ts so the replica's one entry point stays act(type, payload).
import {
  type Action,
  type ActionId,
  type AgencyLog,
  type AgencyState,
  type Amounts,
  type AmountsView,
  type AmountType,
  amountsView,
  carriesAmount,
  clearAmounts,
  type Derivation,
  fromBase64Url,
  managerSealKeys,
  type Payloads,
  type ResealBox,
  resealNeeds,
  resealsTo,
  SEAL,
  type Sealed,
  toBase64Url,
} from '../../core/index.ts';
import {
  envelopeKey,
  openWithKey,
  type Prepared,
  prepareSealed,
  sealPublicKey,
  unwrapResealed,
  wrapForReseal,
} from './sealing.ts';

/** An amount this browser opened: its content key (to re-seal it) and what it holds. */
interface Opened {
  cek: Uint8Array;
  amounts: Amounts;
}

export class ReplicaAmounts {
  private readonly agencyId: string;
  private readonly pair: CryptoKeyPair | null;
  private publicKey: Promise<Uint8Array> | null = null;
  /** Action id → what it opened to here. Actions never change, so a success is kept. */
  private readonly opened = new Map<ActionId, Opened>();
  /** Envelopes already tried with this browser's key (a re-seal to it may still open one later). */
  private readonly tried = new Set<ActionId>();
  /** The amountsSignature of the last re-seal scan that found nothing this browser could do. */
  private nothingToDo: string | null = null;

  constructor(agencyId: string, pair: CryptoKeyPair | null) {
    this.agencyId = agencyId;
    this.pair = pair;
  }

  /** This browser's X25519 public key, or null when the replica was given none. */
  async myKey(): Promise<Uint8Array | null> {
    if (!this.pair) return null;
    this.publicKey ??= sealPublicKey(this.pair);
    return this.publicKey;
  }

  /**
   * The key to publish before this browser can be sealed to: when its member is an active business manager
   * and the log does not hold this browser's key yet. A plain member's browser publishes nothing.
   */
  async keyToPublish(state: AgencyState, browserKey: string): Promise<Uint8Array | null> {
    const mine = await this.myKey();
    if (!mine || !managesFrom(state, browserKey)) return null;
    return state.sealKeys[browserKey] === toBase64Url(mine) ? null : mine;
  }

  /** The payload to sign: any amount in the clear moves into an envelope for the managers' browsers. */
  prepare<T extends AmountType>(type: T, payload: Payloads[T], state: AgencyState): Promise<Prepared<T>> {
    return prepareSealed(this.agencyId, type, payload, managerSealKeys(state));
  }

  /** The wraps re-sealed to this browser's published key, by action (none before it published one). */
  private async wrapsToMe(d: Derivation): Promise<Map<ActionId, ResealBox>> {
    const mine = await this.myKey();
    return mine ? resealsTo(d, toBase64Url(mine)) : new Map();
  }

  /** What this browser can open of an amount-bearing action: from its envelope, or a re-seal to it. */
  private async open(a: Action, wraps: ReadonlyMap<ActionId, ResealBox>): Promise<Opened | null> {
    const hit = this.opened.get(a.id);
    if (hit || !this.pair) return hit ?? null;
    const payload = a.payload as Payloads[AmountType];
    const sealed = (payload as { sealed?: Sealed }).sealed;
    if (!sealed) return null;
    let cek: Uint8Array | null = null;
    if (!this.tried.has(a.id)) {
      this.tried.add(a.id);
      cek = await envelopeKey(sealed, this.pair);
    }
    const box = wraps.get(a.id);
    if (!cek && box) cek = await unwrapResealed(this.agencyId, box, this.pair);
    const amounts = cek ? await openWithKey(this.agencyId, a.type as AmountType, payload, cek) : null;
    if (!cek || !amounts) return null;
    const opened = { cek, amounts };
    this.opened.set(a.id, opened);
    return opened;
  }

  /** The amounts of the state's offers, contracts and payouts, as far as this browser can open them. */
  async view(log: AgencyLog): Promise<AmountsView> {
    const found = new Map<ActionId, Amounts>();
    const wraps = await this.wrapsToMe(log.derived);
    for (const a of log.derived.actions.values()) {
      if (!carriesAmount(a.type)) continue;
      // 0.2.0 wrote amounts in the clear; they are read as they are (nothing sent can be unsent).
      const amounts = clearAmounts(a.type, a.payload) ?? (await this.open(a, wraps))?.amounts;
      if (amounts) found.set(a.id, amounts);
    }
    return amountsView(log.state, found);
  }

  /**
   * The re-seals this browser can sign now (D15): for every other active manager browser whose published key
   * misses sealed amounts, the ones this browser can open, newest first, in payloads of at most
   * MAX_RESEAL_BOXES. None unless this browser's member is an active business manager.
   */
  async reseals(log: AgencyLog, browserKey: string): Promise<Payloads['resealAmounts'][]> {
    const d = log.derived;
    if (!this.pair || !managesFrom(d.state, browserKey)) return [];
    // resealNeeds reads the whole log (18 ms for 5,000 actions here); it runs again only when the managers'
    // keys or the amounts changed since a scan that found nothing to do.
    const signature = amountsSignature(d.state);
    if (signature === this.nothingToDo) return [];
    const needs = resealNeeds(d).filter((n) => n.key !== browserKey);
    if (!needs.length) {
      this.nothingToDo = signature;
      return [];
    }
    const wraps = await this.wrapsToMe(d);
    const out: Payloads['resealAmounts'][] = [];
    for (const need of needs) {
      const seal = fromBase64Url(need.seal);
      if (seal?.length !== SEAL.KEY_BYTES) continue;
      let boxes: ResealBox[] = [];
      for (const id of need.actions) {
        const a = d.actions.get(id);
        const opened = a ? await this.open(a, wraps) : null;
        if (!opened) continue;
        boxes.push(await wrapForReseal(this.agencyId, id, opened.cek, seal));
        if (boxes.length === SEAL.MAX_RESEAL_BOXES) {
          out.push({ key: fromBase64Url(need.key)!, seal, boxes });
          boxes = [];
        }
      }
      if (boxes.length) out.push({ key: fromBase64Url(need.key)!, seal, boxes });
    }
    if (!out.length) this.nothingToDo = signature;
    return out;
  }
}

/**
 * What re-sealing depends on, in a few strings per offer and contract rather than a pass over the log: the
 * managers' browsers and their seal keys, and the actions holding the amounts (records, terms, milestones,
 * payouts).
 */
function amountsSignature(state: AgencyState): string {
  const parts = [managerSealKeys(state).join(','), String(state.payouts.length)];
  for (const o of Object.values(state.offers)) parts.push(o.record);
  for (const c of Object.values(state.contracts)) parts.push(c.termsBy, String(c.milestones.length));
  return parts.join('|');
}

/** Whether `browserKey` is an active key of an active business manager in `state`. */
function managesFrom(state: AgencyState, browserKey: string): boolean {
  const k = state.keys[browserKey];
  const member = k ? state.members[k.member] : undefined;
  return !!k?.active && member?.status === 'active' && member.role === 'manager';
}
