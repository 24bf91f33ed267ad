// The process around the protocol: CLI, health and metrics endpoints, structured logs, who may create.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLOSE } from '../../core/protocol.ts';
import { parseArgs } from '../../sync-server/args.ts';
import { kill, ROOT, spawnServer } from './support/child.ts';
import { createAgency, newSigner } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { testServer } from './support/server.ts';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

describe('the server process', () => {
  it('--help prints every option', () => {
    const out = execFileSync(process.execPath, ['sync-server/main.ts', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    for (const flag of [
      '--port',
      '--host',
      '--data',
      '--create-token',
      '--log-level',
      '--max-message-bytes',
      '--max-rooms',
      '--max-connections-per-ip',
      '--max-memory',
      '--actions-per-second',
      '--trust-proxy',
    ]) {
      expect(out).toContain(flag);
    }
  });

  it('reads PORT and DATA_DIR from the environment, flags win over them', () => {
    const env = { PORT: '4321', DATA_DIR: '/srv/agency' };
    const fromEnv = parseArgs([], env);
    expect(fromEnv.kind === 'serve' && fromEnv.options).toMatchObject({ port: 4321, dataDir: '/srv/agency' });
    const flags = parseArgs(['--port', '0', '--data=/tmp/x'], env);
    expect(flags.kind === 'serve' && flags.options).toMatchObject({ port: 0, dataDir: '/tmp/x' });
    expect(parseArgs(['--port', 'abc'], {}).kind).toBe('error');
    expect(parseArgs(['--nope'], {}).kind).toBe('error');
  });

  it('main.ts prints one JSON line with the actual port and the data file, logs as JSON lines, and stops on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agency-sync-cli-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const child = await spawnServer(['--port', '0', '--data', dir]);
    const listening = JSON.parse(child.lines.find((l) => l.includes('"listening"'))!);
    expect(listening).toMatchObject({
      level: 'info',
      msg: 'listening',
      port: child.port,
      url: `ws://127.0.0.1:${child.port}`,
    });
    expect(listening.data).toBe(join(dir, 'agency-overlay.sqlite'));
    const health = await fetch(`http://127.0.0.1:${child.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    child.child.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    for (const line of child.lines) expect(() => JSON.parse(line)).not.toThrow();
    await kill(child);
  });

  it('GET /metrics serves Prometheus text: connections, rooms, updates, refusals by reason, persistence latency', async () => {
    const server = await testServer();
    cleanup.push(() => server.dispose());
    const agency = await createAgency(server.url);
    cleanup.push(async () => agency.destroy());
    await agency.join('Bob');
    const stranger = await RawClient.open(server.url, agency.id);
    await stranger.authenticate(await newSigner(), agency.id);
    await stranger.whenClosed();
    const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    const value = (line: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(line))
          ?.split(' ')
          .pop(),
      );
    expect(value('agency_sync_connections ')).toBeGreaterThanOrEqual(2);
    expect(value('agency_sync_rooms_loaded ')).toBe(1);
    expect(value('agency_sync_updates_in_total ')).toBeGreaterThan(0);
    expect(value('agency_sync_updates_out_total ')).toBeGreaterThan(0);
    expect(value('agency_sync_refusals_total{reason="NOT_A_MEMBER"} ')).toBe(1);
    expect(value('agency_sync_persist_seconds_count ')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE agency_sync_persist_seconds histogram');
    // how late the event loop ran: what every connection waits when one agency's work stalls it
    expect(value('agency_sync_event_loop_delay_seconds{quantile="1"} ')).toBeGreaterThan(0);
  });

  it('creating an agency is open on a loopback-only server, closed elsewhere without a creation token', async () => {
    const open = await testServer();
    cleanup.push(() => open.dispose());
    const a = await RawClient.open(open.url, 'agency-created-here');
    expect(await a.authenticate(await newSigner(), 'agency-created-here')).toBe('creator');
    a.close();

    const exposed = await testServer({ host: '0.0.0.0' });
    cleanup.push(() => exposed.dispose());
    const b = await RawClient.open(`ws://127.0.0.1:${exposed.port}`, 'agency-created-here');
    expect(await b.authenticate(await newSigner(), 'agency-created-here')).toBeNull();
    expect(b.closed?.code).toBe(CLOSE.CREATION_FORBIDDEN.code);

    const proxied = await testServer({ trustProxy: true });
    cleanup.push(() => proxied.dispose());
    const c = await RawClient.open(proxied.url, 'agency-created-here');
    expect(await c.authenticate(await newSigner(), 'agency-created-here')).toBeNull();
    expect(c.closed?.code).toBe(CLOSE.CREATION_FORBIDDEN.code);
  });

  it('refuses an upgrade to a path that is not an agency id', async () => {
    const server = await testServer();
    cleanup.push(() => server.dispose());
    const ws = new WebSocket(`${server.url}/not%20an%20id`);
    const failed = await new Promise<boolean>((resolve) => {
      ws.onopen = () => resolve(false);
      ws.onerror = () => resolve(true);
    });
    expect(failed).toBe(true);
  });
});
