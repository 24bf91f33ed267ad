// The trust boundary for writes: one inbound Yjs update, checked before anything of it is stored or
// relayed, in slices (slice.ts) so a large one never stalls other agencies. In order:
//  1. structure (codec.ts): only new entries of the actions map; nothing deleted or overwritten; entries
//     the room holds are skipped (a catch-up overlapping what arrived meanwhile), and one that differs from
//     what the room holds at its position is never acknowledged; a gap waits for what fills it;
//  2. rate: outside a connection's catch-up (its first sync step 2), entries count against its limit;
//  3. signatures and schema, with core's verifyAction (the injected verifier); the first bad one refuses.
//     1–3 go slice by slice as the update is read, so a flood of bad signatures costs one slice (a large
//     update's signatures are verified ahead of its turn: preverify.ts);
//  4. what a signer chooses that only the server can bound (issue 8): the Yjs client id belongs to the key
//     that first wrote with it (client-ids.ts); another member's action comes only in a catch-up, from a
//     key active now (or joining in that catch-up); a join counts by the server's clock (bounds.ts);
//  5. core's rules (admission.ts): an action its own causal past refuses refuses the update; one a
//     concurrent action refuses is stored like any other.
// Steps 1–4 are `check`; a room checks the small updates waiting in its inbox one after another, each as if
// those before it in the group were admitted (group.ts), then admits the group at once (admission.ts).
import {
  type Action,
  type ActionType,
  type Derivation,
  toBase64Url,
  type VerifySignature,
  verifyAction,
} from '../core/index.ts';
import type { CloseName } from '../core/protocol.ts';
import { activeMemberOf, inviteProblem, membershipOf } from './auth.ts';
import { serverBounds } from './bounds.ts';
import type { ClientIds } from './client-ids.ts';
import { type Entry, type Run, UpdateReader } from './codec.ts';
import type { Group } from './group.ts';
import type { Peer } from './peer.ts';
import { ReadAgain } from './preverify.ts';
import type { Slice } from './slice.ts';
import { slim } from './stored.ts';

/** New Yjs client ids one connection may use: in its catch-up (offline writes of many service-worker starts, or other members' after a restore), and after it (one per service-worker start). */
export const MAX_CATCH_UP_CLIENT_IDS = 4096;
export const MAX_LIVE_CLIENT_IDS = 4;

