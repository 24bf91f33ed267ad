// A small world for property tests: five members, each on their own replica (a browser), acting on what
// their replica shows, syncing with each other in random partitions, then merging everything in random
// orders. Every action is really signed (node:crypto Ed25519 from seeded keys), so ids — and with them
// the log's order — depend only on the scenario fast-check generated.
import {
  type Action,
  type ActionType,
  appendLocal,
  applyActions,
  createAction,
  type Derivation,
  derive,
  type Payloads,
  type Signer,
  sha256,
  utf8,
} from '../../../core/index.ts';
import { seededSigner } from './keys.ts';

export const SIM_AGENCY = 'agency-sim-0001';
export const MEMBERS = 5;
const START = Date.UTC(2026, 10, 30, 20, 0); // late on 30 November: months roll over during a run
const signers: Signer[][] = Array.from({ length: MEMBERS }, (_, m) => [
  seededSigner(`sim:${m}:0`),
  seededSigner(`sim:${m}:1`),
]);
export const memberId = (m: number): string => signers[m]![0]!.keyId;
export const secondKey = (m: number): Signer => signers[m]![1]!;
/** A key that never belongs to the agency. */
export const STRANGER = seededSigner('sim:stranger');

export interface Setup {
  balance: number;
  /** Role and relationship of members 1..4 (member 0 creates the agency). */
  roles: ('manager' | 'member')[];
  relationships: ('exclusive' | 'non-exclusive')[];
}

export interface ActStep {
  kind: 'act';
  member: number;
  op: number;
  a: number;
  b: number;
  /** Write the action even if this replica refuses it (a stale or misbehaving client). */
  force: boolean;
  /** Sign with the member's second browser key. */
  second: boolean;
  /** Minutes that pass before this step. */
  minutes: number;
}
export interface SyncStep {
  kind: 'sync';
  from: number;
  to: number;
  seed: number;
}
export type Step = ActStep | SyncStep;

export interface Scenario {
  setup: Setup;
  steps: Step[];
  /** Per replica: the seed of the order it receives the rest of the log in, and whether one by one. */
  merge: { seed: number; oneByOne: boolean }[];
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

export class Replica {
  actions = new Map<string, Action>();
  d: Derivation = derive(SIM_AGENCY, []);
  clock = START;

  receive(incoming: readonly Action[], oneByOne: boolean): void {
    const fresh = incoming.filter((a) => !this.actions.has(a.id));
    for (const a of fresh) this.actions.set(a.id, a);
    if (oneByOne) for (const a of fresh) this.d = applyActions(this.d, [a]);
    else this.d = applyActions(this.d, fresh);
  }

