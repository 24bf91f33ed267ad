// What a replica does about amounts (D15): seals the amounts of an action this browser records to the
// business managers' browsers its log knows, and opens the envelopes addressed to this browser. Kept out of
// replica.ts so the replica's one entry point stays act(type, payload).
import {
  type ActionId,
  type AgencyLog,
  type AgencyState,
  type Amounts,
  type AmountsView,
  type AmountType,
  amountsView,
  carriesAmount,
  clearAmounts,
  managerSealKeys,
  type Payloads,
  toBase64Url,
} from '../../core/index.ts';
import { openSealed, type Prepared, prepareSealed, sealPublicKey } from './sealing.ts';

export class ReplicaAmounts {
  private readonly agencyId: string;
  private readonly pair: CryptoKeyPair | null;
  private publicKey: Promise<Uint8Array> | null = null;
  /** Action id → what it opened to here (null: not addressed to this browser). Actions never change. */
  private readonly opened = new Map<ActionId, Amounts | null>();

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
    const k = state.keys[browserKey];
    const member = k ? state.members[k.member] : undefined;
    if (!mine || !k?.active || member?.status !== 'active' || member.role !== 'manager') return null;
    return state.sealKeys[browserKey] === toBase64Url(mine) ? null : mine;
  }

  /** The payload to sign: any amount in the clear moves into an envelope for the managers' browsers. */
  prepare<T extends AmountType>(type: T, payload: Payloads[T], state: AgencyState): Promise<Prepared<T>> {
    return prepareSealed(this.agencyId, type, payload, managerSealKeys(state));
  }

  /** The amounts of the state's offers, contracts and payouts, as far as this browser can open them. */
  async view(log: AgencyLog): Promise<AmountsView> {
    const found = new Map<ActionId, Amounts>();
    for (const a of log.derived.actions.values()) {
      if (!carriesAmount(a.type)) continue;
      let amounts = this.opened.get(a.id);
      if (amounts === undefined) {
        // 0.2.0 wrote amounts in the clear; they are read as they are (nothing sent can be unsent).
        amounts =
          clearAmounts(a.type, a.payload) ??
          (this.pair
            ? await openSealed(this.agencyId, a.type, a.payload as Payloads[AmountType], this.pair)
            : null);
        this.opened.set(a.id, amounts);
      }
      if (amounts) found.set(a.id, amounts);
    }
    return amountsView(log.state, found);
  }
}
