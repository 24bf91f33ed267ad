// One agency's room. It keeps the agency's log as the bytes of its entries (room-log.ts), not as a Y.Doc:
// sync answers are copies of the bytes a client lacks, and an idle room costs little more than the bytes
// themselves (design.md §5). While the room is written to it also keeps core's Derivation of the log,
// "projected" to include what is accepted but not committed yet; a room only read (just loaded, or a while
// without writes) keeps only the small Membership, and rebuilds the derivation on its next write.
//
// Writes flow: receive() → intake.ts checks the updates in arrival order (a large one once its signatures
// are verified, preverify.ts: its connection's later updates wait for it, other members' do not), in slices;
// the small ones that waited are admitted together (group.ts, admission.ts) → the committer writes the
// turn's accepted updates in one SQLite transaction → committed(): re-check who may read, relay (never back
// to the sender, coalesced per turn), ACK the senders.
import * as Y from 'yjs';
import {
  type Action,
  type Derivation,
  decodeStored,
  deriveSteps,
  emptyState,
  runSteps,
  type Steps,
  type VerifySignature,
} from '../core/index.ts';
import { encodeAck } from '../core/protocol.ts';
import { admitAlone, admitGroup } from './admission.ts';
import { inviteProblem, type Membership, membershipOf } from './auth.ts';
import { ClientIds } from './client-ids.ts';
import { type Entry, encodeRuns, type Run, readAll } from './codec.ts';
import { Group, MAX_GROUP_UPDATE_BYTES } from './group.ts';
import { type Admitted, type Checked, check, type Inbound, type IntakeResult, type Needs } from './intake.ts';
import { TokenBucket } from './limits.ts';
import type { Peer } from './peer.ts';
import { Presence, type Stamp, takesPart } from './presence.ts';
import { PREVERIFY_BYTES, preverify } from './preverify.ts';
import { RoomLog } from './room-log.ts';
import type { RoomStore } from './room-store.ts';
import { Slice } from './slice.ts';
import { inSlices } from './steps.ts';
import { slim } from './stored.ts';
import { type AwarenessEntry, encodeAwarenessUpdate, encodeUpdate } from './wire.ts';

/** Stored entries decoded between two steps of a rebuild (a power of two, less one). */
const DECODE_STEP = 511;

/** Updates one connection may keep waiting for data that has not arrived (a gap, a missing dependency). */
export const MAX_WAITING_BYTES = 64 * 1024;

/** A write accepted by a room, waiting for the turn's SQLite transaction. */
export interface Accepted {
  room: Room;
  peer: Peer;
  /** null: nothing new, only an ACK is owed. */
  admitted: Admitted | null;
}

export interface RoomContext {
  store: RoomStore;
  accept(item: Accepted): void;
  now(): number;
  /** What checks an action's signatures (injected into core's verifyAction). */
  verify: VerifySignature;
  maxMessageBytes: number;
  /** Compact a room's rows into one once it has this many. */
  compactRows: number;
  /** An unexpected failure while processing an update (a bug: the peer is closed with UNAVAILABLE). */
  onError?(room: string, error: unknown): void;
  /** Counts update frames relayed (metrics). */
  onRelay?(frames: number): void;
  /** Counts waiting updates checked again (metrics). */
  onRetry?(updates: number): void;
  /** Something worth an operator's attention that is not an error (legacy data found on load). */
  onNotice?(room: string, message: string, fields: Record<string, unknown>): void;
}

/**
 * Live updates written on old dependencies (not on the room's heads) each make the room derive its log
 * again: an honest client sends one now and then (an online race), a hostile one would send them to stall
 * the room; a connection's catch-up is not counted.
 */
const REDERIVES_PER_SECOND = 0.5;
const REDERIVE_BURST = 5;
/**
 * A dependency that was one of the room's heads this recently is not old: an honest replica writes on the
 * heads it has, and may take that long to read (and verify) a large catch-up someone else sent.
 */
const RECENT_HEAD_MS = 30_000;

/** The room's stored log was written by Agency Overlay 0.1 (signed format 1). */
export class OldFormatError extends Error {
  constructor(room: string) {
    super(`agency ${room} holds a log written by Agency Overlay 0.1 (signed format 1)`);
  }
}

