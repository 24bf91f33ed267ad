// Liveness: y-websocket's client drops a connection after 30 s without any message, so the server sends
// something at least every 20 s. A member alone in a room stays connected without re-authenticating.
import { afterAll, describe, expect, it } from 'vitest';
import { createAgency, type TestClient } from './support/client.ts';
import { type TestServer, testServer } from './support/server.ts';

const SOAK = process.env.SOAK === '1';
// Four of the client's 30-second watchdog periods in CI; ten minutes under `npm run test:soak`.
const STAY_MS = SOAK ? 10 * 60_000 : 125_000;

const servers: TestServer[] = [];
const clients: TestClient[] = [];
afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of servers) await s.dispose();
});

describe('liveness', () => {
  it(
    `a member alone in a room stays connected for ${Math.round(STAY_MS / 1000)} s without re-authenticating (and would not without heartbeats)`,
    async () => {
      const live = await testServer();
      // The control: a server whose heartbeat is longer than the client's watchdog.
      const silent = await testServer({ heartbeatMs: 10 * 60_000 });
      servers.push(live, silent);
      const alone = await createAgency(live.url);
      const control = await createAgency(silent.url);
      clients.push(alone.owner, control.owner);
      // Awareness would also keep the socket busy: a member with no awareness state sends nothing.
      for (const c of [alone.owner, control.owner]) c.provider.awareness.setLocalState(null);
      await new Promise((r) => setTimeout(r, STAY_MS));
      expect(alone.owner.closes).toEqual([]);
      expect(alone.owner.challenges).toBe(1);
      expect(alone.owner.welcomes).toBe(1);
      expect(alone.owner.provider.wsconnected).toBe(true);
      expect(live.metrics.authenticated.get({ standing: 'creator' })).toBe(1);
      expect(live.metrics.authenticated.get({ standing: 'member' })).toBe(0);
      // without heartbeats the stock client gave up and authenticated again
      expect(control.owner.challenges).toBeGreaterThan(1);
    },
    STAY_MS + 60_000,
  );
});
