import { describe, expect, it } from 'vitest';
import {
  type PortLike,
  type RuntimeLike,
  sendWith,
  subscribeWith,
} from '../../../extension/messaging/client.ts';
import { type OverviewView, STATE_PORT } from '../../../extension/messaging/types.ts';

type Listener<T> = (v: T) => void;
class FakePort implements PortLike {
  readonly name: string;
  messageListeners: Listener<unknown>[] = [];
  disconnectListeners: Listener<void>[] = [];
  disconnected = false;
  constructor(name: string) {
    this.name = name;
  }
  postMessage(): void {}
  disconnect(): void {
    this.disconnected = true;
  }
  onMessage = { addListener: (fn: Listener<unknown>) => this.messageListeners.push(fn) };
  onDisconnect = { addListener: (fn: Listener<void>) => this.disconnectListeners.push(fn) };
}

const view: OverviewView = { agencies: [], selected: null, view: null };

describe('message client', () => {
  it('returns the background’s answer as the typed response', async () => {
    const rt: RuntimeLike = {
      sendMessage: async () => ({ ok: true, value: { code: 'ao2.x', expiresAt: 1 } }),
      connect: () => new FakePort('x'),
    };
    const r = await sendWith(rt, {
      kind: 'createDeviceInvite',
      agencyId: 'AAAAAAAAAAAA',
      member: 'k'.repeat(43),
      expiresInDays: 1,
    });
    expect(r).toEqual({ ok: true, value: { code: 'ao2.x', expiresAt: 1 } });
  });

  it('turns an unreachable background into a refusal instead of throwing', async () => {
    const rt: RuntimeLike = {
      sendMessage: async () => {
        throw new Error('Could not establish connection. Receiving end does not exist.');
      },
      connect: () => new FakePort('x'),
    };
    expect(await sendWith(rt, { kind: 'overview' })).toMatchObject({ ok: false, code: 'NO_BACKGROUND' });
    const silent: RuntimeLike = { sendMessage: async () => undefined, connect: () => new FakePort('x') };
    expect(await sendWith(silent, { kind: 'overview' })).toMatchObject({ ok: false, code: 'NO_ANSWER' });
  });

  it('subscribes on the state port and reopens it when the worker stops', async () => {
    const ports: FakePort[] = [];
    const rt: RuntimeLike = {
      sendMessage: async () => undefined,
      connect: ({ name }) => {
        const p = new FakePort(name);
        ports.push(p);
        return p;
      },
    };
    const seen: OverviewView[] = [];
    const stop = subscribeWith(rt, (v) => seen.push(v), { retryMs: 1 });
    expect(ports[0]?.name).toBe(STATE_PORT);
    for (const l of ports[0]!.messageListeners) l(view);
    expect(seen).toEqual([view]);
    for (const l of ports[0]!.disconnectListeners) l();
    await expect.poll(() => ports.length).toBe(2);
    stop();
    expect(ports[1]!.disconnected).toBe(true);
    for (const l of ports[1]!.disconnectListeners) l();
    await new Promise((r) => setTimeout(r, 5));
    expect(ports.length).toBe(2);
  });
});
