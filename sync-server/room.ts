// One agency's room. It keeps the agency's log as encoded Yjs updates (one merged update plus the ones
// committed since), not as a Y.Doc: sync answers are diffs of those bytes, and an idle room costs little
// more than the bytes themselves (design.md §5). While the room is written to it also keeps core's
// Derivation of the log, "projected" to include what is accepted but not committed yet; a room only read
// (just loaded, or a while without writes) keeps only the small Membership, and rebuilds the derivation
// on its next write.
//
// Writes flow: receive() → inspect + verify + admit (guard.ts), one update at a time in arrival order →
// the committer writes the turn's updates in one SQLite transaction → committed(): relay (never back to
// the sender, coalesced per turn), ACK the senders, re-check every connection's standing.
import * as Y from 'yjs';
import {
  type Action,
  type ActionType,
  type Derivation,
  derive,
  type Verified,
  type VerifySignature,
  verifyAction,
} from '../core/index.ts';
import { encodeAck } from '../core/protocol.ts';
import { inviteProblem, type Membership, membershipOf } from './auth.ts';
import { serverBounds } from './bounds.ts';
import { admitActions, inspectUpdate } from './guard.ts';
import type { Peer } from './peer.ts';
import type { Store } from './persistence.ts';
import { Presence, type Stamp, takesPart } from './presence.ts';
import { type Decoded, entriesIn, entriesOf, slim, trustedAction } from './stored.ts';
import { type AwarenessEntry, encodeAwarenessUpdate, encodeUpdate } from './wire.ts';

const MAX_WAITING_BYTES = 1024 * 1024;

/** Actions that change keys, members, roles or invites: what a connection's standing depends on. */
const MEMBERSHIP_TYPES: ReadonlySet<ActionType> = new Set<ActionType>([
  'createAgency',
  'grantInvite',
  'grantDeviceInvite',
  'revokeInvite',
  'joinAgency',
  'removeMember',
  'leaveAgency',
  'changeRole',
  'removeDeviceKey',
]);

export const EMPTY_UPDATE: Uint8Array = Y.encodeStateAsUpdate(new Y.Doc());

/** A write accepted by a room, waiting for the turn's SQLite transaction. */
export interface Accepted {
  room: Room;
  peer: Peer;
  /** null: nothing new, only an ACK is owed. */
  update: Uint8Array | null;
  clocks: Map<number, number> | null;
  actions: number;
  /** Whether it holds an action that can change who may connect (re-check connections after commit). */
  membership: boolean;
}

export interface RoomContext {
  store: Store;
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
}

interface Inbound {
  peer: Peer;
  /** null: retry the peer's waiting updates. */
  update: Uint8Array | null;
  step2: boolean;
  /** Signature checks started for this update's own entries (by key), before its turn to be admitted. */
  verified?: Map<string, Promise<Verified>>;
  decoded?: Decoded;
}

const covers = (sv: Map<number, number>, base: Map<number, number>): boolean => {
  for (const [client, clock] of base) if ((sv.get(client) ?? 0) < clock) return false;
  return true;
};

export class Room {
  readonly id: string;
  readonly peers = new Set<Peer>();
  membership: Membership;
  /** When the room last had a connection or a write (for unloading and dropping the derivation). */
  lastActive: number;
  lastWrite: number;
  private readonly ctx: RoomContext;
  private base: Uint8Array;
  private baseSV: Map<number, number>;
  private tail: Uint8Array[] = [];
  /** Committed state vector. */
  private sv: Map<number, number>;
  /** Committed plus accepted-but-not-yet-committed. */
  private projectedSV: Map<number, number>;
  private encodedSV: Uint8Array | null = null;
  private derivation: Derivation | null = null;
  private readonly branches = new Map<string, Derivation>();
  private readonly actors = new Map<string, string>();
  private readonly presence = new Presence();
  private inbox: Inbound[] = [];
  private processing: Promise<void> | null = null;
  private inFlight = 0;
  private lastRowId: number;
  private rows: number;
  private readonly verifier: { verify: VerifySignature };

