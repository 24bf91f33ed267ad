// A small world for property tests: 3–6 members, each on their own replica (a browser), acting on what
// their replica shows, syncing in random pairs (partitions) and merges, then receiving the rest of the log
// in random orders. Every action is really signed (node:crypto Ed25519 from seeded keys), so ids — and with
// them the log's order — depend only on the scenario fast-check generated, and a scenario replays exactly.
//
// The operations are chosen to reach every rule: agency and independent proposals (for oneself and for
// others, named or not, present or departed), observations, refunds, purchases, allowances, roles,
// relationships, removals, leaves with and without successors (the owner's among them), offers recorded as
// agency or independent on jobs proposed to either way, acceptances by managers and plain members, hourly
// and fixed contracts, term edits that keep or change the kind, milestones and time logs by the freelancer,
// a manager or a third member, payouts, sealing keys, contracts seen on Upwork (by their member or a
// teammate), device invites (kept by the member or by whoever granted them), key removals, member invites
// (used at once, later, twice, after expiry or revocation), month boundaries and time zones, a second
// creation, strangers, and actions written before the agency exists.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  type Action,
  type ActionType,
  appendLocal,
  applyActions,
  type ContractTerms,
  carriesAmount,
  clearAmounts,
  clearPart,
  createAction,
  type Derivation,
  derive,
  MAX_DEPS,
  MAX_KEY_BRANCHES,
  managerSealKeys,
  type Payloads,
  type Signer,
  signJoinProof,
} from '../../../core/index.ts';
import type { Sealed } from '../../../core/types.ts';
import { seededSigner } from './keys.ts';

export const SIM_AGENCY = 'agency-sim-0001';
export const MAX_REPLICAS = 6;
const START = Date.UTC(2026, 10, 30, 20, 0); // late on 30 November: months roll over during a run
const HOUR = 3_600_000;

// derive never checks signatures (that is the trust boundary's job), so property tests sign with a stand-in
// (a hash of the bytes, 64 bytes like an Ed25519 signature) — real Ed25519 keys, ids and order, five times
// faster. Tests that put the log through verification (log.test.ts) ask run() for real signatures.
let realSignatures = false;
const signers = new Map<string, Signer>();
function simKey(label: string): Signer {
  let s = signers.get(label);
  if (!s) {
    const real = seededSigner(label);
    s = {
      publicKey: real.publicKey,
      keyId: real.keyId,
      sign: (bytes) =>
        realSignatures
          ? real.sign(bytes)
          : Promise.resolve(new Uint8Array(createHash('sha512').update(bytes).digest())),
    };
    signers.set(label, s);
  }
  return s;
}
const firstKeys: Signer[] = Array.from({ length: MAX_REPLICAS }, (_, m) => simKey(`sim:${m}:0`));
/** The member id of slot `m` (its first browser key). */
export const memberId = (m: number): string => firstKeys[m]!.keyId;
/** A key that never belongs to the agency. */
export const STRANGER = simKey('sim:stranger');
/** An id that is no member's. */
export const NOBODY = simKey('sim:nobody').keyId;

// --- scenarios ----------------------------------------------------------------------------------------------

export interface Setup {
  /** How many members, each with a replica (3–6); slot 0 creates the agency. */
  replicas: number;
  balance: number;
  /** For slots 1..5: whether they join at setup, as what, and an allowance Olga gives them. */
  joined: boolean[];
  roles: ('manager' | 'member')[];
  relationships: ('exclusive' | 'non-exclusive')[];
  allowances: (number | null)[];
  timeZone: 'UTC' | 'Asia/Tokyo' | 'America/Los_Angeles';
  /** A stranger writes an action with no dependencies, concurrent with the agency's creation. */
  early: boolean;
  /** Contracts that exist from the start (offers to joined members, accepted): 0–3. */
  contracts: number;
}

export interface ActStep {
  kind: 'act';
  replica: number;
  op: number;
  a: number;
  b: number;
  /** Write the action even if this replica refuses it (a stale or misbehaving client). */
  force: boolean;
  /** Which of the keys this replica holds signs (0: the member's first browser). */
  key: number;
  /** Minutes that pass on this replica's clock before the step. */
  minutes: number;
}
export interface SyncStep {
  kind: 'sync';
  from: number;
  to: number;
  seed: number;
}
/** Every replica receives everything: a merge after partitions. */
export interface MergeStep {
  kind: 'merge';
  seed: number;
}
/** Time passes: on one replica (a clock running ahead) or on all (a month boundary). */
export interface WaitStep {
  kind: 'wait';
  replica: number | null;
  hours: number;
}
export type Step = ActStep | SyncStep | MergeStep | WaitStep;

export interface Scenario {
  setup: Setup;
  steps: Step[];
  /** Per replica: the seed of the order it receives the rest of the log in, and whether one by one. */
  merge: { seed: number; oneByOne: boolean }[];
}

