// The one message protocol between the background (which owns every replica) and the popup, options page
// and content scripts. Plain types only, so content scripts can import it without zod; the background
// validates every request with messaging/schemas.ts.
import type {
  ActivityKind,
  ActivityPage,
  AgencyState,
  AmountsView,
  ConnectsSummary,
  MemberId,
  ObservedBalance,
  Payloads,
  ProposeAs,
  Relationship,
  Role,
} from '../../core/lite.ts';

export type SyncStatus = 'synced' | 'syncing' | 'offline' | 'stopped';

/** Per action the member took here: saved locally, acknowledged by the server, or refused with why. */
export type ActionStatus =
  | {
      id: string;
      type: string;
      at: number;
      status: 'saved' | 'synced';
      /** Recorded, with something the member should know (AMOUNT_NOT_SEALED: the amount was left out). */
      note?: { code: string; message: string };
    }
  | { id: string | null; type: string; at: number; status: 'refused'; rule: string; message: string };

export interface SyncView {
  status: SyncStatus;
  server: string;
  lastSyncedAt: number | null;
  /** Actions written here that the server has not acknowledged yet ("offline — N actions waiting"). */
  waiting: number;
  /** Why sync stopped, from the server's close code (e.g. removed from the agency). */
  stoppedReason: string | null;
  /** Which close code stopped it (core/protocol.ts CLOSE), or OLD_FORMAT; null while not stopped. */
  stoppedBy: string | null;
}

/**
 * The browser discarded this agency's stored copy (IndexedDB) and the replica recovered from the record it
 * keeps outside it (the replica's keep.ts and recovery.ts): shown to the member until they dismiss it.
 */
export interface RecoveryNotice {
  at: number;
  /** Actions the stored copy held before it was lost (the server sends back every one it has). */
  held: number;
  /** The member's own actions the server had not acknowledged, kept outside IndexedDB and written back. */
  restored: number;
  /** Own actions beyond the keep's bound: gone unless the server got them before the loss. */
  notKept: number;
  /** This browser's key was lost too: it has to be added again before it can sync. */
  keyLost: boolean;
}

/** Everything a UI needs about one agency, as the background last derived it. */
export interface AgencyView {
  agencyId: string;
  me: MemberId;
  /** This browser's own key (its device key): `state.keys[browserKey]` says whether it still counts. */
  browserKey: string;
  /**
   * The log was written by Agency Overlay 0.1, whose signed format this version cannot read: nothing of it
   * is derived (`state` is empty) and it is not synced; it can be exported and removed.
   */
  oldFormat: boolean;
  state: AgencyState;
  connects: ConnectsSummary;
  /**
   * Every balance Upwork showed or a manager entered, by time (derive's book; the state keeps only the one that
   * holds): the Insights view and the popup's sparkline draw the balance over time from it and the ledger.
   * Absent from a view a background of an older version persisted.
   */
  observations?: ObservedBalance[];
  sync: SyncView;
  recent: ActionStatus[];
  /** Set after a recovery from the kept record, until the member dismisses it. */
  recovered?: RecoveryNotice | null;
  /**
   * Set while the view comes from the derived snapshot a restarted worker read before the stored doc: `at` is
   * when the snapshot was written (null when an older version wrote it). Absent once the doc is read.
   */
  cached?: { at: number | null };
}

export interface OverviewView {
  agencies: { agencyId: string; name: string }[];
  selected: string | null;
  view: AgencyView | null;
}

/** Intents and facts a UI may ask the background to take; payloads as in core (bytes excluded). */
export type UiActionType = Exclude<
  keyof Payloads,
  | 'createAgency'
  | 'joinAgency'
  | 'grantInvite'
  | 'grantDeviceInvite'
  | 'revokeInvite'
  | 'removeDeviceKey'
  | 'publishSealKey'
  | 'resealAmounts'
>;

/**
 * What a content script (inside Upwork's pages) may record: the facts the overlay saw there, and the
 * member's own default team as Upwork pre-selects it (R9). Anything else it asks to `act` is refused at the
 * background's boundary (issue 8, item 13): page code that reached the content script cannot change roles,
 * allowances or invites. extension/overlay/page-facts.ts builds exactly these.
 */
