// The agency's model as plain types: no zod here, so content scripts can import this file (via core/lite.ts).

export type Role = 'manager' | 'member';
export type Relationship = 'exclusive' | 'non-exclusive';
export type ProposeAs = 'agency' | 'independent';
export type MemberStatus = 'active' | 'left' | 'removed';
/** Text ids: base64url of bytes (action ids: SHA-256 of the canonical bytes; member ids: their first key). */
export type ActionId = string;
export type MemberId = string;
export type KeyId = string;

export type ContractKind = 'hourly' | 'fixed';
/** A contract's terms with their amount (cents). Only inside a sealed envelope, or read-only from 0.2.0 logs (D15). */
export type ContractTerms = { kind: 'hourly'; hourlyRate: number } | { kind: 'fixed'; amount: number };
/** What a sealed envelope holds: the action's amount (cents), readable only by business managers (D15). */
export type Amounts = { hourlyRate: number } | { amount: number };
/**
 * Amounts sealed to the business managers' browsers (D15, core/amounts.ts, extension/replica/sealing.ts):
 * `epk` an ephemeral X25519 public key, `iv` and `box` the AES-GCM encryption of the amounts (padded to one
 * size), `to` the recipients packed 80 bytes each: a manager browser's X25519 public key (32) and the
 * content key wrapped to it (48).
 */
export interface Sealed {
  epk: Uint8Array;
  iv: Uint8Array;
  box: Uint8Array;
  to: Uint8Array;
}

/** One amount re-sealed (core/reseal.ts): the action's content key wrapped (48 bytes) with ephemeral key `epk`. */
export interface ResealBox {
  action: ActionId;
  epk: Uint8Array;
  wrapped: Uint8Array;
}

/** Every action's payload, by type. Byte fields are Uint8Array. Money is in cents, Connects are whole. */
export interface Payloads {
  // intents
  createAgency: { name: string; memberName: string; balance: number; timeZone?: string };
  /** `invite` is the public half of an Ed25519 invite key; the code the manager hands over holds the private half. */
  grantInvite: {
    invite: Uint8Array;
    role: Role;
    relationship: Relationship;
    expiresAt: number;
    label?: string;
  };
  /** An invite that adds a browser (its key) to an existing member, granted by that member or a manager. */
  grantDeviceInvite: { invite: Uint8Array; member: MemberId; expiresAt: number; label?: string };
  revokeInvite: { invite: Uint8Array };
  /**
   * Signed by the joining browser's key (the actor); `proof` is the invite key's signature over the agency
   * and that key (core/invite.ts), so the log shows who held the invite and reveals nothing to reuse.
   * With a device invite, `name` labels the browser.
   */
  joinAgency: { invite: Uint8Array; proof: Uint8Array; name: string };
  removeMember: { member: MemberId };
  leaveAgency: { successor?: MemberId };
  changeRole: { member: MemberId; role: Role };
  changeRelationship: { member: MemberId; relationship: Relationship };
  setDefaultTeam: { member: MemberId; team: ProposeAs };
  setAllowance: { member: MemberId; monthly: number | null };
  setTimeZone: { timeZone: string };
  enterBalance: { balance: number };
  recordPurchase: { connects: number };
  removeDeviceKey: { member: MemberId; key: Uint8Array };
  /** The signing browser's X25519 public key, to which amounts are sealed while its member manages (D15). */
  publishSealKey: { key: Uint8Array };
  /**
   * A business manager's browser lets another manager's browser (`key`, its Ed25519 browser key, whose
   * published seal key is `seal`) open amounts sealed before it could be sealed to (D15, core/reseal.ts):
   * per amount-bearing `action`, that action's content key wrapped to `seal` with a fresh ephemeral key `epk`.
   */
  resealAmounts: { key: Uint8Array; seal: Uint8Array; boxes: ResealBox[] };
  acceptOffer: { offer: string };
  declineOffer: { offer: string };
  /**
   * D15: amounts travel only in `sealed`; `terms` and `amount` in the clear are 0.2.0's shapes, read as before
   * and refused by the server when new (sync-server/amounts-in-the-clear.ts).
   */
  editContractTerms: { contract: string; kind?: ContractKind; sealed?: Sealed; terms?: ContractTerms };
  submitMilestone: { contract: string; milestone: string; title: string; sealed?: Sealed; amount?: number };
  logTime: { contract: string; minutes: number; day: string };
  // facts
  submitProposal: {
    job: string;
    title: string;
    as: ProposeAs;
    connects: number;
    boost: number;
    member?: MemberId;
  };
  observeBalance: { balance: number };
  learnUpworkId: { upworkId: string };
  /** `on`: the day of the Connects history row it was read from (D9: one row is one refund). */
  refundConnects: { job: string; connects: number; on?: string };
  receiveOffer: {
    offer: string;
    job: string;
    title: string;
    as: ProposeAs;
    member: MemberId;
    kind?: ContractKind;
    sealed?: Sealed;
    terms?: ContractTerms;
  };
  recordPayout: { contract: string; sealed?: Sealed; amount?: number };
  /** A contract of the recording member's, as their Upwork contracts page lists it: never its rate (D15). */
  observeContract: { contract: string; title: string; kind: ContractKind; as: ProposeAs };
  /** A business manager decides whose a contract seen on Upwork is (a dispute's end: core/rules/contracts-seen.ts). */
  assignContract: { contract: string; member: MemberId };
  /** A proposal's boost outcome as the recording member's My proposals shows it (issue 11). */
  observeBoost: { proposal: string; title: string; outcome: BoostOutcome };
  /** A business manager turns recording of members' own weekly hours on or off (off by default). */
  setHoursRecording: { on: boolean };
  /** The recording member's own hours on their contract in the week starting `week` (a Monday, YYYY-MM-DD). */
  recordOwnHours: { contract: string; week: string; minutes: number };
}
export type ActionType = keyof Payloads;

