// The replica's link to its sync server and what the server acknowledged: dialling and switching servers,
// the link's status as the member sees it, and when an action written here counts as "synced" (the
// server's ACK state vector covers its Yjs item; without ACK frames, sync step 2 after ACK_FALLBACK_MS).
import type * as Y from 'yjs';
import type { AgencyLog, MemberId, Signer } from '../../core/index.ts';
import type { SyncStatus, SyncView } from '../messaging/types.ts';
import { Connection, type Credentials, type LinkState } from './connection.ts';
import { OLD_FORMAT_REASON } from './local-meta.ts';
import type { OwnActions } from './own-actions.ts';
import type { LocalWrites } from './send-when-stored.ts';

/** Without ACK frames from the server, how long after sync step 2 before it stands in for an ACK. */
export const ACK_FALLBACK_MS = 2_000;

/** What the link needs from the replica it serves. */
export interface LinkHost {
  readonly agencyId: string;
  readonly doc: Y.Doc;
  readonly signer: Signer;
  readonly log: AgencyLog;
  readonly own: OwnActions;
  /** Own actions not on the server yet, those waiting to be written included. */
  readonly waiting: number;
  readonly oldFormat: boolean;
  readonly me: MemberId;
  readonly WebSocketImpl?: typeof WebSocket;
  readonly maxBackoffMs?: number;
  /** Its own writes, sent only once stored here (send-when-stored.ts). */
  readonly localWrites?: LocalWrites;
  now(): number;
  credentials(): Credentials;
  /** The server acknowledged these of the member's actions (statuses are updated, not yet persisted). */
  acknowledged(ids: Set<string>): void;
  /** The server's acknowledged state vector, for the keep's entries no status tracks any more (keep.ts). */
  acknowledgedUpTo?(sv: Map<number, number>): void;
  emit(): void;
}

export class ServerLink {
  connection: Connection;
  private fallbackTimer: ReturnType<typeof setTimeout> | null = null;
  /** The link got past the handshake since it last dialled (onLinkState). */
  private welcomedLink = false;
  private closed = false;

  private readonly host: LinkHost;

  constructor(host: LinkHost, server: string, connect: boolean) {
    this.host = host;
    this.connection = this.makeConnection(server, connect);
  }

  get server(): string {
    return this.connection.server;
  }

  syncStatus(): SyncStatus {
    if (this.host.oldFormat) return 'stopped';
    const state = this.connection.state;
    if (state === 'stopped') return 'stopped';
    if (state === 'synced') return this.host.own.waiting ? 'syncing' : 'synced';
    if (state === 'welcomed') return 'syncing';
    // Dialling after a (re)start is "syncing"; only a link that failed since it last worked is "offline",
    // so the status does not flicker while the client retries through an outage.
    if ((state === 'connecting' || state === 'connected') && !this.connection.outage) return 'syncing';
    return 'offline';
  }

  syncView(): SyncView {
    const oldFormat = this.host.oldFormat;
    const stopped = this.connection.state === 'stopped';
    return {
      status: this.syncStatus(),
      server: this.server,
      lastSyncedAt: this.host.own.lastSyncedAt,
      waiting: this.host.waiting,
      stoppedReason: oldFormat ? OLD_FORMAT_REASON : stopped ? this.connection.stoppedReason : null,
      stoppedBy: oldFormat ? 'OLD_FORMAT' : stopped ? this.connection.stoppedBy : null,
    };
  }

  /** Points the link at another server address. */
  setServer(server: string): void {
    this.connection.destroy();
    this.connection = this.makeConnection(server, true);
  }

  /** Dial now: after an outage (the alarm), or when the member asks. A stopped link is retried too. */
  reconnect(): void {
    this.connection.reconnectNow();
  }

  /** Makes sure the link is up or coming up (the alarm calls this; it does not drop a live socket). */
  ensureConnected(): void {
    if (this.connection.state === 'stopped') return;
    if (!this.connection.connected) {
      this.connection.provider.wsUnsuccessfulReconnects = 0;
      this.connection.connect();
    }
  }

