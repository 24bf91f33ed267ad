// The content script's live copy of the background's OverviewView, shared by every page session: one
// subscription for the script's lifetime, plus one `overview` request in case the first post is late.
import type { OverviewView } from '../messaging/types.ts';
import type { UiClient } from '../ui/client.ts';

export interface OverviewHub {
  readonly overview: OverviewView | null;
  /** performance.now() when the first view arrived (a timing mark for the e2e test); null before. */
  readonly firstViewAt: number | null;
  /** Calls `fn` after every change; returns the function that stops it. */
  listen(fn: () => void): () => void;
}

export function createOverviewHub(client: UiClient, signal: AbortSignal): OverviewHub {
  let overview: OverviewView | null = null;
  let live = false;
  let firstViewAt: number | null = null;
  const arrived = (view: OverviewView): void => {
    overview = view;
    firstViewAt ??= performance.now();
    emit();
  };
  const listeners = new Set<() => void>();
  const emit = (): void => {
    for (const fn of [...listeners]) {
      try {
        fn();
      } catch (error) {
        console.error('[agency-overlay] overview listener failed', error);
      }
    }
  };
  if (!signal.aborted) {
    const unsubscribe = client.subscribe((view) => {
      if (signal.aborted) return;
      live = true;
      arrived(view);
    });
    signal.addEventListener('abort', unsubscribe, { once: true });
    void client.send({ kind: 'overview' }).then((res) => {
      if (signal.aborted || live || !res.ok) return;
      arrived(res.value);
    });
  }
  return {
    get overview() {
      return overview;
    },
    get firstViewAt() {
      return firstViewAt;
    },
    listen(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
