// Issue 8, item 12: a connection's first sync step 2 is its catch-up, exempt from the per-second limit
// (a member back from days offline sends everything at once); any later sync step 2 is rate-limited like
// any write. Against the server's default limits (a burst of 500 actions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE } from '../../core/protocol.ts';
import { DEFAULTS } from '../../sync-server/server.ts';
import { type Agency, createAgency, type TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { chain, entriesAt, step2Frame } from './support/updates.ts';
import { until } from './support/wait.ts';

let server: TestServer;
let agency: Agency;
let bob: TestClient;

beforeAll(async () => {
  server = await testServer();
  agency = await createAgency(server.url);
  bob = await agency.join('Bob');
});
afterAll(async () => {
  agency.destroy();
  await server.dispose();
});

describe('only the first sync step 2 is a catch-up', () => {
  it(`a first sync step 2 beyond the burst (${DEFAULTS.actionBurst}) is stored; a second one is refused (RATE_LIMITED)`, async () => {
    const n = DEFAULTS.actionBurst + 100;
    const first = await chain(agency.id, bob.signer, n, bob.log.heads());
    const second = await chain(agency.id, bob.signer, n, [first[n - 1]!.id]);
    const r = await RawClient.open(server.url, agency.id);
    expect(await r.authenticate(bob.signer, agency.id)).toBe('member');
    r.send(step2Frame(entriesAt(0x5a5a, 0, first)));
    await until(() => agency.owner.log.has(first[n - 1]!.id), { what: 'the catch-up to be relayed' });
    expect(r.closed).toBeNull();
    r.send(step2Frame(entriesAt(0x5a5a, n, second)));
    const closed = await r.whenClosed();
    expect(closed.code).toBe(CLOSE.RATE_LIMITED.code);
    expect(agency.owner.log.has(second[0]!.id)).toBe(false);
  });
});