  /** An action was just saved here: a server without ACK frames may have to stand in for one. */
  saved(): void {
    this.maybeFallbackAck();
  }

  destroy(): void {
    this.closed = true;
    if (this.fallbackTimer) clearTimeout(this.fallbackTimer);
    this.fallbackTimer = null;
    this.connection.destroy();
  }

  private makeConnection(server: string, connect: boolean): Connection {
    const h = this.host;
    return new Connection({
      server,
      room: h.agencyId,
      doc: h.doc,
      signer: h.signer,
      credentials: h.credentials(),
      WebSocketImpl: h.WebSocketImpl,
      maxBackoffMs: h.maxBackoffMs,
      local: h.localWrites,
      connect,
      events: {
        state: (state) => this.onLinkState(state),
        ack: (sv) => this.onAck(sv),
        welcome: () => h.emit(),
      },
    });
  }

  private onLinkState(state: LinkState): void {
    if (state === 'synced') {
      if (!this.host.own.waiting) this.host.own.lastSyncedAt = this.host.now();
      this.maybeFallbackAck();
    }
    if (state === 'stopped' && this.connection.stoppedBy === 'MEMBER_GONE' && this.welcomedLink)
      this.confirmOwnLeave();
    // Whether the link got past the handshake before it stopped: a close at the handshake holds nothing new.
    if (state === 'welcomed' || state === 'synced') this.welcomedLink = true;
    else if (state === 'connecting') this.welcomedLink = false;
    this.host.emit();
  }

  /**
   * The server stores a member's own leave, then re-checks who may read and closes their link (MEMBER_GONE)
   * before it sends the ACK that would cover the leave (sync-server room.ts `committed`). So the close is the
   * acknowledgement: the server closes a member for a departure it holds, and when the departure this replica
   * knows is the member's own leave, that leave is what the server holds. Only for a link the server had
   * welcomed: one refused at the handshake (a member removed while offline) sent the server nothing.
   */
  private confirmOwnLeave(): void {
    const { log, own } = this.host;
    if (log.state.members[this.host.me]?.status !== 'left') return;
    // Read from `unacked`, not `recent`: the close can arrive while act() still waits for IndexedDB, before
    // the leave is pushed to `recent`; act() then finds it acknowledged and records it as synced.
    const actions = log.derived.actions;
    const ids = new Set(
      own.unacked.filter((u) => actions.get(u.id)?.type === 'leaveAgency').map((u) => u.id),
    );
    if (!ids.size) return;
    this.host.acknowledged(ids);
    own.persist();
  }

  private onAck(sv: Map<number, number>): void {
    if (this.fallbackTimer) {
      clearTimeout(this.fallbackTimer);
      this.fallbackTimer = null;
    }
    const own = this.host.own;
    const covered = own.coveredBy(sv);
    this.host.acknowledged(covered);
    this.host.acknowledgedUpTo?.(sv);
    if (!own.waiting) own.lastSyncedAt = this.host.now();
    // An ACK that acknowledges nothing new (every reconnect gets one) is not worth a write of its own.
    if (covered.size) own.persist();
    this.host.emit();
  }

  /**
   * A server that never sends ACK frames (an older server, or the stock y-websocket one): once synced for
   * ACK_FALLBACK_MS with no ACK, the server's sync step 2 stands in for one (weaker: it does not prove the
   * update is durably stored).
   */
  private maybeFallbackAck(): void {
    if (this.connection.acks || this.connection.state !== 'synced' || !this.host.own.waiting) return;
    if (this.fallbackTimer || this.closed) return;
    this.fallbackTimer = setTimeout(() => {
      this.fallbackTimer = null;
      if (this.connection.acks || this.connection.state !== 'synced') return;
      const own = this.host.own;
      this.host.acknowledged(new Set(own.unacked.map((u) => u.id)));
      own.lastSyncedAt = this.host.now();
      own.persist();
      this.host.emit();
    }, ACK_FALLBACK_MS);
  }
}