// Operation names, with how often the generator picks each. Index = ActStep.op.
export const OPS = [
  ['proposeAgency', 6],
  ['proposeIndependent', 2],
  ['proposeFor', 2],
  ['observe', 3],
  ['refund', 1],
  ['purchase', 1],
  ['enterBalance', 1],
  ['allowance', 3],
  ['role', 2],
  ['relationship', 1],
  ['remove', 1],
  ['leave', 2],
  ['defaultTeam', 1],
  ['offer', 4],
  ['accept', 3],
  ['decline', 1],
  ['editTerms', 2],
  ['milestone', 3],
  ['logTime', 3],
  ['payout', 2],
  ['deviceInvite', 2],
  ['removeKey', 2],
  ['timeZone', 1],
  ['invite', 2],
  ['revokeInvite', 1],
  ['joinKnown', 1],
  ['learnId', 1],
  ['createAgain', 1],
  ['stranger', 1],
  ['duel', 1],
  ['observeContract', 2],
] as const;
export type OpName = (typeof OPS)[number][0];

const nat = (max: number) => fc.nat({ max });
export function scenarioArbitrary(opts: { maxSteps?: number } = {}): fc.Arbitrary<Scenario> {
  const slots = (arb: fc.Arbitrary<unknown>) => fc.array(arb, { minLength: 5, maxLength: 5 });
  const act: fc.Arbitrary<Step> = fc.record({
    kind: fc.constant('act' as const),
    replica: nat(MAX_REPLICAS - 1),
    op: fc.oneof(...OPS.map(([, weight], i) => ({ weight, arbitrary: fc.constant(i) }))),
    a: nat(1000),
    b: nat(1000),
    force: nat(2).map((n) => n === 2), // shrinks towards false
    key: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: nat(5) }),
    minutes: fc.oneof({ weight: 4, arbitrary: nat(30) }, { weight: 1, arbitrary: nat(600) }),
  });
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 14, arbitrary: act },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('sync' as const),
        from: nat(MAX_REPLICAS - 1),
        to: nat(MAX_REPLICAS - 1),
        seed: fc.nat(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('merge' as const), seed: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('wait' as const),
        replica: fc.option(nat(MAX_REPLICAS - 1), { freq: 2 }),
        hours: fc.oneof(nat(12), nat(24 * 40)),
      }),
    },
  );
  return fc.record({
    setup: fc.record({
      replicas: fc.integer({ min: 3, max: MAX_REPLICAS }),
      balance: nat(200),
      joined: slots(nat(5).map((n) => n > 0)) as fc.Arbitrary<boolean[]>,
      roles: slots(fc.constantFrom('manager' as const, 'member' as const, 'member' as const)) as fc.Arbitrary<
        ('manager' | 'member')[]
      >,
      relationships: slots(fc.constantFrom('exclusive' as const, 'non-exclusive' as const)) as fc.Arbitrary<
        ('exclusive' | 'non-exclusive')[]
      >,
      allowances: slots(fc.option(nat(60), { freq: 2 })) as fc.Arbitrary<(number | null)[]>,
      timeZone: fc.constantFrom(
        'UTC' as const,
        'UTC' as const,
        'Asia/Tokyo' as const,
        'America/Los_Angeles' as const,
      ),
      early: nat(9).map((n) => n === 9),
      contracts: nat(3),
    }),
    steps: fc.array(step, { minLength: 1, maxLength: opts.maxSteps ?? 80, size: 'max' }),
    merge: fc.array(fc.record({ seed: fc.nat(), oneByOne: fc.boolean() }), {
      minLength: MAX_REPLICAS,
      maxLength: MAX_REPLICAS,
    }),
  });
}

/** A deterministic shuffle (mulberry32), so a failing case replays exactly. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  let t = seed >>> 0;
  const rnd = () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// --- replicas -----------------------------------------------------------------------------------------------

export class Replica {
  actions = new Map<string, Action>();
  d: Derivation = derive(SIM_AGENCY, []);
  clock = START;
  /** The deps of each key's latest write in an act step (for a misbehaving client's fork). */
  lastDeps = new Map<string, string[]>();
  /** Keys this browser can sign with: the member's first key, then browsers added here. */
  held: Signer[];
  readonly slot: number;

  constructor(slot: number) {
    this.slot = slot;
    this.held = [firstKeys[slot]!];
  }

  receive(incoming: readonly Action[], oneByOne: boolean): void {
    const fresh = incoming.filter((a) => !this.actions.has(a.id));
    for (const a of fresh) this.actions.set(a.id, a);
    if (oneByOne) for (const a of fresh) this.d = applyActions(this.d, [a]);
    else this.d = applyActions(this.d, fresh);
  }

  heads(): string[] {
    return [...this.d.heads].sort().slice(0, MAX_DEPS);
  }
}

type Made = { [T in ActionType]: { type: T; payload: Payloads[T] } }[ActionType];

/** An invite key handed around in the world, for joins now and later (reuse, expiry, revocation, D7). */
interface KnownInvite {
  key: Signer;
  kind: 'member' | 'device';
  /** The member a device invite adds a browser to, by slot (null: not a slot's). */
  slot: number | null;
}

export interface World {
  scenario: Scenario;
  replicas: Replica[];
  all: Action[];
  /** Who wrote each action: its replica (slot), for printing a schedule. */
  writer: Map<string, number>;
}