export class Room {
  readonly id: string;
  readonly peers = new Set<Peer>();
  membership: Membership;
  /** When the room last had a connection or a write (for unloading and dropping the derivation). */
  lastActive: number;
  lastWrite: number;
  readonly clientIds: ClientIds;
  readonly verify: VerifySignature;
  /** Per connection: live updates on old dependencies it may still send (each derives the log again). */
  private readonly rederives = new WeakMap<Peer, TokenBucket>();
  /** Committed plus accepted-but-not-yet-committed. */
  readonly projectedSV: Map<number, number>;
  private readonly ctx: RoomContext;
  private readonly log: RoomLog;
  private encodedSV: Uint8Array | null = null;
  private derivation_: Derivation | null = null;
  private readonly pool = new Map<string, string>();
  private readonly presence = new Presence();
  private inbox: Inbound[] = [];
  private inboxBytes = 0;
  /** Updates whose signatures are being verified ahead of their turn. */
  private preverifying = 0;
  /** When each action stopped being a head of the room (the last RECENT_HEAD_MS of them). */
  private readonly superseded = new Map<string, number>();
  private running = false;
  private failed = false;
  private inFlight = 0;
  private lastRowId: number;
  private rows: number;

  private constructor(
    id: string,
    ctx: RoomContext,
    log: RoomLog,
    membership: Membership,
    clientIds: ClientIds,
    lastRowId: number,
    rows: number,
  ) {
    this.id = id;
    this.ctx = ctx;
    this.verify = ctx.verify;
    this.log = log;
    this.clientIds = clientIds;
    this.projectedSV = new Map(log.sv);
    this.lastRowId = lastRowId;
    this.rows = rows;
    this.lastActive = ctx.now();
    this.lastWrite = 0;
    this.membership = membership;
    this.derivation_ = null;
  }

  /** Loads a room from the data file (an unknown room is an empty one), in slices. Throws on unreadable data. */
  static async load(id: string, ctx: RoomContext): Promise<Room> {
    const stored = await ctx.store.load(id);
    const log = new RoomLog();
    const slice = new Slice(id);
    const entries = await log.load(stored.updates, slice);
    let owners = stored.owners;
    if (!owners.length && entries.length) {
      // A room stored before client ids had owners (schema 1): rebuild them from its entries, once.
      owners = ClientIds.rebuild(entries, (e) => decodeStored(e.key, e.value)?.actor ?? null);
      ctx.store.saveOwners(id, owners);
      const foreign = owners.filter((o) => o.foreign !== null);
      if (foreign.length)
        ctx.onNotice?.(id, 'entries under another key’s Yjs client id (stored before they were refused)', {
          clients: foreign.map((o) => o.client),
        });
    }
    // Only writes need the derivation; a room members merely read (most of them, most of the time) keeps
    // its membership and rebuilds the rest on its next write. Derived in slices: a large agency loading
    // must not stall the others.
    const room = new Room(
      id,
      ctx,
      log,
      membershipOf(emptyState(id)),
      new ClientIds(owners),
      stored.lastId,
      stored.updates.length,
    );
    room.membership = membershipOf((await inSlices(room.rebuild(entries), slice)).state);
    room.pool.clear();
    // Merging rows is a write of the whole log: done only when there are many (rows are read one by one).
    if (room.wantsCompaction) room.compact();
    return room;
  }

  /** Busy rooms are neither unloaded nor stripped of their derivation. */
  get busy(): boolean {
    return this.running || this.inFlight > 0 || this.inbox.length > 0;
  }

  get derived(): Derivation | null {
    return this.derivation_;
  }

  /** Entries in the committed log. */
  get size(): number {
    return this.log.size;
  }

  /** The committed state vector (a sync step 1). */
  stateVector(): Uint8Array {
    this.encodedSV ??= Y.encodeStateVector(this.log.sv);
    return this.encodedSV;
  }

  /** What an ACK to `peer` may say is stored: never a position held by someone else's entry. */
  ackFor(peer: Peer): Uint8Array {
    if (!this.clientIds.foreignFrom.size && !peer.ackCaps.size) return encodeAck(this.stateVector());
    return encodeAck(Y.encodeStateVector(this.clientIds.ackVector(this.log.sv, peer.ackCaps)));
  }