  private constructor(id: string, ctx: RoomContext, base: Uint8Array, lastRowId: number, rows: number) {
    this.id = id;
    this.ctx = ctx;
    this.verifier = { verify: ctx.verify };
    this.base = base;
    this.sv = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(base));
    this.baseSV = new Map(this.sv);
    this.projectedSV = new Map(this.sv);
    this.lastRowId = lastRowId;
    this.rows = rows;
    this.lastActive = ctx.now();
    this.lastWrite = 0;
    // Only writes need the derivation; a room members merely read (most of them, most of the time) keeps
    // its membership and rebuilds the rest on its next write.
    this.membership = membershipOf(this.rebuild().state);
    this.derivation = null;
    this.actors.clear();
  }

  /** Loads a room from the data file (an unknown room is an empty one). Throws on unreadable data. */
  static load(id: string, ctx: RoomContext): Room {
    const stored = ctx.store.load(id);
    const base = stored.updates.length === 0 ? EMPTY_UPDATE : Y.mergeUpdates(stored.updates);
    const room = new Room(id, ctx, base, stored.lastId, stored.updates.length);
    if (stored.updates.length > 1) room.compact();
    return room;
  }

  /** Busy rooms are neither unloaded nor stripped of their derivation. */
  get busy(): boolean {
    return this.processing !== null || this.inFlight > 0 || this.inbox.length > 0;
  }

  get derived(): Derivation | null {
    return this.derivation;
  }

  get size(): number {
    return this.derivation ? this.derivation.actions.size : entriesOf(this.merged()).length;
  }

  stateVector(): Uint8Array {
    this.encodedSV ??= Y.encodeStateVector(this.sv);
    return this.encodedSV;
  }

  /** The committed log as one update (merging what was committed since the last merge). */
  merged(): Uint8Array {
    if (this.tail.length) {
      this.base = Y.mergeUpdates([this.base, ...this.tail]);
      this.baseSV = new Map(this.sv);
      this.tail = [];
    }
    return this.base;
  }

  /** The answer to a client's sync step 1: what it lacks of the committed log. Null when `sv` is malformed. */
  diffFor(stateVector: Uint8Array): Uint8Array | null {
    let sv: Map<number, number>;
    try {
      sv = Y.decodeStateVector(stateVector);
    } catch {
      return null;
    }
    // A client that has the merged base needs only the recent updates: no pass over the whole log.
    if (covers(sv, this.baseSV)) {
      if (!this.tail.length) return EMPTY_UPDATE;
      return Y.diffUpdate(this.tail.length === 1 ? this.tail[0]! : Y.mergeUpdates(this.tail), stateVector);
    }
    return Y.diffUpdate(this.merged(), stateVector);
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

  receive(peer: Peer, update: Uint8Array, step2: boolean): void {
    this.inbox.push({ peer, update, step2 });
    this.lastWrite = this.ctx.now();
    if (!this.processing) {
      this.processing = this.process().finally(() => {
        this.processing = null;
      });
    }
  }

  /** Resolves once every update received so far is admitted or refused (not necessarily committed). */
  async settled(): Promise<void> {
    while (this.processing) await this.processing;
  }

  private async process(): Promise<void> {
    while (this.inbox.length) {
      const batch = this.inbox;
      this.inbox = [];
      // Every signature of the batch is checked in parallel first, so the admissions that follow take one
      // turn between them and the committer writes (and relays) the whole burst as one.
      const checks: Promise<Verified>[] = [];
      for (const item of batch) {
        if (!item.update) continue;
        let entries: [string, unknown][];
        try {
          item.decoded = Y.decodeUpdate(item.update);
          entries = entriesIn(item.decoded);
        } catch {
          continue; // malformed: inspection refuses it
        }
        item.verified = new Map(
          entries.map(([key, value]) => [key, verifyAction(this.id, key, value, this.verifier)]),
        );
        checks.push(...item.verified.values());
      }
      await Promise.all(checks);
      let accepted = false;
      for (const item of batch) {
        try {
          if (await this.admit(item)) accepted = true;
        } catch (e) {
          // A bug, not a refusal: the peer reconnects and resends; the room stays consistent because
          // nothing of the update was admitted.
          item.peer.refuse('UNAVAILABLE', 'The server failed to process an update.');
          this.ctx.onError?.(this.id, e);
        }
      }
      if (accepted) {
        for (const peer of this.peers)
          if (peer.waiting && peer.open) this.inbox.push({ peer, update: null, step2: false });
      }
    }
  }

  /** Checks one inbound update; true when it added something. */
  private async admit({
    peer,
    update: incoming,
    step2: incomingStep2,
    verified,
    decoded,
  }: Inbound): Promise<boolean> {
    if (!peer.open) return false;
    const waiting = peer.waiting;
    if (!incoming && !waiting) return false;
    const update =
      waiting && incoming ? Y.mergeUpdates([waiting.update, incoming]) : (incoming ?? waiting!.update);
    const step2 = incomingStep2 || (waiting?.step2 ?? false);
    // The derivation is built only when the update brings something new (a connecting member's sync step 2
    // usually does not).
    const inspection = inspectUpdate(
      update,
      this.projectedSV,
      (key) => this.ensureDerivation().actions.has(key),
      waiting ? undefined : decoded,
    );
    if (inspection.kind === 'refuse') {
      peer.refuse(inspection.close, inspection.message);
      return false;
    }
    if (inspection.kind === 'wait') {
      this.hold(peer, update, step2, waiting?.since);
      return false;
    }
    if (inspection.kind === 'empty') {
      peer.waiting = null;
      this.ctx.accept({ room: this, peer, update: null, clocks: null, actions: 0, membership: false });
      this.inFlight++;
      return false;
    }
    // A sync step 2 is a member's catch-up, not a new write: it is exempt from the per-second limit.
    if (!step2 && !peer.actions.take(inspection.entries.length, this.ctx.now())) {
      peer.refuse('RATE_LIMITED', 'Too many actions per second.');
      return false;
    }
    // Checks started for this very update decode the same bytes; anything merged with waiting updates is
    // checked now.
    const prefetched = waiting ? undefined : verified;
    const results = await Promise.all(
      inspection.entries.map(
        ([key, value]) => prefetched?.get(key) ?? verifyAction(this.id, key, value, this.verifier),
      ),
    );
    if (!peer.open) return false;
    const valid: Action[] = [];
    for (const r of results) {
      if (!r.ok) {
        peer.refuse('INVALID_ACTION', `${r.code}: ${r.message}`);
        return false;
      }
      valid.push(r.action);
    }
    const bound = serverBounds(valid, this.ensureDerivation().state, this.ctx.now());
    if (bound) {
      peer.refuse('INVALID_ACTION', `${bound.code}: ${bound.message}`);
      return false;
    }
    const intern = (s: string): string => {
      const known = this.derivation?.actions.get(s)?.id;
      if (known) return known;
      const pooled = this.actors.get(s);
      if (pooled) return pooled;
      this.actors.set(s, s);
      return s;
    };
    const admission = admitActions(
      this.ensureDerivation(),
      valid.map((a) => slim(a, intern)),
      {
        agencyId: this.id,
        now: this.ctx.now(),
        keyId: peer.keyId,
        // Other members' actions arrive in a sync step 2 after this server lost data (a restored backup):
        // the client holds them and resends them on every reconnect, so refusing would wedge it. Each one
        // is still verified and checked at its own dependencies like any other.
        allowOtherActors: step2,
        branches: this.branches,
      },
    );
    this.derivation = admission.derivation;
    if (admission.ok === 'wait') {
      this.hold(peer, update, step2, waiting?.since);
      return false;
    }
    if (!admission.ok) {
      peer.refuse('INVALID_ACTION', `${admission.code} (${admission.rule}): ${admission.message}`);
      return false;
    }
    peer.waiting = null;
    for (const [client, clock] of inspection.clocks) {
      if (clock > (this.projectedSV.get(client) ?? 0)) this.projectedSV.set(client, clock);
    }
    this.inFlight++;
    this.ctx.accept({
      room: this,
      peer,
      update: inspection.update,
      clocks: inspection.clocks,
      actions: valid.length,
      membership: valid.some((a) => MEMBERSHIP_TYPES.has(a.type)),
    });
    return true;
  }

  private hold(peer: Peer, update: Uint8Array, step2: boolean, since: number | undefined): void {
    // Honest waits are small (a write sent before the reconnect's sync step 2 that precedes it); a large
    // one would be re-merged on every message. MALFORMED makes the client reconnect, and its sync step 2
    // then carries everything in order.
    if (update.length > Math.min(this.ctx.maxMessageBytes, MAX_WAITING_BYTES)) {
      peer.refuse('MALFORMED', 'Updates waiting for missing data grew too large.');
      return;
    }
    peer.waiting = { update, step2, since: since ?? this.ctx.now() };
  }

  /**
   * Called by the committer once `items` are durably written (`lastRowId`: the newest row written for
   * this room): relay, ACK, re-check standings.
   */
  committed(items: readonly Accepted[], lastRowId: number): void {
    this.inFlight -= items.length;
    const writes = items.filter((i) => i.update !== null);
    for (const item of writes) {
      this.tail.push(item.update!);
      for (const [client, clock] of item.clocks!)
        if (clock > (this.sv.get(client) ?? 0)) this.sv.set(client, clock);
    }
    if (writes.length) this.encodedSV = null;
    this.rows += writes.length;
    this.lastRowId = Math.max(this.lastRowId, lastRowId);
    if (writes.length) {
      // Who may read is settled before anything of the batch leaves (issue 8, item 8): a removal and a
      // write behind it in the same TCP segment commit together, and the removed member is closed first;
      // a losing "creator" of a new agency is closed before the real owner's createAgency is relayed.
      if (items.some((i) => i.membership)) {
        this.membership = membershipOf(this.ensureDerivation().state);
        this.recheck();
      }
      this.relay(writes);
      this.lastWrite = this.ctx.now();
    }
    const ack = encodeAck(this.stateVector());
    for (const peer of new Set(items.map((i) => i.peer))) if (peer.open) peer.send(ack);
  }

  /** Whether enough rows piled up to merge them (rooms.ts does it when the room is quiet). */
  get wantsCompaction(): boolean {
    return this.rows >= this.ctx.compactRows;
  }

  get wantsCompactionBadly(): boolean {
    return this.rows >= this.ctx.compactRows * 4;
  }

  /** Replaces the room's rows by one merged update (lossless: Y.mergeUpdates). */
  compact(): void {
    if (this.rows <= 1 || this.inFlight > 0) return;
    const merged = this.merged();
    this.lastRowId = this.ctx.store.compact(this.id, merged, this.lastRowId);
    this.rows = 1;
  }

  /** A failed commit: forget everything not durable, and make every connection reconnect and resend. */
  fail(): void {
    for (const peer of [...this.peers]) peer.refuse('UNAVAILABLE', 'The server could not store updates.');
    this.inbox = [];
    this.inFlight = 0;
  }

  /** Frees the derivation of a room without writes for a while (rebuilt on the next write). */
  dropDerivation(): boolean {
    if (!this.derivation || this.busy) return false;
    this.merged(); // one buffer instead of many small ones
    this.derivation = null;
    this.branches.clear();
    this.actors.clear();
    return true;
  }

  private ensureDerivation(): Derivation {
    this.derivation ??= this.rebuild();
    return this.derivation;
  }

  /** Derives the committed log (trusted: the server verified every entry before storing it). */
  private rebuild(): Derivation {
    this.actors.clear();
    const intern = (s: string): string => {
      const pooled = this.actors.get(s);
      if (pooled) return pooled;
      this.actors.set(s, s);
      return s;
    };
    const actions = [];
    for (const [id, value] of entriesOf(this.merged())) {
      const a = trustedAction(intern(id), value, intern);
      if (a) actions.push(a);
    }
    const d = derive(this.id, actions);
    this.actors.clear();
    for (const a of d.actions.values()) this.actors.set(a.actor, a.actor);
    return d;
  }

  private relay(writes: readonly Accepted[]): void {
    // One frame per distinct set of senders left out: bursts of a turn go out as one update.
    const cache = new Map<Peer | null, Uint8Array>();
    const frameWithout = (peer: Peer | null): Uint8Array | null => {
      const parts = writes.filter((w) => w.peer !== peer).map((w) => w.update!);
      if (!parts.length) return null;
      const key = parts.length === writes.length ? null : peer;
      let frame = cache.get(key);
      if (!frame) {
        frame = encodeUpdate(parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts));
        cache.set(key, frame);
      }
      return frame;
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
      const frame = frameWithout(peer);
      if (!frame) continue;
      peer.send(frame);
      sent++;
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