interface Ctx {
  replicas: Replica[];
  invites: KnownInvite[];
  counter: { n: number };
  writer: Map<string, number>;
  n: number;
}

async function sign(r: Replica, signer: Signer, made: Made, deps = r.heads()): Promise<Action> {
  const created = await createAction(SIM_AGENCY, signer, made.type, made.payload as never, deps, r.clock);
  if (!created.ok) throw new Error(`${made.type}: ${created.message}`);
  return created.action;
}

/** Writes like AgencyLog.append: a refused intent is not written, unless the step forces it. */
function write(ctx: Ctx, r: Replica, a: Action, force: boolean): boolean {
  const local = appendLocal(r.d, a);
  if (local.ok) {
    r.d = local.derivation;
    r.actions.set(a.id, a);
  } else if (force) r.receive([a], true);
  else return false;
  ctx.writer.set(a.id, r.slot);
  return true;
}

const sorted = (xs: Iterable<string>) => [...xs].sort();
const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** What the acting member does for `op`, reading their replica's state to pick sensible targets. */
function intend(
  ctx: Ctx,
  r: Replica,
  me: string,
  step: ActStep,
): Made | 'deviceInvite' | 'invite' | 'joinKnown' | 'duel' | null {
  const s = r.d.state;
  const { a, b } = step;
  const slotIds = Array.from({ length: ctx.n }, (_, m) => memberId(m));
  const active = sorted(
    Object.values(s.members)
      .filter((x) => x.status === 'active')
      .map((x) => x.id),
  );
  const others = active.filter((id) => id !== me);
  // Mostly another active member as this replica knows them; sometimes any slot, a departed one, or nobody.
  const target =
    b % 11 === 0
      ? me
      : b % 9 === 0
        ? (pick(slotIds, a) ?? me)
        : b % 23 === 0
          ? NOBODY
          : (pick(others, a) ?? pick(slotIds, a)!);
  const jobs = sorted(new Set(s.proposals.map((p) => p.job)));
  const job = b % 3 === 0 || !jobs.length ? `~0${a % 12}` : pick(jobs, a)!;
  const contracts = sorted(Object.keys(s.contracts));
  const mine = contracts.filter((id) => s.contracts[id]!.member === me);
  const contract = (b % 2 === 0 ? pick(mine, a) : undefined) ?? pick(contracts, a) ?? `offer-${a % 9}`;
  const open = Object.values(s.offers).filter((o) => o.status === 'open');
  const offers = sorted(open.map((o) => o.id));
  const own = sorted(open.filter((o) => o.member === me).map((o) => o.id));
  const offer =
    (b % 5 === 0 ? undefined : b % 2 ? pick(own, a) : undefined) ?? pick(offers, a) ?? `offer-${a % 9}`;
  const kindOf = s.contracts[contract]?.kind ?? (b % 2 ? 'hourly' : 'fixed');
  const otherKind = kindOf === 'hourly' ? 'fixed' : 'hourly';
  const terms = (kind: 'hourly' | 'fixed'): NonNullable<Payloads['receiveOffer']['terms']> =>
    kind === 'hourly'
      ? { kind, hourlyRate: 1000 + (a % 50) * 100 }
      : { kind, amount: 10_000 + (a % 30) * 1000 };
  const balance = s.balance;
  const name = OPS[step.op % OPS.length]![0];
  switch (name) {
    case 'proposeAgency':
      return {
        type: 'submitProposal',
        payload: {
          job,
          title: `Job ${job}`,
          as: 'agency',
          connects: 1 + (b % 24),
          boost: b % 4 === 0 ? a % 12 : 0,
        },
      };
    case 'proposeIndependent':
      return {
        type: 'submitProposal',
        payload: { job, title: 'Own gig', as: 'independent', connects: 1 + (b % 20), boost: 0 },
      };
    case 'proposeFor':
      return {
        type: 'submitProposal',
        payload: { job, title: `For ${job}`, as: 'agency', connects: 1 + (b % 30), boost: 0, member: target },
      };
    case 'observe':
      return { type: 'observeBalance', payload: { balance: Math.max(0, balance + (b % 41) - 28) } };
    case 'refund':
      // Rows of its day, of the day before, or dated days ahead (D9); some without a day (0.2's shape).
      return {
        type: 'refundConnects',
        payload:
          b % 4 === 0
            ? { job, connects: 1 + (b % 16) }
            : {
                job,
                connects: 1 + (b % 30),
                on: dayOf(r.clock + ((b % 7) - 1) * 86_400_000 * (b % 5 ? 0 : 3)),
              },
      };
    case 'purchase':
      return { type: 'recordPurchase', payload: { connects: 10 + (b % 20) * 5 } };
    case 'enterBalance':
      return { type: 'enterBalance', payload: { balance: Math.max(0, balance + (b % 61) - 30) } };
    case 'allowance':
      return {
        type: 'setAllowance',
        payload: { member: target, monthly: b % 6 === 0 ? null : b % 2 ? b % 40 : Math.max(0, balance) % 70 },
      };
    case 'role': {
      const role = s.members[target]?.role;
      return {
        type: 'changeRole',
        payload: {
          member: target,
          role: b % 5 === 0 ? 'manager' : role === 'manager' ? 'member' : 'manager',
        },
      };
    }
    case 'relationship':
      return {
        type: 'changeRelationship',
        payload: { member: target, relationship: b % 2 ? 'non-exclusive' : 'exclusive' },
      };
    case 'remove':
      return { type: 'removeMember', payload: { member: target } };
    case 'leave':
      return { type: 'leaveAgency', payload: b % 3 ? { successor: b % 7 === 0 ? me : target } : {} };
    case 'defaultTeam':
      return {
        type: 'setDefaultTeam',
        payload: { member: b % 4 ? me : target, team: a % 2 ? 'agency' : 'independent' },
      };
    case 'offer': {
      // On a job this member proposed to (either way) or a fresh one; for them or a teammate.
      const member = b % 4 ? me : target;
      const theirs = sorted(new Set(s.proposals.filter((p) => p.member === member).map((p) => p.job)));
      const offerJob = (b % 3 ? pick(theirs, a) : undefined) ?? job;
      const kind = b % 2 ? 'hourly' : 'fixed';
      return {
        type: 'receiveOffer',
        payload: {
          offer: `offer-${a % 9}`,
          job: offerJob,
          title: `Offer ${a % 9}`,
          as: b % 3 ? 'agency' : 'independent',
          member,
          // D15: today's shape (sealed, by whoever records it) beside 0.2.0's clear terms
          ...((a + b) % 3 === 0 ? { kind, sealed: simSealed(a) } : { terms: terms(kind) }),
        },
      };
    }
    case 'accept':
      return { type: 'acceptOffer', payload: { offer } };
    case 'decline':
      return { type: 'declineOffer', payload: { offer } };
    case 'editTerms':
      // Some turns re-seal instead (D15; as in 'payout').
      return (
        (a % 3 === 1 ? resealOf(r, me, a, b) : null) ?? {
          type: 'editContractTerms',
          payload: { contract, terms: terms(b % 3 ? kindOf : otherKind) },
        }
      );
    case 'milestone':
      return {
        type: 'submitMilestone',
        payload: { contract, milestone: `m${b % 3}`, title: `Milestone ${b % 3}`, amount: 100 + (a % 500) },
      };
    case 'logTime':
      return { type: 'logTime', payload: { contract, minutes: 15 + (b % 120), day: dayOf(r.clock) } };
    case 'payout': {
      // Some payouts are sealed (D15) to one or two slots' seal keys, and some turns re-seal earlier sealed
      // amounts instead (not an op of its own: a new op shifts every generated schedule, 10c410d).
      if (a % 4 === 0)
        return {
          type: 'recordPayout',
          payload: { contract, sealed: sealedTo(b % 2 ? [0] : [0, 1 + (b % 5)]) },
        };
      const reseal = a % 2 === 1 ? resealOf(r, me, a, b) : null;
      return reseal ?? { type: 'recordPayout', payload: { contract, amount: 100 + (a % 900) } };
    }
    case 'removeKey': {
      const whose = b % 3 ? me : target;
      const keys = b % 5 === 0 ? sorted(Object.keys(s.keys)) : (s.members[whose]?.keys ?? []);
      const key = pick(keys, a) ?? r.held[a % r.held.length]!.keyId;
      return { type: 'removeDeviceKey', payload: { member: whose, key: fromId(r, key) } };
    }
    case 'timeZone':
      return { type: 'setTimeZone', payload: { timeZone: b % 2 ? 'Asia/Tokyo' : 'UTC' } };
    case 'revokeInvite': {
      const ids = sorted(Object.keys(s.invites));
      const id = pick(ids, a);
      const known =
        ctx.invites.find((i) => i.key.keyId === id) ?? ctx.invites[a % Math.max(1, ctx.invites.length)];
      return known ? { type: 'revokeInvite', payload: { invite: known.key.publicKey } } : null;
    }
    case 'observeContract': {
      const ownSeen = sorted(
        Object.keys(s.contractsSeen ?? {}).filter((id) => s.contractsSeen[id]!.member === me),
      );
      // Some turns record the member's own week of hours on that contract instead: with recording off (the
      // default, and no generated manager turns it on), they are kept and flagged — and before that, when the
      // contract is not theirs or the week lies ahead (a week of 2099), flagged for that.
      if (a % 5 === 0)
        return {
          type: 'recordOwnHours',
          payload: {
            // mostly a contract this member's replica has as theirs, so recording off (HOURS_NOT_ON) is reached
            contract: (b % 3 ? pick(ownSeen, a) : undefined) ?? `4100000${b % 4}`,
            week: b % 7 === 0 ? '2099-01-05' : '2026-11-30',
            minutes: b % 600,
          },
        };
      // Some record a proposal's boost outcome (a few proposal ids, so two members record one), and some are a
      // manager's (or a plain member's) decision of whose a contract is.
      if (a % 5 === 1)
        return {
          type: 'observeBoost',
          payload: {
            proposal: `199900000000000000${b % 2}`,
            title: `Proposal ${b % 2}`,
            outcome: b % 2 ? 'boosted' : 'outbid',
          },
        };
      if (a % 10 === 2)
        return { type: 'assignContract', payload: { contract: `4100000${b % 4}`, member: target } };
      // A few contract ids, so two members (one taking over, or at the same time) record the same one.
      return {
        type: 'observeContract',
        payload: {
          contract: `4100000${a % 4}`,
          title: `Contract ${a % 4}`,
          kind: b % 2 ? 'hourly' : 'fixed',
          as: b % 3 ? 'agency' : 'independent',
        },
      };
    }
    case 'learnId':
      // Some turns publish this browser's sealing key instead (D15): after a manager's, the amounts the
      // generator writes in the clear are flagged; before it (or after only plain members'), read as they are.
      return b % 3 === 0
        ? { type: 'publishSealKey', payload: { key: slotSeal(r.slot) } }
        : { type: 'learnUpworkId', payload: { upworkId: String(1000 + (a % 3)) } };
    case 'createAgain':
      return { type: 'createAgency', payload: { name: 'Takeover', memberName: 'Again', balance: a % 100 } };
    case 'stranger':
      return { type: 'observeBalance', payload: { balance: a % 100 } };
    case 'deviceInvite':
    case 'invite':
    case 'joinKnown':
    case 'duel':
      return name;
  }
}

