// Fixture builder for core tests: an agency whose members sign real actions, with explicit deps and
// times so tests can stage concurrency ("both acted having seen only X"). Keys and invite secrets come
// from seeds, so every run builds the same action ids and therefore the same order.
import {
  type Action,
  type ActionId,
  type ActionType,
  createAction,
  type Derivation,
  derive,
  type Payloads,
  type Signer,
  signJoinProof,
  type TieBreak,
} from '../../../core/index.ts';
import { seededSigner } from './keys.ts';

export const T0 = Date.UTC(2026, 10, 2, 9, 0, 0); // 2 November 2026, 09:00 UTC
export const MINUTE = 60_000;
export const DAY = 86_400_000;

type Role = Payloads['grantInvite']['role'];
type Relationship = Payloads['grantInvite']['relationship'];
type ActOptions = { deps?: ActionId[]; at?: number; signer?: Signer; keep?: boolean };

export class AgencyFixture {
  readonly agencyId: string;
  readonly actions: Action[] = [];
  readonly signers = new Map<string, Signer>();
  private clock = T0;
  private secrets = 0;

  constructor(agencyId = 'agency-test-0001') {
    this.agencyId = agencyId;
  }

  /** `name`'s first browser key (their member id once they joined); the same on every run. */
  key(name: string): Signer {
    let signer = this.signers.get(name);
    if (!signer) {
      signer = seededSigner(`${this.agencyId}:${name}`);
      this.signers.set(name, signer);
    }
    return signer;
  }

  /** Another browser of `name`, not yet added to the agency. */
  deviceKey(name: string, label: string): Signer {
    return seededSigner(`${this.agencyId}:${name}:${label}`);
  }

  /** The member id of `name`: the base64url of their first key. */
  id(name: string): string {
    return this.key(name).keyId;
  }

  /** The time of the latest action built with the ticking clock. */
  get now(): number {
    return this.clock;
  }

  /** Moves the ticking clock (the next action is stamped a minute after `ms`). */
  setClock(ms: number): void {
    this.clock = ms;
  }

  heads(within: readonly Action[] = this.actions): ActionId[] {
    const hasChild = new Set(within.flatMap((a) => a.deps));
    return within.filter((a) => !hasChild.has(a.id)).map((a) => a.id);
  }

