// @vitest-environment node
// Why a request to a sync server failed, as the browser's webRequest API says it (issue 10): the probe asks
// for the reason of the request it just made, and the listener goes with it.
import { describe, expect, it } from 'vitest';
import { NET_ERROR_GRACE_MS, webRequestNetErrors } from '../../../extension/background/net-errors.ts';

type Listener = (details: { url: string; error: string }) => void;

function fakeWebRequest() {
  const listeners = new Map<Listener, string[]>();
  return {
    listeners,
    fire(url: string, error: string) {
      for (const fn of listeners.keys()) fn({ url, error });
    },
    onErrorOccurred: {
      addListener: (fn: Listener, filter: { urls: string[] }) => listeners.set(fn, filter.urls),
      removeListener: (fn: Listener) => listeners.delete(fn),
    },
  };
}

describe('the browser’s reason for a failed request', () => {
  it('is the error webRequest reported for that very URL, watched on its host only', async () => {
    const web = fakeWebRequest();
    const source = webRequestNetErrors(web)!;
    const url = 'https://no-such-host.invalid/healthz';
    const watch = source.watch(url);
    expect([...web.listeners.values()]).toEqual([['*://no-such-host.invalid/*']]);
    web.fire('https://other.example/healthz', 'net::ERR_CONNECTION_REFUSED');
    web.fire(url, 'net::ERR_NAME_NOT_RESOLVED');
    expect(await watch.reason()).toBe('net::ERR_NAME_NOT_RESOLVED');
    watch.stop();
    expect(web.listeners.size).toBe(0);
  });

  it('waits a little for an event that travels apart from the failed fetch, then gives up', async () => {
    const web = fakeWebRequest();
    const url = 'http://127.0.0.1/healthz';
    const late = webRequestNetErrors(web)!.watch(url);
    setTimeout(() => web.fire(url, 'net::ERR_CONNECTION_REFUSED'), 20);
    expect(await late.reason()).toBe('net::ERR_CONNECTION_REFUSED');
    const silent = webRequestNetErrors(web)!.watch(url);
    const started = performance.now();
    expect(await silent.reason()).toBeNull();
    expect(performance.now() - started).toBeGreaterThanOrEqual(NET_ERROR_GRACE_MS - 50);
  });

  it('is absent where the browser has no webRequest API', () => {
    expect(webRequestNetErrors(undefined)).toBeNull();
  });
});
