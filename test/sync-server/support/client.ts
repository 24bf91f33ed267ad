// A test client: the stock y-websocket WebsocketProvider, extended only through its documented options
// (messageHandlers for core/protocol.ts's type-4 handshake, shouldReconnect for the close codes), with
// core's AgencyLog on its Y.Doc. Connects as a member key, as a joiner with an invite key, or as a creator.
import type * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  type ActionType,
  AgencyLog,
  type AppendResult,
  generateDeviceKey,
  makeSigner,
  type Payloads,
  type Signer,
  signJoinProof,
  toBase64Url,
} from '../../../core/index.ts';
import {
  answerChallenge,
  closeByCode,
  MESSAGE_AGENCY,
  readAgencyMessage,
  type Standing,
} from '../../../core/protocol.ts';
import { until } from './wait.ts';

export interface ClientOptions {
  url: string;
  room: string;
  signer: Signer;
  /** A joiner's invite key (the private half an invite code carries). */
  invite?: Signer | null;
  creationToken?: string | null;
  doc?: Y.Doc;
  /** Reconnect after closes whose reaction is not 'stop' (default true). */
  reconnect?: boolean;
  connect?: boolean;
}

type Handler = (
  encoder: unknown,
  decoder: decoding.Decoder,
  provider: WebsocketProvider,
  emitSynced: boolean,
  type: number,
) => void;

export const newSigner = async (): Promise<Signer> => makeSigner(await generateDeviceKey(crypto.subtle));

export class TestClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly signer: Signer;
  readonly room: string;
  log!: AgencyLog;
  standing: Standing | null = null;
  welcomes = 0;
  challenges = 0;
  readonly closes: { code: number; reason: string }[] = [];
  readonly acks: Map<number, number>[] = [];
  /** Update frames received (sync type 2), to check the server never echoes. */
  updatesReceived = 0;
  private readonly opts: ClientOptions;

  private constructor(opts: ClientOptions) {
    this.opts = opts;
    this.signer = opts.signer;
    this.room = opts.room;
    this.doc = opts.doc ?? new Y.Doc();
    this.provider = new WebsocketProvider(opts.url, opts.room, this.doc, {
      connect: false,
      disableBc: true,
      maxBackoffTime: 300,
      shouldReconnect: (event: CloseEvent) =>
        (opts.reconnect ?? true) && closeByCode(event.code)?.reaction !== 'stop',
    });
    const handlers = this.provider.messageHandlers as unknown as Handler[];
    const syncHandler = handlers[0]!;
    handlers[0] = (encoder, decoder, provider, emitSynced, type) => {
      // peek at the sync sub-type without consuming it
      if (decoder.arr[decoder.pos] === 2) this.updatesReceived++;
      syncHandler(encoder, decoder, provider, emitSynced, type);
    };
    handlers[MESSAGE_AGENCY] = (_encoder, decoder, provider) => {
      const message = readAgencyMessage(decoder);
      const ws = provider.ws;
      if (!message || !ws) return;
      if (message.kind === 'challenge') {
        this.challenges++;
        void answerChallenge(message.nonce, this.room, this.signer, {
          invite: this.opts.invite ?? null,
          creationToken: this.opts.creationToken ?? null,
        }).then((proof) => {
          if (provider.ws === ws && ws.readyState === ws.OPEN) ws.send(proof);
        });
      } else if (message.kind === 'welcome') {
        this.standing = message.standing;
        this.welcomes++;
      } else if (message.kind === 'ack') {
        this.acks.push(Y.decodeStateVector(message.stateVector));
      }
    };
    this.provider.on('connection-close', (event) => {
      if (event) this.closes.push({ code: event.code, reason: event.reason });
    });
  }

  static async open(opts: ClientOptions): Promise<TestClient> {
    const client = new TestClient(opts);
    client.log = await AgencyLog.open(client.doc, opts.room);
    if (opts.connect !== false) client.provider.connect();
    return client;
  }

  connect(): void {
    this.provider.connect();
  }

  get synced(): boolean {
    return this.provider.synced && this.standing !== null;
  }

  /** Welcomed and synced with the server (the room's content is in the doc and verified by the log). */
  async whenSynced(timeout = 10_000): Promise<void> {
    await until(() => this.synced, { timeout, what: `client ${this.signer.keyId.slice(0, 6)} to sync` });
    await this.log.settled();
  }

  async whenClosed(timeout = 10_000): Promise<{ code: number; reason: string }> {
    return until(() => this.closes[0], { timeout, what: 'the server to close the connection' });
  }

  /**
   * Whether the last ACK says everything this client wrote is stored. Only its own Yjs client id counts:
   * what it received from teammates came from the server, and an ACK answers only the batch holding this
   * client's own frames, so a teammate's later write may never be in one (two writers raced on that).
   */
  get acked(): boolean {
    const last = this.acks[this.acks.length - 1];
    if (!last) return false;
    const own = Y.getState(this.doc.store, this.doc.clientID);
    return (last.get(this.doc.clientID) ?? 0) >= own;
  }

  async append<T extends ActionType>(type: T, payload: Payloads[T], now = Date.now()): Promise<AppendResult> {
    return this.log.append(this.signer, type, payload, now);
  }

  async appendOk<T extends ActionType>(type: T, payload: Payloads[T], now = Date.now()): Promise<string> {
    const r = await this.append(type, payload, now);
    if (!r.ok) throw new Error(`${type} refused: ${r.code} ${r.message}`);
    return r.action.id;
  }

  ids(): string[] {
    return [...this.log.actions.keys()].sort();
  }

  destroy(): void {
    this.provider.destroy();
    this.log.destroy();
  }
}

