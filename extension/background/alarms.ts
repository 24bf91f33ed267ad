// After an outage the websocket client backs off, and a stopped worker dials nothing at all: an alarm wakes
// the worker (or finds it awake) and brings every agency's link back, so sync never waits for the member
// to open the popup. Chrome's shortest alarm period is 30 s.
export const RECONNECT_ALARM = 'agency-overlay:reconnect';
export const RECONNECT_PERIOD_MINUTES = 0.5;

export interface AlarmsLike {
  get(name: string): Promise<{ name: string } | undefined>;
  create(name: string, info: { periodInMinutes: number; delayInMinutes?: number }): Promise<void> | void;
  onAlarm: { addListener(fn: (alarm: { name: string }) => void): void };
}

/** Registers the listener (synchronously, as MV3 requires for wake-up events) and makes sure the alarm exists. */
export function installReconnectAlarm(alarms: AlarmsLike, wake: () => Promise<void>): Promise<void> {
  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RECONNECT_ALARM) wake().catch((e) => console.error('reconnect alarm failed', e));
  });
  return (async () => {
    // Creating it again on every start would push its next run back each time the worker wakes.
    if (!(await alarms.get(RECONNECT_ALARM)))
      await alarms.create(RECONNECT_ALARM, {
        periodInMinutes: RECONNECT_PERIOD_MINUTES,
        delayInMinutes: RECONNECT_PERIOD_MINUTES,
      });
  })();
}
