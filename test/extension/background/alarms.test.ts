// @vitest-environment node
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  type AlarmsLike,
  installReconnectAlarm,
  RECONNECT_ALARM,
  RECONNECT_PERIOD_MINUTES,
} from '../../../extension/background/alarms.ts';
import { TestServer } from './server.ts';
import { TestBrowser } from './support.ts';

const alarms = fakeBrowser.alarms as unknown as AlarmsLike;
type Alarm = Parameters<typeof fakeBrowser.alarms.onAlarm.trigger>[0];
const alarm = (name: string): Alarm => ({ name, scheduledTime: 0, persistAcrossSessions: false }) as Alarm;

beforeEach(() => fakeBrowser.reset());

describe('reconnect alarm', () => {
  it('is created once, with Chrome’s shortest period, and not pushed back by every wake-up', async () => {
    let wakes = 0;
    await installReconnectAlarm(alarms, async () => void wakes++);
    const first = await fakeBrowser.alarms.get(RECONNECT_ALARM);
    expect(first?.periodInMinutes).toBe(RECONNECT_PERIOD_MINUTES);
    await installReconnectAlarm(alarms, async () => void wakes++);
    expect((await fakeBrowser.alarms.get(RECONNECT_ALARM))?.scheduledTime).toBe(first?.scheduledTime);
    await fakeBrowser.alarms.onAlarm.trigger(alarm('something-else'));
    expect(wakes).toBe(0);
    await fakeBrowser.alarms.onAlarm.trigger(alarm(RECONNECT_ALARM));
    expect(wakes).toBe(2); // both installs registered a listener: each worker start registers once
  });
});

describe('after an outage the alarm brings sync back without any UI open', () => {
  let server: TestServer;
  const b = new TestBrowser();
  afterEach(async () => {
    await b.stop();
    await server.dispose();
  });

  it('a worker restarted by the alarm reconnects and syncs what was taken offline', async () => {
    server = await TestServer.start();
    const { agencyId } = await b.ok<{ agencyId: string }>({
      kind: 'createAgency',
      server: server.url,
      agencyName: 'Acme',
      memberName: 'Olga',
      balance: 10,
    });
    await b.until((o) => o.view?.sync.status === 'synced');
    await server.stop();
    await b.until((o) => o.view?.sync.status === 'offline');
    await b.ok({ kind: 'act', agencyId, type: 'recordPurchase', payload: { connects: 5 } });
    expect(b.agencies.overview().view?.sync.waiting).toBe(1);
    // The worker is stopped while offline; the server comes back; only the alarm fires.
    await b.stop();
    await server.resume();
    b.boot();
    await installReconnectAlarm(alarms, () => b.agencies.wake());
    await fakeBrowser.alarms.onAlarm.trigger(alarm(RECONNECT_ALARM));
    const v = await b.until((o) => o.view?.sync.status === 'synced' && o.view.sync.waiting === 0);
    expect(v.view?.connects.balance).toBe(15);
  });
});
