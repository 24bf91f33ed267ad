// Fixture builder for core tests: an agency whose members sign real actions, with explicit deps and
// times so tests can stage concurrency ("both acted having seen only X").
import {
  type Action,
  type ActionId,
  type ActionType,
  createAction,
  type Derivation,
  derive,
  generateDeviceKey,
  makeSigner,
  type Payloads,
  type Signer,
  sha256,
} from '../../../core/index.ts';

export const T0 = Date.UTC(2026, 10, 2, 9, 0, 0); // 2 November 2026, 09:00 UTC

export class AgencyFixture {
  readonly agencyId: string;
  readonly actions: Action[] = [];
  readonly signers = new Map<string, Signer>();
  private clock = T0;

  constructor(agencyId = 'agency-test-0001') {
    this.agencyId = agencyId;
  }

  /** A new device key for `name` (not yet in the agency). */
  async key(name: string): Promise<Signer> {
    const signer = await makeSigner(await generateDeviceKey(crypto.subtle));
    this.signers.set(name, signer);
    return signer;
  }

  id(name: string): string {
    const s = this.signers.get(name);
    if (!s) throw new Error(`no key for ${name}`);
    return s.keyId;
  }

  heads(within: readonly Action[] = this.actions): ActionId[] {
    const hasChild = new Set(within.flatMap((a) => a.deps));
    return within.filter((a) => !hasChild.has(a.id)).map((a) => a.id);
  }

  /** Signs an action by `name`; deps default to the current heads, time to a ticking clock. */
  async act<T extends ActionType>(
    name: string,
    type: T,
    payload: Payloads[T],
    opts: { deps?: ActionId[]; at?: number; signer?: Signer; keep?: boolean } = {},
  ): Promise<Action<T>> {
    const signer = opts.signer ?? this.signers.get(name) ?? (await this.key(name));
    this.clock += 60_000;
    const created = await createAction(
      this.agencyId,
      signer,
      type,
      payload,
      opts.deps ?? this.heads(),
      opts.at ?? this.clock,
    );
    if (!created.ok) throw new Error(created.message);
    if (opts.keep !== false) this.actions.push(created.action);
    return created.action;
  }

  async create(owner = 'Olga', balance = 100): Promise<Action<'createAgency'>> {
    return this.act(owner, 'createAgency', { name: 'Acme Studio', memberName: owner, balance });
  }

  /** Invites and joins `name` through a manager `by`. */
  async join(
    name: string,
    opts: { by?: string; role?: Payloads['grantInvite']['role']; relationship?: Payloads['grantInvite']['relationship'] } = {},
  ): Promise<void> {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    await this.act(opts.by ?? 'Olga', 'grantInvite', {
      invite: sha256(secret),
      role: opts.role ?? 'member',
      relationship: opts.relationship ?? 'exclusive',
      expiresAt: this.clock + 7 * 86_400_000,
    });
    await this.act(name, 'joinAgency', { secret, name });
  }

  derive(actions: readonly Action[] = this.actions): Derivation {
    return derive(this.agencyId, actions);
  }
}

/** Verdict codes an action earned in a derivation. */
export const codesOf = (d: Derivation, a: { id: string }): string[] =>
  d.state.verdicts.filter((v) => v.id === a.id).map((v) => v.code);