/** The seal key the browsers of slot `n` publish (core never opens an envelope: any 32 bytes do). */
const slotSeal = (n: number) => new Uint8Array(32).fill(1 + n);

/** An envelope addressed to these slots' seal keys. */
function sealedTo(slots: number[]): Payloads['recordPayout']['sealed'] {
  const to = new Uint8Array(slots.length * 80);
  for (const [i, n] of slots.entries()) to.set(slotSeal(n), i * 80);
  return { epk: new Uint8Array(32).fill(9), iv: new Uint8Array(12), box: new Uint8Array(64), to };
}

/**
 * A re-seal as this replica knows the log (D15): mostly to a business manager's browser that published a
 * seal key, with that key; sometimes to any browser or with another slot's key; naming the newest sealed
 * amounts, or now and then an action that carries none.
 */
function resealOf(r: Replica, me: string, a: number, b: number): Made | null {
  const s = r.d.state;
  // A manager's browser publishes its seal key before it reads (or re-seals) an amount, as the extension does.
  const published = (m: string) => Object.keys(s.sealKeys).some((k) => s.keys[k]?.member === m);
  if (s.members[me]?.role === 'manager' && !published(me) && b % 2 === 0)
    return { type: 'publishSealKey', payload: { key: slotSeal(r.slot) } };
  const managing = sorted(
    Object.keys(s.sealKeys).filter(
      (k) => s.keys[k]?.active && s.members[s.keys[k]!.member]?.role === 'manager',
    ),
  );
  const key = (b % 3 ? pick(managing, a) : undefined) ?? pick(sorted(Object.keys(s.keys)), a);
  if (!key) return null;
  const theirs = s.sealKeys[key];
  const seal = b % 5 && theirs ? Uint8Array.from(Buffer.from(theirs, 'base64url')) : slotSeal(b % 6);
  const sealedIds = r.d.ordered
    .filter((x) => carriesAmount(x.type) && (x.payload as { sealed?: unknown }).sealed)
    .map((x) => x.id)
    .reverse();
  // Without a sealed amount to name (or now and then anyway), an action that carries none.
  const any = r.d.order.length ? [r.d.order[a % r.d.order.length]!] : [];
  const ids = b % 7 === 0 || !sealedIds.length ? any : sealedIds.slice(0, 1 + (b % 2));
  if (!ids.length) return null;
  const boxes = ids.map((action) => ({
    action,
    epk: new Uint8Array(32).fill(7),
    wrapped: new Uint8Array(48),
  }));
  return { type: 'resealAmounts', payload: { key: fromId(r, key), seal, boxes } };
}

