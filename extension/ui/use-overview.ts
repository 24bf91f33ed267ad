// The page's live copy of the background's OverviewView: the subscription keeps it current, and one
// `overview` request fills it at once in case the subscription's first post is still on its way.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { OverviewView } from '../messaging/types.ts';
import type { Refusal, UiClient } from './client.ts';

export interface OverviewState {
  view: OverviewView | null;
  error: Refusal | null;
}

export function useOverview(client: UiClient, initial: OverviewView | null = null): OverviewState {
  const [state, setState] = useState<OverviewState>({ view: initial, error: null });
  useEffect(() => {
    let live = false;
    let closed = false;
    const unsubscribe = client.subscribe((view) => {
      live = true;
      setState({ view, error: null });
    });
    client
      .send({ kind: 'overview' })
      .then((res) => {
        if (closed || live) return;
        setState(res.ok ? { view: res.value, error: null } : { view: null, error: res });
      })
      .catch((e: unknown) => {
        if (closed || live) return;
        setState((s) => ({ ...s, error: { code: 'UNREACHABLE', rule: 'LOG', message: String(e) } }));
      });
    return () => {
      closed = true;
      unsubscribe();
    };
  }, [client]);
  return state;
}

/** The current time, refreshed every `everyMs`, so "5 minutes ago" stays true while a page is open. */
export function useNow(fixed?: number, everyMs = 30_000): number {
  const [now, setNow] = useState(() => fixed ?? Date.now());
  useEffect(() => {
    if (fixed !== undefined) return;
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [fixed, everyMs]);
  return fixed ?? now;
}

/**
 * Marks the first render that shows the background's data (performance.mark), once per page: the e2e test
 * reads it as the popup's first render time.
 */
export function useFirstDataMark(name: string, ready: boolean): void {
  const marked = useRef(false);
  useEffect(() => {
    if (!ready || marked.current) return;
    marked.current = true;
    performance.mark(name);
  }, [name, ready]);
}
