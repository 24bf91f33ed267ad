// A small sync server for the replica's tests while sync-server/ is being written: the y-websocket sync
// protocol over real sockets on loopback, with core/protocol.ts's handshake (challenge, proof, WELCOME,
// ACK) and membership decided by core's derive on the room's own log. Not the product's server: it
// checks only what the replica's tests need (who may connect), and keeps rooms in memory across stop/start.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket, WebSocketServer } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { AgencyLog, toBase64Url, verifySignature } from '../../../../core/index.ts';
import {
  authBytes,
  CLOSE,
  type CloseName,
  encodeAck,
  encodeChallenge,
  encodeWelcome,
  MESSAGE_AGENCY,
  MESSAGE_SYNC,
  readAgencyMessage,
  type Standing,
} from '../../../../core/protocol.ts';

interface Room {
  doc: Y.Doc;
  log: Promise<AgencyLog>;
  conns: Set<Conn>;
}

interface Conn {
  ws: WebSocket;
  room: string;
  nonce: Uint8Array;
  standing: Standing | null;
  keyId: string | null;
  buffered: Uint8Array[];
}

export interface MiniServerOptions {
  creationToken?: string;
  /** Send ACK frames (the default); false imitates a server without them. */
  acks?: boolean;
}

export class MiniServer {
  port = 0;
  readonly rooms = new Map<string, Room>();
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly opts: MiniServerOptions;

  constructor(opts: MiniServerOptions = {}) {
    this.opts = opts;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Listens on `port` (0: any free port, then the same one on every later start). */
  async start(): Promise<this> {
    this.http = createServer();
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on('connection', (ws, req) => this.onConnection(ws, (req.url ?? '/').slice(1).split('?')[0]!));
    await new Promise<void>((resolve) => this.http!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening and drops every socket (an outage); rooms stay for the next start. */
  async stop(): Promise<void> {
    for (const room of this.rooms.values()) for (const c of room.conns) c.ws.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
    this.http?.closeAllConnections();
    this.wss = null;
    this.http = null;
  }

  async log(room: string): Promise<AgencyLog> {
    const r = this.room(room);
    const log = await r.log;
    await log.settled();
    return log;
  }

  /** Closes every connection of a room with one of core's close codes. */
  kick(room: string, name: CloseName): void {
    for (const c of this.room(room).conns) c.ws.close(CLOSE[name].code, CLOSE[name].reason);
  }

  private room(name: string): Room {
    let r = this.rooms.get(name);
    if (!r) {
      const doc = new Y.Doc();
      r = { doc, log: AgencyLog.open(doc, name), conns: new Set() };
      this.rooms.set(name, r);
    }
    return r;
  }

  private onConnection(ws: WebSocket, roomName: string): void {
    const room = this.room(roomName);
    const conn: Conn = {
      ws,
      room: roomName,
      nonce: crypto.getRandomValues(new Uint8Array(32)),
      standing: null,
      keyId: null,
      buffered: [],
    };
    room.conns.add(conn);
    ws.binaryType = 'arraybuffer';
    ws.on('close', () => room.conns.delete(conn));
    ws.on('message', (data: ArrayBuffer) => void this.onMessage(room, conn, new Uint8Array(data)));
    ws.send(encodeChallenge(conn.nonce));
  }

  private async onMessage(room: Room, conn: Conn, message: Uint8Array): Promise<void> {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_AGENCY) {
      const m = readAgencyMessage(decoder);
      if (m?.kind !== 'proof' || conn.standing) return conn.ws.close(CLOSE.MALFORMED.code);
      const { publicKey, signature, invite: inviteProof, creationToken } = m.proof;
      const bytes = authBytes(conn.nonce, conn.room, publicKey);
      const proven =
        (await verifySignature(publicKey, signature, bytes)) &&
        (!inviteProof || (await verifySignature(inviteProof.publicKey, inviteProof.signature, bytes)));
      if (!proven) return conn.ws.close(CLOSE.BAD_PROOF.code, CLOSE.BAD_PROOF.reason);
      const log = await room.log;
      await log.settled();
      const keyId = toBase64Url(publicKey);
      const member = log.state.keys[keyId];
      let standing: Standing;
      if (log.size === 0) {
        if (this.opts.creationToken && creationToken !== this.opts.creationToken)
          return conn.ws.close(CLOSE.CREATION_FORBIDDEN.code, CLOSE.CREATION_FORBIDDEN.reason);
        standing = 'creator';
      } else if (member) {
        const status = log.state.members[member.member]?.status;
        if (status !== 'active' || !member.active)
          return conn.ws.close(CLOSE.MEMBER_GONE.code, CLOSE.MEMBER_GONE.reason);
        standing = 'member';
      } else if (inviteProof) {
        const invite = log.state.invites[toBase64Url(inviteProof.publicKey)];
        if (!invite || invite.usedBy || invite.revoked || invite.expiresAt < Date.now())
          return conn.ws.close(CLOSE.INVITE_INVALID.code, CLOSE.INVITE_INVALID.reason);
        standing = 'joiner';
      } else return conn.ws.close(CLOSE.NOT_A_MEMBER.code, CLOSE.NOT_A_MEMBER.reason);
      conn.standing = standing;
      conn.keyId = keyId;
      conn.ws.send(encodeWelcome(standing));
      // Our step 1 (what we have), then whatever the client sent before WELCOME.
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(e, room.doc);
      conn.ws.send(encoding.toUint8Array(e));
      for (const b of conn.buffered.splice(0)) this.onSync(room, conn, b);
      return;
    }
    if (!conn.standing) {
      conn.buffered.push(message);
      return;
    }
    if (type === MESSAGE_SYNC) this.onSync(room, conn, message);
  }

  private onSync(room: Room, conn: Conn, message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
    const reply = encoding.createEncoder();
    encoding.writeVarUint(reply, MESSAGE_SYNC);
    const before = Y.encodeStateVector(room.doc);
    const kind = syncProtocol.readSyncMessage(decoder, reply, room.doc, conn);
    if (encoding.length(reply) > 1) conn.ws.send(encoding.toUint8Array(reply));
    if (kind === syncProtocol.messageYjsSyncStep1) return;
    const diff = Y.encodeStateAsUpdate(room.doc, before);
    const relay = encoding.createEncoder();
    encoding.writeVarUint(relay, MESSAGE_SYNC);
    syncProtocol.writeUpdate(relay, diff);
    const frame = encoding.toUint8Array(relay);
    for (const other of room.conns)
      if (other !== conn && other.standing && other.ws.readyState === WebSocket.OPEN) other.ws.send(frame);
    if (this.opts.acks !== false) conn.ws.send(encodeAck(Y.encodeStateVector(room.doc)));
  }
}
