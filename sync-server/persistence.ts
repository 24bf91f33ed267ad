// Embedded persistence: one SQLite file (node:sqlite) under the data folder. WAL with synchronous=NORMAL:
// a commit reaches the OS before it returns, so it survives `kill -9` of the server (not a power cut
// before the next checkpoint) without an fsync per update. Rows are Yjs updates of a room, appended;
// compaction merges a room's rows into one (Y.mergeUpdates loses nothing). With `managedCheckpoints`,
// SQLite never checkpoints inside a commit: the server calls checkpoint() between bursts (committer.ts),
// so a checkpoint's fsync does not land in the middle of a relay.
//
// Schema 2 adds `clients`: which key owns each Yjs client id of a room (issue 8, item 4), written in the
// same transaction as the update that first used it. A room stored by schema 1 has rows and no owners: the
// room rebuilds them from its rows when it is first loaded (room.ts) and saves them with saveOwners.
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';

export const DB_FILE = 'agency-overlay.sqlite';
const SCHEMA_VERSION = '2';
const READS = new Set(['1', '2']);

/** A Yjs client id's owner: the key whose entries it carries; `foreign` the first clock that is not (legacy). */
export interface ClientOwner {
  client: number;
  key: string;
  foreign: number | null;
}

export interface StoredRoom {
  updates: Uint8Array[];
  /** Id of the newest row (0 when the room has none): compaction replaces rows up to it. */
  lastId: number;
  owners: ClientOwner[];
}

export interface UpdateRow {
  room: string;
  update: Uint8Array;
  /** Client ids this update used first, and their owners. */
  claims?: readonly (readonly [number, string])[];
}

export class Store {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly insert: StatementSync;
  private readonly select: StatementSync;
  private readonly remove: StatementSync;
  private readonly countRows: StatementSync;
  private readonly selectOwners: StatementSync;
  private readonly insertOwner: StatementSync;
  private readonly begin: StatementSync;
  private readonly commit: StatementSync;
  private readonly rollback: StatementSync;
  private readonly checkpointStatement: StatementSync;
  private closed = false;

  private constructor(path: string, managedCheckpoints: boolean) {
    this.path = path;
    this.db = new DatabaseSync(path);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS updates (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        room TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS updates_by_room ON updates (room, id);
      CREATE TABLE IF NOT EXISTS clients (
        room TEXT NOT NULL,
        client INTEGER NOT NULL,
        key TEXT NOT NULL,
        foreign_from INTEGER,
        PRIMARY KEY (room, client)
      ) WITHOUT ROWID;
    `);
    const version = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('schema') as
      | { value: string }
      | undefined;
    if (version && !READS.has(version.value)) {
      throw new Error(`${path}: schema version ${version.value}, this server reads versions 1 and 2`);
    }
    // Schema 1 → 2: the clients table exists now; each room fills in its owners when first loaded.
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('schema', SCHEMA_VERSION);
    this.insert = this.db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)');
    this.select = this.db.prepare('SELECT id, data FROM updates WHERE room = ? ORDER BY id');
    this.remove = this.db.prepare('DELETE FROM updates WHERE room = ? AND id <= ?');
    this.countRows = this.db.prepare('SELECT COUNT(*) AS n FROM updates WHERE room = ?');
    this.selectOwners = this.db.prepare('SELECT client, key, foreign_from FROM clients WHERE room = ?');
    this.insertOwner = this.db.prepare(
      'INSERT OR REPLACE INTO clients (room, client, key, foreign_from) VALUES (?, ?, ?, ?)',
    );
    this.begin = this.db.prepare('BEGIN IMMEDIATE');
    this.commit = this.db.prepare('COMMIT');
    this.rollback = this.db.prepare('ROLLBACK');
    this.checkpointStatement = this.db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
    if (managedCheckpoints) this.db.exec('PRAGMA wal_autocheckpoint = 0');
  }

  /**
   * Opens (creating the folder and file if needed) the data file under `dataDir`. Without
   * `managedCheckpoints` SQLite checkpoints on commit as usual (backups, tests, scripts).
   */
  static open(dataDir: string, managedCheckpoints = false): Store {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    return new Store(join(dir, DB_FILE), managedCheckpoints);
  }

  /** Copies what the WAL holds into the database file (PASSIVE: never waits for or blocks a writer). */
  checkpoint(): void {
    this.checkpointStatement.get();
  }

  /** Size of the WAL file in bytes (0 when there is none). */
  walBytes(): number {
    try {
      return statSync(`${this.path}-wal`).size;
    } catch {
      return 0;
    }
  }

  load(room: string): StoredRoom {
    const rows = this.select.all(room) as { id: number; data: Uint8Array }[];
    const owners = (
      this.selectOwners.all(room) as { client: number | bigint; key: string; foreign_from: number | null }[]
    ).map((o) => ({ client: Number(o.client), key: o.key, foreign: o.foreign_from }));
    return { updates: rows.map((r) => r.data), lastId: rows.length ? rows[rows.length - 1]!.id : 0, owners };
  }

  /** Saves a room's client-id owners (rebuilt from a schema-1 room's rows) in one transaction. */
  saveOwners(room: string, owners: readonly ClientOwner[]): void {
    this.transaction(() => {
      for (const o of owners) this.insertOwner.run(room, o.client, o.key, o.foreign);
    });
  }

  rows(room: string): number {
    return (this.countRows.get(room) as { n: number }).n;
  }

  /** Writes the updates of one event-loop turn in one transaction; returns each row's id. Throws on I/O errors. */
  append(batch: readonly UpdateRow[]): number[] {
    const ids: number[] = [];
    this.transaction(() => {
      for (const row of batch) {
        ids.push(Number(this.insert.run(row.room, row.update).lastInsertRowid));
        for (const [client, key] of row.claims ?? []) this.insertOwner.run(row.room, client, key, null);
      }
    });
    return ids;
  }

  /** Replaces a room's rows up to `upToId` by their merge, atomically. */
  compact(room: string, merged: Uint8Array, upToId: number): number {
    let id = 0;
    this.transaction(() => {
      this.remove.run(room, upToId);
      id = Number(this.insert.run(room, merged).lastInsertRowid);
    });
    return id;
  }

  /** A consistent copy of the database to `file` while the server runs (SQLite's VACUUM INTO). */
  backup(file: string): void {
    this.db.prepare('VACUUM INTO ?').run(resolve(file));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }

  private transaction(fn: () => void): void {
    this.begin.run();
    try {
      fn();
      this.commit.run();
    } catch (e) {
      try {
        this.rollback.run();
      } catch {
        // the failed statement may already have rolled the transaction back
      }
      throw e;
    }
  }
}
