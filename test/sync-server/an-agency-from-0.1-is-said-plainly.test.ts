// Agency Overlay 0.1 signed its log in format 1 (invite secrets in joins, unproven browser keys). This
// version cannot read such a log: a member connecting to an agency whose data file holds one is told so
// plainly, with a code whose reaction is to stop (not an endless "try again later").
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256, toStored, utf8 } from '../../core/index.ts';
import { CLOSE, closeByCode } from '../../core/protocol.ts';
import { encodeEntry, encodeRuns } from '../../sync-server/codec.ts';
import { DB_FILE } from '../../sync-server/persistence.ts';
import { newAgencyId, newSigner } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { testServer } from './support/server.ts';
import { signed } from './support/updates.ts';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('an agency from 0.1', () => {
  it('is refused with OLD_FORMAT, a code whose reaction is to stop, and a sentence saying what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agency-sync-old-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const room = newAgencyId();
    const olga = await newSigner();
    const ann = await newSigner();
    const create = await signed(
      room,
      olga,
      'createAgency',
      { name: 'Acme', memberName: 'Olga', balance: 5 },
      [],
    );
    // 0.1's join: the invite secret itself in the payload (and no proof)
    const oldJoin = {
      type: 'joinAgency',
      actor: ann.publicKey,
      payload: { secret: sha256(utf8('an invite secret')), name: 'Ann' },
      deps: new Uint8Array(32),
      at: Date.now(),
      sig: new Uint8Array(64),
    };
    const row = encodeRuns([
      {
        client: 7,
        clock: 0,
        length: 2,
        parts: [encodeEntry(create.id, toStored(create)), encodeEntry('an-old-join', oldJoin)],
      },
    ]);
    const db = new DatabaseSync(join(dir, DB_FILE));
    db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE updates (id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, data BLOB NOT NULL);
      INSERT INTO meta VALUES ('schema', '1');`);
    db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)').run(room, row);
    db.close();

    const s = await testServer({}, dir);
    cleanup.push(() => s.dispose());
    const r = await RawClient.open(s.url, room);
    cleanup.push(() => r.close());
    await r.authenticate(olga, room).catch(() => null);
    const closed = await r.whenClosed();
    expect(closed.code).toBe(CLOSE.OLD_FORMAT.code);
    expect(closeByCode(closed.code)?.reaction).toBe('stop');
    expect(closed.reason).toMatch(/0\.1/);
  });
});