/** Actions that change keys, members, roles or invites: what a connection's standing depends on. */
export const MEMBERSHIP_TYPES: ReadonlySet<ActionType> = new Set<ActionType>([
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

export interface IntakeRoom {
  readonly id: string;
  /** Committed plus accepted state vector. */
  readonly projectedSV: ReadonlyMap<number, number>;
  readonly clientIds: ClientIds;
  readonly verify: VerifySignature;
  /**
   * Takes one of `peer`'s allowance of live updates written on old dependencies (each makes the room derive
   * its log again); false when it has none left.
   */
  takeRederive(peer: Peer): boolean;
  /**
   * Whether the action is one of the room's heads, or was one a moment ago: what an honest member writes on
   * (its replica had not yet seen what the room admitted since), not a dependency chosen from far back.
   */
  recentHead(id: string): boolean;
  now(): number;
  /** The room's projected derivation (built on first use). */
  derivation(): Derivation;
  /** Builds the derivation if the room dropped it, without a long stall. */
  prepare(slice: Slice): Promise<void>;
  setDerivation(d: Derivation): void;
  /** One shared string per key and action id (memory). */
  intern(s: string): string;
}

export interface Inbound {
  peer: Peer;
  update: Uint8Array;
  /** The connection's first sync step 2: its catch-up, exempt from the rate limit. */
  catchUp: boolean;
  /** When it first arrived (it may wait). */
  since: number;
  /** How many of its entries were counted against the rate limit already (it may be retried). */
  charged?: number;
  /** Its entries' verified actions, in the order the update holds them, when verified ahead (preverify.ts). */
  verified?: Action[];
  /** Its entries, when all were read and verified ahead. */
  entries?: Entry[];
  /** False while its signatures are being verified ahead of its turn: the room takes it after that. */
  ready?: boolean;
  /** Checked and admitted on its own, never in a group (after a group that could not be admitted). */
  alone?: boolean;
}

/** What a waiting update waits for. */
export type Needs =
  | { kind: 'clocks'; clocks: Map<number, number> }
  | { kind: 'deps'; ids: Set<string> }
  | { kind: 'any' };

/** The part of an update the room accepts: stored, relayed, acknowledged. */
export interface Admitted {
  runs: Run[];
  update: Uint8Array;
  /** The clock each Yjs client reaches. */
  clocks: Map<number, number>;
  /** Client ids used first here, and their owners. */
  claims: [number, string][];
  actions: number;
  /** Whether it can change who may connect (re-check connections before relaying it). */
  membership: boolean;
}

/**
 * `admitted`: what the room accepts, in pieces of at most PIECE_BYTES (each stored, relayed and ACKed in a
 * turn of its own: one 10 MB SQLite write or relay would stall every agency); empty when nothing is new
 * (an ACK is still owed). `caps`: positions this connection must never see ACKed.
 */
export type IntakeResult =
  | { kind: 'refuse'; close: CloseName; message: string; admitted: Admitted[] }
  | { kind: 'wait'; needs: Needs }
  | { kind: 'accept'; admitted: Admitted[]; caps: Map<number, number> };

/** An update that passed steps 1–4: what core's rules are asked to admit (admission.ts). */
export interface Checked {
  kind: 'checked';
  item: Inbound;
  /** Its new entries, and their verified actions (same indexes). */
  fresh: Entry[];
  actions: Action[];
  /** Indexes of `actions` in an order both causal and, per Yjs client, a run (admissionOrder). */
  order: number[];
  /** Yjs client ids it uses first, and their owner. */
  claims: Map<number, string>;
  caps: Map<number, number>;
  /** Whether it holds an action that changes who may connect (such an update is admitted alone). */
  membership: boolean;
}

/** The largest piece of an accepted update written and relayed in one turn. */
export const PIECE_BYTES = 1024 * 1024;

export const refuse = (close: CloseName, message: string, admitted: Admitted[] = []): IntakeResult => ({
  kind: 'refuse',
  close,
  message,
  admitted,
});
const invalid = (code: string, message: string): IntakeResult =>
  refuse('INVALID_ACTION', `${code}: ${message}`);

const READ_BATCH = 128;
/**
 * How far back in the log a live update's dependencies may reach before it counts as written on old ones
 * (an honest member's concurrent write is a few positions behind, or on heads the room had a moment ago; a
 * hostile back-dated one, far behind).
 */
const RECENT_POSITIONS = 256;
/** Cheap loops look at the clock every 1024 items. */
export const EVERY = 1023;

/**
 * Steps 1–4 for one update, as if the updates already in `group` were admitted (their entries, clocks and
 * client ids count as the room's). Returns what core's rules are to admit, or why not (a refusal, a wait).
 */
export async function check(
  room: IntakeRoom,
  item: Inbound,
  slice: Slice,
  group: Group,
): Promise<Checked | IntakeResult> {
  const { peer } = item;
  // --- 1. structure, and 3. signatures as each slice of entries is read ------------------------------
  // (verified as they come: an update full of bad signatures is refused at its first slice, not read whole)
  const reader = item.entries ? new ReadAgain(item.entries) : new UpdateReader(item.update);
  const fresh: Entry[] = [];
  const actions: Action[] = [];
  const keys = new Set<string>();
  const next = new Map<number, number>();
  const caps = new Map<number, number>();
  const options = { verify: room.verify };
  let derivation: Derivation | null = null;
  /** Entries read so far (an entry's place in the update: where preverify.ts put its verified action). */
  let place = 0;
  /** Each fresh entry's place. */
  const places: number[] = [];
  const has = (key: string) => {
    derivation ??= room.derivation();
    return derivation.actions.has(key) || group.has(key);
  };
  while (!reader.done) {
    const read = reader.read(READ_BATCH);
    if (!Array.isArray(read)) {
      if (read.kind === 'gap') return { kind: 'wait', needs: { kind: 'any' } };
      return refuse(read.close, read.message);
    }
    if (read.length && !derivation) await room.prepare(slice);
    const from = fresh.length;
    for (const e of read) {
      place++;
      const held = Math.max(room.projectedSV.get(e.client) ?? 0, group.clock(e.client));
      if (e.clock < held) {
        // Held already. If the room holds another entry at this position, this one is not stored: never
        // ACK it (issue 8, item 4: an ACK never covers what the server did not store).
        const cap = caps.get(e.client);
        if (!has(e.key) && (cap === undefined || e.clock < cap)) caps.set(e.client, e.clock);
        continue;
      }
      const expected = next.get(e.client) ?? held;
      if (e.clock < expected)
        return refuse('MALFORMED', "The update repeats a Yjs client's clock positions.");
      if (e.clock > expected)
        return { kind: 'wait', needs: { kind: 'clocks', clocks: new Map([[e.client, e.clock]]) } };
      next.set(e.client, e.clock + 1);
      if (keys.has(e.key) || has(e.key))
        return refuse('LOG_TAMPERED', 'The update overwrites an entry of the log.');
      keys.add(e.key);
      fresh.push(e);
      places.push(place - 1);
    }
    // --- 2. rate: outside a catch-up, live writes are few (and a message is at most 256 KB) ---------
    const uncharged = fresh.length - (item.charged ?? 0);
    if (!item.catchUp && uncharged > 0) {
      if (!peer.actions.take(uncharged, room.now()))
        return refuse('RATE_LIMITED', 'Too many actions per second.');
      item.charged = fresh.length; // a retry after a wait is not charged again
    }
    for (let i = from; i < fresh.length; i++) {
      const e = fresh[i]!;
      const known = item.verified?.[places[i]!];
      if (known) actions.push(known);
      else {
        const r = await verifyAction(room.id, e.key, e.value, options);
        if (!r.ok) return refuse('INVALID_ACTION', `${r.code}: ${r.message}`);
        actions.push(slim(r.action, room.intern));
      }
      if (slice.over) {
        await slice.yield();
        if (!peer.open) return refuse('UNAVAILABLE', 'closed');
      }
    }
    await slice.pace();
    if (!peer.open) return refuse('UNAVAILABLE', 'closed');
  }
  if (!fresh.length) return { kind: 'accept', admitted: [], caps };

  // --- 4. what the signer chose that the server bounds ----------------------------------------------
  const now = room.now();
  const claims = new Map<number, string>();
  for (let i = 0; i < fresh.length; i++) {
    const { client } = fresh[i]!;
    const actor = actions[i]!.actor;
    const owner = room.clientIds.owner(client) ?? group.owner(client) ?? claims.get(client);
    if (owner === undefined) claims.set(client, actor);
    else if (owner !== actor)
      return invalid('YJS_CLIENT_TAKEN', 'An entry uses a Yjs client id that belongs to another key.');
  }
  await slice.pace();
  if (!peer.open) return refuse('UNAVAILABLE', 'closed');
  const d = room.derivation();
  const limit = item.catchUp ? MAX_CATCH_UP_CLIENT_IDS : MAX_LIVE_CLIENT_IDS;
  const claimed = peer.clientIdsClaimed + group.claimedBy(peer) + claims.size;
  if (claims.size && claimed > limit)
    return refuse(
      'TOO_LARGE',
      `One connection may use at most ${limit} new Yjs client ids${item.catchUp ? ' in its catch-up' : ''}.`,
    );
  const others = othersProblem(actions, peer, item.catchUp, d, now);
  if (others) return others;
  const bound = serverBounds(actions, d.state, now);
  if (bound) return invalid(bound.code, bound.message);

  // Every dependency is in the room, in this update or in the group; otherwise wait for it.
  const batch = new Set<string>();
  for (let i = 0; i < actions.length; i++) {
    batch.add(actions[i]!.id);
    if ((i & EVERY) === EVERY) await slice.pace();
  }
  const missing = new Set<string>();
  for (let i = 0; i < actions.length; i++) {
    for (const dep of actions[i]!.deps)
      if (!batch.has(dep) && !d.actions.has(dep) && !group.has(dep)) missing.add(dep);
    if ((i & EVERY) === EVERY) await slice.pace();
  }
  if (missing.size) return { kind: 'wait', needs: { kind: 'deps', ids: missing } };
  if (!peer.open) return refuse('UNAVAILABLE', 'closed');
  const order = await admissionOrder(fresh, actions, slice);
  if (!order) return invalid('BAD_ORDER', "The update's Yjs order contradicts its actions' dependencies.");

  // A batch that does not land at the end of the log costs a derive (once per group, admission.ts), which
  // a connection may cause only so often outside its catch-up (issue 8, item 12): written on recent
  // dependencies (the last positions of the log, or heads the room had a moment ago), it lands at or near
  // the end; written on old ones, it draws on the connection's allowance, once per group.
  const recent = d.order.length - RECENT_POSITIONS;
  const old = actions.some((a) =>
    a.deps.some(
      (dep) =>
        !batch.has(dep) &&
        !group.has(dep) &&
        (d.position.get(dep) ?? Number.POSITIVE_INFINITY) < recent &&
        !room.recentHead(dep),
    ),
  );
  if (!item.catchUp && old && !group.rederives(peer, () => room.takeRederive(peer)))
    return refuse('RATE_LIMITED', 'Too many updates written on old dependencies; reconnect to catch up.');
  return {
    kind: 'checked',
    item,
    fresh,
    actions,
    order,
    claims,
    caps,
    membership: actions.some((a) => MEMBERSHIP_TYPES.has(a.type)),
  };
}

/**
 * Another member's action comes only in a catch-up (after this server lost data, a member's sync step 2
 * brings back what it holds), and only from a key that is active now, or one joining in this very
 * catch-up through an invite that still admits someone (issue 8, item 7: a removed member's back-dated
 * facts carried by someone else are refused). Refused, not silently dropped: an honest replica holds
 * another member's unstored action only after a restore, where these conditions hold; dropping would
 * leave holes in a Yjs client's clock run that orphan everything after them (yjs/yjs#550).
 */
function othersProblem(
  actions: readonly Action[],
  peer: Peer,
  catchUp: boolean,
  d: Derivation,
  now: number,
): IntakeResult | null {
  if (actions.every((a) => a.actor === peer.keyId)) return null;
  if (!catchUp)
    return invalid('NOT_YOUR_KEY', 'An action is signed by a key other than the one this connection proved.');
  const m = membershipOf(d.state);
  const joining = new Set<string>();
  for (const a of actions) {
    if (a.actor === peer.keyId || a.type !== 'joinAgency') continue;
    const problem = inviteProblem(m, toBase64Url((a as Action<'joinAgency'>).payload.invite), now);
    if (problem)
      return invalid('ACTOR_NOT_ACTIVE', `Another member's join does not admit anyone now: ${problem}`);
    joining.add(a.actor);
  }
  for (const a of actions) {
    if (a.actor === peer.keyId || joining.has(a.actor)) continue;
    if (!activeMemberOf(m, a.actor))
      return invalid(
        'ACTOR_NOT_ACTIVE',
        "Another member's action is signed by a key that is not active in the agency.",
      );
  }
  return null;
}

/**
 * Indexes of `actions` in an order where each comes after its dependencies in the update and after the
 * entry before it under the same Yjs client: any prefix is then both causally closed and, per client, a
 * run from the room's clock (storable on its own). Null when the two orders contradict each other.
 */
async function admissionOrder(
  entries: readonly Entry[],
  actions: readonly Action[],
  slice: Slice,
): Promise<number[] | null> {
  const index = new Map(actions.map((a, i) => [a.id, i]));
  const waitingOn = new Map<number, number[]>();
  const indegree = new Array<number>(actions.length).fill(0);
  const edge = (from: number, to: number) => {
    indegree[to]!++;
    const list = waitingOn.get(from);
    if (list) list.push(to);
    else waitingOn.set(from, [to]);
  };
  const lastOfClient = new Map<number, number>();
  for (let i = 0; i < actions.length; i++) {
    for (const dep of actions[i]!.deps) {
      const j = index.get(dep);
      if (j !== undefined) edge(j, i);
    }
    const client = entries[i]!.client;
    const before = lastOfClient.get(client);
    if (before !== undefined) edge(before, i);
    lastOfClient.set(client, i);
    if ((i & EVERY) === EVERY) await slice.pace();
  }
  const ready: number[] = [];
  indegree.forEach((n, i) => {
    if (n === 0) ready.push(i);
  });
  const out: number[] = [];
  // smallest index first: the update's own order where nothing forces another
  ready.reverse();
  while (ready.length) {
    const i = ready.pop()!;
    out.push(i);
    for (const j of waitingOn.get(i) ?? []) if (--indegree[j]! === 0) ready.push(j);
    if ((out.length & EVERY) === EVERY) await slice.pace();
  }
  return out.length === actions.length ? out : null;
}
