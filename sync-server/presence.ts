// Presence (y-protocols awareness) in one room: relayed among welcomed members and joiners, never stored.
// Applied as y-protocols applies it (a state counts only with a newer clock), with what a hostile member
// must not be able to do taken out (issue 8, item 9):
//  - a client id belongs to the connection that announced it first; another connection's entries for it
//    are ignored (the stock client re-broadcasts every state it learns, so this is not a refusal), and a
//    departed connection's ids keep their last clock for a while, so a late re-broadcast cannot revive them;
//  - every state is stamped by the server: its `user` says the connection's own member (id, name, role) and
//    standing, whatever the client wrote there (only a short `user.color` is kept);
//  - a state is at most MAX_STATE_BYTES, a connection owns at most MAX_CLIENTS ids;
//  - a "creator" of an agency that does not exist yet neither sends nor receives presence.
import type { CloseName, Standing } from '../core/protocol.ts';
import type { Peer } from './peer.ts';
import type { AwarenessEntry } from './wire.ts';

/** Largest awareness state (JSON text, UTF-8) accepted for one client id. */
export const MAX_STATE_BYTES = 4096;
/** Awareness client ids one connection may own: a browser announces one per doc. */
export const MAX_CLIENTS = 4;
/** How long a removed client id's clock is remembered (the stock client's own timeout is 30 s). */
const TOMBSTONE_MS = 60_000;
const MAX_TOMBSTONES = 4096;

/** Who the server says a connection is. */
export interface Stamp {
  member: string | null;
  name: string | null;
  role: 'manager' | 'member' | null;
  standing: Standing;
}

interface Entry {
  clock: number;
  /** The state as the client sent it (parsed), before stamping. */
  state: Record<string, unknown>;
  /** The stamped state as JSON text, as relayed. */
  text: string;
  peer: Peer;
}

export type PresenceResult =
  | { ok: true; frame: AwarenessEntry[] }
  | { ok: false; close: CloseName; message: string };

export const takesPart = (peer: Peer): boolean => peer.standing !== 'creator';

function stamped(state: Record<string, unknown>, stamp: Stamp): string {
  const user = state.user;
  const color =
    user && typeof user === 'object' && typeof (user as { color?: unknown }).color === 'string'
      ? ((user as { color: string }).color.slice(0, 32) as string)
      : undefined;
  return JSON.stringify({ ...state, user: { ...stamp, ...(color === undefined ? {} : { color }) } });
}

export class Presence {
  private readonly entries = new Map<number, Entry>();
  private readonly gone = new Map<number, { clock: number; at: number }>();

  get size(): number {
    return this.entries.size;
  }

  /**
   * Applies `peer`'s awareness entries; returns the stamped entries to relay (to the other participants),
   * or the refusal of the whole message.
   */
  apply(peer: Peer, incoming: readonly AwarenessEntry[], stamp: Stamp, now: number): PresenceResult {
    const out: AwarenessEntry[] = [];
    if (!takesPart(peer)) return { ok: true, frame: out };
    for (const e of incoming) {
      if (Buffer.byteLength(e.state) > MAX_STATE_BYTES)
        return {
          ok: false,
          close: 'TOO_LARGE',
          message: `A presence state was larger than ${MAX_STATE_BYTES} bytes.`,
        };
      const current = this.entries.get(e.clientId);
      if (current && current.peer !== peer) continue; // someone else's: a re-broadcast, or an attempt
      if (e.state === 'null') {
        if (!current) continue;
        if (e.clock < current.clock) continue;
        this.remove(e.clientId, e.clock, now);
        out.push({ clientId: e.clientId, clock: e.clock, state: 'null' });
        continue;
      }
      let state: unknown;
      try {
        state = JSON.parse(e.state);
      } catch {
        return { ok: false, close: 'MALFORMED', message: 'A presence state is not JSON.' };
      }
      if (!state || typeof state !== 'object' || Array.isArray(state))
        return { ok: false, close: 'MALFORMED', message: 'A presence state must be an object.' };
      if (current) {
        if (e.clock <= current.clock) continue;
      } else {
        const tombstone = this.gone.get(e.clientId);
        if (tombstone && e.clock <= tombstone.clock) continue; // a late echo of a departed client
        if (peer.clients.size >= MAX_CLIENTS)
          return { ok: false, close: 'MALFORMED', message: 'Too many presence clients on one connection.' };
        peer.clients.add(e.clientId);
        this.gone.delete(e.clientId);
      }
      const entry: Entry = {
        clock: e.clock,
        state: state as Record<string, unknown>,
        text: stamped(state as Record<string, unknown>, stamp),
        peer,
      };
      this.entries.set(e.clientId, entry);
      out.push({ clientId: e.clientId, clock: e.clock, state: entry.text });
    }
    return { ok: true, frame: out };
  }

  /** Removes every entry `peer` owns (it left); returns the removals to relay. */
  leave(peer: Peer, now: number): AwarenessEntry[] {
    const out: AwarenessEntry[] = [];
    for (const clientId of peer.clients) {
      const entry = this.entries.get(clientId);
      if (entry?.peer !== peer) continue;
      this.remove(clientId, entry.clock + 1, now);
      out.push({ clientId, clock: entry.clock + 1, state: 'null' });
    }
    peer.clients.clear();
    return out;
  }

  /**
   * Stamps `peer`'s entries again (its standing or role changed: a joiner became a member); returns them
   * with a newer clock so every client takes the new state.
   */
  restamp(peer: Peer, stamp: Stamp): AwarenessEntry[] {
    const out: AwarenessEntry[] = [];
    for (const clientId of peer.clients) {
      const entry = this.entries.get(clientId);
      if (entry?.peer !== peer) continue;
      entry.clock++;
      entry.text = stamped(entry.state, stamp);
      out.push({ clientId, clock: entry.clock, state: entry.text });
    }
    return out;
  }

  /** Every state but `except`'s. */
  all(except: Peer | null): AwarenessEntry[] {
    const out: AwarenessEntry[] = [];
    for (const [clientId, e] of this.entries)
      if (e.peer !== except) out.push({ clientId, clock: e.clock, state: e.text });
    return out;
  }

  /** Forgets a client id, remembering the clock of its removal. */
  private remove(clientId: number, clock: number, now: number): void {
    this.entries.delete(clientId);
    this.gone.delete(clientId);
    this.gone.set(clientId, { clock, at: now });
    for (const [id, t] of this.gone) {
      if (this.gone.size <= MAX_TOMBSTONES && now - t.at < TOMBSTONE_MS) break;
      this.gone.delete(id);
    }
  }
}
