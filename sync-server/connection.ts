// One WebSocket connection: the agency handshake (core/protocol.ts), then the y-websocket protocol.
// Until WELCOME the server sends only the CHALLENGE and keeps (bounded) what the client sent; a client that
// does not prove its standing within 10 seconds is closed, having received nothing of the room.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import { toBase64Url, type VerifySignature } from '../core/index.ts';
import {
  CLOSE,
  type CloseName,
  encodeChallenge,
  encodeWelcome,
  MESSAGE_AGENCY,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  type Proof,
  readAgencyMessage,
  type Standing,
} from '../core/protocol.ts';
import { newNonce, proofVerifies, standingOf } from './auth.ts';
import { TokenBucket } from './limits.ts';
import type { Logger } from './log.ts';
import { type MemoryBudget, SLOT_MS } from './memory.ts';
import type { Metrics } from './metrics.ts';
import type { Peer, Waiting } from './peer.ts';
import { OldFormatError, type Room } from './room.ts';
import { type Rooms, RoomsFull } from './rooms.ts';
import { type AgencySocket, CHUNKS, isOversize, isTextRefused, LIVE_FRAME_BYTES } from './socket.ts';
import { encodeSyncStep1, encodeSyncStep2, readAwarenessUpdate, readSyncMessage } from './wire.ts';

export interface ConnectionContext {
  rooms: Rooms;
  memory: MemoryBudget;
  metrics: Metrics;
  log: Logger;
  now(): number;
  /** What checks the handshake's signatures. */
  verify: VerifySignature;
  mayCreate(token: string | null): boolean;
  maxMessageBytes: number;
  authDeadlineMs: number;
  actionsPerSecond: number;
  actionBurst: number;
  messagesPerSecond: number;
  messageBurst: number;
  onClosed(conn: Connection): void;
}

type Phase = 'challenged' | 'verifying' | 'open' | 'closed';

/** Refusals about who the connection is or what it may write: they say "permission denied" too. */
const PERMISSION_DENIED: ReadonlySet<CloseName> = new Set<CloseName>([
  'AUTH_TIMEOUT',
  'BAD_PROOF',
  'NOT_A_MEMBER',
  'MEMBER_GONE',
  'INVITE_INVALID',
  'CREATION_FORBIDDEN',
  'ROLE_CHANGED',
  'INVALID_ACTION',
  'KEY_FORKED',
  'LOG_TAMPERED',
]);

function encodePermissionDenied(reason: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AUTH);
  authProtocol.writePermissionDenied(e, reason);
  return encoding.toUint8Array(e);
}

/** Before WELCOME a client sends its sync step 1, its presence, perhaps a write made meanwhile. */
const MAX_EARLY_MESSAGES = 8;
const MAX_EARLY_BYTES = 128 * 1024;
/** Sync step 1 requests (each answered with what the asker lacks): an honest client sends one. */
const SYNC_REQUESTS_PER_SECOND = 0.2;
const SYNC_REQUEST_BURST = 4;
/** A peer that does not read what it is sent is dropped once this much waits for it (one full answer). */
const MAX_BUFFERED_EXTRA = 1024 * 1024;
let nextId = 1;

/** The reason text of a close frame is limited to 123 bytes (RFC 6455). */
function closeReason(text: string): string {
  const bytes = Buffer.from(text);
  if (bytes.length <= 123) return text;
  return `${bytes
    .subarray(0, 120)
    .toString()
    .replace(/\uFFFD+$/, '')}...`;
}

export class Connection implements Peer {
  readonly id = nextId++;
  readonly ws: AgencySocket;
  readonly address: string;
  readonly roomId: string;
  keyId = '';
  standing: Standing = 'member';
  role: 'manager' | 'member' | null = null;
  inviteId: string | null = null;
  waiting: Waiting | null = null;
  readonly actions: TokenBucket;
  readonly clients = new Set<number>();
  clientIdsClaimed = 0;
  readonly ackCaps = new Map<number, number>();
  /** Whether its first sync step 2 (its catch-up) arrived: later ones are rate-limited like any write. */
  private caughtUp = false;
  /** When the server last sent this connection anything (for the heartbeat). */
  lastSent: number;
  /** Whether the peer answered the last WebSocket ping. */
  private alive = true;
  /** How many bytes the socket had read when the last ping went out. */
  private readAtPing = 0;
  closeCode: number | null = null;
  private phase: Phase = 'challenged';
  private room: Room | null = null;
  private readonly nonce = newNonce();
  private readonly messages: TokenBucket;
  private readonly syncRequests: TokenBucket;
  /** Who holds a large-message slot through this connection (memory.ts), and until when. */
  private slot: { holder: string; until: number } | null = null;
  private early: Uint8Array[] = [];
  private earlyBytes = 0;
  private readonly deadline: NodeJS.Timeout;
  /** A joiner's connection ends when its invite expires (issue 8, item 5), by the server's clock. */
  private expiry: NodeJS.Timeout | null = null;
  private readonly ctx: ConnectionContext;
  private logger: Logger | null = null;