export const FACT_TYPES = [
  'submitProposal',
  'observeBalance',
  'learnUpworkId',
  'refundConnects',
  'receiveOffer',
  'recordPayout',
  'observeContract',
  'observeBoost',
  'recordOwnHours',
] as const satisfies readonly ActionType[];
export type FactType = (typeof FACT_TYPES)[number];
const FACT_SET: ReadonlySet<string> = new Set(FACT_TYPES);
export const isFact = (type: ActionType): boolean => FACT_SET.has(type);

/** A verified action as derive sees it. `actor` is the signing key (base64url), `deps` the heads it saw. */
export interface Action<T extends ActionType = ActionType> {
  id: ActionId;
  type: T;
  actor: KeyId;
  payload: Payloads[T];
  deps: ActionId[];
  at: number;
  sig: Uint8Array;
}

export interface Member {
  id: MemberId;
  name: string;
  role: Role;
  relationship: Relationship;
  status: MemberStatus;
  joinedAt: number;
  leftAt: number | null;
  /** The action that made them a business manager (P3 seniority compares these), or null. */
  managerSince: ActionId | null;
  defaultTeam: ProposeAs | null;
  allowance: number | null;
  keys: KeyId[];
}

export interface Invite {
  /** base64url of the invite's public key. */
  id: string;
  /** A member invite admits a new member; a device invite adds a browser to `member`. */
  kind: 'member' | 'device';
  grantedBy: MemberId;
  role: Role;
  relationship: Relationship;
  /** For device invites: whose browser it adds. */
  member: MemberId | null;
  expiresAt: number;
  label: string | null;
  usedBy: MemberId | null;
  revoked: boolean;
}

export interface ProposalRecord {
  id: ActionId;
  job: string;
  title: string;
  as: ProposeAs;
  connects: number;
  boost: number;
  member: MemberId;
  recordedBy: MemberId;
  at: number;
}

export interface LedgerEntry {
  id: ActionId;
  at: number;
  delta: number;
  kind: 'proposal' | 'purchase' | 'refund';
}

