// @vitest-environment node
// The short look at a sync server address before creating or joining (issue 10): an Agency Overlay sync server
// answers with its challenge; anything else is named plainly — a name that does not resolve, a refused
// connection, something that is not our server, silence — within the bound, in every case.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failureOf,
  type NetErrorSource,
  probeCode,
  probeSentence,
  probeServer,
} from '../../../extension/replica/probe-server.ts';
import { type SyncServer, startSyncServer } from '../../../sync-server/server.ts';

let dataDir: string;
let sync: SyncServer;
const others: Server[] = [];

const listen = async (server: Server): Promise<number> => {
  others.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'probe-server-'));
  sync = await startSyncServer({ port: 0, dataDir, logLevel: 'error' });
});

afterAll(async () => {
  for (const s of others) {
    s.close();
    (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  }
  await sync.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('probing a sync server address', () => {
  it('an Agency Overlay sync server answers with its challenge', async () => {
    const result = await probeServer(sync.url);
    expect(result.ok).toBe(true);
  });

  it('a web server that is not ours: "not an Agency Overlay sync server"', async () => {
    const port = await listen(createHttpServer((_req, res) => res.end('hello')));
    const server = `ws://127.0.0.1:${port}`;
    const result = await probeServer(server);
    expect(result).toMatchObject({ ok: false, kind: 'not-agency-overlay' });
    if (!result.ok)
      expect(probeSentence(server, result, 'create')).toBe(
        `Something answers at ${server}, but it is not an Agency Overlay sync server. Check the address and its port.`,
      );
  });

  it('a port nobody listens on: the connection was refused', async () => {
    const server = `ws://127.0.0.1:${await closedPort()}`;
    const result = await probeServer(server);
    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    if (!result.ok)
      expect(probeSentence(server, result, 'create')).toMatch(
        /^127\.0\.0\.1 refused the connection on port \d+: no server is listening there\./,
      );
  });

  it('a name that does not resolve says so, and a joiner is told whom to ask', async () => {
    const server = 'wss://no-such-host.invalid';
    const result = await probeServer(server);
    expect(result).toMatchObject({ ok: false, kind: 'unresolved' });
    if (!result.ok)
      expect(probeSentence(server, result, 'join')).toBe(
        'The name no-such-host.invalid does not resolve: no such host is known. Check the address for a typo. This address comes from the invite code: tell the business manager who sent it.',
      );
  });

  it('a server that accepts the connection and says nothing is given up on within the bound', async () => {
    const port = await listen(createTcpServer(() => {}));
    const started = performance.now();
    const result = await probeServer(`ws://127.0.0.1:${port}`, { timeoutMs: 500 });
    expect(result).toMatchObject({ ok: false, kind: 'timeout' });
    // Generous for a loaded machine: the bound is 500 ms.
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('in a browser, which says nothing of why, the reason comes from webRequest when it may see it', async () => {
    // A browser's fetch fails with a bare TypeError; the reason is only in the webRequest event.
    const bareFetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    const server = `ws://127.0.0.1:${await closedPort()}`;
    const blind = await probeServer(server, { fetch: bareFetch, netErrors: null });
    expect(blind).toMatchObject({ ok: false, kind: 'unreachable' });
    if (!blind.ok)
      expect(probeSentence(server, blind, 'create')).toMatch(
        /^Nothing answered at ws:\/\/127\.0\.0\.1:\d+: the name may not exist, nothing may be listening on port \d+, or its certificate may not be trusted\.$/,
      );
    const seeing: NetErrorSource = {
      watch: () => ({ reason: async () => 'net::ERR_CERT_AUTHORITY_INVALID', stop: () => {} }),
    };
    expect(await probeServer(server, { fetch: bareFetch, netErrors: seeing })).toMatchObject({
      ok: false,
      kind: 'tls',
    });
  });

  it('a malformed address is refused before any connection', async () => {
    expect(await probeServer('http://example.com')).toMatchObject({ ok: false, kind: 'bad-address' });
  });

  it('names each browser and Node error as the member reads it', () => {
    expect(failureOf('net::ERR_NAME_NOT_RESOLVED')).toBe('unresolved');
    expect(failureOf('net::ERR_CONNECTION_REFUSED')).toBe('refused');
    expect(failureOf('net::ERR_CERT_COMMON_NAME_INVALID')).toBe('tls');
    expect(failureOf('SEC_ERROR_UNKNOWN_ISSUER')).toBe('tls');
    expect(failureOf('ENOTFOUND')).toBe('unresolved');
    expect(failureOf('ECONNREFUSED')).toBe('refused');
    expect(failureOf('net::ERR_EMPTY_RESPONSE')).toBe('not-agency-overlay');
    expect(failureOf('something new')).toBeNull();
    expect(probeCode('not-agency-overlay')).toBe('PROBE_NOT_AGENCY_OVERLAY');
  });
});
