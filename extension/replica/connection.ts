// The replica's link to the sync server: the stock y-websocket client, extended only through its
// `messageHandlers` with the agency handshake (core/protocol.ts, message type 4). The server sends a nonce,
// this answers with a signature from the device key (plus the invite key's signature of the same bytes when
// joining, or the creation token when creating), the server says WELCOME and only then syncs the room, and
// ACKs what it durably stored.
import type * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Signer } from '../../core/index.ts';
import {
  answerChallenge,
  type CloseName,
  type CloseReaction,
  closeByCode,
  MESSAGE_AGENCY,
  readAgencyMessage,
  type Standing,
} from '../../core/protocol.ts';
import { type LocalWrites, sendWhenStored } from './send-when-stored.ts';

export type LinkState = 'connecting' | 'connected' | 'welcomed' | 'synced' | 'offline' | 'stopped';

export interface Credentials {
  /** A joiner's invite key: it signs the handshake too, proving the invite for this very connection. */
  invite?: Signer | null;
  creationToken?: string | null;
}

export interface ConnectionEvents {
  /** The link changed state; `reason` says why it stopped (the server's close code, e.g. removed, P6). */
  state(state: LinkState, reason: string | null): void;
  /** The server durably holds everything this state vector covers. */
  ack(stateVector: Map<number, number>): void;
  welcome(standing: Standing): void;
}

export interface ConnectionOptions {
  server: string;
  room: string;
  doc: Y.Doc;
  signer: Signer;
  credentials?: Credentials;
  events: Partial<ConnectionEvents>;
  WebSocketImpl?: typeof WebSocket;
  connect?: boolean;
  /** y-websocket's backoff cap (its default, 2.5 s: a returning server is found quickly while the worker
   * lives); a stopped worker dials nothing, so the alarm (background/alarms.ts) wakes it to reconnect. */
  maxBackoffMs?: number;
  /** The replica's own writes: none is sent before it is stored here (send-when-stored.ts). */
  local?: LocalWrites;
}

type Handler = (
  encoder: encoding.Encoder,
  decoder: decoding.Decoder,
  provider: WebsocketProvider,
  emitSynced: boolean,
  messageType: number,
) => void;

export class Connection {
  readonly provider: WebsocketProvider;
  readonly room: string;
  standing: Standing | null = null;
  state: LinkState = 'offline';
  stoppedReason: string | null = null;
  /** The close code that stopped the link (core/protocol.ts CLOSE), when the server gave one of ours. */
  stoppedBy: CloseName | null = null;
  /** Whether this server has ever sent an ACK frame on this link (else sync step 2 stands in for it). */
  acks = false;
  /** A socket closed or failed since the last WELCOME: "offline" until the server welcomes us again. */
  outage = false;
  private credentials: Credentials;
  private readonly signer: Signer;
  private readonly events: Partial<ConnectionEvents>;
  private readonly unsendWhenStored: () => void;

  constructor(opts: ConnectionOptions) {
    this.room = opts.room;
    this.signer = opts.signer;
    this.events = opts.events;
    this.credentials = { ...opts.credentials };
    this.provider = new WebsocketProvider(opts.server, opts.room, opts.doc, {
      connect: false,
      // A service worker has no other tabs of this doc to talk to.
      disableBc: true,
      maxBackoffTime: opts.maxBackoffMs ?? 2_500,
      ...(opts.WebSocketImpl ? { WebSocketPolyfill: opts.WebSocketImpl } : {}),
      // core/protocol.ts CLOSE: each code says whether to reconnect, re-authenticate (a new connection is
      // a new challenge) or stop and tell the member why.
      shouldReconnect: (event: CloseEvent) => reactionTo(event.code) !== 'stop',
    });
    this.unsendWhenStored = opts.local ? sendWhenStored(this.provider, opts.local) : () => {};
    // Awareness (cursors, presence) has no use here; without a local state nothing is broadcast.
    this.provider.awareness.setLocalState(null);
    (this.provider.messageHandlers as Handler[])[MESSAGE_AGENCY] = (_enc, decoder, provider) =>
      this.onAgencyMessage(decoder, provider);
    this.provider.on('status', ({ status }) => {
      if (status === 'connecting') this.setState(this.state === 'stopped' ? 'stopped' : 'connecting');
      else if (status === 'connected') this.setState('connected');
      else if (this.state !== 'stopped') {
        this.standing = null;
        this.setState('offline');
      }
    });
    this.provider.on('connection-close', (event) => {
      this.outage = true;
      if (this.state === 'connecting') this.setState('offline');
      if (event && reactionTo(event.code) === 'stop') {
        const close = closeByCode(event.code);
        this.stoppedBy = close?.name ?? null;
        this.stoppedReason = close?.reason ?? `The server closed the connection (${event.code}).`;
      }
    });
    this.provider.on('connection-error', () => {
      if (this.state === 'connecting') this.setState('offline');
    });
    this.provider.on('closed', () => this.setState('stopped', this.stoppedReason));
    this.provider.on('sync', (synced: boolean) => {
      if (synced && this.standing) this.setState('synced');
    });
    if (opts.connect !== false) this.connect();
  }

  get server(): string {
    return this.provider.serverUrl;
  }

  get connected(): boolean {
    return this.provider.wsconnected;
  }

  /** Forgets an invite key or creation token once the member's own key is enough. */
  setCredentials(credentials: Credentials): void {
    this.credentials = { ...credentials };
  }

  connect(): void {
    if (this.state === 'stopped') {
      this.stoppedReason = null;
      this.stoppedBy = null;
      this.state = 'offline';
    }
    this.provider.connect();
  }

  /** Drops the current socket (if any) and dials again at once, with the backoff reset. */
  reconnectNow(): void {
    this.provider.wsUnsuccessfulReconnects = 0;
    if (this.provider.ws) this.provider.disconnect();
    this.connect();
  }

  disconnect(): void {
    this.provider.disconnect();
  }

  destroy(): void {
    this.unsendWhenStored();
    this.provider.destroy();
  }

  private setState(state: LinkState, reason: string | null = null): void {
    if (state === this.state && reason === null) return;
    this.state = state;
    this.events.state?.(state, state === 'stopped' ? (reason ?? this.stoppedReason) : null);
  }

  private onAgencyMessage(decoder: decoding.Decoder, provider: WebsocketProvider): void {
    const message = readAgencyMessage(decoder);
    const ws = provider.ws;
    if (!message || !ws) return;
    if (message.kind === 'challenge') {
      const { invite, creationToken } = this.credentials;
      answerChallenge(message.nonce, this.room, this.signer, { invite, creationToken }).then(
        (proof) => {
          // The socket may have closed while signing; a new one gets a new challenge.
          if (provider.ws === ws && ws.readyState === ws.OPEN) ws.send(proof);
        },
        (e) => console.error('agency handshake: signing failed', e),
      );
    } else if (message.kind === 'welcome') {
      this.standing = message.standing;
      this.outage = false;
      this.setState('welcomed');
      this.events.welcome?.(message.standing);
      if (provider.synced) this.setState('synced');
    } else if (message.kind === 'ack') {
      this.acks = true;
      let sv: Map<number, number>;
      try {
        sv = Y.decodeStateVector(message.stateVector);
      } catch {
        return;
      }
      this.events.ack?.(sv);
    }
  }
}

function reactionTo(code: number): CloseReaction {
  return closeByCode(code)?.reaction ?? 'reconnect';
}
