// What a replica keeps in its database besides the doc (statuses of the member's own actions, sync
// bookkeeping, join credentials, the signed format its log was verified in) and the view a woken worker
// shows from it before the doc is loaded.
//
// A log written by Agency Overlay 0.1 (signed format 1) cannot be read by this version: its entries verify
// as OLD_FORMAT. 0.1 persisted snapshots too, under the same snapshot version, so a snapshot is trusted only
// when the replica recorded that it verified the log in today's format (LocalMeta.format).
import {
  ACTION_FORMAT,
  type AgencyLog,
  connectsSummary,
  emptyState,
  type LogSnapshot,
  observedBalances,
} from '../../core/index.ts';
import type { ActionStatus, AgencyView, RecoveryNotice } from '../messaging/types.ts';
import type { Credentials } from './connection.ts';
import { DocStore } from './doc-store.ts';
import { type InviteKey, inviteSigner, isInviteKey } from './invite-key.ts';

export const SNAPSHOT_KEY = 'snapshot';
/** When the snapshot was written (ms since the epoch), in the same transaction as it. */
export const SNAPSHOT_AT_KEY = 'snapshotAt';
export const LOCAL_KEY = 'local';

export const replicaDbName = (agencyId: string) => `agency-overlay:replica:${agencyId}`;

/** The signed format of Agency Overlay 0.1, which this version cannot read (core's verifyAction: OLD_FORMAT). */
export const OLD_ACTION_FORMAT = 1;
export const OLD_FORMAT_REASON =
  'This agency was created with Agency Overlay 0.1, whose log format this version cannot read or sync.';

/** What a joiner or a creator needs until the server knows this browser's key; erased once it does. */
export interface JoinCredentials {
  /** The invite key from the code (non-extractable): it signs every handshake until the join is acknowledged. */
  invite?: InviteKey | null;
  creationToken?: string | null;
}

export interface Unacked {
  id: string;
  client: number;
  clock: number;
}

/** What this replica keeps besides the doc: statuses of the member's own actions, sync bookkeeping. */
export interface LocalMeta {
  recent: ActionStatus[];
  unacked: Unacked[];
  lastSyncedAt: number | null;
  stoppedReason: string | null;
  credentials: { invite: InviteKey | null; creationToken: string | null } | null;
  /** The signed format this replica verified its log in: ACTION_FORMAT, OLD_ACTION_FORMAT, or absent (0.1). */
  format?: number;
  /** The last recovery from the record kept outside IndexedDB (recovery.ts), until the member dismisses it. */
  recovered?: RecoveryNotice | null;
  /**
   * This copy lost data the server may hold, some of it this browser key's own actions: the member's new
   * actions wait for the first sync with the server, so each builds on the key's last action (core's
   * key-chain.ts) instead of forking it. Cleared by that sync.
   */
  resync?: boolean;
}

/**
 * The view a restarted worker can show before the replica is open: the persisted derived state and the
 * member's own statuses, read without loading the doc (the popup's first render does not wait for it).
 */
export async function cachedView(
  agencyId: string,
  server: string,
  keyId: string,
  now: number,
  idb?: IDBFactory,
): Promise<AgencyView | null> {
  const meta = await DocStore.peekMeta(
    replicaDbName(agencyId),
    [SNAPSHOT_KEY, SNAPSHOT_AT_KEY, LOCAL_KEY],
    idb,
  );
  const local = meta.get(LOCAL_KEY) as LocalMeta | undefined;
  if (local?.format === OLD_ACTION_FORMAT) return oldFormatView(agencyId, server, keyId, now);
  const snapshot = meta.get(SNAPSHOT_KEY) as LogSnapshot | undefined;
  // A snapshot from a version that did not record its format may describe a log this one cannot read.
  if (local?.format !== ACTION_FORMAT || !snapshot || snapshot.agencyId !== agencyId) return null;
  const state = snapshot.state;
  const me = state.keys[keyId]?.member ?? keyId;
  return {
    agencyId,
    me,
    browserKey: keyId,
    oldFormat: false,
    state,
    connects: connectsSummary(state, now, state.members[me] ? me : null),
    observations: observedBalances(snapshot.book.observations),
    sync: {
      status: 'syncing',
      server,
      lastSyncedAt: local?.lastSyncedAt ?? null,
      waiting: local?.unacked.length ?? 0,
      stoppedReason: null,
      stoppedBy: null,
    },
    recent: local?.recent ?? [],
    recovered: local?.recovered ?? null,
    cached: {
      at: typeof meta.get(SNAPSHOT_AT_KEY) === 'number' ? (meta.get(SNAPSHOT_AT_KEY) as number) : null,
    },
  };
}

function oldFormatView(agencyId: string, server: string, keyId: string, now: number): AgencyView {
  const state = emptyState(agencyId);
  return {
    agencyId,
    me: keyId,
    browserKey: keyId,
    oldFormat: true,
    state,
    connects: connectsSummary(state, now, null),
    sync: {
      status: 'stopped',
      server,
      lastSyncedAt: null,
      waiting: 0,
      stoppedReason: OLD_FORMAT_REASON,
      stoppedBy: 'OLD_FORMAT',
    },
    recent: [],
  };
}

export const toConnectionCredentials = (c: JoinCredentials | null | undefined): Credentials => ({
  invite: c?.invite ? inviteSigner(c.invite) : null,
  creationToken: c?.creationToken ?? null,
});

export function hasOldFormat(log: AgencyLog): boolean {
  for (const entry of log.invalid.values()) if (entry.code === 'OLD_FORMAT') return true;
  return false;
}

/** Credentials as persisted; 0.1 kept an invite secret, which admits nobody now. */
export function storedCredentials(saved: unknown): LocalMeta['credentials'] {
  if (!saved || typeof saved !== 'object') return null;
  const c = saved as { invite?: unknown; creationToken?: unknown };
  const invite = isInviteKey(c.invite) ? c.invite : null;
  const creationToken = typeof c.creationToken === 'string' ? c.creationToken : null;
  return invite || creationToken ? { invite, creationToken } : null;
}
