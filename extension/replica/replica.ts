// One agency's replica in the background: a Y.Doc persisted by DocStore, the signed log on it (core's
// AgencyLog), and the Connection to the sync server. Every action the member takes goes through core
// (checked, signed, appended), then counts as "saved" once its IndexedDB transaction completed and as
// "synced" once the server's ACK state vector covers the Yjs item holding it.
//
// A restarted service worker reopens from the persisted derived snapshot (AgencyLog.open trusts the entries
// it covers: no re-verify, no replay) and from the persisted per-action statuses.
//
// A log written by Agency Overlay 0.1 cannot be read by this version (local-meta.ts says how it is told
// apart): it is shown as such, never synced, takes no action, and can be exported and removed.
import * as Y from 'yjs';
import {
  ACTION_FORMAT,
  type ActionType,
  AgencyLog,
  type AgencyLog as AgencyLogType,
  type AmountsView,
  type AppendResult,
  carriesAmount,
  connectsSummary,
  type LogSnapshot,
  type MemberId,
  type Payloads,
  type Signer,
} from '../../core/index.ts';
import type { Standing } from '../../core/protocol.ts';
import type { ActionStatus, AgencyView, SyncStatus, SyncView } from '../messaging/types.ts';
import { Connection, type LinkState } from './connection.ts';
import { DocStore } from './doc-store.ts';
import {
  hasOldFormat,
  type JoinCredentials,
  LOCAL_KEY,
  type LocalMeta,
  OLD_ACTION_FORMAT,
  OLD_FORMAT_REASON,
  replicaDbName,
  SNAPSHOT_KEY,
  storedCredentials,
  toConnectionCredentials,
} from './local-meta.ts';
import { ReplicaAmounts } from './replica-amounts.ts';

export {
  cachedView,
  type JoinCredentials,
  OLD_ACTION_FORMAT,
  OLD_FORMAT_REASON,
  replicaDbName,
} from './local-meta.ts';

export const RECENT_LIMIT = 50;
/** Without ACK frames from the server, how long after sync step 2 before it stands in for an ACK. */
export const ACK_FALLBACK_MS = 2_000;
/** The derived snapshot is written at most this often (it grows with the log; the doc is written at once). */
export const SNAPSHOT_EVERY_MS = 2_000;

export interface ReplicaOptions {
  agencyId: string;
  server: string;
  signer: Signer;
  /** This browser's X25519 key pair: amounts are sealed to it while its member manages (D15, sealing.ts). */
  sealKey?: CryptoKeyPair;
  credentials?: JoinCredentials;
  idb?: IDBFactory;
  WebSocketImpl?: typeof WebSocket;
  now?: () => number;
  /** Dial the server right away (default true). */
  connect?: boolean;
  maxBackoffMs?: number;
}

export type ActResult =
  | { ok: true; id: string; status: 'saved'; flags: { code: string; rule: string; message: string }[] }
  | { ok: false; code: string; rule: string; message: string };

type Listener = () => void;

export class Replica {
  readonly agencyId: string;
  readonly doc: Y.Doc;
  readonly store: DocStore;
  readonly log: AgencyLogType;
  readonly signer: Signer;
  connection: Connection;
  readonly amounts: ReplicaAmounts;
  /** Time from open() to a usable replica, and whether a derived snapshot was there to restore from. */
  readonly openStats: { ms: number; snapshot: boolean; actions: number };
  private readonly now: () => number;
  private readonly opts: ReplicaOptions;
  private local: LocalMeta;
  private listeners = new Set<Listener>();
  private snapshotTimer: ReturnType<typeof setTimeout> | null = null;
  private snapshotDirty = false;
  private fallbackTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** The link got past the handshake since it last dialled (onLinkState). */
  private welcomedLink = false;
  private unsubscribeLog: () => void;

