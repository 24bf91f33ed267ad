// A burst of WebSocket upgrades from one address is completed a few per turn of the event loop
// (sync-server/upgrade-pace.ts), so other connections are served in between (issue 8, item 12); other
// addresses never wait behind it. Then the same against a real server: a burst of 40 sockets from loopback
// are all upgraded, none refused for it.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { UpgradePacer } from '../../sync-server/upgrade-pace.ts';
import { newAgencyId } from './support/client.ts';
import { type TestServer, testServer } from './support/server.ts';
import { TcpClient } from './support/tcp.ts';

describe('upgrades are paced per address', () => {
  it('completes 8 of a burst in its turn, 8 in each turn after, and another address at once', async () => {
    const pacer = new UpgradePacer(8);
    const done: string[] = [];
    for (let i = 0; i < 20; i++) pacer.run('10.0.0.1', () => done.push(`a${i}`));
    expect(done).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']);
    expect(pacer.pending).toBe(12);
    pacer.run('10.0.0.2', () => done.push('b0'));
    expect(done.at(-1)).toBe('b0');
    await nextTurn();
    expect(done.filter((x) => x.startsWith('a'))).toHaveLength(16);
    await nextTurn();
    expect(done.filter((x) => x.startsWith('a'))).toHaveLength(20);
    // in arrival order
    expect(done.filter((x) => x.startsWith('a'))).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`));
    expect(pacer.pending).toBe(0);
  });

  it('an address that waits keeps its place: a new upgrade from it queues behind the waiting ones', async () => {
    const pacer = new UpgradePacer(2);
    const done: number[] = [];
    for (let i = 0; i < 5; i++) pacer.run('x', () => done.push(i));
    pacer.run('x', () => done.push(5));
    expect(done).toEqual([0, 1]);
    await nextTurn();
    expect(done).toEqual([0, 1, 2, 3]);
    await nextTurn();
    expect(done).toEqual([0, 1, 2, 3, 4, 5]);
  });

  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.dispose();
    server = null;
  });

  it('a real server upgrades every socket of a burst of 40 from one address', async () => {
    server = await testServer();
    const room = newAgencyId();
    const sockets = await Promise.all(Array.from({ length: 40 }, () => TcpClient.open(server!.port, room)));
    try {
      // each got its 101 answer (TcpClient.open waits for it) and none was closed for the burst
      expect(sockets.filter((s) => s.ended || s.closeCode !== null)).toHaveLength(0);
    } finally {
      for (const s of sockets) s.destroy();
    }
  }, 60_000);
});
