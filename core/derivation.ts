// What derive keeps: the agency state, the log's order, and the bookkeeping the rules and the incremental
// path need (register histories, power events, what needed authority). All of it is a function of the set of
// verified actions; a snapshot persists it so a restarted replica neither re-verifies nor replays.
import { ActionsById } from './actions-by-id.ts';
import type { VerdictCode } from './refusals.ts';
import type { Action, ActionId, AgencyState, KeyId, MemberId } from './types.ts';

/** One write to a register (a member's role, a key's status, the time zone…) at its place in the order. */
export interface RegisterEvent {
  id: ActionId;
  pos: number;
  value: unknown;
}

/** A register's writes in the log's order, and which of them no later write has in its causal past. */
export interface Register {
  events: RegisterEvent[];
  /** Indexes into `events` of the writes not in the causal past of another write (concurrent heads). */
  maximal: number[];
}

/**
 * An applied action that takes power away: a removal, a departure, a demotion or a key removal. Every
 * action concurrent with it that needed what it took away is refused (strong remove, D5/D6/D7/P6).
 */
export interface PowerEvent {
  id: ActionId;
  pos: number;
  kind: 'remove' | 'leave' | 'demote' | 'revokeKey';
  /** The member who acted. */
  actor: MemberId;
  /** The member whose membership, authority or key it takes. */
  target: MemberId;
  key: KeyId | null;
  /** A leave naming a successor who is promoted (a manager leaving) or becomes the owner (the owner leaving). */
  successor: MemberId | null;
  transfer: boolean;
  /**
   * Where the actor stood when acting, as the event knew it (P3 seniority is measured then): 0 for the owner,
   * else the effective time of the write that made them a business manager (Infinity: not one).
   */
  standing: number;
}

/** What the rules keep between actions of a replay (and a snapshot keeps for the incremental path). */
export interface Book {
  /** By kind (two letters, knowledge.ts) and subject (a member id, a key, an offer id, '' for the agency). */
  registers: Map<string, Map<string, Register>>;
  power: PowerEvent[];
  /** Intents that passed only because their actor was a business manager (D5 tests what a demotion takes). */
  authority: Set<ActionId>;
  /** The agency spends applied, by position (holey arrays of plain values: no object per spend). */
  spends: Spends;
  /**
   * Applied observations (page or manager) by time: the one that holds is the last (at the same millisecond
   * the smaller value), so the latest one an action knew is found scanning back from the end.
   */
  observations: Observations;
  /** By invite id: the position of its grant, and positions of the joins and revocations that used it. */
  invites: Map<string, { grant: number; joins: number[]; revokes: number[] }>;
  /** By offer id: the positions of the facts that recorded it (the first one made the record). */
  offers: Map<string, number[]>;
  /** Where the agency was created (every action needs it in its causal past). */
  created: number | null;
  /** When the agency's Upwork id was last learned (the latest by time holds). */
  upworkAt: number | null;
  /**
   * Actions in a uniqueness conflict with a concurrent one, by what they contest: two joins with one invite
   * (an invite admits one browser once, D7), two grants of one invite key, two records of one offer that
   * disagree. revoke.ts settles each group without looking at the order. Kept across the rounds of a derive.
   */
  contested: Map<string, { code: VerdictCode; ids: Set<ActionId> }>;
}

/** An agency spend as the allowance arithmetic counts it: who it is booked for, its month, its cost. */
export interface Spend {
  member: MemberId;
  month: string;
  cost: number;
}

/**
 * Agency spends in the log's order, and by job (D8, D9): the latest spend on each job and, per spend, the one
 * before it on the same job. Parallel arrays of plain values, one entry per spend (an agency's log is mostly
 * spends: no object each, no holes); a position finds its spend by binary search.
 */
export interface Spends {
  pos: number[];
  member: MemberId[];
  month: string[];
  cost: number[];
  /** Index of the previous spend on the same job, or -1. */
  previousOnJob: number[];
  /** Index of the latest spend on each job. */
  lastOnJob: Map<string, number>;
  job: string[];
}

export const emptySpends = (): Spends => ({
  pos: [],
  member: [],
  month: [],
  cost: [],
  previousOnJob: [],
  lastOnJob: new Map(),
  job: [],
});

export function recordSpend(
  s: Spends,
  p: number,
  member: MemberId,
  month: string,
  cost: number,
  job: string,
): void {
  const last = s.pos.length ? s.pos[s.pos.length - 1]! : -1;
  if (p <= last) throw new RangeError('spends are recorded in the order of their positions');
  const i = s.pos.length;
  s.pos.push(p);
  s.member.push(member);
  s.month.push(month);
  s.cost.push(cost);
  s.job.push(job);
  s.previousOnJob.push(s.lastOnJob.get(job) ?? -1);
  s.lastOnJob.set(job, i);
}

