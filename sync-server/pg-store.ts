// Postgres as the one durable log when the server runs as many instances (--store postgres://…). Only the
// instance that owns an agency writes its rows, and Postgres itself enforces that: each agency has a fencing
// number, raised by every instance that loads the agency (its take-over), and every write checks, holding a
// share lock on the agency's row, that the number is still the one it loaded with. A take-over waits for
// the writes in flight of the owner before it and then reads them; any later write of that earlier owner
// is refused (it drops the agency, whose members reconnect to the new owner). The Redis lease (cluster.ts)
// only says where members should go; losing it can cost a take-over, never a write.
//
// Rows are the same Yjs updates as in the SQLite file (persistence.ts), appended in the order the room
// accepted them; compaction replaces a room's rows up to an id by one row with that id. Writes, compactions
// and saved owners go through one queue, in order.
import pg from 'pg';
import type { ClientOwner, StoredRoom, UpdateRow } from './persistence.ts';
import type { RoomStore } from './room-store.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ao_agencies (
    id text PRIMARY KEY,
    fence bigint NOT NULL,
    owner text NOT NULL,
    taken_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS ao_updates (
    id bigserial PRIMARY KEY,
    room text NOT NULL,
    data bytea NOT NULL
  );
  CREATE INDEX IF NOT EXISTS ao_updates_by_room ON ao_updates (room, id);
  CREATE TABLE IF NOT EXISTS ao_client_owners (
    room text NOT NULL,
    client bigint NOT NULL,
    key text NOT NULL,
    foreign_from bigint,
    PRIMARY KEY (room, client)
  );
