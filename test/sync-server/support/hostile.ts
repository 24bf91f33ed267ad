// A member who turns hostile (issue 8), for the hostile-member fuzz: it keeps an honest replica of its own
// (to learn the log as any member does) and attacks over sockets of its own, byte by byte — each attempt on a
// fresh connection, since a refusal closes it. What it sends is signed with core, then given the fields a
// signer chooses (dependencies, time, id by grinding), someone else's Yjs client id or key, another agency's
// actions, a used invite, someone else's presence.
import {
  type Action,
  type ActionType,
  createAction,
  type Payloads,
  type Signer,
  toStored,
} from '../../../core/index.ts';
import { encodeEntry, encodeRuns } from '../../../sync-server/codec.ts';
import { encodeAwarenessUpdate, encodeSyncStep2, encodeUpdate } from '../../../sync-server/wire.ts';
import { ackedUpTo } from './attack.ts';
import { joinPayload, newSigner, type TestClient } from './client.ts';
import { TcpClient } from './tcp.ts';
import { until } from './wait.ts';

/** One thing the hostile member tried, and whether a plain member may do it (then it may be stored). */
export interface Attempt {
  kind: string;
  /** A new action it signed (absent for replays and presence). */
  action?: Action;
  legit: boolean;
  /** The close code it got, or null when the server kept the connection (and ACKed what it stored). */
  close: number | null;
}

export type Random = () => number;
export const pick = <T>(next: Random, xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
export const between = (next: Random, lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));

export class Hostile {
  readonly replica: TestClient;
  /** The invite it joined with (used: it admits no one else). */
  readonly usedInvite: Signer;
  readonly attempts: Attempt[] = [];
  private readonly port: number;
  private readonly agencyId: string;
  private nonce = 0;

  constructor(port: number, agencyId: string, replica: TestClient, usedInvite: Signer) {
    this.port = port;
    this.agencyId = agencyId;
    this.replica = replica;
    this.usedInvite = usedInvite;
  }

  get signer(): Signer {
    return this.replica.signer;
  }

  get id(): string {
    return this.signer.keyId;
  }

  /** A new action by `signer` (itself by default), on `deps`, stamped `at`. */
  async sign<T extends ActionType>(
    type: T,
    payload: Payloads[T],
    deps: readonly string[],
    at: number,
    signer: Signer = this.signer,
  ): Promise<Action> {
    const made = await createAction(this.agencyId, signer, type, payload, deps, at);
    if (!made.ok) throw new Error(`${type}: ${made.message}`);
    return made.action;
  }

  /**
   * Signs `make(nonce)` again and again until its id sorts among the lowest (first character below 'C'):
   * ahead of the honest actions of its depth, as in the invite theft of issue 8, item 1.
   */
  async grind(make: (nonce: number) => Promise<Action>, tries = 64): Promise<Action> {
    let best: Action | null = null;
    for (let i = 0; i < tries; i++) {
      const a = await make(this.nonce++);
      if (!best || a.id < best.id) best = a;
      if (best.id < 'C') break;
    }
    return best!;
  }

  /** A fresh number for payloads (job ids, titles) so that every action is new. */
  fresh(): number {
    return this.nonce++;
  }

  /**
   * Sends `actions` as entries of Yjs client `client` from `clock`, in a catch-up (its connection's first
   * sync step 2) or as a live update, on a connection of its own; records the attempt.
   */
  async write(
    attempt: Omit<Attempt, 'close'>,
    actions: readonly Action[],
    opts: { client?: number; clock?: number; catchUp?: boolean; signer?: Signer } = {},
  ): Promise<Attempt> {
    const client = opts.client ?? 1 + Math.floor(Math.random() * 0x7ffffffe);
    const clock = opts.clock ?? 0;
    const update = encodeRuns([
      { client, clock, length: actions.length, parts: actions.map((a) => encodeEntry(a.id, toStored(a))) },
    ]);
    const c = await this.connect(opts.signer);
    let close: number | null;
    if (!c) close = -1;
    else {
      c.send(opts.catchUp ? encodeSyncStep2(update) : encodeUpdate(update));
      // answered by a close, or by an ACK covering it; an update the server holds (waiting for data) or
      // ACKs only in part gets neither
      await until(() => c.closeCode !== null || c.ended || ackedUpTo(c, client, clock + actions.length), {
        timeout: 3_000,
      }).catch(() => null);
      close = c.closeCode ?? (c.ended ? -1 : null);
      c.destroy();
    }
    const done = { ...attempt, close };
    this.attempts.push(done);
    return done;
  }

  /** Announces `state` in presence under awareness client id `clientId` (its own, or someone else's). */
  async presence(kind: string, clientId: number, clock: number, state: unknown): Promise<TcpClient | null> {
    const c = await this.connect();
    if (!c) return null;
    c.send(encodeAwarenessUpdate([{ clientId, clock, state: JSON.stringify(state) }]));
    this.attempts.push({ kind, legit: clientId !== this.replica.doc.clientID, close: null });
    return c;
  }

  /** A new browser key tries to join with the invite it already used: refused at the handshake. */
  async reuseInviteHandshake(): Promise<string | null> {
    const key = await newSigner();
    const c = await TcpClient.open(this.port, this.agencyId);
    const standing = await c.authenticate(key, this.agencyId, { invite: this.usedInvite }).catch(() => null);
    c.destroy();
    this.attempts.push({ kind: 'reuse-invite-handshake', legit: false, close: standing ? null : -1 });
    return standing;
  }

  /** A join of a new key with the used invite, as a member's catch-up would carry it. */
  async reusedInviteJoin(deps: readonly string[]): Promise<Action> {
    const key = await newSigner();
    return this.sign(
      'joinAgency',
      await joinPayload(this.agencyId, this.usedInvite, key, `Second ${this.fresh()}`),
      deps,
      Date.now(),
      key,
    );
  }

  /** A connection proven with its member key (or `signer`); null when refused (it may have been removed). */
  private async connect(signer: Signer = this.signer): Promise<TcpClient | null> {
    const c = await TcpClient.open(this.port, this.agencyId);
    const standing = await c.authenticate(signer, this.agencyId).catch(() => null);
    if (standing === 'member') return c;
    c.destroy();
    return null;
  }
}