/** A refund on an agency job: what it claims, what its recorder knew was spent, what it restored (D9). */
export interface RefundRecord {
  id: ActionId;
  /** Its effective time: the job's refunds are credited in this order (then id), never the log's. */
  at: number;
  /** Its Connects history row (core/refund-key.ts), or null for one recorded without its day. */
  key: string | null;
  /** Its row's day, or null. */
  on: string | null;
  /**
   * Where its credit sits among observations. A row's: the start of its day `on` (UTC), or just after the
   * first spend on the job that a record of the row knew, whichever is later — the same for every record of
   * the row, whatever time its signer stamped. A refund recorded without its day: its effective time.
   */
  creditAt: number;
  /** The effective time of the first spend on the job in its causal past. */
  spentSince: number;
  claim: number;
  /** Connects the agency spent on the job in the refund's causal past (proposals + boosts). */
  spent: number;
  /** What it restored to the pool: at most `spent` less what the refunds before it restored. */
  credit: number;
  /** A second record of a row already counted. */
  repeat: boolean;
}

export interface Observation {
  id: ActionId;
  at: number;
  value: number;
  source: 'page' | 'manager';
  /** Observed minus what the log predicted at that time; null for the first observation. */
  drift: number | null;
}

export interface Offer {
  id: string;
  job: string;
  title: string;
  as: ProposeAs;
  member: MemberId;
  /** Hourly or fixed-price, when the record said; its amount is never here (D15, core/amounts.ts). */
  kind: ContractKind | null;
  /** The action that recorded it (whose sealed amounts are its terms). */
  record: ActionId;
  status: 'open' | 'accepted' | 'declined';
}

/** A contract as its member's Upwork contracts page showed it: whose it is and its kind, no amount (D15). */
/** A member's own hours on one contract in one week, as their timesheet showed them. */
export interface OwnHours {
  member: MemberId;
  contract: string;
  week: string;
  minutes: number;
  /** The record that stands (the latest by time), and its time. */
  by: ActionId;
  at: number;
}

/** Upwork's badge on a boosted proposal: "Boosted", "Boost outbid", "Not boosted". */
export type BoostOutcome = 'boosted' | 'outbid' | 'not-boosted';

/** A proposal's boost outcome as its member's My proposals showed it (core/rules/boosts-seen.ts). */
export interface SeenBoost {
  proposal: string;
  title: string;
  outcome: BoostOutcome;
  /** Its author: the member whose first record it is; null when two members' first records were concurrent. */
  member: MemberId | null;
  /** The record that stands (the author's latest by time, then id), and its time. */
  by: ActionId;
  at: number;
  /** Every record of it, with what its own causal past made of it (settled without the log's order). */
  records: SeenBoostRecord[];
}

/** One observeBoost record. claim: it knew no record of the proposal; own: it knew it as its recorder's; taken: as another member's (or disputed). */
export interface SeenBoostRecord {
  id: ActionId;
  member: MemberId;
  /** Effective time. */
  at: number;
  title: string;
  outcome: BoostOutcome;
  how: 'claim' | 'own' | 'taken';
}

export interface SeenContract {
  id: string;
  title: string;
  kind: 'hourly' | 'fixed';
  as: ProposeAs;
  /**
   * The member who holds it: the one member whose first records (records that knew no other record of it) there
   * are, or the member a business manager assigned it to. Null while first records of two members dispute it.
   */
  member: MemberId | null;
  /** While no one holds it: the members whose first records of it were concurrent, sorted. */
  disputed?: MemberId[];
  /** The member a business manager's decision (assignContract) names, when there is one. */
  assigned?: MemberId;
  /** The record that stands (the holder's latest by time, then id), and its time. */
  by: ActionId;
  at: number;
  /** The holder's first record by time (then id), and its time: its kind stays (D10). */
  first: ActionId;
  since: number;
  /** Every record of it, with what its own causal past made of it (settled without the log's order). */
  records: SeenContractRecord[];
}

/** One observeContract record: `how` is judged from what the record knew, so it never hangs on the order. */
export interface SeenContractRecord {
  id: ActionId;
  member: MemberId;
  /** Effective time. */
  at: number;
  title: string;
  kind: 'hourly' | 'fixed';
  as: ProposeAs;
  /**
   * claim: it knew no record of the contract (a first record); counter: it knew it as someone else's by
   * their claim alone (it disputes the contract, flagged CONTRACT_TAKEN); own: it knew the contract as its
   * member's; taken: it knew a business manager's decision for someone else; disputed: it knew a dispute and
   * no decision.
   */
  how: 'claim' | 'counter' | 'own' | 'taken' | 'disputed';
}

