// Which key owns each Yjs client id of a room (issue 8, item 4). A Yjs client id names a writer's run of
// clock positions; a member who wrote under someone else's id could fill the positions that member's next
// offline writes will take, and the server would then drop those writes as "already known" while its ACK
// said they were stored. So a client id belongs to the key that first wrote with it: an entry under
// another key's client id is refused, and the ownership is kept with the room in SQLite.
//
// Rooms stored before this existed may hold such pre-empted positions already: rebuilding the owners from
// the stored entries finds them (`foreign`: the first clock not written by the owner), and the ACK never
// covers positions from there on (ackVector), so the owner's own writes there are never shown as stored.
import type { Entry } from './codec.ts';
import type { ClientOwner } from './persistence.ts';

export class ClientIds {
  private readonly owners = new Map<number, string>();
  private readonly foreign = new Map<number, number>();

  constructor(owners: readonly ClientOwner[] = []) {
    for (const o of owners) {
      this.owners.set(o.client, o.key);
      if (o.foreign !== null) this.foreign.set(o.client, o.foreign);
    }
  }

  /**
   * Owners rebuilt from a room's stored entries (in clock order per client): the key of each client id's
   * first entry, and where another key's entries begin. `actorOf` reads an entry's signing key.
   */
  static rebuild(entries: readonly Entry[], actorOf: (e: Entry) => string | null): ClientOwner[] {
    const first = new Map<number, { clock: number; key: string }>();
    const foreign = new Map<number, number>();
    const actors = entries.map(actorOf);
    entries.forEach((e, i) => {
      const actor = actors[i];
      if (!actor) return;
      const f = first.get(e.client);
      if (!f || e.clock < f.clock) first.set(e.client, { clock: e.clock, key: actor });
    });
    entries.forEach((e, i) => {
      const actor = actors[i];
      const owner = first.get(e.client)?.key;
      if (actor && owner && actor !== owner && e.clock < (foreign.get(e.client) ?? Number.POSITIVE_INFINITY))
        foreign.set(e.client, e.clock);
    });
    return [...first].map(([client, f]) => ({ client, key: f.key, foreign: foreign.get(client) ?? null }));
  }

  get size(): number {
    return this.owners.size;
  }

  owner(client: number): string | undefined {
    return this.owners.get(client);
  }

  /** Records owners of client ids first used by an accepted update. */
  claim(claims: Iterable<readonly [number, string]>): void {
    for (const [client, key] of claims) if (!this.owners.has(client)) this.owners.set(client, key);
  }

  /** Client ids whose stored entries include another key's (legacy data): client → first such clock. */
  get foreignFrom(): ReadonlyMap<number, number> {
    return this.foreign;
  }

  /**
   * The state vector an ACK may carry: `sv`, except that no client reaches past a position held by
   * entries not its owner's, nor past `caps` (positions where this connection's entries differ from the
   * stored ones).
   */
  ackVector(sv: ReadonlyMap<number, number>, caps?: ReadonlyMap<number, number>): Map<number, number> {
    const out = new Map(sv);
    for (const limits of caps ? [this.foreign, caps] : [this.foreign]) {
      for (const [client, clock] of limits) {
        const have = out.get(client);
        if (have !== undefined && have > clock) out.set(client, clock);
      }
    }
    return out;
  }
}
