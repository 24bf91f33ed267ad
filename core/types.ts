// The agency's model as plain types: no zod here, so content scripts can import this file (via core/lite.ts).

export type Role = 'manager' | 'member';
export type Relationship = 'exclusive' | 'non-exclusive';
export type ProposeAs = 'agency' | 'independent';
export type MemberStatus = 'active' | 'left' | 'removed';
/** Text ids: base64url of bytes (action ids: SHA-256 of the canonical bytes; member ids: their first key). */
export type ActionId = string;
export type MemberId = string;
export type KeyId = string;

export type ContractTerms = { kind: 'hourly'; hourlyRate: number } | { kind: 'fixed'; amount: number };

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
  acceptOffer: { offer: string };
  declineOffer: { offer: string };
  editContractTerms: { contract: string; terms: ContractTerms };
  submitMilestone: { contract: string; milestone: string; title: string; amount: number };
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
    // amounts are D15's (sealed for managers)
    terms?: ContractTerms;
    kind?: 'hourly' | 'fixed';
  };
  recordPayout: { contract: string; amount: number };
  /** A contract of the recording member's, as their Upwork contracts page lists it: never its rate (D15). */
  observeContract: { contract: string; title: string; kind: 'hourly' | 'fixed'; as: ProposeAs };
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
  /** Hourly or fixed-price; null when the record said neither. */
  kind: ContractTerms['kind'] | null;
  // amounts are D15's (sealed for managers)
  terms?: ContractTerms;
  status: 'open' | 'accepted' | 'declined';
}

/** A contract as its member's Upwork contracts page showed it: whose it is and its kind, no amount (D15). */
export interface SeenContract {
  id: string;
  title: string;
  kind: 'hourly' | 'fixed';
  as: ProposeAs;
  member: MemberId;
  /** The record that stands (the latest by time), and its time. */
  by: ActionId;
  at: number;
}

export interface Contract {
  id: string;
  job: string;
  title: string;
  as: ProposeAs;
  member: MemberId;
  /** Hourly or fixed-price (D10: never changes); null when the offer's record said neither. */
  kind: ContractTerms['kind'] | null;
  // amounts are D15's (sealed for managers)
  terms?: ContractTerms;
  /** R6, R8: agency contracts pay the agency's account, independent ones the member. */
  payee: 'agency' | MemberId;
  milestones: { id: string; title: string; amount: number; by: MemberId }[];
  /** D11: every time log entry, kept (day, minutes, who). */
  timeLog: { id: ActionId; day: string; minutes: number; by: MemberId }[];
  minutesLogged: number;
  paid: number;
}

export interface Payout {
  id: ActionId;
  contract: string;
  amount: number;
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
  invites: Record<string, Invite>;
  observation: Observation | null;
  /** Sorted by `at`; agency Connects movements after and before the latest observation. */
  ledger: LedgerEntry[];
  /** D9: each Connects history row recorded as a refund (core/refund-key.ts) → the refund that counted. */
  refunds: Record<string, ActionId>;
  balance: number;
  /** Connects spent from the agency pool by member and month ("2026-11" in the agency's time zone). */
  spent: Record<MemberId, Record<string, number>>;
  proposals: ProposalRecord[];
  offers: Record<string, Offer>;
  contracts: Record<string, Contract>;
  /** Contracts members' browsers saw on Upwork's contracts page (core/rules/contracts-seen.ts), by id. */
  contractsSeen: Record<string, SeenContract>;
  payouts: Payout[];
  verdicts: Verdict[];
  activity: ActivityEntry[];
  /** How many actions were applied (including flagged facts), refused, or wait for a missing dependency. */
  counts: { applied: number; refused: number; flagged: number; pending: number };
}