  heads(): string[] {
    return [...this.d.heads].sort();
  }
}

type Made = { [T in ActionType]: { type: T; payload: Payloads[T] } }[ActionType];

/** What member `m` does for op `op`, reading their replica's state to pick sensible targets. */
function intend(r: Replica, m: number, step: ActStep, secrets: { n: number }): Made {
  const s = r.d.state;
  const me = memberId(m);
  // Targets are mostly other active members as this replica knows them, sometimes anyone at all.
  const others = Object.values(s.members)
    .filter((x) => x.status === 'active' && x.id !== me)
    .map((x) => x.id)
    .sort();
  const target =
    step.b % 7 === 0 || !others.length ? memberId(step.a % MEMBERS) : others[step.a % others.length]!;
  const targetRole = s.members[target]?.role;
  const amount = step.b % 40;
  const open = Object.values(s.offers)
    .filter((o) => o.status === 'open')
    .map((o) => o.id)
    .sort();
  const offers = open.length ? open : Object.keys(s.offers).sort();
  const contracts = Object.keys(s.contracts).sort();
  const offer = offers[step.a % Math.max(1, offers.length)] ?? `offer-${step.a % 7}`;
  const contract = contracts[step.a % Math.max(1, contracts.length)] ?? `offer-${step.a % 7}`;
  const terms =
    step.b % 2
      ? { kind: 'hourly' as const, hourlyRate: 1000 + amount }
      : { kind: 'fixed' as const, amount: 5000 };
  switch (step.op) {
    case 0:
    case 1:
    case 2: {
      const forOther = step.b % 11 === 0;
      return {
        type: 'submitProposal',
        payload: {
          job: `~0${step.a % 13}`,
          title: `Job ${step.a % 13}`,
          as: 'agency',
          connects: 1 + (amount % 24),
          boost: step.b % 3 === 0 ? step.a % 12 : 0,
          ...(forOther ? { member: target } : {}),
        },
      };
    }
    case 3:
      return {
        type: 'submitProposal',
        payload: {
          job: `~0${step.a % 13}`,
          title: 'Own gig',
          as: 'independent',
          connects: 1 + (amount % 20),
          boost: 0,
        },
      };
    case 4:
      return { type: 'observeBalance', payload: { balance: (step.a + step.b) % 160 } };
    case 5:
      return { type: 'refundConnects', payload: { job: `~0${step.a % 13}`, connects: 1 + (amount % 16) } };
    case 6:
      return { type: 'recordPurchase', payload: { connects: 10 + amount * 5 } };
    case 7:
      return { type: 'enterBalance', payload: { balance: (step.a * 7) % 200 } };
    case 8:
    case 9:
      return {
        type: 'setAllowance',
        payload: { member: target, monthly: step.b % 5 === 0 ? null : amount % 25 },
      };
    case 10:
      return {
        type: 'changeRole',
        payload: {
          member: target,
          role: step.b % 5 === 0 ? 'manager' : targetRole === 'manager' ? 'member' : 'manager',
        },
      };
    case 11:
      return {
        type: 'changeRelationship',
        payload: { member: target, relationship: step.b % 2 ? 'non-exclusive' : 'exclusive' },
      };
    case 12:
      return { type: 'removeMember', payload: { member: target } };
    case 13:
      return { type: 'leaveAgency', payload: step.b % 2 ? { successor: target } : {} };
    case 14:
      return {
        type: 'setDefaultTeam',
        payload: { member: step.b % 4 ? memberId(m) : target, team: step.a % 2 ? 'agency' : 'independent' },
      };
    case 15:
    case 16:
      return {
        type: 'receiveOffer',
        payload: {
          offer: `offer-${step.a % 7}`,
          job: `~0${step.a % 13}`,
          title: `Job ${step.a % 13}`,
          as: step.b % 3 ? 'agency' : 'independent',
          member: step.b % 4 ? memberId(m) : target,
          terms,
        },
      };
    case 17:
      return { type: 'acceptOffer', payload: { offer } };
    case 18:
      return { type: 'declineOffer', payload: { offer } };
    case 19:
      return { type: 'editContractTerms', payload: { contract, terms } };
    case 20:
      return {
        type: 'submitMilestone',
        payload: { contract, milestone: `m${step.b % 5}`, title: 'Milestone', amount: 100 + amount },
      };
    case 21:
      return { type: 'logTime', payload: { contract, minutes: 15 + amount, day: '2026-12-01' } };
    case 22:
      return { type: 'recordPayout', payload: { contract, amount: 100 + amount } };
    case 23:
      return {
        type: 'addDeviceKey',
        payload: {
          member: step.b % 3 ? memberId(m) : target,
          key: secondKey(step.b % 3 ? m : step.a % MEMBERS).publicKey,
        },
      };
    case 24:
      return {
        type: 'removeDeviceKey',
        payload: { member: memberId(m), key: signers[m]![step.b % 2]!.publicKey },
      };
    case 25:
      return { type: 'setTimeZone', payload: { timeZone: step.b % 2 ? 'Asia/Tokyo' : 'UTC' } };
    default: {
      // an invite: the secret is handed to the member it names, who joins on their replica (see run)
      secrets.n++;
      return {
        type: 'grantInvite',
        payload: {
          invite: sha256(utf8(`sim-secret-${secrets.n}`)),
          role: step.b % 3 ? 'member' : 'manager',
          relationship: step.b % 2 ? 'exclusive' : 'non-exclusive',
          expiresAt: r.clock + (step.b % 4) * 3_600_000,
        },
      };
    }
  }
}
export const OPS = 27;

async function sign(r: Replica, signer: Signer, made: Made): Promise<Action> {
  const created = await createAction(
    SIM_AGENCY,
    signer,
    made.type,
    made.payload as never,
    r.heads(),
    r.clock,
  );
  if (!created.ok) throw new Error(`${made.type}: ${created.message}`);
  return created.action;
}

/** Writes like AgencyLog.append: a refused intent is not written, unless the step forces it. */
function write(r: Replica, a: Action, force: boolean): boolean {
  const local = appendLocal(r.d, a);
  if (local.ok) {
    r.d = local.derivation;
    r.actions.set(a.id, a);
    return true;
  }
  if (!force) return false;
  r.receive([a], true);
  return true;
}

export interface World {
  replicas: Replica[];
  all: Action[];
}

export async function run(scenario: Scenario): Promise<World> {
  const replicas = Array.from({ length: MEMBERS }, () => new Replica());
  // Setup, seen by everyone: member 0 creates the agency and invites the others.
  const owner = replicas[0]!;
  const setup: Action[] = [];
  const createOn = async (made: Made, signer: Signer) => {
    owner.clock += 60_000;
    const a = await sign(owner, signer, made);
    write(owner, a, true);
    setup.push(a);
  };
  await createOn(
    { type: 'createAgency', payload: { name: 'Sim', memberName: 'M0', balance: scenario.setup.balance } },
    signers[0]![0]!,
  );
  for (let m = 1; m < MEMBERS; m++) {
    const secret = sha256(utf8(`setup-secret-${m}`));
    await createOn(
      {
        type: 'grantInvite',
        payload: {
          invite: sha256(secret),
          role: scenario.setup.roles[m - 1]!,
          relationship: scenario.setup.relationships[m - 1]!,
          expiresAt: START + 86_400_000,
        },
      },
      signers[0]![0]!,
    );
    await createOn({ type: 'joinAgency', payload: { secret, name: `M${m}` } }, signers[m]![0]!);
  }
  for (const r of replicas.slice(1)) {
    r.clock = owner.clock;
    r.receive(setup, false);
  }

  const secrets = { n: 0 };
  for (const step of scenario.steps) {
    if (step.kind === 'sync') {
      const from = replicas[step.from % MEMBERS]!;
      const to = replicas[step.to % MEMBERS]!;
      to.receive(shuffle([...from.actions.values()], step.seed), step.seed % 2 === 0);
      continue;
    }
    const m = step.member % MEMBERS;
    const r = replicas[m]!;
    r.clock += step.minutes * 60_000;
    const made = intend(r, m, step, secrets);
    const signer = step.second ? secondKey(m) : signers[m]![0]!;
    const a = await sign(r, signer, made);
    const written = write(r, a, step.force);
    if (written && made.type === 'grantInvite') {
      // The invite goes to the member named by `a`; they sync from the manager and join.
      const joiner = step.a % MEMBERS;
      const jr = replicas[joiner]!;
      jr.receive([...r.actions.values()], false);
      jr.clock = Math.max(jr.clock, r.clock) + 60_000;
      const join = await sign(jr, signers[joiner]![0]!, {
        type: 'joinAgency',
        payload: { secret: sha256(utf8(`sim-secret-${secrets.n}`)), name: `M${joiner}` },
      });
      write(jr, join, step.force);
    }
  }
  const union = new Map<string, Action>();
  for (const r of replicas) for (const [id, a] of r.actions) union.set(id, a);
  return { replicas, all: [...union.values()] };
}