/**
 * D15: most amounts are sealed to the managers' seal keys the writer's log knows, as the extension seals
 * them (the rest stay in the clear, as 0.2.0 or another client writes them). No verdict reads either.
 */
function sealLikeABrowser(r: Replica, made: Made, step: ActStep): Made {
  const keys = managerSealKeys(r.d.state).slice(0, 24);
  if (!carriesAmount(made.type) || !keys.length || (step.a + step.b) % 3 === 0) return made;
  if (!clearAmounts(made.type, made.payload)) return made;
  const to = new Uint8Array(keys.length * 80);
  for (const [i, k] of keys.entries()) to.set(Buffer.from(k, 'base64url'), i * 80);
  const sealed = { epk: new Uint8Array(32).fill(9), iv: new Uint8Array(12), box: new Uint8Array(64), to };
  return { type: made.type, payload: { ...clearPart(made.type, made.payload as never), sealed } } as Made;
}

/** Work on contracts is where plain members try what only others may (R3–R5): written as often as not. */
const WORK = new Set<OpName>(['accept', 'decline', 'editTerms', 'milestone', 'logTime']);

/** The bytes of a key id some replica knows (keys are always 32 bytes). */
function fromId(r: Replica, keyId: string): Uint8Array {
  const held = r.held.find((k) => k.keyId === keyId);
  if (held) return held.publicKey;
  return Uint8Array.from(Buffer.from(keyId, 'base64url'));
}

