// What a room needs from where its log is kept, and what the server needs to write a turn's updates: the
// SQLite file (persistence.ts + committer.ts, one process) implements it, and so does Postgres under an
// owning instance (pg-store.ts + pg-committer.ts, many instances). A store may answer a load later (a
// network round trip); compaction and owners are queued behind the writes before them, so a room can go on
// at once.
import type { ClientOwner, StoredRoom } from './persistence.ts';
import type { Accepted } from './room.ts';

export interface RoomStore {
  /** Everything stored of `room` (an unknown room is an empty one). */
  load(room: string): StoredRoom | Promise<StoredRoom>;
  /** Saves a room's client-id owners rebuilt from rows stored before owners were kept (schema 1). */
  saveOwners(room: string, owners: readonly ClientOwner[]): void;
  /** Replaces the room's rows up to `upToId` by `merged` (the same entries); returns the id of that row. */
  compact(room: string, merged: Uint8Array, upToId: number): number;
}

/** Writes the updates rooms accept and, once they are durable, hands them back (Room.committed). */
export interface TurnWriter {
  accept(item: Accepted): void;
  /** Writes what is pending now (on shutdown); resolves once it is durable or failed. */
  flush(): void | Promise<void>;
  /** Called every second: a moment to tidy between bursts (SQLite's WAL checkpoint). */
  checkpoint(now: number): void;
}