  /** The committed log as one update. */
  merged(): Uint8Array {
    return this.log.encode();
  }

  /** The answer to a client's sync step 1: what it lacks of the committed log. Null when `sv` is malformed. */
  diffFor(stateVector: Uint8Array): Uint8Array | null {
    let sv: Map<number, number>;
    try {
      sv = Y.decodeStateVector(stateVector);
    } catch {
      return null;
    }
    return this.log.diff(sv);
  }

  addPeer(peer: Peer): void {
    this.peers.add(peer);
    this.lastActive = this.ctx.now();
  }

  removePeer(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    this.lastActive = this.ctx.now();
    const gone = this.presence.leave(peer, this.ctx.now());
    if (gone.length) this.broadcast(encodeAwarenessUpdate(gone), null);
  }

  // --- presence (awareness): see presence.ts ----------------------------------------------------------

  /** Who the server says `peer` is, in its presence. */
  private stampOf(peer: Peer): Stamp {
    const member = this.membership.keys.get(peer.keyId)?.member ?? null;
    const known = member && peer.standing === 'member' ? this.membership.members.get(member) : undefined;
    return {
      member: known ? member : null,
      name: known?.name ?? null,
      role: known ? known.role : null,
      standing: peer.standing,
    };
  }

  /** Applies `peer`'s awareness entries and relays the stamped result; false when the peer was refused. */
  awareness(peer: Peer, entries: readonly AwarenessEntry[]): boolean {
    const r = this.presence.apply(peer, entries, this.stampOf(peer), this.ctx.now());
    if (!r.ok) {
      peer.refuse(r.close, r.message);
      return false;
    }
    if (r.frame.length) this.broadcast(encodeAwarenessUpdate(r.frame), peer);
    return true;
  }

  /** Every known presence state as one frame for `peer` (none for a creator), or null when there is none. */
  presenceFrame(peer: Peer): Uint8Array | null {
    if (!takesPart(peer)) return null;
    const entries = this.presence.all(peer);
    return entries.length ? encodeAwarenessUpdate(entries) : null;
  }

  // --- writes -----------------------------------------------------------------------------------------

  /** A sync step 2 or update from `peer`; `catchUp`: its first sync step 2 (exempt from the rate limit). */
  receive(peer: Peer, update: Uint8Array, catchUp: boolean): void {
    if (this.failed) {
      peer.refuse('UNAVAILABLE', 'The server could not store updates.');
      return;
    }
    // What one agency may have waiting to be processed (memory.ts): past it, senders come back later.
    if (this.inboxBytes + update.length > 2 * this.ctx.maxMessageBytes) {
      peer.refuse('UNAVAILABLE', 'This agency has too much to process: send it again later.');
      return;
    }
    this.inboxBytes += update.length;
    const item: Inbound = { peer, update, catchUp, since: this.ctx.now() };
    this.inbox.push(item);
    this.lastWrite = this.ctx.now();
    if (update.length >= PREVERIFY_BYTES) {
      item.ready = false;
      this.preverifying++;
      void preverify(this, item)
        .catch((e) => this.ctx.onError?.(this.id, e)) // intake verifies what is left itself
        .finally(() => {
          item.ready = true;
          this.preverifying--;
          this.pump();
        });
    }
    this.pump();
  }

  /** Resolves once every update received so far is admitted, refused or waiting (not necessarily committed). */
  async settled(): Promise<void> {
    while (this.running || this.preverifying > 0) await new Promise((r) => setImmediate(r));
  }

  private pump(): void {
    if (this.running) return;
    this.running = true;
    void this.run().finally(() => {
      this.running = false;
      // (an update still being verified pumps when it is done: pumping for it now would spin)
      if (this.nextIndex() >= 0) this.pump();
    });
  }