export const PAGE_FACT_TYPES = [
  'submitProposal',
  'observeBalance',
  'learnUpworkId',
  'setDefaultTeam',
  // The work pages (extension/overlay/work-page.ts): refunds on the Connects history (D9), offers seen on
  // My proposals (D8). Never an amount (D15).
  'refundConnects',
  'receiveOffer',
  'observeContract',
  // A proposal's boost outcome, from the member's own My proposals.
  'observeBoost',
  // The member's own hours on their timesheet, only while the agency records them.
  'recordOwnHours',
] as const;
export type PageFactType = (typeof PAGE_FACT_TYPES)[number];

/** What an invite code admits, read from the agency's own log once the room synced (checkInvite). */
export type InviteCheck = {
  agencyId: string;
  agencyName: string;
  expiresAt: number;
  /** Who made the code. */
  grantedBy: string;
} & (
  | { kind: 'member'; role: Role; relationship: Relationship }
  /** A code that adds this browser to an existing member: `member` is whose. */
  | { kind: 'device'; member: { id: MemberId; name: string } }
);

export type Request =
  | { kind: 'overview' }
  | { kind: 'select'; agencyId: string }
  | {
      kind: 'createAgency';
      server: string;
      creationToken?: string;
      agencyName: string;
      memberName: string;
      balance: number;
      timeZone?: string;
      /**
       * Create it without first checking that the server answers (the member chose to, after being told it
       * does not): it syncs once the server is reachable.
       */
      offline?: true;
    }
  /** Connects with the code's invite key and says what it admits; nothing is kept in this browser. */
  | { kind: 'checkInvite'; code: string }
  /**
   * Joins with an invite code. `name` is the new member's name for a member invite, and this browser's
   * label for a code that adds a browser to an existing member.
   */
  | { kind: 'joinAgency'; code: string; name: string }
  | {
      kind: 'createInvite';
      agencyId: string;
      role: Role;
      relationship: Relationship;
      expiresInDays: number;
      label?: string;
    }
  /** A code that adds a browser to `member` (the member themself, or a business manager for anyone). */
  | { kind: 'createDeviceInvite'; agencyId: string; member: MemberId; expiresInDays: number; label?: string }
  /** Revokes an unused invite or browser code; `invite` is its id (base64url of its public key). */
  | { kind: 'revokeInvite'; agencyId: string; invite: string }
  | { kind: 'act'; agencyId: string; type: UiActionType; payload: Record<string, unknown> }
  /** The rates, milestone amounts and payouts this browser can open (a business manager's, D15). */
  | { kind: 'amounts'; agencyId: string }
  /**
   * One page of the whole log's activity matching a filter (the agency pages' search), the newest first;
   * `size` at most ACTIVITY_PAGE_MAX: the page asks for pages, never for the log.
   */
  | {
      kind: 'activity';
      agencyId: string;
      filter: { member?: MemberId; kind?: ActivityKind; month?: string; text?: string };
      page: number;
      size: number;
    }
  | { kind: 'exportLog'; agencyId: string }
  /** Deletes the agency's replica and its entry from this browser (not from the agency). */
  | { kind: 'removeAgency'; agencyId: string }
  | { kind: 'setServer'; agencyId: string; server: string }
  | { kind: 'reconnect'; agencyId: string }
  | { kind: 'dismissRecovery'; agencyId: string };

export type Response<T = unknown> =
  | { ok: true; value: T }
  /** `field`: the request's field a refusal is about (a form marks it), when it is about one. */
  | { ok: false; code: string; rule: string; message: string; field?: string };

export type ActValue = {
  id: string;
  status: 'saved';
  flags: { code: string; rule: string; message: string }[];
};

export interface ResponseValues {
  overview: OverviewView;
  select: OverviewView;
  createAgency: { agencyId: string };
  checkInvite: InviteCheck;
  joinAgency: { agencyId: string };
  /**
   * `code` carries the invite's private key: shown once, never stored by the extension. `id` is the grant's
   * action id (its saved/synced status is in `recent`).
   */
  /** `id`: the grant action's; `invite`: the invite's own id in the agency's state (its public key). */
  createInvite: { id: string; invite: string; code: string; expiresAt: number };
  createDeviceInvite: { id: string; invite: string; code: string; expiresAt: number };
  revokeInvite: ActValue;
  act: ActValue;
  amounts: AmountsView;
  activity: ActivityPage;
  exportLog: { fileName: string; json: string };
  removeAgency: null;
  setServer: null;
  reconnect: null;
  dismissRecovery: null;
}

/** Port name for the live subscription: the background posts an OverviewView after every change. */
export const STATE_PORT = 'agency-state';

export type { ProposeAs };