  /** Signs an action by `name`; deps default to the current heads, time to a clock ticking a minute. */
  async act<T extends ActionType>(
    name: string,
    type: T,
    payload: Payloads[T],
    opts: ActOptions = {},
  ): Promise<Action<T>> {
    const signer = opts.signer ?? this.key(name);
    this.clock += MINUTE;
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

  async create(owner = 'Olga', balance = 100, opts: ActOptions = {}): Promise<Action<'createAgency'>> {
    return this.act(owner, 'createAgency', { name: 'Acme Studio', memberName: owner, balance }, opts);
  }

  /** A fresh invite key (deterministic) and the manager's grant of it. */
  async invite(
    by = 'Olga',
    opts: { role?: Role; relationship?: Relationship; expiresAt?: number } & ActOptions = {},
  ): Promise<{ invite: Signer; grant: Action<'grantInvite'> }> {
    const invite = this.inviteKey();
    const grant = await this.act(
      by,
      'grantInvite',
      {
        invite: invite.publicKey,
        role: opts.role ?? 'member',
        relationship: opts.relationship ?? 'exclusive',
        expiresAt: opts.expiresAt ?? this.clock + 7 * DAY,
      },
      opts,
    );
    return { invite, grant };
  }

  /** A fresh invite key pair (deterministic). */
  inviteKey(): Signer {
    return seededSigner(`${this.agencyId}:invite:${this.secrets++}`);
  }

  /** A join of `name` (their first key unless `signer` says) with the invite key `invite`. */
  async joinWith(
    name: string,
    invite: Signer,
    opts: ActOptions & { label?: string } = {},
  ): Promise<Action<'joinAgency'>> {
    const signer = opts.signer ?? this.key(name);
    const proof = await signJoinProof(invite, this.agencyId, signer.publicKey);
    return this.act(name, 'joinAgency', { invite: invite.publicKey, proof, name: opts.label ?? name }, opts);
  }

  /** `by` grants a device invite for `member`'s new browser `label`, and that browser joins with it. */
  async addBrowser(
    member: string,
    label: string,
    opts: { by?: string } & ActOptions = {},
  ): Promise<{ grant: Action<'grantDeviceInvite'>; join: Action<'joinAgency'>; signer: Signer }> {
    const invite = this.inviteKey();
    const grant = await this.act(opts.by ?? member, 'grantDeviceInvite', {
      invite: invite.publicKey,
      member: this.id(member),
      expiresAt: this.clock + 7 * DAY,
    });
    const signer = this.deviceKey(member, label);
    const join = await this.joinWith(member, invite, { signer, label });
    return { grant, join, signer };
  }

  /** Invites `name` through manager `by` (Olga unless said) and has them join. */
  async join(
    name: string,
    opts: { by?: string; role?: Role; relationship?: Relationship } = {},
  ): Promise<Action<'joinAgency'>> {
    const { invite } = await this.invite(opts.by ?? 'Olga', opts);
    return this.joinWith(name, invite);
  }

  /** An agency proposal by `name` (16 Connects, no boost unless said). */
  async propose(
    name: string,
    p: Partial<Payloads['submitProposal']> = {},
    opts: ActOptions = {},
  ): Promise<Action<'submitProposal'>> {
    const job = p.job ?? `~02${this.actions.length}`;
    return this.act(
      name,
      'submitProposal',
      {
        job,
        title: p.title ?? `Job ${job}`,
        as: p.as ?? 'agency',
        connects: p.connects ?? 16,
        boost: p.boost ?? 0,
        ...p,
      },
      opts,
    );
  }

  derive(actions: readonly Action[] = this.actions): Derivation {
    return derive(this.agencyId, actions);
  }

  /** The same actions derived with the tie-break among actions of equal depth reversed. */
  deriveReversed(actions: readonly Action[] = this.actions): Derivation {
    return derive(this.agencyId, actions, { tieBreak: REVERSED });
  }
}

type Terms = NonNullable<Payloads['receiveOffer']['terms']>;

/** A sealed envelope's box emptied: what it holds changes, that it is there does not. */
const blank = (p: Record<string, unknown>) => {
  const sealed = p.sealed as { box: Uint8Array } | undefined;
  return sealed ? { sealed: { ...sealed, box: new Uint8Array(sealed.box.length) } } : {};
};

/** The same actions (same ids, so the same order) with every rate, milestone amount and payout set to 0. */
export function withoutAmounts(actions: readonly Action[]): Action[] {
  const zero = (t: Terms): Terms =>
    t.kind === 'hourly' ? { kind: 'hourly', hourlyRate: 0 } : { kind: 'fixed', amount: 0 };
  return actions.map((a) => {
    const p = a.payload as unknown as Record<string, unknown>;
    switch (a.type) {
      // A sealed amount has none in the clear to hide (core never opens an envelope).
      case 'receiveOffer':
      case 'editContractTerms':
        return {
          ...a,
          payload: { ...p, ...blank(p), ...(p.terms ? { terms: zero(p.terms as Terms) } : {}) },
        } as Action;
      case 'submitMilestone':
      case 'recordPayout':
        return {
          ...a,
          payload: { ...p, ...blank(p), ...(p.amount !== undefined ? { amount: 0 } : {}) },
        } as Action;
      default:
        return a;
    }
  });
}

/** The id order backwards: every pair of concurrent actions of equal depth sorts the other way round. */
export const REVERSED: TieBreak = (a, b) => (a < b ? 1 : a > b ? -1 : 0);

/** What an action earned, without codes (they are being renamed): refused or not, and the rule ids. */
export function outcomeOf(d: Derivation, a: { id: string }): { refused: string | null; flags: string[] } {
  const vs = d.state.verdicts.filter((v) => v.id === a.id);
  return {
    refused: vs.find((v) => v.kind === 'refused')?.rule ?? null,
    flags: vs
      .filter((v) => v.kind === 'flagged')
      .map((v) => v.rule)
      .sort(),
  };
}

/** Verdict codes an action earned in a derivation. */
export const codesOf = (d: Derivation, a: { id: string }): string[] =>
  d.state.verdicts.filter((v) => v.id === a.id).map((v) => v.code);

/** The rule ids of the verdicts an action earned. */
export const rulesOf = (d: Derivation, a: { id: string }): string[] =>
  d.state.verdicts.filter((v) => v.id === a.id).map((v) => v.rule);

export const refused = (d: Derivation, a: { id: string }): boolean =>
  d.state.verdicts.some((v) => v.id === a.id && v.kind === 'refused');
