// The one message protocol between the background (which owns every replica) and the popup, options page
// and content scripts. Plain types only, so content scripts can import it without zod; the background
// validates every request with messaging/schemas.ts.
import type {
  AgencyState,
  ConnectsSummary,
  MemberId,
  Payloads,
  ProposeAs,
  Relationship,
  Role,
} from '../../core/lite.ts';

export type SyncStatus = 'synced' | 'syncing' | 'offline' | 'stopped';

/** Per action the member took here: saved locally, acknowledged by the server, or refused with why. */
export type ActionStatus =
  | { id: string; type: string; at: number; status: 'saved' | 'synced' }
  | { id: string | null; type: string; at: number; status: 'refused'; rule: string; message: string };

export interface SyncView {
  status: SyncStatus;
  server: string;
  lastSyncedAt: number | null;
  /** Actions written here that the server has not acknowledged yet ("offline — N actions waiting"). */
  waiting: number;
  /** Why sync stopped, from the server's close code (e.g. removed from the agency). */
  stoppedReason: string | null;
}

/** Everything a UI needs about one agency, as the background last derived it. */
export interface AgencyView {
  agencyId: string;
  me: MemberId;
  state: AgencyState;
  connects: ConnectsSummary;
  sync: SyncView;
  recent: ActionStatus[];
}

export interface OverviewView {
  agencies: { agencyId: string; name: string }[];
  selected: string | null;
  view: AgencyView | null;
}

/** Intents and facts a UI may ask the background to take; payloads as in core (bytes excluded). */
export type UiActionType = Exclude<
  keyof Payloads,
  'createAgency' | 'joinAgency' | 'grantInvite' | 'addDeviceKey' | 'removeDeviceKey'
>;

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
    }
  | { kind: 'joinAgency'; code: string; memberName: string }
  | {
      kind: 'createInvite';
      agencyId: string;
      role: Role;
      relationship: Relationship;
      expiresInDays: number;
      label?: string;
    }
  | { kind: 'act'; agencyId: string; type: UiActionType; payload: Record<string, unknown> }
  | { kind: 'addDevice'; agencyId: string; member: MemberId; publicKey: string; label?: string }
  | { kind: 'deviceKey' }
  | { kind: 'exportLog'; agencyId: string }
  | { kind: 'setServer'; agencyId: string; server: string }
  | { kind: 'reconnect'; agencyId: string };

export type Response<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; code: string; rule: string; message: string };

export interface ResponseValues {
  overview: OverviewView;
  select: OverviewView;
  createAgency: { agencyId: string };
  joinAgency: { agencyId: string };
  createInvite: { code: string; expiresAt: number };
  act: { id: string; status: 'saved'; flags: { code: string; rule: string; message: string }[] };
  /**
   * `code`: what the new browser pastes where an invite code goes (server, agency; its secret is no invite):
   * once the key is synced, that browser connects as the member it was added to.
   */
  addDevice: { id: string; code: string };
  deviceKey: { publicKey: string };
  exportLog: { fileName: string; json: string };
  setServer: null;
  reconnect: null;
}

/** Port name for the live subscription: the background posts an OverviewView after every change. */
export const STATE_PORT = 'agency-state';

export type { ProposeAs };
