// An instance whose event loop does not answer HAProxy's health checks for long enough to be marked down
// (a busy second on a loaded machine, a long GC, SIGSTOP here) keeps its members: marking it down only
// sends new connections elsewhere, it does not cut the ones it holds. With `on-marked-down
// shutdown-sessions` in deploy/haproxy.cfg, every member of all three instances of the scale-out bench was
// cut at once (close 1006) when the checks of all three timed out together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgency } from './support/client.ts';
import { Cluster, CREATE_TOKEN } from './support/cluster.ts';
import { until } from './support/wait.ts';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await Cluster.start(2);
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

describe('an instance that stops answering its health checks', () => {
  it('is marked down by HAProxy, and the members it serves stay connected and keep syncing through it', async () => {
    const agency = await createAgency(cluster.url, { creationToken: CREATE_TOKEN });
    const olga = agency.owner;
    const bob = await agency.join('Bob');
    await bob.whenSynced();
    const holder = await cluster.holder(agency.id);
    expect(holder).toBeGreaterThanOrEqual(0);
    const name = `i${holder + 1}`;
    const state = async () => (await cluster.haproxyServers()).find((s) => s.name === name)!;
    expect((await state()).status).toBe('UP');
    const welcomes = [olga.welcomes, bob.welcomes];

    // the whole process stops: its health endpoint, like everything else, answers nothing
    const child = cluster.instances[holder]!.child;
    child.kill('SIGSTOP');
    try {
      await until(async () => (await state()).status.startsWith('DOWN'), {
        timeout: 60_000,
        interval: 250,
        what: `HAProxy to mark ${name} down`,
      });
    } finally {
      child.kill('SIGCONT');
    }
    const down = await state();
    await until(async () => (await state()).status === 'UP', {
      timeout: 30_000,
      interval: 250,
      what: `HAProxy to mark ${name} up again`,
    });

    // the same connections carry a write each way; nobody was closed or welcomed again
    const fromBob = await bob.appendOk('observeBalance', { balance: 1234 });
    const fromOlga = await olga.appendOk('observeBalance', { balance: 5678 });
    await until(() => olga.log.has(fromBob) && bob.log.has(fromOlga), {
      timeout: 30_000,
      what: 'the writes after the stall to reach the other member',
    });
    await until(() => olga.acked && bob.acked, { timeout: 30_000, what: 'both writes to be stored' });
    const log = cluster.haproxyLog();
    console.log(
      `stalled instance: marked down with "${down.check}" after ${down.fails} failed checks; HAProxy said:\n${log
        .filter((l) => / is (DOWN|UP)/.test(l))
        .join('\n')}`,
    );
    expect(log.some((l) => l.includes(`instances/${name} is DOWN`))).toBe(true);
    expect(olga.closes).toEqual([]);
    expect(bob.closes).toEqual([]);
    expect([olga.welcomes, bob.welcomes]).toEqual(welcomes);
    olga.destroy();
    bob.destroy();
  });
});