async function join(
  ctx: Ctx,
  jr: Replica,
  invite: KnownInvite,
  signer: Signer,
  force: boolean,
  label: string,
) {
  jr.clock += 60_000;
  const proof = await signJoinProof(invite.key, SIM_AGENCY, signer.publicKey);
  const a = await sign(jr, signer, {
    type: 'joinAgency',
    payload: { invite: invite.key.publicKey, proof, name: label },
  });
  const written = write(ctx, jr, a, force);
  if (written && !jr.held.some((k) => k.keyId === signer.keyId)) jr.held.push(signer);
  return written;
}

async function act(ctx: Ctx, step: ActStep): Promise<void> {
  const r = ctx.replicas[step.replica % ctx.n]!;
  r.clock += step.minutes * 60_000;
  const name = OPS[step.op % OPS.length]![0];
  const signer = name === 'stranger' ? STRANGER : r.held[step.key % r.held.length]!;
  const me = r.d.state.keys[signer.keyId]?.member ?? signer.keyId;
  const intended = intend(ctx, r, me, step);
  if (!intended) return;
  const made = typeof intended === 'object' ? sealLikeABrowser(r, intended, step) : intended;
  if (made === 'invite') {
    // Now and then a key some invite already has (INVITE_TAKEN).
    const reused = step.b % 7 === 0 ? ctx.invites[step.a % Math.max(1, ctx.invites.length)]?.key : undefined;
    const key = reused ?? simKey(`sim:invite:${ctx.counter.n++}`);
    const grant = await sign(r, signer, {
      type: 'grantInvite',
      payload: {
        invite: key.publicKey,
        role: step.b % 3 ? 'member' : 'manager',
        relationship: step.b % 2 ? 'exclusive' : 'non-exclusive',
        expiresAt: r.clock + (step.b % 4) * 6 * HOUR,
      },
    });
    if (!write(ctx, r, grant, step.force || reused !== undefined)) return;
    const invite: KnownInvite = { key, kind: 'member', slot: null };
    ctx.invites.push(invite);
    if (step.a % 4 === 0) return; // handed over, used later (joinKnown) or never
    // The code goes to the slot `a` names; they sync from the granter and join with their first key.
    const joiner = step.a % ctx.n;
    const jr = ctx.replicas[joiner]!;
    jr.receive([...r.actions.values()], false);
    jr.clock = Math.max(jr.clock, r.clock);
    // now and then a teammate's name in other letters: refused when the join knew them, told apart otherwise
    const label = step.b % 6 === 1 ? `m${(joiner + 1) % ctx.n}` : `M${joiner}`;
    await join(ctx, jr, invite, firstKeys[joiner]!, step.force, label);
    return;
  }
  if (made === 'deviceInvite') {
    // For oneself, or (as a manager, or trying to) for a teammate; the new browser is the member's, or
    // kept by whoever granted it (the D5 case: a key that signs as someone else).
    const s = r.d.state;
    const others = sorted(
      Object.values(s.members)
        .filter((m) => m.status === 'active' && m.id !== me)
        .map((m) => m.id),
    );
    const forWhom = step.b % 3 ? me : (pick(others, step.a) ?? me);
    const key = simKey(`sim:invite:${ctx.counter.n++}`);
    const grant = await sign(r, signer, {
      type: 'grantDeviceInvite',
      payload: {
        invite: key.publicKey,
        member: forWhom,
        expiresAt: r.clock + (1 + (step.b % 3)) * 24 * HOUR,
      },
    });
    if (!write(ctx, r, grant, step.force)) return;
    const slot = Array.from({ length: ctx.n }, (_, m) => m).find((m) => memberId(m) === forWhom) ?? null;
    const invite: KnownInvite = { key, kind: 'device', slot };
    ctx.invites.push(invite);
    if (step.a % 5 === 0) return;
    const browser = simKey(`sim:browser:${ctx.counter.n++}`);
    const keeper = step.b % 4 === 0 || slot === null ? r : ctx.replicas[slot]!;
    if (keeper !== r) {
      keeper.receive([...r.actions.values()], false);
      keeper.clock = Math.max(keeper.clock, r.clock);
    }
    await join(ctx, keeper, invite, browser, step.force, `browser ${ctx.counter.n}`);
    return;
  }
  if (made === 'joinKnown') {
    // An invite code used (again) by whoever holds it: maybe too late, revoked, used, or its issuer gone.
    const invite = ctx.invites[step.a % Math.max(1, ctx.invites.length)];
    if (!invite) return;
    const signer2 =
      invite.kind === 'member' && step.b % 3
        ? firstKeys[step.replica % ctx.n]!
        : simKey(`sim:browser:${ctx.counter.n++}`);
    // sometimes a teammate's name in other letters: refused when the join knew them, told apart otherwise
    const label = step.b % 5 === 0 ? `m${step.a % ctx.n}` : `late ${step.a % 10}`;
    await join(ctx, r, invite, signer2, step.force, label);
    return;
  }
  if (made === 'duel') {
    // Two managers act on each other at once (P3 seniority): this replica demotes or removes a teammate
    // whose own replica, not synced, does the same back.
    const s = r.d.state;
    const other = pick(
      sorted(
        Object.values(s.members)
          .filter((m) => m.status === 'active' && m.id !== me)
          .map((m) => m.id),
      ),
      step.a,
    );
    const slot = Array.from({ length: ctx.n }, (_, m) => m).find((m) => memberId(m) === other);
    if (!other || slot === undefined || slot === r.slot) return;
    const blow = (target: string): Made =>
      step.b % 2
        ? { type: 'changeRole', payload: { member: target, role: 'member' } }
        : { type: 'removeMember', payload: { member: target } };
    const theirs = ctx.replicas[slot]!;
    write(ctx, r, await sign(r, signer, blow(other)), true);
    theirs.clock += 60_000;
    write(ctx, theirs, await sign(theirs, firstKeys[slot]!, blow(me)), true);
    return;
  }
  // A misbehaving client now and then writes again on the deps of its key's previous write: a branch of
  // its own chain (KEY_BRANCHED, core/key-chain.ts), applied beside it; and now and then a fan of branches,
  // one more than a key may have open (KEY_FORKED), which the order decides.
  const stale = step.force && step.b % 11 === 10 ? r.lastDeps.get(signer.keyId) : undefined;
  if (stale && step.b % 3 === 1) {
    for (let i = 0; i < MAX_KEY_BRANCHES; i++) {
      r.clock += 1_000;
      write(
        ctx,
        r,
        await sign(r, signer, { type: 'observeBalance', payload: { balance: 200 + i } }, stale),
        true,
      );
    }
  }
  const a = await sign(r, signer, made, stale);
  r.lastDeps.set(signer.keyId, [...a.deps]);
  // Some misbehaviour is written on purpose: contract work by whoever tries it, and a manager acting on
  // themself (the last one demoting or removing themself, P3).
  const self = (made.payload as { member?: string }).member === me && (name === 'role' || name === 'remove');
  const misbehave = self || (WORK.has(name) && step.b % 4 === 0);
  write(ctx, r, a, step.force || name === 'stranger' || name === 'createAgain' || misbehave);
}