  private async run(): Promise<void> {
    const slice = new Slice(this.id);
    for (;;) {
      // Check the updates that are ready, in arrival order, gathering the small ones into a group; a large
      // one, or one that changes who may connect, is admitted alone, after the group.
      const group = new Group();
      for (;;) {
        const item = this.takeNext();
        if (!item) break;
        if (!item.peer.open) continue;
        if (group.size && item.update.length > MAX_GROUP_UPDATE_BYTES) {
          this.putBack([item]);
          break;
        }
        let r: Checked | IntakeResult;
        try {
          r = await check(this, item, slice, group);
        } catch (e) {
          this.crashed(item, e);
          continue;
        }
        if (r.kind === 'checked' && !item.alone && group.admits(r)) {
          group.add(r);
          continue;
        }
        if (group.size) {
          // checked as if the group were admitted: checked again once it is
          this.putBack([item]);
          break;
        }
        await this.settle(item, r.kind === 'checked' ? await this.admitAlone(r, slice) : r, slice);
        await slice.pace();
      }
      if (!group.size) return;
      await this.admit(group, slice);
      await slice.pace();
    }
  }

  /** The first update that is ready and has no earlier update of its connection still being verified. */
  private nextIndex(): number {
    let held: Set<Peer> | null = null;
    for (let i = 0; i < this.inbox.length; i++) {
      const item = this.inbox[i]!;
      if (held?.has(item.peer)) continue;
      if (item.ready !== false) return i;
      held ??= new Set();
      held.add(item.peer);
    }
    return -1;
  }

  private takeNext(): Inbound | null {
    const i = this.nextIndex();
    if (i < 0) return null;
    const [item] = this.inbox.splice(i, 1);
    this.inboxBytes -= item!.update.length;
    return item!;
  }

  /** Puts updates back at the front of the inbox, in their order. */
  private putBack(items: readonly Inbound[]): void {
    this.inbox.unshift(...items);
    for (const item of items) this.inboxBytes += item.update.length;
  }

  /** A bug, not a refusal: the peer reconnects and resends. */
  private crashed(item: Inbound, e: unknown): void {
    item.peer.refuse('UNAVAILABLE', 'The server failed to process an update.');
    this.ctx.onError?.(this.id, e);
  }

  private async admitAlone(c: Checked, slice: Slice): Promise<IntakeResult> {
    try {
      const result = await admitAlone(this, c, slice);
      if (result.kind === 'accept') this.noteAdmitted(c);
      return result;
    } catch (e) {
      this.ctx.onError?.(this.id, e);
      return {
        kind: 'refuse',
        close: 'UNAVAILABLE',
        message: 'The server failed to process an update.',
        admitted: [],
      };
    }
  }

  /** Admits a group; when core refuses it, refuses the update at fault and checks the others again. */
  private async admit(group: Group, slice: Slice): Promise<void> {
    const members = group.members;
    if (members.length === 1) {
      const c = members[0]!;
      await this.settle(c.item, await this.admitAlone(c, slice), slice);
      return;
    }
    let r: Awaited<ReturnType<typeof admitGroup>>;
    try {
      r = await admitGroup(this, members, slice);
    } catch (e) {
      for (const c of members) this.crashed(c.item, e);
      return;
    }
    if (r.ok) {
      for (let k = 0; k < members.length; k++) {
        this.noteAdmitted(members[k]!);
        await this.settle(members[k]!.item, r.results[k]!, slice);
      }
      return;
    }
    const fault = r.index >= 0 ? members[r.index]! : null;
    const again = members.filter((c) => c !== fault).map((c) => c.item);
    // (no update at fault: cannot happen; each is then checked and admitted alone, so this always ends)
    if (!fault) for (const item of again) item.alone = true;
    this.putBack(again);
    if (fault) await this.settle(fault.item, r.refused, slice);
  }

  /** Remembers which heads the admitted actions superseded, and when (recentHead). */
  private noteAdmitted(c: Checked): void {
    const now = this.ctx.now();
    for (const a of c.actions)
      for (const dep of a.deps) if (!this.superseded.has(dep)) this.superseded.set(dep, now);
    // entries are in time order: forget the ones past the window
    for (const [id, at] of this.superseded) {
      if (at >= now - RECENT_HEAD_MS) break;
      this.superseded.delete(id);
    }
  }

  recentHead(id: string): boolean {
    if (this.derivation_?.heads.has(id)) return true;
    const at = this.superseded.get(id);
    return at !== undefined && at >= this.ctx.now() - RECENT_HEAD_MS;
  }