  private constructor(
    opts: ReplicaOptions,
    doc: Y.Doc,
    store: DocStore,
    log: AgencyLogType,
    local: LocalMeta,
    openStats: Replica['openStats'],
  ) {
    this.opts = opts;
    this.agencyId = opts.agencyId;
    this.signer = opts.signer;
    this.now = opts.now ?? Date.now;
    this.doc = doc;
    this.store = store;
    this.log = log;
    this.local = local;
    this.openStats = openStats;
    this.amounts = new ReplicaAmounts(opts.agencyId, opts.sealKey ?? null);
    this.unsubscribeLog = log.subscribe(() => this.onLogChange());
    this.connection = this.makeConnection(opts.server, opts.connect !== false);
  }

  static async open(opts: ReplicaOptions): Promise<Replica> {
    const t0 = performance.now();
    const doc = new Y.Doc();
    const store = await DocStore.open(replicaDbName(opts.agencyId), doc, {
      idb: opts.idb,
      metaKeys: [SNAPSHOT_KEY, LOCAL_KEY],
    });
    const saved = store.meta.get(LOCAL_KEY) as LocalMeta | undefined;
    // 0.1 wrote snapshots under the same version number: trust one only if it was written in this format.
    const snapshot =
      saved?.format === ACTION_FORMAT
        ? ((store.meta.get(SNAPSHOT_KEY) as LogSnapshot | undefined) ?? null)
        : null;
    const log = await AgencyLog.open(doc, opts.agencyId, snapshot);
    const oldFormat = hasOldFormat(log);
    const local: LocalMeta = {
      recent: saved?.recent ?? [],
      unacked: saved?.unacked ?? [],
      lastSyncedAt: saved?.lastSyncedAt ?? null,
      stoppedReason: null,
      // Given ones (a join or creation starting now) replace any kept from an earlier attempt.
      credentials: opts.credentials
        ? { invite: opts.credentials.invite ?? null, creationToken: opts.credentials.creationToken ?? null }
        : storedCredentials(saved?.credentials),
      format: oldFormat ? OLD_ACTION_FORMAT : ACTION_FORMAT,
    };
    // An old log is not sent anywhere: a server of this version would refuse every entry of it.
    const connect = opts.connect !== false && !oldFormat;
    const replica = new Replica({ ...opts, connect }, doc, store, log, local, {
      ms: performance.now() - t0,
      snapshot: !!snapshot,
      actions: log.size,
    });
    if (opts.credentials || saved?.format !== local.format) replica.persistLocal();
    return replica;
  }

  /** The log holds entries of Agency Overlay 0.1's signed format, which this version cannot read. */
  get oldFormat(): boolean {
    return this.local.format === OLD_ACTION_FORMAT || hasOldFormat(this.log);
  }

  /** The member this browser's key belongs to, or the key itself before joining. */
  get me(): MemberId {
    return this.log.memberOf(this.signer.keyId) ?? this.signer.keyId;
  }

  /**
   * Whether this browser's member is in the agency: active in its log, and not closed by the server as gone
   * (a removed member is never sent their removal: the close says it, and a new invite may bring them back).
   */
  get isMember(): boolean {
    const m = this.log.state.members[this.me];
    return !!m && m.status === 'active' && this.connection.stoppedBy !== 'MEMBER_GONE';
  }

  get server(): string {
    return this.connection.server;
  }