export async function run(scenario: Scenario, opts: { realSignatures?: boolean } = {}): Promise<World> {
  realSignatures = opts.realSignatures ?? false;
  const n = Math.min(MAX_REPLICAS, Math.max(3, scenario.setup.replicas));
  const replicas = Array.from({ length: n }, (_, m) => new Replica(m));
  const ctx: Ctx = { replicas, invites: [], counter: { n: 0 }, writer: new Map(), n };
  const owner = replicas[0]!;
  const setup: Action[] = [];
  const on = async (r: Replica, signer: Signer, made: Made, deps?: string[]) => {
    r.clock += 60_000;
    const a = await sign(r, signer, made, deps);
    write(ctx, r, a, true);
    if (r === owner) setup.push(a);
    return a;
  };
  if (scenario.setup.early) {
    // Written with no dependencies: concurrent with the creation (NOT_CREATED or UNKNOWN_KEY, by order).
    const stray = replicas[1]!;
    await on(stray, STRANGER, { type: 'observeBalance', payload: { balance: 7 } }, []);
  }
  await on(owner, firstKeys[0]!, {
    type: 'createAgency',
    payload: {
      name: 'Sim',
      memberName: 'M0',
      balance: scenario.setup.balance,
      ...(scenario.setup.timeZone === 'UTC' ? {} : { timeZone: scenario.setup.timeZone }),
    },
  });
  for (let m = 1; m < n; m++) {
    if (!scenario.setup.joined[m - 1]) continue;
    const key = simKey(`sim:setup-invite:${m}`);
    await on(owner, firstKeys[0]!, {
      type: 'grantInvite',
      payload: {
        invite: key.publicKey,
        role: scenario.setup.roles[m - 1]!,
        relationship: scenario.setup.relationships[m - 1]!,
        expiresAt: START + 86_400_000,
      },
    });
    owner.clock += 60_000;
    const proof = await signJoinProof(key, SIM_AGENCY, firstKeys[m]!.publicKey);
    const j = await sign(owner, firstKeys[m]!, {
      type: 'joinAgency',
      payload: { invite: key.publicKey, proof, name: `M${m}` },
    });
    write(ctx, owner, j, true);
    ctx.writer.set(j.id, m);
    setup.push(j);
  }
  for (let m = 1; m < n; m++) {
    const monthly = scenario.setup.allowances[m - 1];
    if (monthly === null || monthly === undefined || !scenario.setup.joined[m - 1]) continue;
    await on(owner, firstKeys[0]!, { type: 'setAllowance', payload: { member: memberId(m), monthly } });
  }
  // Contracts from the start: hourly and fixed agency ones, and an independent one when a member may have it.
  const joined = Array.from({ length: n - 1 }, (_, i) => i + 1).filter((m) => scenario.setup.joined[m - 1]);
  for (let i = 0; i < (scenario.setup.contracts ?? 0) && joined.length; i++) {
    const m = joined[i % joined.length]!;
    const independent = i === 2 && scenario.setup.relationships[m - 1] === 'non-exclusive';
    const offer = `offer-${6 + i}`;
    const terms: ContractTerms =
      i % 2 ? { kind: 'fixed', amount: 50_000 } : { kind: 'hourly', hourlyRate: 3000 };
    const recorded = await on(owner, firstKeys[m]!, {
      type: 'receiveOffer',
      payload: {
        offer,
        job: `~0${6 + i}`,
        title: `Setup ${i}`,
        as: independent ? 'independent' : 'agency',
        member: memberId(m),
        terms,
      },
    });
    ctx.writer.set(recorded.id, m);
    const accepted = await on(owner, independent ? firstKeys[m]! : firstKeys[0]!, {
      type: 'acceptOffer',
      payload: { offer },
    });
    if (independent) ctx.writer.set(accepted.id, m);
  }
  for (const r of replicas.slice(1)) {
    r.clock = owner.clock;
    r.receive([...owner.actions.values()], false);
  }

  for (const step of scenario.steps) {
    if (step.kind === 'sync') {
      const from = replicas[step.from % n]!;
      const to = replicas[step.to % n]!;
      to.receive(shuffle([...from.actions.values()], step.seed), step.seed % 2 === 0);
    } else if (step.kind === 'merge') {
      const all = union(replicas);
      for (const r of replicas) r.receive(shuffle(all, step.seed), false);
    } else if (step.kind === 'wait') {
      for (const [m, r] of replicas.entries())
        if (step.replica === null || step.replica % n === m) r.clock += step.hours * HOUR;
    } else await act(ctx, step);
  }
  return { scenario, replicas, all: union(replicas), writer: ctx.writer };
}