  private async settle(item: Inbound, result: IntakeResult, slice: Slice): Promise<void> {
    const { peer } = item;
    if (result.kind === 'wait') {
      this.hold(item, result.needs);
      return;
    }
    if (result.kind === 'accept') {
      for (const [c, clock] of result.caps) capAck(peer, c, clock);
      if (!result.admitted.length) this.accept(peer, null, item.catchUp);
    }
    // Pieces of a large update are written and relayed one turn each: the committer's flush of one
    // runs before this room goes on (it was scheduled first).
    for (let i = 0; i < result.admitted.length; i++) {
      if (i > 0) await slice.yield();
      this.accept(peer, result.admitted[i]!, item.catchUp);
    }
    if (result.kind === 'refuse') peer.refuse(result.close, result.message);
  }

  private accept(peer: Peer, admitted: Admitted | null, catchUp: boolean): void {
    if (this.failed) return;
    if (admitted) {
      for (const [client, clock] of admitted.clocks)
        if (clock > (this.projectedSV.get(client) ?? 0)) this.projectedSV.set(client, clock);
      this.clientIds.claim(admitted.claims);
      if (!catchUp) peer.clientIdsClaimed += admitted.claims.length;
    }
    this.inFlight++;
    this.ctx.accept({ room: this, peer, admitted });
    if (admitted) this.wake();
  }

  /** Keeps an update that waits for data (bounded per connection); it is retried when that data arrives. */
  private hold(item: Inbound, needs: Needs): void {
    const { peer } = item;
    peer.waiting ??= { items: [], bytes: 0, since: item.since };
    const w = peer.waiting;
    // Honest waits are small (a write sent before the reconnect's catch-up that precedes it). MALFORMED
    // makes the client reconnect, and its sync step 2 then carries everything in order.
    if (w.bytes + item.update.length > Math.min(this.ctx.maxMessageBytes, MAX_WAITING_BYTES)) {
      peer.refuse('MALFORMED', 'Updates waiting for missing data grew too large.');
      return;
    }
    w.items.push({ item, needs });
    w.bytes += item.update.length;
  }

  /** Requeues the waiting updates whose data has arrived. */
  private wake(): void {
    for (const peer of this.peers) {
      const w = peer.waiting;
      if (!w || !peer.open) continue;
      const ready = w.items.filter(({ needs }) => this.satisfied(needs));
      if (!ready.length) continue;
      w.items = w.items.filter((x) => !ready.includes(x));
      w.bytes -= ready.reduce((n, x) => n + x.item.update.length, 0);
      if (!w.items.length) peer.waiting = null;
      for (const { item } of ready) {
        this.inbox.push(item);
        this.inboxBytes += item.update.length;
      }
      this.ctx.onRetry?.(ready.length);
    }
  }

  private satisfied(needs: Needs): boolean {
    if (needs.kind === 'any') return true;
    if (needs.kind === 'clocks') {
      for (const [client, clock] of needs.clocks)
        if ((this.projectedSV.get(client) ?? 0) < clock) return false;
      return true;
    }
    const d = this.derivation_;
    if (!d) return true;
    for (const id of needs.ids) if (!d.actions.has(id)) return false;
    return true;
  }

  /**
   * Called by the committer once `items` are durably written (`lastRowId`: the newest row written for
   * this room): re-check who may read, relay, ACK.
   */
  committed(items: readonly Accepted[], lastRowId: number): void {
    this.inFlight -= items.length;
    const writes = items.filter((i) => i.admitted !== null);
    for (const item of writes) this.log.append(item.admitted!.runs);
    if (writes.length) this.encodedSV = null;
    this.rows += writes.length;
    this.lastRowId = Math.max(this.lastRowId, lastRowId);
    if (writes.length) {
      // Who may read is settled before anything of the batch leaves (issue 8, item 8): a removal and a
      // write behind it in the same TCP segment commit together, and the removed member is closed first;
      // a losing "creator" of a new agency is closed before the real owner's createAgency is relayed.
      if (writes.some((i) => i.admitted!.membership)) {
        this.membership = membershipOf(this.ensureDerivation().state);
        this.recheck();
      }
      this.relay(writes);
      this.lastWrite = this.ctx.now();
    }
    for (const peer of new Set(items.map((i) => i.peer))) if (peer.open) peer.send(this.ackFor(peer));
  }