  constructor(ws: AgencySocket, address: string, roomId: string, ctx: ConnectionContext) {
    this.ws = ws;
    this.address = address;
    this.roomId = roomId;
    this.ctx = ctx;
    const now = ctx.now();
    this.lastSent = now;
    this.actions = new TokenBucket(ctx.actionsPerSecond, ctx.actionBurst, now);
    this.messages = new TokenBucket(ctx.messagesPerSecond, ctx.messageBurst, now);
    this.syncRequests = new TokenBucket(SYNC_REQUESTS_PER_SECOND, SYNC_REQUEST_BURST, now);
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer | Buffer[], isBinary));
    ws.on('close', () => this.onClose());
    ws.on('error', (error) => {
      // ws refused a message past this connection's receive limits, from its header (socket.ts)
      if (isOversize(error) && !this.closed) {
        this.ctx.metrics.refusals.inc({ reason: ws.oversize });
        this.log.info('connection refused', {
          code: CLOSE[ws.oversize].code,
          reason: ws.oversize,
          detail: error.message,
        });
        this.closeCode = CLOSE[ws.oversize].code;
        this.finish();
        return;
      }
      // a text frame, refused from its header (receive.ts); ws closes with MALFORMED
      if (isTextRefused(error) && !this.closed) {
        this.ctx.metrics.refusals.inc({ reason: 'MALFORMED' });
        this.log.info('connection refused', {
          code: CLOSE.MALFORMED.code,
          reason: 'MALFORMED',
          detail: error.message,
        });
        this.closeCode = CLOSE.MALFORMED.code;
        this.finish();
        return;
      }
      if (this.ctx.log.enabled('debug')) this.log.debug('socket error', { error: error.message });
    });
    ws.on('pong', () => {
      this.alive = true;
    });
    this.deadline = setTimeout(() => {
      if (this.phase === 'challenged' || this.phase === 'verifying') {
        this.refuse('AUTH_TIMEOUT', 'No proof of membership within 10 seconds.');
      }
    }, ctx.authDeadlineMs);
    this.send(encodeChallenge(this.nonce));
  }

  /** Made on first use: thousands of quiet connections need no logger each. */
  private get log(): Logger {
    this.logger ??= this.ctx.log.child({ conn: this.id, room: this.roomId });
    return this.logger;
  }

  /**
   * Whether the peer answered the last ping or sent anything since: a large catch-up still arriving over a
   * slow link holds its pong behind it (a frame cannot be interrupted by a pong, RFC 6455 5.4), so bytes
   * arriving count as an answer. A member back after a week offline is not dropped mid-upload.
   */
  get answered(): boolean {
    return this.alive || this.ws.bytesRead > this.readAtPing;
  }

  /** Sends a WebSocket ping; `answered` says next time whether the peer has been heard from since. */
  ping(): void {
    this.alive = false;
    this.readAtPing = this.ws.bytesRead;
    this.ws.ping();
  }

  get open(): boolean {
    return this.phase === 'open';
  }

  get closed(): boolean {
    return this.phase === 'closed';
  }

  send(frame: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.ctx.maxMessageBytes + MAX_BUFFERED_EXTRA) {
      this.refuse('UNAVAILABLE', 'The connection does not keep up with what the server sends.');
      return;
    }
    this.ws.send(frame);
    this.lastSent = this.ctx.now();
  }

  refuse(name: CloseName, message: string): void {
    if (this.phase === 'closed') return;
    const { code } = CLOSE[name];
    this.ctx.metrics.refusals.inc({ reason: name });
    this.log.info('connection refused', {
      code,
      reason: name,
      detail: message,
      key: this.keyId || undefined,
    });
    this.closeCode = code;
    this.finish();
    // y-websocket's own "permission denied" (y-protocols/auth) first, for clients that only log that
    if (PERMISSION_DENIED.has(name)) this.send(encodePermissionDenied(`${CLOSE[name].reason} ${message}`));
    try {
      this.ws.close(code, closeReason(message || CLOSE[name].reason));
    } catch {
      this.ws.terminate();
    }
  }

  /** Ends the connection without a refusal (server shutdown). */
  shutdown(): void {
    if (this.phase === 'closed') return;
    this.closeCode = CLOSE.UNAVAILABLE.code;
    this.finish();
    try {
      this.ws.close(CLOSE.UNAVAILABLE.code, CLOSE.UNAVAILABLE.reason);
    } catch {
      this.ws.terminate();
    }
  }

  private finish(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    clearTimeout(this.deadline);
    if (this.expiry) clearTimeout(this.expiry);
    this.releaseSlot();
    this.early = [];
    this.waiting = null;
    this.room?.removePeer(this);
    this.ctx.onClosed(this);
  }

  private onClose(): void {
    this.finish();
  }

  private onMessage(data: Buffer | Buffer[], isBinary: boolean): void {
    if (this.phase === 'closed') return;
    const bytes: Uint8Array = Array.isArray(data) ? Buffer.concat(data) : data;
    this.ctx.metrics.bytesIn.inc({}, bytes.length);
    if (bytes.length > this.ctx.maxMessageBytes) {
      this.refuse('TOO_LARGE', `A message was larger than ${this.ctx.maxMessageBytes} bytes.`);
      return;
    }
    if (!this.messages.take(1, this.ctx.now())) {
      this.refuse('RATE_LIMITED', 'Too many messages per second.');
      return;
    }
    if (!isBinary) {
      this.refuse('MALFORMED', 'Text frames are not part of the protocol.');
      return;
    }
    if (this.phase === 'open') {
      this.handle(bytes);
      return;
    }
    const decoder = decoding.createDecoder(bytes);
    let type: number;
    try {
      type = decoding.readVarUint(decoder);
    } catch {
      this.refuse('MALFORMED', 'A message could not be decoded.');
      return;
    }
    if (type === MESSAGE_AGENCY) {
      const message = readAgencyMessage(decoder);
      if (message?.kind !== 'proof' || this.phase !== 'challenged') {
        this.refuse('MALFORMED', 'Expected one membership proof.');
        return;
      }
      void this.authenticate(message.proof);
      return;
    }
    // Sent before the handshake ends (the client's sync step 1, awareness, offline edits): kept, answered
    // after WELCOME.
    this.early.push(bytes);
    this.earlyBytes += bytes.length;
    if (this.early.length > MAX_EARLY_MESSAGES || this.earlyBytes > MAX_EARLY_BYTES) {
      this.refuse('TOO_LARGE', 'Too much was sent before the membership proof.');
    }
  }

  private async authenticate(proof: Proof): Promise<void> {
    this.phase = 'verifying';
    const verified = await proofVerifies(this.nonce, this.roomId, proof, this.ctx.verify);
    if (this.closed) return;
    if (!verified) {
      this.refuse('BAD_PROOF', 'The membership proof did not verify.');
      return;
    }
    this.keyId = toBase64Url(proof.publicKey);
    if (this.ctx.memory.pressed && !this.ctx.rooms.peek(this.roomId)) {
      this.refuse('UNAVAILABLE', 'The server is short of memory: try again later.');
      return;
    }
    let room: Room;
    try {
      room = await this.ctx.rooms.get(this.roomId);
    } catch (error) {
      if (error instanceof OldFormatError) {
        this.log.warn('an agency from 0.1', { error: error.message });
        this.refuse('OLD_FORMAT', CLOSE.OLD_FORMAT.reason);
        return;
      }
      if (!(error instanceof RoomsFull)) this.log.error('loading a room failed', { error });
      this.refuse(
        'UNAVAILABLE',
        error instanceof RoomsFull
          ? 'The server has too many agencies open.'
          : 'The agency could not be loaded.',
      );
      return;
    }
    if (this.closed) return; // it went away while the room loaded
    const result = standingOf(room.membership, this.keyId, proof, {
      now: this.ctx.now(),
      mayCreate: this.ctx.mayCreate(proof.creationToken),
    });
    if (!result.ok) {
      this.refuse(result.close, result.message);
      return;
    }
    clearTimeout(this.deadline);
    this.standing = result.standing;
    this.role = result.role;
    this.inviteId = result.inviteId;
    this.phase = 'open';
    this.room = room;
    room.addPeer(this);
    this.openLimits(room);
    if (result.standing === 'joiner')
      this.closeAtExpiry(room.membership.invites.get(result.inviteId!)!.expiresAt);
    this.ctx.metrics.authenticated.inc({ standing: result.standing });
    if (this.ctx.log.enabled('debug'))
      this.log.debug('welcome', { standing: result.standing, key: this.keyId });
    // The handshake's answers leave in one write, not one system call each.
    const socket = (this.ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    socket?.cork();
    try {
      this.welcome(room, result.standing);
    } finally {
      socket?.uncork();
    }
  }

  /**
   * The receive limits once welcomed (memory.ts): a full-size message only with a large-message slot, and
   * only until the connection's catch-up arrives; otherwise live writes.
   */
  private openLimits(room: Room): void {
    // One slot per member: a joiner counts as the member its invite adds a browser to, or as whoever
    // granted its invite (a member granting itself invite after invite still holds one slot).
    const invite = this.inviteId ? room.membership.invites.get(this.inviteId) : undefined;
    const holder =
      room.membership.keys.get(this.keyId)?.member ??
      (invite ? (invite.member ?? invite.grantedBy) : this.keyId);
    if (this.ctx.memory.takeSlot(holder)) {
      this.slot = { holder, until: this.ctx.now() + SLOT_MS };
      this.ws.limit(
        this.ctx.maxMessageBytes,
        CHUNKS,
        'TOO_LARGE',
        `A message was larger than ${this.ctx.maxMessageBytes} bytes.`,
      );
    } else this.liveLimits('The server is busy receiving other catch-ups: connect again later.');
  }

  private liveLimits(why: string): void {
    this.ws.limit(LIVE_FRAME_BYTES, CHUNKS, 'UNAVAILABLE', why);
  }

  private releaseSlot(): void {
    if (!this.slot) return;
    this.ctx.memory.releaseSlot(this.slot.holder);
    this.slot = null;
  }

  /** Called by the server's sweep: a slot unused for SLOT_MS goes back. */
  tick(now: number): void {
    if (this.slot && now > this.slot.until && this.open) {
      this.releaseSlot();
      this.liveLimits('A message this large is accepted only as a connection’s catch-up: connect again.');
    }
  }

  private closeAtExpiry(expiresAt: number): void {
    const wait = Math.min(2 ** 31 - 1, Math.max(0, expiresAt - this.ctx.now()) + 1);
    this.expiry = setTimeout(() => {
      this.expiry = null;
      if (this.standing !== 'joiner' || this.closed) return; // it joined meanwhile
      if (this.ctx.now() > expiresAt) this.refuse('INVITE_INVALID', 'The invite expired.');
      else this.closeAtExpiry(expiresAt);
    }, wait);
    this.expiry.unref();
  }

  private welcome(room: Room, standing: Standing): void {
    this.send(encodeWelcome(standing));
    this.send(encodeSyncStep1(room.stateVector()));
    const presence = room.presenceFrame(this);
    if (presence) this.send(presence);
    const early = this.early;
    this.early = [];
    this.earlyBytes = 0;
    for (const bytes of early) {
      if (!this.open) return;
      this.handle(bytes);
    }
    // What the room durably holds: the client marks what this covers as synced.
    if (this.open) this.send(room.ackFor(this));
  }

  /** One message from a welcomed connection. */
  private handle(bytes: Uint8Array): void {
    const room = this.room!;
    const decoder = decoding.createDecoder(bytes);
    let type: number;
    try {
      type = decoding.readVarUint(decoder);
    } catch {
      this.refuse('MALFORMED', 'A message could not be decoded.');
      return;
    }
    switch (type) {
      case MESSAGE_SYNC: {
        const message = readSyncMessage(decoder);
        if (!message) {
          this.refuse('MALFORMED', 'A sync message could not be decoded.');
          return;
        }
        if (message.kind === 'step1') {
          if (!this.syncRequests.take(1, this.ctx.now())) {
            this.refuse('RATE_LIMITED', 'Too many sync requests.');
            return;
          }
          const diff = room.diffFor(message.stateVector);
          if (!diff) this.refuse('MALFORMED', 'A state vector could not be decoded.');
          else this.send(encodeSyncStep2(diff));
          return;
        }
        this.ctx.metrics.updatesIn.inc();
        // Its first sync step 2 is a connection's catch-up (issue 8, item 12: only that one is exempt from
        // the rate limit; an honest client sends one, in answer to the server's sync step 1).
        const catchUp = message.kind === 'step2' && !this.caughtUp;
        if (message.kind === 'step2' && !this.caughtUp) {
          this.caughtUp = true;
          this.releaseSlot();
          this.liveLimits('A message this large is accepted only as a connection’s catch-up: connect again.');
        }
        room.receive(this, message.update, catchUp);
        return;
      }
      case MESSAGE_AWARENESS: {
        let update: Uint8Array;
        try {
          update = decoding.readVarUint8Array(decoder);
        } catch {
          this.refuse('MALFORMED', 'An awareness message could not be decoded.');
          return;
        }
        const entries = readAwarenessUpdate(update);
        if (!entries) {
          this.refuse('MALFORMED', 'An awareness message could not be decoded.');
          return;
        }
        room.awareness(this, entries);
        return;
      }
      case MESSAGE_QUERY_AWARENESS: {
        const presence = room.presenceFrame(this);
        if (presence) this.send(presence);
        return;
      }
      case MESSAGE_AUTH:
      case MESSAGE_AGENCY:
        return; // nothing a client sends of these after WELCOME needs an answer
      default:
        this.refuse('MALFORMED', `Unknown message type ${type}.`);
    }
  }
}