`;
/** Any constant: instances starting together create the tables one at a time. */
const SCHEMA_LOCK = 0x4a0_5c41e;

/** This instance no longer owns the agency: another one loaded it since (a higher fencing number). */
export class FencedError extends Error {
  readonly rooms: readonly string[];
  constructor(rooms: readonly string[]) {
    super(`fenced off: another instance took over ${rooms.join(', ')}`);
    this.rooms = rooms;
  }
}

export interface PgWriteResult {
  /** Each row's id, in the batch's order; 0 for a row of a fenced room (not written). */
  ids: number[];
  /** Rooms this instance no longer owns: nothing of theirs was written. */
  fenced: Set<string>;
}

export class PgStore implements RoomStore {
  readonly path: string;
  readonly pool: pg.Pool;
  private readonly instance: string;
  /** The fencing number each room was loaded with (0: the agency has no row yet, nobody wrote it). */
  private readonly fences = new Map<string, number>();
  /** Writes, compactions and owners, one after another. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Called when a queued write (compaction, owners) found the room fenced off, or failed. */
  onLost: (room: string, error: unknown) => void = () => {};

  private constructor(url: string, pool: pg.Pool, instance: string) {
    // never print the password
    const u = new URL(url);
    u.password = u.password ? '***' : '';
    this.path = u.toString();
    this.pool = pool;
    this.instance = instance;
  }

  static async open(url: string, instance: string): Promise<PgStore> {
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
    // a broken idle connection is replaced by the pool; without a listener its error would end the process
    pool.on('error', () => {});
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await client.query(SCHEMA);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    return new PgStore(url, pool, instance);
  }

  /** The many-instance tables present in the database (for `main.ts migrate`). */
  async tables(): Promise<string[]> {
    const r = await this.pool.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_name LIKE 'ao\\_%' ORDER BY 1",
    );
    return r.rows.map((t) => t.name);
  }

  fenceOf(room: string): number | undefined {
    return this.fences.get(room);
  }

  /** Takes the agency over (raises its fencing number) and reads everything stored of it. */
  async load(room: string): Promise<StoredRoom> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Waits for the share locks of the previous owner's writes in flight: they are read below.
      const taken = await client.query<{ fence: string }>(
        'UPDATE ao_agencies SET fence = fence + 1, owner = $2, taken_at = now() WHERE id = $1 RETURNING fence',
        [room, this.instance],
      );
      const rows = await client.query<{ id: string; data: Buffer }>(
        'SELECT id, data FROM ao_updates WHERE room = $1 ORDER BY id',
        [room],
      );
      const owners = await client.query<{ client: string; key: string; foreign_from: string | null }>(
        'SELECT client, key, foreign_from FROM ao_client_owners WHERE room = $1',
        [room],
      );
      await client.query('COMMIT');
      this.fences.set(room, taken.rows.length ? Number(taken.rows[0]!.fence) : 0);
      return {
        updates: rows.rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)),
        lastId: rows.rows.length ? Number(rows.rows[rows.rows.length - 1]!.id) : 0,
        owners: owners.rows.map((o) => ({
          client: Number(o.client),
          key: o.key,
          foreign: o.foreign_from === null ? null : Number(o.foreign_from),
        })),
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** Forgets a room this instance stopped owning. */
  forget(room: string): void {
    this.fences.delete(room);
  }

  /**
   * Writes one turn's updates in one transaction, each room's only while this instance still owns it.
   * Throws on a Postgres error (nothing written).
   */
  append(batch: readonly UpdateRow[]): Promise<PgWriteResult> {
    return this.enqueue(() => this.write(batch));
  }

  saveOwners(room: string, owners: readonly ClientOwner[]): void {
    void this.enqueue(async () => {
      await this.fenced(room, async (client) => {
        for (const o of owners)
          await client.query(
            `INSERT INTO ao_client_owners (room, client, key, foreign_from) VALUES ($1, $2, $3, $4)
             ON CONFLICT (room, client) DO UPDATE SET key = EXCLUDED.key, foreign_from = EXCLUDED.foreign_from`,
            [room, o.client, o.key, o.foreign],
          );
      });
    }).catch((error) => this.onLost(room, error));
  }

  /** Queued behind the room's writes; the merged row keeps the id of the last row it replaces. */
  compact(room: string, merged: Uint8Array, upToId: number): number {
    void this.enqueue(async () => {
      await this.fenced(room, async (client) => {
        await client.query('DELETE FROM ao_updates WHERE room = $1 AND id <= $2', [room, upToId]);
        await client.query('INSERT INTO ao_updates (id, room, data) VALUES ($1, $2, $3)', [
          upToId,
          room,
          Buffer.from(merged.buffer, merged.byteOffset, merged.byteLength),
        ]);
      });
    }).catch((error) => this.onLost(room, error));
    return upToId;
  }

  /** Resolves once everything queued so far is written or failed. */
  async drain(): Promise<void> {
    await this.queue.catch(() => {});
  }

  async close(): Promise<void> {
    await this.drain();
    await this.pool.end();
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Runs `fn` in a transaction that holds the room's row at the fencing number this instance loaded. */
  private async fenced(room: string, fn: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const lost = await this.lock(client, [room]);
      if (lost.size) throw new FencedError([room]);
      await fn(client);
      await client.query('COMMIT');
      // a room loaded before it had a row got it here, at number 1 (as a first append makes it): without
      // this, the next append took the row for another instance's and dropped the agency
      if ((this.fences.get(room) ?? 0) === 0) this.fences.set(room, 1);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Share-locks each room's row and returns the rooms whose fencing number is no longer this instance's.
   * A room loaded before it had a row (a new agency) gets its row now, at number 1, unless another instance
   * made it first.
   */
  private async lock(client: pg.PoolClient, rooms: readonly string[]): Promise<Set<string>> {
    const lost = new Set<string>();
    const known = rooms.filter((r) => (this.fences.get(r) ?? 0) > 0);
    const fresh = rooms.filter((r) => (this.fences.get(r) ?? 0) === 0);
    if (known.length) {
      const held = await client.query<{ id: string; fence: string }>(
        'SELECT id, fence FROM ao_agencies WHERE id = ANY($1::text[]) FOR SHARE',
        [known],
      );
      const now = new Map(held.rows.map((r) => [r.id, Number(r.fence)]));
      for (const r of known) if (now.get(r) !== this.fences.get(r)) lost.add(r);
    }
    if (fresh.length) {
      const made = await client.query<{ id: string }>(
        `INSERT INTO ao_agencies (id, fence, owner) SELECT unnest($1::text[]), 1, $2
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [fresh, this.instance],
      );
      const mine = new Set(made.rows.map((r) => r.id));
      for (const r of fresh) if (!mine.has(r)) lost.add(r);
    }
    return lost;
  }

  private async write(batch: readonly UpdateRow[]): Promise<PgWriteResult> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const rooms = [...new Set(batch.map((r) => r.room))];
      const fenced = await this.lock(client, rooms);
      const rows = batch.filter((r) => !fenced.has(r.room));
      const ids: number[] = [];
      if (rows.length) {
        // ids taken in order, so each room's rows read back in the order the room accepted them
        const taken = await client.query<{ id: string }>(
          "SELECT nextval('ao_updates_id_seq') AS id FROM generate_series(1, $1) ORDER BY 1",
          [rows.length],
        );
        const rowIds = taken.rows.map((r) => r.id);
        await client.query(
          'INSERT INTO ao_updates (id, room, data) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[])',
          [
            rowIds,
            rows.map((r) => r.room),
            rows.map((r) => Buffer.from(r.update.buffer, r.update.byteOffset, r.update.byteLength)),
          ],
        );
        const claims = rows.flatMap((r) => (r.claims ?? []).map(([c, key]) => [r.room, c, key] as const));
        if (claims.length)
          await client.query(
            `INSERT INTO ao_client_owners (room, client, key, foreign_from)
             SELECT room, client, key, NULL FROM unnest($1::text[], $2::bigint[], $3::text[]) AS t(room, client, key)
             ON CONFLICT (room, client) DO UPDATE SET key = EXCLUDED.key, foreign_from = NULL`,
            [claims.map((c) => c[0]), claims.map((c) => c[1]), claims.map((c) => c[2])],
          );
        let k = 0;
        for (const r of batch) ids.push(fenced.has(r.room) ? 0 : Number(rowIds[k++]));
      } else for (const _ of batch) ids.push(0);
      await client.query('COMMIT');
      // a new agency's row is this instance's at number 1 from now on
      for (const r of rooms) if (!fenced.has(r) && (this.fences.get(r) ?? 0) === 0) this.fences.set(r, 1);
      return { ids, fenced };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}