/** Random 16-byte agency id, as the extension makes them. */
export function newAgencyId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Buffer.from(bytes).toString('base64url');
}

export interface Agency {
  id: string;
  url: string;
  owner: TestClient;
  clients: TestClient[];
  /** Invites a new member through `by` (default: the owner) and returns the joined, synced client. */
  join(
    name: string,
    opts?: { by?: TestClient; role?: 'manager' | 'member'; relationship?: 'exclusive' | 'non-exclusive' },
  ): Promise<TestClient>;
  /** Grants an invite through `by` (default: the owner); returns the invite key. */
  invite(opts?: { by?: TestClient; role?: 'manager' | 'member'; expiresAt?: number }): Promise<Signer>;
  destroy(): void;
}

/** Creates an agency on the server through a creator connection and returns helpers to grow it. */
export async function createAgency(
  url: string,
  opts: { name?: string; creationToken?: string; id?: string } = {},
): Promise<Agency> {
  const id = opts.id ?? newAgencyId();
  const owner = await TestClient.open({
    url,
    room: id,
    signer: await newSigner(),
    creationToken: opts.creationToken,
  });
  await owner.whenSynced();
  await owner.appendOk('createAgency', {
    name: opts.name ?? 'Acme Studio',
    memberName: 'Olga',
    balance: 500,
  });
  await until(() => owner.acked, { what: 'the creation to be stored' });
  const clients = [owner];
  const agency: Agency = {
    id,
    url,
    owner,
    clients,
    async invite(o = {}) {
      const key = await newSigner();
      const by = o.by ?? owner;
      await by.appendOk('grantInvite', {
        invite: key.publicKey,
        role: o.role ?? 'member',
        relationship: 'exclusive',
        expiresAt: o.expiresAt ?? Date.now() + 86_400_000,
      });
      await until(() => by.acked, { what: 'the invite to be stored' });
      return key;
    },
    async join(name, o = {}) {
      const by = o.by ?? owner;
      const invite = await newSigner();
      await by.appendOk('grantInvite', {
        invite: invite.publicKey,
        role: o.role ?? 'member',
        relationship: o.relationship ?? 'exclusive',
        expiresAt: Date.now() + 86_400_000,
      });
      await until(() => by.acked, { what: 'the invite to be stored' });
      const client = await joinWith(url, id, invite, name);
      // every member connected so far knows the newcomer before the test goes on
      for (const c of clients.filter((x) => x.provider.wsconnected && !x.closes.length))
        await until(() => c.log.state.members[client.signer.keyId]?.status === 'active', {
          what: `${name}'s join to reach every member`,
        });
      clients.push(client);
      return client;
    },
    destroy() {
      for (const c of clients) c.destroy();
    },
  };
  return agency;
}

/** The `joinAgency` payload of `joiner` with `invite` (the invite key's proof over the agency and the key). */
export async function joinPayload(
  agencyId: string,
  invite: Signer,
  joiner: Signer,
  name: string,
): Promise<Payloads['joinAgency']> {
  return { invite: invite.publicKey, proof: await signJoinProof(invite, agencyId, joiner.publicKey), name };
}

/** A new browser key connects as a joiner with `invite`, syncs and joins; resolves once the join is stored. */
export async function joinWith(
  url: string,
  room: string,
  invite: Signer,
  name: string,
  signer?: Signer,
): Promise<TestClient> {
  const client = await TestClient.open({ url, room, signer: signer ?? (await newSigner()), invite });
  await client.whenSynced();
  await until(() => client.log.state.invites[toBase64Url(invite.publicKey)], {
    what: 'the joiner to see its invite',
  });
  await client.appendOk('joinAgency', await joinPayload(room, invite, client.signer, name));
  await until(() => client.acked, { what: 'the join to be stored' });
  return client;
}