  /** Whether enough rows piled up to merge them (rooms.ts does it when the room is quiet). */
  get wantsCompaction(): boolean {
    return this.rows >= this.ctx.compactRows;
  }

  get wantsCompactionBadly(): boolean {
    return this.rows >= this.ctx.compactRows * 4;
  }

  /** Replaces the room's rows by one update holding every entry (the same bytes). */
  compact(): void {
    if (this.rows <= 1 || this.inFlight > 0) return;
    this.lastRowId = this.ctx.store.compact(this.id, this.log.encode(), this.lastRowId);
    this.log.consolidate();
    this.rows = 1;
  }

  /** A failed commit: forget everything not durable, and make every connection reconnect and resend. */
  fail(): void {
    // this room object is done (rooms.ts forgets it; the next connection loads what is durable): an update
    // still being checked must not be accepted into it
    this.failed = true;
    for (const peer of [...this.peers]) peer.refuse('UNAVAILABLE', 'The server could not store updates.');
    this.inbox = [];
    this.inboxBytes = 0;
    this.inFlight = 0;
  }

  /** Frees the derivation of a room without writes for a while (rebuilt on the next write). */
  dropDerivation(): boolean {
    if (!this.derivation_ || this.busy) return false;
    this.derivation_ = null;
    this.pool.clear();
    return true;
  }

  // --- the derivation (intake.ts's IntakeRoom) -------------------------------------------------------

  now(): number {
    return this.ctx.now();
  }

  derivation(): Derivation {
    return this.ensureDerivation();
  }

  /** Builds the derivation if it was dropped: reading, decoding and deriving the log in slices. */
  async prepare(slice: Slice): Promise<void> {
    if (this.derivation_) return;
    const entries = await this.log.entries(slice);
    const d = await inSlices(this.rebuild(entries), slice);
    this.derivation_ ??= d;
  }

  setDerivation(d: Derivation): void {
    this.derivation_ = d;
  }

  takeRederive(peer: Peer): boolean {
    let bucket = this.rederives.get(peer);
    if (!bucket) {
      bucket = new TokenBucket(REDERIVES_PER_SECOND, REDERIVE_BURST, this.ctx.now());
      this.rederives.set(peer, bucket);
    }
    return bucket.take(1, this.ctx.now());
  }

  /** One shared string per key and action id: a room keeps only what its checks need. */
  readonly intern = (s: string): string => {
    const known = this.derivation_?.actions.get(s)?.id;
    if (known) return known;
    const pooled = this.pool.get(s);
    if (pooled) return pooled;
    this.pool.set(s, s);
    return s;
  };

  private ensureDerivation(): Derivation {
    this.derivation_ ??= runSteps(this.rebuild(readEntries(this.log)));
    return this.derivation_;
  }

  /** Derives the committed log (trusted: the server verified every entry before storing it), in steps. */
  private *rebuild(entries: readonly Entry[]): Steps<Derivation> {
    this.pool.clear();
    const intern = (s: string): string => {
      const pooled = this.pool.get(s);
      if (pooled) return pooled;
      this.pool.set(s, s);
      return s;
    };
    const actions: Action[] = [];
    for (const e of entries) {
      if ((actions.length & DECODE_STEP) === DECODE_STEP) yield;
      const a = decodeStored(intern(e.key), e.value);
      // An entry this version cannot read (0.1's addDeviceKey, or a join with an invite secret) means the
      // data file holds an agency from 0.1: say so instead of deriving half of it.
      if (
        !a ||
        (a.type === 'joinAgency' && !((a.payload as { proof?: unknown }).proof instanceof Uint8Array))
      )
        throw new OldFormatError(this.id);
      actions.push(slim(a, intern));
    }
    const d = yield* deriveSteps(this.id, actions);
    this.pool.clear();
    for (const a of d.actions.values()) this.pool.set(a.actor, a.actor);
    return d;
  }

