// One listener on WXT's `wxt:locationchange` (registered once, for the content script's lifetime), fanned out
// to the watchers as a UrlChangeHook whose listeners go when their own signal aborts — so a watcher per page
// view adds nothing that outlives it.
import type { UrlChangeHook } from '../features/upwork-page/urls.ts';

export interface UrlHub {
  hook: UrlChangeHook;
  /** Called by the one real listener with the new URL. */
  emit(url: string): void;
  readonly size: number;
}

export function createUrlHub(): UrlHub {
  const listeners = new Set<(url: string) => void>();
  return {
    hook(listener, signal) {
      if (signal.aborted) return;
      const own = (url: string) => listener(url);
      listeners.add(own);
      signal.addEventListener('abort', () => listeners.delete(own), { once: true });
    },
    emit(url) {
      for (const listener of [...listeners]) {
        try {
          listener(url);
        } catch (error) {
          console.error('[agency-overlay] URL change listener failed', error);
        }
      }
    },
    get size() {
      return listeners.size;
    },
  };
}