/** The index of the spend at position `p`, or -1. */
export function spendIndex(s: Spends, p: number): number {
  let lo = 0;
  let hi = s.pos.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const q = s.pos[mid]!;
    if (q === p) return mid;
    if (q < p) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Positions of the agency spends on `job`, the latest first. */
export function* spendsOnJob(s: Spends, job: string): Generator<number> {
  for (let i = s.lastOnJob.get(job) ?? -1; i >= 0; i = s.previousOnJob[i]!) yield s.pos[i]!;
}

/** Applied observations as parallel arrays, sorted by time, then larger values first. */
export interface Observations {
  pos: number[];
  eff: number[];
  value: number[];
}

/** Keeps observations sorted by time, then larger values first (the one that holds comes last). */
export function insertObservation(o: Observations, pos: number, eff: number, value: number): void {
  let i = o.pos.length;
  while (i > 0 && (o.eff[i - 1]! > eff || (o.eff[i - 1] === eff && o.value[i - 1]! < value))) i--;
  if (i === o.pos.length) {
    o.pos.push(pos);
    o.eff.push(eff);
    o.value.push(value);
  } else {
    o.pos.splice(i, 0, pos);
    o.eff.splice(i, 0, eff);
    o.value.splice(i, 0, value);
  }
}

function spendsToJSON(s: Spends): [number, Spend & { job: string }][] {
  return s.pos.map((p, i) => [
    p,
    { member: s.member[i]!, month: s.month[i]!, cost: s.cost[i]!, job: s.job[i]! },
  ]);
}

function spendsFromJSON(entries: [number, Spend & { job: string }][]): Spends {
  const s = emptySpends();
  for (const [p, x] of entries) recordSpend(s, p, x.member, x.month, x.cost, x.job);
  return s;
}

export const emptyBook = (): Book => ({
  registers: new Map(),
  power: [],
  authority: new Set(),
  spends: emptySpends(),
  observations: { pos: [], eff: [], value: [] },
  invites: new Map(),
  offers: new Map(),
  created: null,
  upworkAt: null,
  contested: new Map(),
});

/** What concurrent power events decided about other actions (derive.ts settles it to a fixed point). */
export interface Revocations {
  /** Refused, with the code of the rule the concurrent action enforced. */
  refuse: Map<ActionId, VerdictCode>;
  /** Facts of a member whose departure is concurrent: kept as history, flagged, no effect on numbers (D13). */
  history: Set<ActionId>;
  /** Facts from a key removed concurrently, stamped no later than the removal: kept, counted, flagged (D6). */
  flag: Map<ActionId, VerdictCode>;
  /** Facts that used a manager's authority concurrently taken away: judged as a plain member's (D5). */
  asMember: Set<ActionId>;
  /** Proposals booked for a member whose departure is concurrent: they draw on the unreserved pool (D12). */
  pool: Set<ActionId>;
  /** Facts kept and flagged with no effect: records that contradict a concurrent record of the same thing. */
  voided: Set<ActionId>;
}

export const noRevocations = (): Revocations => ({
  refuse: new Map(),
  history: new Set(),
  flag: new Map(),
  asMember: new Set(),
  pool: new Set(),
  voided: new Set(),
});

export interface Derivation {
  agencyId: string;
  state: AgencyState;
  /** Every verified action known, applied or not (a view over `ordered` and `position`: actions-by-id.ts). */
  actions: ActionsById;
  /** Applied or refused actions in the log's total order (pending ones are not in it). */
  order: ActionId[];
  /** The ordered actions, by position. */
  ordered: Action[];
  /** Lamport depth and effective time of each ordered action (built on first read from the arrays below). */
  depth: Map<ActionId, number>;
  eff: Map<ActionId, number>;
  /** By position: the depth and effective time of each ordered action. */
  depthAt: number[];
  effAt: number[];
  /** Actions waiting for a dependency this replica has not seen yet. */
  pending: Set<ActionId>;
  /** Actions with no known child: the deps of the next action written here. */
  heads: Set<ActionId>;
  /** Each ordered action's position in `order`. */
  position: Map<ActionId, number>;
  /** By position: the last position up to which the whole order is in that action's causal past. */
  cut: number[];
  /**
   * By position: the positions between its cut and itself that are not in its causal past, sorted (its
   * concurrent predecessors); null when too many to keep (ancestry.ts).
   */
  unknown: (Int32Array | null)[];
  book: Book;
  revocations: Revocations;
}

// derive works on arrays by position; the maps by id are built only for callers who read them.
const builtMaps = new WeakMap<Derivation, { depth?: Map<ActionId, number>; eff?: Map<ActionId, number> }>();

function mapOf(d: Derivation, which: 'depth' | 'eff'): Map<ActionId, number> {
  let built = builtMaps.get(d);
  if (!built) {
    built = {};
    builtMaps.set(d, built);
  }
  let map = built[which];
  if (!map) {
    const values = which === 'depth' ? d.depthAt : d.effAt;
    map = new Map(d.order.map((id, i) => [id, values[i]!]));
    built[which] = map;
  }
  return map;
}

/** Keeps the lazily built maps in step when an action is appended at the end. */
export function noteAppended(d: Derivation, id: ActionId, depth: number, eff: number): void {
  const built = builtMaps.get(d);
  built?.depth?.set(id, depth);
  built?.eff?.set(id, eff);
}

/** An empty derivation of `agencyId` (restore fills one from a snapshot). */
export function newDerivation(agencyId: string, state: AgencyState = emptyState(agencyId)): Derivation {
  const d = {
    agencyId,
    state,
    order: [],
    ordered: [],
    depthAt: [],
    effAt: [],
    pending: new Set(),
    heads: new Set(),
    position: new Map(),
    cut: [],
    unknown: [],
    book: emptyBook(),
    revocations: noRevocations(),
  } as unknown as Derivation;
  d.actions = new ActionsById(d);
  Object.defineProperty(d, 'depth', { enumerable: true, get: () => mapOf(d, 'depth') });
  Object.defineProperty(d, 'eff', { enumerable: true, get: () => mapOf(d, 'eff') });
  return d;
}

export function emptyState(agencyId: string): AgencyState {
  return {
    agencyId,
    name: '',
    upworkId: null,
    timeZone: 'UTC',
    ownerId: null,
    members: {},
    keys: {},
    sealKeys: {},
    invites: {},
    observation: null,
    ledger: [],
    refunds: {},
    refundJobs: {},
    balance: 0,
    spent: {},
    proposals: [],
    offers: {},
    contracts: {},
    contractsSeen: {},
    boostsSeen: {},
    hoursRecording: false,
    ownHours: {},
    payouts: [],
    verdicts: [],
    activity: [],
    counts: { applied: 0, refused: 0, flagged: 0, pending: 0 },
  };
}

// --- snapshots: the bookkeeping as JSON ------------------------------------------------------------------------

export interface BookJSON {
  registers: [string, [string, Register][]][];
  power: PowerEvent[];
  authority: ActionId[];
  spends: [number, Spend & { job: string }][];
  observations: Observations;
  invites: [string, { grant: number; joins: number[]; revokes: number[] }][];
  offers: [string, number[]][];
  created: number | null;
  upworkAt: number | null;
  contested: [string, { code: VerdictCode; ids: ActionId[] }][];
}

export const bookToJSON = (b: Book): BookJSON => ({
  registers: [...b.registers].map(([k, m]) => [k, [...m]]),
  power: b.power,
  authority: [...b.authority],
  spends: spendsToJSON(b.spends),
  observations: b.observations,
  invites: [...b.invites],
  offers: [...b.offers],
  created: b.created,
  upworkAt: b.upworkAt,
  contested: [...b.contested].map(([k, g]) => [k, { code: g.code, ids: [...g.ids] }]),
});

export const bookFromJSON = (j: BookJSON): Book => ({
  registers: new Map(j.registers.map(([k, m]) => [k, new Map(m)])),
  power: j.power,
  authority: new Set(j.authority),
  spends: spendsFromJSON(j.spends),
  observations: j.observations,
  invites: new Map(j.invites),
  offers: new Map(j.offers),
  created: j.created,
  upworkAt: j.upworkAt,
  contested: new Map(j.contested.map(([k, g]) => [k, { code: g.code, ids: new Set(g.ids) }])),
});

export interface RevocationsJSON {
  refuse: [ActionId, VerdictCode][];
  history: ActionId[];
  flag: [ActionId, VerdictCode][];
  asMember: ActionId[];
  pool: ActionId[];
  voided: ActionId[];
}

export const revocationsToJSON = (r: Revocations): RevocationsJSON => ({
  refuse: [...r.refuse],
  history: [...r.history],
  flag: [...r.flag],
  asMember: [...r.asMember],
  pool: [...r.pool],
  voided: [...r.voided],
});

export const revocationsFromJSON = (j: RevocationsJSON): Revocations => ({
  refuse: new Map(j.refuse),
  history: new Set(j.history),
  flag: new Map(j.flag),
  asMember: new Set(j.asMember),
  pool: new Set(j.pool),
  voided: new Set(j.voided),
});
