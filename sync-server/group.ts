// The small updates a room checks one after another and admits at once (admission.ts): while a room works
// (a large catch-up, a derive), its members' live writes wait in its inbox; taken together, they cost one
// admission — one derive when they do not land at the end of the log — instead of one each (issue 8,
// item 12: the writes an honest member sent on the heads it had, while a large catch-up was admitted, are
// concurrent with all of it). Each update is checked as if those before it in the group were admitted:
// their entries, clock positions and Yjs client ids count as the room's.
import type { Checked } from './intake.ts';
import type { Peer } from './peer.ts';

/** Updates in one group at most, and their actions (a group is admitted in one synchronous call). */
export const MAX_GROUP_UPDATES = 64;
export const MAX_GROUP_ACTIONS = 1024;
/** An update larger than this is admitted alone (in chunks, looking at the clock between them). */
export const MAX_GROUP_UPDATE_BYTES = 256 * 1024;

export class Group {
  readonly members: Checked[] = [];
  private readonly ids = new Set<string>();
  private readonly clocks = new Map<number, number>();
  private readonly owners = new Map<number, string>();
  private readonly claimed = new Map<Peer, number>();
  private readonly charged = new Set<Peer>();
  private actionCount = 0;

  get size(): number {
    return this.members.length;
  }

  /** Whether `checked` may join: small, and changing nothing of who may connect (each of those alone). */
  admits(checked: Checked): boolean {
    return (
      !checked.membership &&
      checked.item.update.length <= MAX_GROUP_UPDATE_BYTES &&
      this.members.length < MAX_GROUP_UPDATES &&
      this.actionCount + checked.actions.length <= MAX_GROUP_ACTIONS
    );
  }

  add(checked: Checked): void {
    this.members.push(checked);
    this.actionCount += checked.actions.length;
    for (const a of checked.actions) this.ids.add(a.id);
    for (const e of checked.fresh)
      if (e.clock + 1 > (this.clocks.get(e.client) ?? 0)) this.clocks.set(e.client, e.clock + 1);
    for (const [client, owner] of checked.claims) this.owners.set(client, owner);
    const peer = checked.item.peer;
    if (!checked.item.catchUp) this.claimed.set(peer, (this.claimed.get(peer) ?? 0) + checked.claims.size);
  }

  /** An action of an update in the group. */
  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** The clock the group's updates bring Yjs client `client` to (0: none of them writes under it). */
  clock(client: number): number {
    return this.clocks.get(client) ?? 0;
  }

  /** Who the group's updates made the owner of Yjs client `client`. */
  owner(client: number): string | undefined {
    return this.owners.get(client);
  }

  /** New Yjs client ids `peer`'s live updates in the group use. */
  claimedBy(peer: Peer): number {
    return this.claimed.get(peer) ?? 0;
  }

  /**
   * A connection's updates written on old dependencies cost the room one derive per group, whatever their
   * number: the first one of the group takes from its allowance (`take`), the others are free.
   */
  rederives(peer: Peer, take: () => boolean): boolean {
    if (this.charged.has(peer)) return true;
    if (!take()) return false;
    this.charged.add(peer);
    return true;
  }
}
