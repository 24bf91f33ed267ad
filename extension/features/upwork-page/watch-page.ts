// Upwork is a single-page app: the apply form is usually reached by in-app navigation, which does not re-run
// content scripts, and Vue may swap the form's element at any time. This module turns URL changes and DOM
// changes into exactly one callback per appearance of a form or a job page, and one onLeave when it goes.
import { closestOf, findByText, type PageWindow, queryFirst } from './dom.ts';
import { findApplyRoot } from './read-apply-page.ts';
import * as S from './selectors.ts';
import { classifyUrl, type UrlChangeHook } from './urls.ts';

export interface WatchPageOptions {
  win: PageWindow;
  /** Every listener and observer goes when this aborts; no callback fires after (not even onLeave). */
  signal: AbortSignal;
  /** In-app navigations: WXT's `wxt:locationchange` in the content script, through a UrlHub. */
  onUrlChange?: UrlChangeHook;
  /** The proposal form appeared: `root` is its element, for readApplyPage and for mounting the overlay. */
  onApplyForm: (root: Element, jobKey: string) => void;
  /** A job's page or slide-over appeared. */
  onJobPage: (jobKey: string, container: Element) => void;
  /** What the last onApplyForm/onJobPage announced is gone (navigated away, or its element replaced). */
  onLeave: () => void;
}

export type PageAppearance =
  | { kind: 'apply'; jobKey: string; element: Element }
  | { kind: 'job'; jobKey: string; element: Element };

export interface PageWatch {
  /** What is shown now, as last announced. */
  readonly current: PageAppearance | null;
  /** Look at the page now (done automatically on URL and DOM changes). */
  check(): void;
}

/** The job's details on a job page or in the find-work slide-over. */
export function findJobContainer(root: ParentNode): Element | null {
  const found = queryFirst(root, S.JOB_CONTAINER);
  if (found) return found;
  const applyNow =
    queryFirst(root, S.APPLY_NOW) ?? findByText(root, S.BUTTONS[0] ?? 'button, a', S.APPLY_NOW_TEXT);
  return applyNow ? closestOf(applyNow, S.APPLY_NOW_CONTAINER) : null;
}

/**
 * A hook over a plain window event that announces URL changes. Not for WXT's `wxt:locationchange` as such: WXT
 * dispatches it under a name unique to the extension and entrypoint, and only after `ctx.addEventListener`
 * started its location watcher — the content script goes through `ctx.addEventListener` and a UrlHub
 * (extension/overlay/url-hub.ts) instead.
 */
export function locationChangeEventHook(win: PageWindow, eventName = 'wxt:locationchange'): UrlChangeHook {
  return (listener, signal) => {
    win.addEventListener(
      eventName,
      (event) => {
        const newUrl = (event as Event & { newUrl?: URL | string }).newUrl;
        listener(newUrl ? String(newUrl) : win.location.href);
      },
      { signal },
    );
  };
}

const sameAppearance = (a: PageAppearance | null, b: PageAppearance | null): boolean =>
  a === b ||
  (a !== null && b !== null && a.kind === b.kind && a.jobKey === b.jobKey && a.element === b.element);

export function watchPage(options: WatchPageOptions): PageWatch {
  const { win, signal } = options;
  const doc = win.document;
  let current: PageAppearance | null = null;
  let lastHref = '';
  let scheduled: number | null = null;

  const report = (run: () => void): void => {
    try {
      run();
    } catch (error) {
      // The overlay failing to mount must not stop the watcher, nor break Upwork's page.
      console.error('[agency-overlay] page watch callback failed', error);
    }
  };

  const find = (): PageAppearance | null => {
    const page = classifyUrl(win.location.href);
    if (page.kind === 'apply') {
      const element = findApplyRoot(doc);
      return element ? { kind: 'apply', jobKey: page.jobKey, element } : null;
    }
    if (page.kind === 'job') {
      const element = findJobContainer(doc);
      return element ? { kind: 'job', jobKey: page.jobKey, element } : null;
    }
    return null;
  };

  const check = (): void => {
    if (signal.aborted) return;
    lastHref = win.location.href;
    const next = find();
    if (sameAppearance(current, next)) return;
    if (current) {
      current = null;
      report(options.onLeave);
    }
    // A callback may have aborted the signal (the overlay tearing everything down).
    if (!next || signal.aborted) return;
    current = next;
    if (next.kind === 'apply') report(() => options.onApplyForm(next.element, next.jobKey));
    else report(() => options.onJobPage(next.jobKey, next.element));
  };

  const onMutations = (): void => {
    // Upwork's DOM changes constantly; most batches change nothing we care about.
    if (win.location.href === lastHref) {
      if (current?.element.isConnected) return;
      if (!current && classifyUrl(lastHref).kind === 'other') return;
    }
    check();
  };

  const schedule = (): void => {
    if (signal.aborted || scheduled !== null) return;
    // The URL may be announced before it commits and before the app renders the new page: look a task later.
    scheduled = win.setTimeout(() => {
      scheduled = null;
      check();
    }, 0);
  };

  const observer = new win.MutationObserver(onMutations);
  observer.observe(doc.documentElement, { childList: true, subtree: true });
  win.addEventListener('popstate', schedule, { signal });
  win.addEventListener('hashchange', schedule, { signal });
  options.onUrlChange?.(schedule, signal);
  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      if (scheduled !== null) win.clearTimeout(scheduled);
      scheduled = null;
      current = null;
    },
    { once: true },
  );

  if (!signal.aborted) check();
  else observer.disconnect();

  return {
    get current() {
      return current;
    },
    check,
  };
}