  get waiting(): number {
    return this.local.unacked.length;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when `predicate` holds (checked now and after every change), or with false after `ms`. */
  waitFor(predicate: (r: Replica) => boolean, ms: number): Promise<boolean> {
    if (predicate(this)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, ms);
      const off = this.subscribe(() => {
        if (predicate(this)) {
          clearTimeout(timer);
          off();
          resolve(true);
        }
      });
    });
  }

  syncStatus(): SyncStatus {
    if (this.oldFormat) return 'stopped';
    const state = this.connection.state;
    if (state === 'stopped') return 'stopped';
    if (state === 'synced') return this.local.unacked.length ? 'syncing' : 'synced';
    if (state === 'welcomed') return 'syncing';
    // Dialling after a (re)start is "syncing"; only a link that failed since it last worked is "offline",
    // so the status does not flicker while the client retries through an outage.
    if ((state === 'connecting' || state === 'connected') && !this.connection.outage) return 'syncing';
    return 'offline';
  }

  syncView(): SyncView {
    return {
      status: this.syncStatus(),
      server: this.server,
      lastSyncedAt: this.local.lastSyncedAt,
      waiting: this.local.unacked.length,
      stoppedReason: this.oldFormat
        ? OLD_FORMAT_REASON
        : this.connection.state === 'stopped'
          ? this.connection.stoppedReason
          : null,
      stoppedBy: this.oldFormat
        ? 'OLD_FORMAT'
        : this.connection.state === 'stopped'
          ? this.connection.stoppedBy
          : null,
    };
  }

  /** The member's recent actions; an action derive refused later (a concurrent removal…) shows so. */
  recent(): ActionStatus[] {
    const refused = new Map<string, { rule: string; message: string }>();
    for (const v of this.log.state.verdicts) if (v.kind === 'refused') refused.set(v.id, v);
    return this.local.recent.map((r) => {
      const v = r.id ? refused.get(r.id) : undefined;
      return v && r.status !== 'refused'
        ? { id: r.id, type: r.type, at: r.at, status: 'refused', rule: v.rule, message: v.message }
        : r;
    });
  }

  view(): AgencyView {
    const state = this.log.state;
    const me = this.me;
    return {
      agencyId: this.agencyId,
      me,
      browserKey: this.signer.keyId,
      oldFormat: this.oldFormat,
      state,
      connects: connectsSummary(state, this.now(), state.members[me] ? me : null),
      observations: this.log.observations(),
      sync: this.syncView(),
      recent: this.recent(),
    };
  }

  /**
   * Takes one action: core checks and signs it; a refused intent writes nothing and comes back with its
   * rule and sentence. Resolves once the action is in IndexedDB ("saved").
   */
  async act<T extends ActionType>(type: T, payload: Payloads[T]): Promise<ActResult> {
    if (this.closed) return { ok: false, code: 'CLOSED', rule: 'REPLICA', message: 'This agency is closed.' };
    if (this.oldFormat) return { ok: false, code: 'OLD_FORMAT', rule: 'LOG', message: OLD_FORMAT_REASON };
    const at = this.now();
    // Remote entries still being verified would change what the rules see: let them land first.
    await this.log.settled();
    if (carriesAmount(type)) {
      // D15: amounts are never signed in the clear; they are sealed to the managers' browsers
      await this.publishSealKey();
      const prepared = await this.amounts.prepare(type, payload as Payloads[typeof type], this.log.state);
      if (!prepared.ok) {
        this.pushRecent({
          id: null,
          type,
          at,
          status: 'refused',
          rule: prepared.rule,
          message: prepared.message,
        });
        this.persistLocal();
        this.emit();
        return prepared;
      }
      payload = prepared.payload as Payloads[T];
    }
    const result: AppendResult = await this.log.append(this.signer, type, payload, at);
    if (!result.ok) {
      this.pushRecent({ id: null, type, at, status: 'refused', rule: result.rule, message: result.message });
      this.persistLocal();
      this.emit();
      return result;
    }
    const id = result.action.id;
    const item = (this.log.actions as unknown as { _map: Map<string, Y.Item> })._map.get(id);
    if (item) this.local.unacked.push({ id, client: item.id.client, clock: item.id.clock });
    this.persistLocal();
    try {
      await this.store.saved();
    } catch (e) {
      // The action is in the doc and will still sync; this browser could not keep it (quota, a closing
      // database), so it is not reported as saved.
      this.emit();
      return {
        ok: false,
        code: 'NOT_SAVED',
        rule: 'STORAGE',
        message: `Signed, but this browser could not save it (${e instanceof Error ? e.message : String(e)}); it will still be sent to the server.`,
      };
    }
    this.pushRecent({
      id,
      type,
      at,
      status: this.local.unacked.some((u) => u.id === id) ? 'saved' : 'synced',
    });
    this.persistLocal();
    this.scheduleSnapshot();
    this.maybeFallbackAck();
    this.emit();
    return {
      ok: true,
      id,
      status: 'saved',
      flags: result.verdicts.map((v) => ({ code: v.code, rule: v.rule, message: v.message })),
    };
  }

  /**
   * The amounts this browser can read (a business manager's: D15). Publishes this browser's seal key first
   * when its member manages and the log lacks it, so amounts recorded from then on are sealed to it too.
   */
  async amountsView(): Promise<AmountsView> {
    await this.log.settled();
    await this.publishSealKey();
    return this.amounts.view(this.log);
  }

  private async publishSealKey(): Promise<void> {
    if (this.closed || this.oldFormat) return;
    const key = await this.amounts.keyToPublish(this.log.state, this.signer.keyId);
    if (key) await this.act('publishSealKey', { key });
  }

  /** Points the replica at another server address (the doc and its history stay). */
  setServer(server: string): void {
    if (this.oldFormat) return;
    if (server === this.server) {
      this.reconnect();
      return;
    }
    this.connection.destroy();
    this.connection = this.makeConnection(server, true);
    this.emit();
  }

  /** Dial now: after an outage (the alarm), or when the member asks. A stopped link is retried too. */
  reconnect(): void {
    if (this.closed || this.oldFormat) return;
    this.connection.reconnectNow();
  }

  /** Makes sure the link is up or coming up (the alarm calls this; it does not drop a live socket). */
  ensureConnected(): void {
    if (this.closed || this.oldFormat || this.connection.state === 'stopped') return;
    if (!this.connection.connected) {
      this.connection.provider.wsUnsuccessfulReconnects = 0;
      this.connection.connect();
    }
  }

  /** Writes the derived snapshot and statuses now (e.g. before the worker may be stopped). */
  async flush(): Promise<void> {
    this.writeSnapshot();
    this.persistLocal();
    await this.store.saved();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    if (this.fallbackTimer) clearTimeout(this.fallbackTimer);
    this.connection.destroy();
    this.writeSnapshot();
    this.persistLocal();
    this.unsubscribeLog();
    await this.store.close();
    this.log.destroy();
    this.doc.destroy();
    this.listeners.clear();
  }

  /** Closes and deletes everything stored for this agency in this browser. */
  async destroyData(): Promise<void> {
    await this.close();
    await DocStore.delete(replicaDbName(this.agencyId), this.opts.idb);
  }

  private makeConnection(server: string, connect: boolean): Connection {
    return new Connection({
      server,
      room: this.agencyId,
      doc: this.doc,
      signer: this.signer,
      credentials: toConnectionCredentials(this.local.credentials),
      WebSocketImpl: this.opts.WebSocketImpl,
      maxBackoffMs: this.opts.maxBackoffMs,
      connect,
      events: {
        state: (state) => this.onLinkState(state),
        ack: (sv) => this.onAck(sv),
        welcome: (standing) => this.onWelcome(standing),
      },
    });
  }

  private onWelcome(_standing: Standing): void {
    this.emit();
  }

  private onLinkState(state: LinkState): void {
    if (state === 'synced') {
      if (!this.local.unacked.length) this.local.lastSyncedAt = this.now();
      this.maybeFallbackAck();
    }
    if (state === 'stopped' && this.connection.stoppedBy === 'MEMBER_GONE' && this.welcomedLink)
      this.confirmOwnLeave();
    // Whether the link got past the handshake before it stopped: a close at the handshake holds nothing new.
    if (state === 'welcomed' || state === 'synced') this.welcomedLink = true;
    else if (state === 'connecting') this.welcomedLink = false;
    this.emit();
  }

  /**
   * The server stores a member's own leave, then re-checks who may read and closes their link (MEMBER_GONE)
   * before it sends the ACK that would cover the leave (sync-server room.ts `committed`). So the close is the
   * acknowledgement: the server closes a member for a departure it holds, and when the departure this replica
   * knows is the member's own leave, that leave is what the server holds. Only for a link the server had
   * welcomed: one refused at the handshake (a member removed while offline) sent the server nothing.
   */
  private confirmOwnLeave(): void {
    if (this.log.state.members[this.me]?.status !== 'left') return;
    // Read from `unacked`, not `recent`: the close can arrive while act() still waits for IndexedDB, before
    // the leave is pushed to `recent`; act() then finds it acknowledged and records it as synced.
    const actions = this.log.derived.actions;
    const ids = new Set(
      this.local.unacked.filter((u) => actions.get(u.id)?.type === 'leaveAgency').map((u) => u.id),
    );
    if (!ids.size) return;
    this.markSynced(ids);
    this.persistLocal();
  }

  private onAck(sv: Map<number, number>): void {
    if (this.fallbackTimer) {
      clearTimeout(this.fallbackTimer);
      this.fallbackTimer = null;
    }
    const covered = new Set(
      this.local.unacked.filter((u) => (sv.get(u.client) ?? 0) > u.clock).map((u) => u.id),
    );
    this.markSynced(covered);
    if (!this.local.unacked.length) this.local.lastSyncedAt = this.now();
    // An ACK that acknowledges nothing new (every reconnect gets one) is not worth a write of its own.
    if (covered.size) this.persistLocal();
    this.emit();
  }

  /**
   * A server that never sends ACK frames (an older server, or the stock y-websocket one): once synced for
   * ACK_FALLBACK_MS with no ACK, the server's sync step 2 stands in for one (weaker: it does not prove the
   * update is durably stored).
   */
  private maybeFallbackAck(): void {
    if (this.connection.acks || this.connection.state !== 'synced' || !this.local.unacked.length) return;
    if (this.fallbackTimer) return;
    this.fallbackTimer = setTimeout(() => {
      this.fallbackTimer = null;
      if (this.connection.acks || this.connection.state !== 'synced') return;
      this.markSynced(new Set(this.local.unacked.map((u) => u.id)));
      this.local.lastSyncedAt = this.now();
      this.persistLocal();
      this.emit();
    }, ACK_FALLBACK_MS);
  }

  private markSynced(ids: Set<string>): void {
    if (!ids.size) return;
    this.local.unacked = this.local.unacked.filter((u) => !ids.has(u.id));
    this.local.recent = this.local.recent.map((r) =>
      r.id && ids.has(r.id) && r.status === 'saved' ? { ...r, status: 'synced' } : r,
    );
    // Our key is known to the server now: the invite key or creation token is spent, and erased.
    if (this.isMember) this.forgetCredentials();
  }

  private pushRecent(status: ActionStatus): void {
    this.local.recent = [status, ...this.local.recent].slice(0, RECENT_LIMIT);
  }

  private persistLocal(): void {
    this.store.setMeta(LOCAL_KEY, () => ({ ...this.local, stoppedReason: null }));
  }

  /** Erases the invite key or creation token: this browser's own key is enough now. */
  forgetCredentials(): void {
    if (!this.local.credentials) return;
    this.local.credentials = null;
    this.connection.setCredentials({});
    this.persistLocal();
  }

  /** The credentials this replica keeps until the server knows its key (tests look; nothing else reads them). */
  get pendingCredentials(): Readonly<LocalMeta['credentials']> {
    return this.local.credentials;
  }

  private onLogChange(): void {
    this.scheduleSnapshot();
    this.emit();
  }

  private scheduleSnapshot(): void {
    this.snapshotDirty = true;
    if (this.snapshotTimer || this.closed) return;
    // The snapshot grows with the log and is cloned in one go: on a big log, write it less often so its
    // cost stays a small share of the worker's time (50× its last cost, at least every 2 s).
    const cost = this.store.stats.metaMs.get(SNAPSHOT_KEY) ?? 0;
    this.snapshotTimer = setTimeout(
      () => {
        this.snapshotTimer = null;
        this.writeSnapshot();
      },
      Math.max(SNAPSHOT_EVERY_MS, 50 * cost),
    );
  }

  private writeSnapshot(): void {
    if (!this.snapshotDirty) return;
    this.snapshotDirty = false;
    // Produced when the write transaction is built, after the doc updates it covers are queued in it.
    this.store.setMeta(SNAPSHOT_KEY, () => this.log.snapshot());
  }

  private emit(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch (e) {
        console.error('replica listener failed', e);
      }
    }
  }
}