  private relay(writes: readonly Accepted[]): void {
    // One frame per distinct set of senders left out: bursts of a turn go out as one update.
    const cache = new Map<Peer | null, Uint8Array[]>();
    const framesWithout = (peer: Peer | null): Uint8Array[] => {
      const parts = writes.filter((w) => w.peer !== peer).map((w) => w.admitted!);
      if (!parts.length) return [];
      const key = parts.length === writes.length ? null : peer;
      let frames = cache.get(key);
      if (!frames) {
        frames = framesOf(parts);
        cache.set(key, frames);
      }
      return frames;
    };
    let sent = 0;
    const now = this.ctx.now();
    for (const peer of [...this.peers]) {
      if (!peer.open) continue;
      // a joiner reads only while its invite admits it (its timer may not have fired yet)
      const problem =
        peer.standing === 'joiner' && peer.inviteId
          ? inviteProblem(this.membership, peer.inviteId, now)
          : null;
      if (problem) {
        peer.refuse('INVITE_INVALID', problem);
        continue;
      }
      for (const frame of framesWithout(peer)) {
        peer.send(frame);
        sent++;
      }
    }
    this.ctx.onRelay?.(sent);
  }

  /** Presence goes to members and joiners only. */
  private broadcast(frame: Uint8Array, except: Peer | null): void {
    for (const peer of this.peers) if (peer !== except && peer.open && takesPart(peer)) peer.send(frame);
  }

  /** Closes connections whose standing changed: removed or departed members, revoked keys, demotions. */
  private recheck(): void {
    const m = this.membership;
    const now = this.ctx.now();
    const restamped: AwarenessEntry[] = [];
    for (const peer of [...this.peers]) {
      if (!peer.open) continue;
      const before = `${peer.standing}/${peer.role}`;
      const key = m.keys.get(peer.keyId);
      const member = key ? m.members.get(key.member) : undefined;
      const activeMember = key?.active && member?.status === 'active' ? member : null;
      if (peer.standing === 'member') {
        if (!key || !member) peer.refuse('NOT_A_MEMBER', 'This browser key is not a member of the agency.');
        else if (member.status !== 'active') peer.refuse('MEMBER_GONE', 'This member left or was removed.');
        else if (!key.active) peer.refuse('NOT_A_MEMBER', 'This browser key was removed from its member.');
        else if (peer.role === 'manager' && member.role !== 'manager') {
          peer.refuse('ROLE_CHANGED', 'This member is no longer a business manager.');
        } else peer.role = member.role;
      } else if (activeMember) {
        peer.standing = 'member';
        peer.role = activeMember.role;
      } else if (peer.standing === 'creator') {
        if (m.created) peer.refuse('NOT_A_MEMBER', 'Someone else created this agency.');
      } else {
        const problem = peer.inviteId ? inviteProblem(m, peer.inviteId, now) : 'No invite.';
        if (problem) peer.refuse('INVITE_INVALID', problem);
      }
      // a joiner who became a member, a member promoted: their presence says so from now on
      if (peer.open && `${peer.standing}/${peer.role}` !== before)
        restamped.push(...this.presence.restamp(peer, this.stampOf(peer)));
    }
    if (restamped.length) this.broadcast(encodeAwarenessUpdate(restamped), null);
  }
}

/** Never ACK `peer` past `clock` for `client`: its entry there differs from the stored one. */
function capAck(peer: Peer, client: number, clock: number): void {
  const cap = peer.ackCaps.get(client);
  if (cap === undefined || clock < cap) peer.ackCaps.set(client, clock);
}

/**
 * The update frames relaying `parts` (accepted in this order): one frame when each client's runs follow
 * each other (they do: a room accepts one update at a time), else one per part.
 */
function framesOf(parts: readonly Admitted[]): Uint8Array[] {
  if (parts.length === 1) return [encodeUpdate(parts[0]!.update)];
  const byClient = new Map<number, Run>();
  for (const part of parts) {
    for (const run of part.runs) {
      const before = byClient.get(run.client);
      if (!before) byClient.set(run.client, { ...run, parts: [...run.parts] });
      else if (before.clock + before.length === run.clock) {
        before.length += run.length;
        before.parts.push(...run.parts);
      } else return parts.map((p) => encodeUpdate(p.update));
    }
  }
  return [encodeUpdate(encodeRuns([...byClient.values()]))];
}

/** Every entry of `log`, read at once (a membership change committed while the derivation was dropped). */
function readEntries(log: RoomLog): Entry[] {
  const out = readAll(log.encode());
  if (!Array.isArray(out)) throw new Error('the room log does not read back');
  return out;
}