export interface Contract {
  id: string;
  job: string;
  title: string;
  as: ProposeAs;
  member: MemberId;
  /** D10: never changes once known. */
  kind: ContractKind | null;
  /** The action whose sealed amounts are the current terms (the offer's record, then each edit). */
  termsBy: ActionId;
  /** R6, R8: agency contracts pay the agency's account, independent ones the member. */
  payee: 'agency' | MemberId;
  /** `action`: the submitMilestone whose sealed amount this is (D15: no amount in the state). */
  milestones: { id: string; title: string; by: MemberId; action: ActionId }[];
  /** D11: every time log entry, kept (day, minutes, who). */
  timeLog: { id: ActionId; day: string; minutes: number; by: MemberId }[];
  minutesLogged: number;
}

/** A payout recorded; its amount is sealed in the action `id` (D15). */
export interface Payout {
  id: ActionId;
  contract: string;
  payee: 'agency' | MemberId;
  at: number;
}

export type VerdictKind = 'refused' | 'flagged';
export interface Verdict {
  id: ActionId;
  type: ActionType;
  actor: MemberId | KeyId;
  kind: VerdictKind;
  code: string;
  rule: string;
  message: string;
  /**
   * A refusal decided by a concurrent action (a demotion, removal, key removal or seniority), not by the
   * action's own causal past: an honest writer could not have known. The server stores and relays these.
   */
  race?: true;
}

export interface ActivityEntry {
  id: ActionId;
  type: ActionType;
  actor: MemberId;
  at: number;
  /** A short sentence for the activity list, e.g. "Ann proposed as the agency on 'Logo' — 16 Connects". */
  text: string;
}

export interface AgencyState {
  agencyId: string;
  name: string;
  upworkId: string | null;
  timeZone: string;
  ownerId: MemberId | null;
  members: Record<MemberId, Member>;
  /** Every key that ever belonged to a member, active or not. */
  keys: Record<KeyId, { member: MemberId; active: boolean; label: string | null }>;
  /** Each browser key's published X25519 key (base64url), to which amounts are sealed (D15). */
  sealKeys: Record<KeyId, string>;
  invites: Record<string, Invite>;
  observation: Observation | null;
  /** Sorted by `at`; agency Connects movements after and before the latest observation. */
  ledger: LedgerEntry[];
  /** D9: each Connects history row recorded as a refund (core/refund-key.ts) → the refund that counted. */
  refunds: Record<string, ActionId>;
  /** D9: the refunds counted on each agency job and what each restored (core/rules/refunds.ts). */
  refundJobs: Record<string, RefundRecord[]>;
  balance: number;
  /** Connects spent from the agency pool by member and month ("2026-11" in the agency's time zone). */
  spent: Record<MemberId, Record<string, number>>;
  proposals: ProposalRecord[];
  offers: Record<string, Offer>;
  contracts: Record<string, Contract>;
  /** Contracts members' browsers saw on Upwork's contracts page (core/rules/contracts-seen.ts), by id. */
  contractsSeen: Record<string, SeenContract>;
  /** Boost outcomes members' browsers saw on My proposals (core/rules/boosts-seen.ts), by Upwork proposal id. */
  boostsSeen: Record<string, SeenBoost>;
  /** Whether members' own weekly hours are recorded (a manager's setting, off by default: core/rules/own-hours.ts). */
  hoursRecording: boolean;
  /** Members' own weekly hours, by "<member>|<contract>|<week>". */
  ownHours: Record<string, OwnHours>;
  payouts: Payout[];
  verdicts: Verdict[];
  activity: ActivityEntry[];
  /** How many actions were applied (including flagged facts), refused, or wait for a missing dependency. */
  counts: { applied: number; refused: number; flagged: number; pending: number };
}