function union(replicas: readonly Replica[]): Action[] {
  const all = new Map<string, Action>();
  for (const r of replicas) for (const [id, a] of r.actions) all.set(id, a);
  return [...all.values()];
}

// --- printing a schedule ------------------------------------------------------------------------------------

/**
 * A compact, replayable description: one line per action in the log's order — who wrote it on which
 * replica, what, on which deps, when (minutes after the start), and its verdicts — then the scenario, from
 * which run() rebuilds exactly these actions. `focus` actions are marked →, their causal past ·.
 */
export function describeWorld(world: World, d: Derivation, focus?: ReadonlySet<string>): string {
  const short = new Map(d.order.map((id, i) => [id, `#${i}`]));
  const names = new Map<string, string>();
  for (let m = 0; m < MAX_REPLICAS; m++) names.set(memberId(m), `M${m}`);
  names.set(NOBODY, 'nobody');
  names.set(STRANGER.keyId, 'stranger');
  const past = new Set<string>();
  const walk = (id: string) => {
    for (const dep of d.actions.get(id)?.deps ?? []) {
      if (past.has(dep)) continue;
      past.add(dep);
      walk(dep);
    }
  };
  for (const id of focus ?? []) walk(id);
  const who = (key: string) => {
    const member = d.state.keys[key]?.member;
    const name = names.get(member ?? key) ?? (member ?? key).slice(0, 6);
    return member && member !== key ? `${name}(${key.slice(0, 4)})` : name;
  };
  const payload = (a: Action) =>
    JSON.stringify(a.payload, (k, v) =>
      k === 'proof' || k === 'title'
        ? undefined
        : v instanceof Uint8Array
          ? `${Buffer.from(v).toString('base64url').slice(0, 4)}`
          : typeof v === 'string' && names.has(v)
            ? names.get(v)
            : v,
    ).replaceAll('"', '');
  const lines = d.order.map((id) => {
    const a = d.actions.get(id)!;
    const vs = d.state.verdicts
      .filter((v) => v.id === id)
      .map((v) => `${v.kind === 'refused' ? '✗' : '⚑'}${v.code}/${v.rule}`);
    const mark = focus?.has(id) ? '→' : past.has(id) ? '·' : ' ';
    const deps = a.deps.map((x) => short.get(x) ?? '?').join(',');
    const t = Math.round((d.eff.get(id)! - START) / 60_000);
    return `${mark}${short.get(id)} r${world.writer.get(id) ?? '?'} ${who(a.actor)} ${a.type} ${payload(a)} [${deps}] +${t}m ${vs.join(' ')}`;
  });
  return `${lines.join('\n')}\nscenario: ${JSON.stringify(world.scenario)}`;
}

/**
 * An envelope of the right shape (core/schemas.ts SEAL) that opens nowhere: verdicts never read what it holds
 * (D15), only that it is there and who signed it.
 */
function simSealed(seed: number): Sealed {
  const to = new Uint8Array(80);
  to[0] = 1 + (seed % 200);
  return {
    epk: new Uint8Array(32).fill(7),
    iv: new Uint8Array(12),
    box: new Uint8Array(64).fill(seed % 256),
    to,
  };
}
