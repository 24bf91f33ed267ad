// One agency's replica in the background, acting on the agency: a Y.Doc persisted by DocStore, the signed
// log on it (core's AgencyLog), the member's own actions (own-actions.ts) and the link to the sync server
// (server-link.ts). Every action the member takes goes through core (checked, signed, appended), then counts
// as "saved" once its IndexedDB transaction completed and as "synced" once the server's ACK state vector
// covers the Yjs item holding it.
//
// A restarted service worker reopens from the persisted derived snapshot (AgencyLog.open trusts the entries
// it covers: no re-verify, no replay) and from the persisted per-action statuses.
//
// Beside IndexedDB, a small record kept in chrome.storage.local (keep.ts) holds the member's own actions the
// server has not acknowledged; "saved" waits for both. Opening writes back what IndexedDB lost of them and
// tells the member when the browser discarded the stored copy (recovery.ts).
//
// A log written by Agency Overlay 0.1 cannot be read by this version (local-meta.ts says how it is told
// apart): it is shown as such, never synced, takes no action, and can be exported and removed.
import * as Y from 'yjs';
import {
  ACTION_FORMAT,
  ACTIONS_ROOT,
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
import type { ActionStatus, AgencyView, SyncStatus, SyncView } from '../messaging/types.ts';
import type { Connection, Credentials } from './connection.ts';
import { DocStore } from './doc-store.ts';
import { Keep, type KeepArea, readKeep, removeKept } from './keep.ts';
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
import { OwnActions } from './own-actions.ts';
import { applyRecovery, planRecovery } from './recovery.ts';
import { ReplicaAmounts } from './replica-amounts.ts';
import type { NotSealed } from './sealing.ts';
import { WritesInFlight } from './send-when-stored.ts';
import { type LinkHost, ServerLink } from './server-link.ts';
import { SnapshotWriter } from './snapshot-writer.ts';

export {
  cachedView,
  type JoinCredentials,
  OLD_ACTION_FORMAT,
  OLD_FORMAT_REASON,
  replicaDbName,
} from './local-meta.ts';
export { RECENT_LIMIT } from './own-actions.ts';
export { ACK_FALLBACK_MS } from './server-link.ts';
export { SNAPSHOT_EVERY_MS } from './snapshot-writer.ts';

export interface ReplicaOptions {
  agencyId: string;
  server: string;
  signer: Signer;
  /** This browser's X25519 key pair: amounts are sealed to it while its member manages (D15, sealing.ts). */
  sealKey?: CryptoKeyPair;
  credentials?: JoinCredentials;
  idb?: IDBFactory;
  /** Where the record kept outside IndexedDB lives (browser.storage.local); none: IndexedDB alone. */
  keep?: KeepArea | null;
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

export class Replica implements LinkHost {
  readonly agencyId: string;
  readonly doc: Y.Doc;
  readonly store: DocStore;
  readonly log: AgencyLogType;
  readonly signer: Signer;
  readonly own: OwnActions;
  readonly link: ServerLink;
  readonly amounts: ReplicaAmounts;
  /** The record kept outside IndexedDB (null without a KeepArea). */
  readonly keep: Keep | null;
  /** Own writes not yet stored here: the link sends none of them before (send-when-stored.ts). */
  readonly localWrites = new WritesInFlight();
  /** Time from open() to a usable replica, and whether a derived snapshot was there to restore from. */
  readonly openStats: { ms: number; snapshot: boolean; actions: number };
  readonly now: () => number;
  readonly WebSocketImpl?: typeof WebSocket;
  readonly maxBackoffMs?: number;
  private readonly opts: ReplicaOptions;
  private readonly snapshots: SnapshotWriter;
  private listeners = new Set<Listener>();
  private closed = false;
  private unsubscribeLog: () => void;
  private resealing: Promise<void> | null = null;
  private resealAgain = false;
  /** Actions waiting for the first sync after this copy lost data (resynced()). */
  private queued = 0;
  /** The update each own append emitted, by `client:clock` of its item, until act() hands it to the keep. */
  private ownUpdates = new Map<string, Uint8Array>();
  private readonly onDocUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
    if (origin !== this.log.origin || !this.keep) return;
    this.ownUpdates.set(`${this.doc.clientID}:${tr.beforeState.get(this.doc.clientID) ?? 0}`, update);
  };

  private constructor(
    opts: ReplicaOptions,
    doc: Y.Doc,
    store: DocStore,
    log: AgencyLogType,
    local: LocalMeta,
    openStats: Replica['openStats'],
    keep: Keep | null,
  ) {
    this.opts = opts;
    this.agencyId = opts.agencyId;
    this.signer = opts.signer;
    this.now = opts.now ?? Date.now;
    this.WebSocketImpl = opts.WebSocketImpl;
    this.maxBackoffMs = opts.maxBackoffMs;
    this.doc = doc;
    this.store = store;
    this.log = log;
    this.own = new OwnActions(store, local);
    this.openStats = openStats;
    this.amounts = new ReplicaAmounts(opts.agencyId, opts.sealKey ?? null);
    this.snapshots = new SnapshotWriter(store, log, this.now);
    this.keep = keep;
    doc.on('update', this.onDocUpdate);
    this.unsubscribeLog = log.subscribe(() => this.onLogChange());
    this.link = new ServerLink(this, opts.server, opts.connect !== false);
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
    const now = opts.now ?? Date.now;
    // What IndexedDB lost of the member's unacknowledged actions goes back into the doc before the log reads it.
    // A keep that cannot be listed at all is treated as empty; its entries stay (new batches are numbered
    // from the current time, past any an earlier session wrote).
    const read = opts.keep ? await readKeep(opts.keep, opts.agencyId).catch(() => null) : null;
    const kept = read?.kept ?? null;
    const actionsMap = doc.getMap(ACTIONS_ROOT);
    const plan = planRecovery(
      kept,
      { sv: Y.decodeStateVector(Y.encodeStateVector(doc)), has: (id) => actionsMap.has(id) },
      opts.signer.keyId,
      now(),
    );
    applyRecovery(doc, plan);
    const keep = opts.keep
      ? new Keep(opts.keep, opts.agencyId, opts.signer.keyId, kept, now, read?.found)
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
      recovered: plan.notice ?? saved?.recovered ?? null,
      resync: !!plan.notice || !!saved?.resync,
    };
    // The written-back actions are the member's, still waiting for the server (their statuses went with the
    // database when it was lost).
    for (const { ref } of plan.readd) {
      if (!local.unacked.some((u) => u.id === ref.id))
        local.unacked.push({ id: ref.id, client: ref.client, clock: ref.clock });
      if (!local.recent.some((r) => r.id === ref.id))
        local.recent.push({ id: ref.id, type: ref.type, at: ref.at, status: 'saved' });
    }
    local.recent.sort((a, b) => b.at - a.at);
    // Kept actions the server acknowledged before the keep heard of it (a crash between the two writes): the
    // stored doc records them as synced. They are dropped now, not written back on every open until the
    // bound fills. (One the doc holds but no status tracks is dropped by the server's next ACK.)
    if (keep && kept) {
      const synced = new Set(local.recent.filter((r) => r.status === 'synced' && r.id).map((r) => r.id!));
      keep.acknowledged(new Set(kept.own.filter((r) => synced.has(r.id)).map((r) => r.id)));
    }
    // An old log is not sent anywhere: a server of this version would refuse every entry of it.
    const connect = opts.connect !== false && !oldFormat;
    const replica = new Replica(
      { ...opts, connect },
      doc,
      store,
      log,
      local,
      { ms: performance.now() - t0, snapshot: !!snapshot, actions: log.size },
      keep,
    );
    if (opts.credentials || saved?.format !== local.format || plan.readd.length || plan.notice)
      replica.own.persist();
    // Records what IndexedDB holds now (an install from before the keep gets its first record here).
    void store.saved().then(
      () => replica.noteStored(true),
      () => {},
    );
    return replica;
  }

  /** The link's current connection (a server switch replaces it). */
  get connection(): Connection {
    return this.link.connection;
  }

  /** The log holds entries of Agency Overlay 0.1's signed format, which this version cannot read. */
  get oldFormat(): boolean {
    return this.own.local.format === OLD_ACTION_FORMAT || hasOldFormat(this.log);
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
    return this.link.server;
  }

  /** Own actions not on the server yet: unacknowledged, and those waiting for a resync to be written. */
  get waiting(): number {
    return this.own.waiting + this.queued;
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
    return this.link.syncStatus();
  }

  syncView(): SyncView {
    return this.link.syncView();
  }

  /** The member's recent actions; an action derive refused later (a concurrent removal…) shows so. */
  recent(): ActionStatus[] {
    return this.own.recent(this.log.state.verdicts);
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
      recovered: this.own.local.recovered ?? null,
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
    if (this.own.local.resync) {
      const why = await this.resynced();
      if (why) return this.refused(type, at, why);
    }
    // Remote entries still being verified would change what the rules see: let them land first.
    await this.log.settled();
    let unsealed: NotSealed | undefined;
    if (carriesAmount(type)) {
      // D15: amounts are never signed in the clear; they are sealed to the managers' browsers. A browser that
      // cannot publish its own seal key (WebCrypto failing) still records: it is then not among the recipients.
      await this.publishSealKey().catch((e) => console.error('agency: cannot publish the seal key', e));
      const prepared = await this.amounts.prepare(type, payload as Payloads[typeof type], this.log.state);
      if (!prepared.ok) return this.refused(type, at, prepared);
      payload = prepared.payload as Payloads[T];
      // Not sealable: recorded without the amount, flagged (AMOUNT_NOT_SEALED) rather than refused whole.
      unsealed = prepared.notSealed;
    }
    // Sent to the server only once stored here (send-when-stored.ts): from the append until "saved".
    const stored = this.localWrites.begin();
    let result: AppendResult;
    try {
      result = await this.log.append(this.signer, type, payload, at);
    } catch (e) {
      stored();
      throw e;
    }
    if (!result.ok) {
      stored();
      return this.refused(type, at, result);
    }
    const id = result.action.id;
    const item = (this.log.actions as unknown as { _map: Map<string, Y.Item> })._map.get(id);
    if (item) {
      this.own.track(id, item.id.client, item.id.clock);
      this.keepOwn(id, type, at, item.id.client, item.id.clock);
    }
    this.own.persist();
    // With the action when that is cheap ("saved" waits for both): a restart shows a snapshot that has it.
    const withSnapshot = this.snapshots.ownAction();
    try {
      // "Saved": in IndexedDB and in the keep. A keep that cannot write (quota, storage gone) does not undo
      // what IndexedDB committed: the action is saved as before, only not backed up.
      await Promise.all([
        this.store.saved(),
        this.keep?.saved().catch((e) => console.error('agency keep: cannot write', e)),
      ]);
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
    } finally {
      stored();
    }
    const note = unsealed ? { code: unsealed.code, message: unsealed.message } : undefined;
    this.own.push({
      id,
      type,
      at,
      status: this.own.isUnacked(id) ? 'saved' : 'synced',
      ...(note ? { note } : {}),
    });
    this.own.persist();
    if (!withSnapshot) this.snapshots.schedule();
    this.link.saved();
    this.emit();
    return {
      ok: true,
      id,
      status: 'saved',
      flags: [
        ...result.verdicts.map((v) => ({ code: v.code, rule: v.rule, message: v.message })),
        ...(unsealed ? [{ code: unsealed.code, rule: unsealed.rule, message: unsealed.message }] : []),
      ],
    };
  }

  /**
   * After this copy lost data (a discarded database: recovery.ts), an action waits, counted as waiting, for
   * the first sync with the server: what the server sends back includes this key's own last action, which the
   * new one must build on (core's key-chain.ts; a fork would be refused and stop the sync for good). Resolves
   * with null once synced, or with why it will not be (the link stopped, the replica closed).
   */
  private async resynced(): Promise<Extract<ActResult, { ok: false }> | null> {
    this.queued++;
    this.emit();
    try {
      // no time limit: the action is held, like one written offline, until the server answers
      await this.waitFor(
        (r) => r.closed || r.connection.state === 'synced' || r.connection.state === 'stopped',
        2 ** 31 - 1,
      );
    } finally {
      this.queued--;
    }
    if (this.closed) return { ok: false, code: 'CLOSED', rule: 'REPLICA', message: 'This agency is closed.' };
    if (this.connection.state !== 'synced') {
      this.emit();
      return {
        ok: false,
        code: 'NOT_SYNCED',
        rule: 'REPLICA',
        message: `Not written: this browser's copy has to sync with the server first, and the server stopped it (${this.connection.stoppedReason ?? 'no reason given'}).`,
      };
    }
    if (this.own.local.resync) {
      this.own.local.resync = false;
      this.own.persist();
    }
    return null;
  }

  /** Hands an own action's update to the keep, with what IndexedDB has committed so far (never ahead of it). */
  private keepOwn(id: string, type: string, at: number, client: number, clock: number): void {
    const key = `${client}:${clock}`;
    const update = this.ownUpdates.get(key);
    this.ownUpdates.delete(key);
    if (!this.keep || !update) return;
    this.noteStored(false);
    this.keep.track({ id, client, clock, type, at }, update);
  }

  /** Tells the keep what IndexedDB holds (its committed state vector, the number of actions). */
  noteStored(write: boolean): void {
    this.keep?.stored(this.store.storedStateVector, this.log.size, write);
  }

  /** The member read the recovery notice. */
  dismissRecovery(): void {
    if (!this.own.local.recovered) return;
    this.own.local.recovered = null;
    this.own.persist();
    this.emit();
  }

  /** A refused intent: recorded among the member's recent actions, nothing written to the log. */
  private refused(type: ActionType, at: number, why: Extract<ActResult, { ok: false }>): ActResult {
    this.own.push({ id: null, type, at, status: 'refused', rule: why.rule, message: why.message });
    this.own.persist();
    this.emit();
    return why;
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

  /**
   * D15: re-seals the amounts this browser can open for any manager's browser that published its key after
   * they were sealed (replica-amounts.ts `reseals`; core checks whom and what). Runs after log changes, one
   * run at a time; a change during a run asks for another. Any online manager's browser does it: what two do
   * concurrently both stands and doubles nothing (core/rules/reseal.ts), and a browser never repeats what
   * its log already holds.
   */
  private scheduleReseal(): void {
    if (this.closed || this.oldFormat) return;
    if (this.resealing) {
      this.resealAgain = true;
      return;
    }
    this.resealing = (async () => {
      do {
        this.resealAgain = false;
        await this.log.settled();
        if (this.closed) return;
        for (const payload of await this.amounts.reseals(this.log, this.signer.keyId)) {
          if (this.closed || !(await this.act('resealAmounts', payload)).ok) return;
        }
      } while (this.resealAgain && !this.closed);
    })()
      .catch((e) => console.error('re-sealing amounts failed', e))
      .finally(() => {
        this.resealing = null;
      });
  }

  /** Resolves when no re-sealing is running (tests). */
  async resealed(): Promise<void> {
    while (this.resealing) await this.resealing;
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
    this.link.setServer(server);
    this.emit();
  }

  /** Dial now: after an outage (the alarm), or when the member asks. A stopped link is retried too. */
  reconnect(): void {
    if (this.closed || this.oldFormat) return;
    this.link.reconnect();
  }

  /** Makes sure the link is up or coming up (the alarm calls this; it does not drop a live socket). */
  ensureConnected(): void {
    if (this.closed || this.oldFormat) return;
    this.link.ensureConnected();
  }

  /** Writes the derived snapshot and statuses now (e.g. before the worker may be stopped). */
  async flush(): Promise<void> {
    this.snapshots.write();
    this.own.persist();
    await this.store.saved();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.link.destroy();
    this.snapshots.stop();
    this.own.persist();
    this.unsubscribeLog();
    this.doc.off('update', this.onDocUpdate);
    await this.store.close();
    this.noteStored(false);
    await this.keep?.flush().catch(() => {});
    this.log.destroy();
    this.doc.destroy();
    this.emit(); // actions waiting for a resync learn that it will not come
    this.listeners.clear();
  }

  /** Closes and deletes everything stored for this agency in this browser. */
  async destroyData(): Promise<void> {
    await this.close();
    await DocStore.delete(replicaDbName(this.agencyId), this.opts.idb);
    if (this.opts.keep) await removeKept(this.opts.keep, this.agencyId);
  }

  /** LinkHost: the credentials a new connection signs its handshake with. */
  credentials(): Credentials {
    return toConnectionCredentials(this.own.local.credentials);
  }

  /** LinkHost: the server holds these of the member's actions. */
  acknowledged(ids: Set<string>): void {
    if (!ids.size) return;
    this.own.markSynced(ids);
    if (this.keep) {
      this.keep.acknowledged(ids);
      if (!this.own.waiting) this.keep.allAcknowledged();
      this.noteStored(true);
    }
    // Our key is known to the server now: the invite key or creation token is spent, and erased.
    if (this.isMember) this.forgetCredentials();
  }

  /** LinkHost: the keep's actions the server's state vector covers, tracked by a status or not. */
  acknowledgedUpTo(sv: Map<number, number>): void {
    if (!this.keep?.own.size) return;
    this.keep.acknowledged(this.keep.coveredBy(sv));
    if (!this.own.waiting) this.keep.allAcknowledged();
  }

  /** Erases the invite key or creation token: this browser's own key is enough now. */
  forgetCredentials(): void {
    if (!this.own.local.credentials) return;
    this.own.local.credentials = null;
    this.connection.setCredentials({});
    this.own.persist();
  }

  /** The credentials this replica keeps until the server knows its key (tests look; nothing else reads them). */
  get pendingCredentials(): Readonly<LocalMeta['credentials']> {
    return this.own.local.credentials;
  }

  private onLogChange(): void {
    this.snapshots.schedule();
    this.scheduleReseal();
    this.emit();
  }

  emit(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch (e) {
        console.error('replica listener failed', e);
      }
    }
  }
}
