// Embedded persistence: one SQLite file (node:sqlite) under the data folder. WAL with synchronous=NORMAL:
// a commit reaches the OS before it returns, so it survives `kill -9` of the server (not a power cut
// before the next checkpoint) without an fsync per update. Rows are Yjs updates of a room, appended;
// compaction merges a room's rows into one (Y.mergeUpdates loses nothing). Checkpoints run in a worker
// thread (checkpointer.ts), never on the thread that relays.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';

export const DB_FILE = 'agency-overlay.sqlite';
const SCHEMA_VERSION = '1';

export interface StoredRoom {
  updates: Uint8Array[];
  /** Id of the newest row (0 when the room has none): compaction replaces rows up to it. */
  lastId: number;
}

export interface UpdateRow {
  room: string;
  update: Uint8Array;
}

export class Store {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly insert: StatementSync;
  private readonly select: StatementSync;
  private readonly remove: StatementSync;
  private readonly countRows: StatementSync;
  private readonly begin: StatementSync;
  private readonly commit: StatementSync;
  private readonly rollback: StatementSync;
  private checkpointer: Worker | null = null;
  private closed = false;

  private constructor(path: string, checkpointEveryMs: number) {
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
    `);
    const version = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('schema') as
      | { value: string }
      | undefined;
    if (!version)
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema', SCHEMA_VERSION);
    else if (version.value !== SCHEMA_VERSION) {
      throw new Error(
        `${path}: schema version ${version.value}, this server reads version ${SCHEMA_VERSION}`,
      );
    }
    this.insert = this.db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)');
    this.select = this.db.prepare('SELECT id, data FROM updates WHERE room = ? ORDER BY id');
    this.remove = this.db.prepare('DELETE FROM updates WHERE room = ? AND id <= ?');
    this.countRows = this.db.prepare('SELECT COUNT(*) AS n FROM updates WHERE room = ?');
    this.begin = this.db.prepare('BEGIN IMMEDIATE');
    this.commit = this.db.prepare('COMMIT');
    this.rollback = this.db.prepare('ROLLBACK');
    if (checkpointEveryMs > 0) this.startCheckpointer(checkpointEveryMs);
  }

  private startCheckpointer(everyMs: number): void {
    const worker = new Worker(new URL('./checkpointer.ts', import.meta.url), {
      workerData: { path: this.path, everyMs },
    });
    worker.unref();
    this.db.exec('PRAGMA wal_autocheckpoint = 0');
    const fallBack = () => {
      // without the worker, SQLite checkpoints on commit again
      if (this.checkpointer !== worker) return;
      this.checkpointer = null;
      if (!this.closed) this.db.exec('PRAGMA wal_autocheckpoint = 1000');
    };
    worker.on('error', fallBack);
    worker.on('exit', fallBack);
    this.checkpointer = worker;
  }

  /**
   * Opens (creating the folder and file if needed) the data file under `dataDir`. `checkpointEveryMs` 0
   * leaves checkpoints to SQLite (on commit), for short-lived uses such as backups and tests.
   */
  static open(dataDir: string, checkpointEveryMs = 0): Store {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    return new Store(join(dir, DB_FILE), checkpointEveryMs);
  }

  load(room: string): StoredRoom {
    const rows = this.select.all(room) as { id: number; data: Uint8Array }[];
    return { updates: rows.map((r) => r.data), lastId: rows.length ? rows[rows.length - 1]!.id : 0 };
  }

  rows(room: string): number {
    return (this.countRows.get(room) as { n: number }).n;
  }

  /** Writes the updates of one event-loop turn in one transaction; returns each row's id. Throws on I/O errors. */
  append(batch: readonly UpdateRow[]): number[] {
    const ids: number[] = [];
    this.transaction(() => {
      for (const row of batch) ids.push(Number(this.insert.run(row.room, row.update).lastInsertRowid));
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
    const worker = this.checkpointer;
    this.checkpointer = null;
    if (worker) {
      worker.postMessage('stop');
      void worker.terminate();
    }
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
