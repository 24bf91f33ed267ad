// Decides when a proposal was really sent, so the agency's log records facts and never intentions. A click on
// "Send for N Connects" is not a send: a confirmation modal may follow (and be cancelled), Upwork may refuse
// ("The user already has a pending proposal for this job"), or nothing may come back. Only Upwork's success
// notice, or the page leaving the apply URL with no error shown, counts.
//
// idle ──send click──▶ sending ──modal shown──▶ confirming ──confirm click──▶ confirmed
//                        │  ▲                        │                          │
//                        │  └──────── (none) ────────┘ cancel/close/Esc → idle  │
//                        └── success notice / left the apply URL → onSent ◀─────┘
//                            error notice / timer ran out on the page → onFailed
// Cancel, Back and closing the tab record nothing.
import { closestOf, controlText, isShown, type PageWindow, queryAllOf, textOf } from './dom.ts';
import { isSendButton } from './read-apply-page.ts';
import * as S from './selectors.ts';
import { isApplyUrl, isSameApplyPage, type UrlChangeHook } from './urls.ts';

export type SendWatchState = 'idle' | 'sending' | 'confirming' | 'confirmed';

export type SendFailure =
  | { kind: 'error'; message: string }
  /** Still on the apply page, with no notice, when the bound ran out. */
  | { kind: 'timeout'; afterMs: number };

/** How the send was confirmed: Upwork's success notice, or the page moving on from the apply URL. */
export type SentBy = 'notice' | 'navigation';

/** Time, injectable so tests need no sleeps. */
export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const SEND_TIMEOUT_MS = 15_000;

export interface SendWatchOptions<R> {
  /** The page's window: its document, location, MutationObserver and history events. */
  win: PageWindow;
  /** Every listener, observer and timer goes when this aborts; no callback fires after. */
  signal: AbortSignal;
  /** What is being sent, read at the send click (the form may be gone by the time Upwork confirms). */
  read: () => R;
  onSent: (reading: R, by: SentBy) => void;
  onFailed: (reason: SendFailure) => void;
  onStateChange?: (state: SendWatchState) => void;
  /** In-app navigations (WXT's `wxt:locationchange` in the content script). */
  onUrlChange?: UrlChangeHook;
  clock?: Clock;
  /** How long to wait for Upwork's answer after the send (or the modal's confirm). */
  timeoutMs?: number;
}

export interface SendWatch {
  readonly state: SendWatchState;
  /** The member clicked the Send button. Clicks are also seen by the watcher's own listener. */
  sendClicked(): void;
  /** The member confirmed in Upwork's confirmation modal. */
  confirmClicked(): void;
  /** Cancel, Back, the modal's cancel or close: record nothing. */
  cancelClicked(): void;
  /** Look at the page now (the watcher also does this on every change of the page while pending). */
  check(): void;
}

type NavigationLike = EventTarget & { addEventListener: EventTarget['addEventListener'] };

/** Starts watching `win`'s document for sends; see the state diagram at the top of this file. */
export function watchSends<R>(options: SendWatchOptions<R>): SendWatch {
  const { win, signal, read, onSent, onFailed, onStateChange } = options;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const doc = win.document;

  let state: SendWatchState = 'idle';
  let reading: R | undefined;
  let applyUrl = '';
  let startedAt = 0;
  let timer: unknown = null;
  let observer: MutationObserver | null = null;
  let pendingAdded: Node[] = [];
  // Notices and modals already on the page at the click belong to an earlier attempt, not to this send.
  let before = new WeakSet<Element>();

  const report = (run: () => void): void => {
    try {
      run();
    } catch (error) {
      // A failing callback must not break Upwork's page or the watcher.
      console.error('[agency-overlay] send watch callback failed', error);
    }
  };

  const setState = (next: SendWatchState): void => {
    if (state === next) return;
    state = next;
    if (onStateChange) report(() => onStateChange(next));
  };

  const stopTimer = (): void => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };

  const startTimer = (): void => {
    stopTimer();
    startedAt = clock.now();
    timer = clock.setTimeout(() => {
      timer = null;
      onTimeout();
    }, timeoutMs);
  };

  const stopObserving = (): void => {
    observer?.disconnect();
    observer = null;
    pendingAdded = [];
  };

  const toIdle = (): void => {
    stopTimer();
    stopObserving();
    reading = undefined;
    setState('idle');
  };

  const succeed = (by: SentBy): void => {
    const sent = reading as R;
    toIdle();
    report(() => onSent(sent, by));
  };

  const fail = (reason: SendFailure): void => {
    toIdle();
    report(() => onFailed(reason));
  };

  const shownNew = (selectors: readonly string[]): Element[] =>
    queryAllOf(doc, selectors).filter((el) => !before.has(el) && isShown(el));

  const newText = (pattern: RegExp): string | null => {
    for (const region of shownNew(S.LIVE_REGIONS)) {
      const text = textOf(region);
      if (pattern.test(text)) return text;
    }
    for (const node of pendingAdded) {
      if (!node.isConnected) continue;
      const text = textOf(node);
      if (pattern.test(text)) {
        const match = pattern.exec(text);
        return match ? sentenceAround(text, match.index) : text;
      }
    }
    return null;
  };

  const errorShown = (): string | null => {
    const notice = shownNew(S.ERROR_NOTICE)[0];
    if (notice) return textOf(notice) || 'Upwork showed an error';
    return newText(S.ERROR_TEXT);
  };

  const successShown = (): boolean =>
    shownNew(S.SUCCESS_NOTICE).length > 0 || newText(S.SUCCESS_TEXT) !== null;

  const openModal = (): Element | null => shownNew(S.MODAL)[0] ?? null;

  const leftApplyPage = (): boolean => !isSameApplyPage(win.location.href, applyUrl);

  const check = (): void => {
    if (state === 'idle' || signal.aborted) return;
    const error = errorShown();
    if (error) {
      fail({ kind: 'error', message: error });
      return;
    }
    if (successShown()) {
      succeed('notice');
      return;
    }
    if (leftApplyPage()) {
      succeed('navigation');
      return;
    }
    pendingAdded = [];
    const modal = openModal();
    if (state === 'sending' && modal) {
      // The member is reading the modal: their time is not Upwork's, so the bound waits for the confirm.
      stopTimer();
      setState('confirming');
    } else if (state === 'confirming' && !modal) {
      // Closed without its confirm button (Escape, a click outside): nothing was sent.
      toIdle();
    }
  };

  function onTimeout(): void {
    if (state === 'idle') return;
    check();
    if (state === 'sending' || state === 'confirmed') {
      fail({ kind: 'timeout', afterMs: clock.now() - startedAt });
    }
  }

  const observe = (): void => {
    if (observer || typeof win.MutationObserver !== 'function') return;
    const created = new win.MutationObserver((records) => {
      for (const record of records) {
        for (const node of Array.from(record.addedNodes)) pendingAdded.push(node);
        if (record.type === 'characterData' && record.target.parentNode) {
          pendingAdded.push(record.target.parentNode);
        }
      }
      check();
    });
    observer = created;
    created.observe(doc.documentElement, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['class', 'hidden', 'aria-hidden', 'style', 'open'],
    });
  };

  const sendClicked = (): void => {
    if (signal.aborted || state !== 'idle') return;
    // Elsewhere, "leaving the apply URL" would be true at once and read as a send.
    if (!isApplyUrl(win.location.href)) return;
    let snapshot: R;
    try {
      snapshot = read();
    } catch (error) {
      console.error('[agency-overlay] could not read the form at send', error);
      return;
    }
    // Only what is shown: a modal or notice kept mounted but hidden (v-show) is new when it shows.
    before = new WeakSet(
      queryAllOf(doc, [...S.SUCCESS_NOTICE, ...S.ERROR_NOTICE, ...S.LIVE_REGIONS, ...S.MODAL]).filter(
        isShown,
      ),
    );
    reading = snapshot;
    applyUrl = win.location.href;
    setState('sending');
    startTimer();
    observe();
  };

  const confirmClicked = (): void => {
    if (signal.aborted || (state !== 'confirming' && state !== 'sending')) return;
    setState('confirmed');
    startTimer();
  };

  const cancelClicked = (): void => {
    if (state !== 'idle') toIdle();
  };

  const onClick = (event: Event): void => {
    const target = event.target as Element | null;
    const control = target?.closest?.(S.BUTTONS[0] ?? 'button');
    if (!control) return;
    if ((control as HTMLButtonElement).disabled || control.getAttribute('aria-disabled') === 'true') return;
    const text = controlText(control);
    const modal = closestOf(control, S.MODAL);
    if (modal) {
      if (state !== 'sending' && state !== 'confirming') return;
      if (closestOf(control, S.MODAL_CLOSE) || S.MODAL_CANCEL_TEXT.test(text)) cancelClicked();
      else if (S.MODAL_CONFIRM_TEXT.test(text)) confirmClicked();
      return;
    }
    if (isSendButton(control)) sendClicked();
    else if (S.LEAVE_TEXT.test(text) && closestOf(control, S.FOOTER)) cancelClicked();
  };

  // Capture phase: Upwork's own handler may remove the modal or the button before a bubbling listener runs.
  doc.addEventListener('click', onClick, { capture: true, signal });
  // Back or forward in the browser's history is the member leaving, not Upwork moving on after a send.
  win.addEventListener('popstate', cancelClicked, { signal });
  const navigation = (win as Window & { navigation?: NavigationLike }).navigation;
  navigation?.addEventListener(
    'navigate',
    (event) => {
      // The Navigation API announces a traversal before the URL changes, and before WXT's location event.
      if ((event as Event & { navigationType?: string }).navigationType === 'traverse') cancelClicked();
    },
    { signal },
  );
  // The hook may fire before the URL commits: look once the current task's microtasks have run.
  options.onUrlChange?.(() => queueMicrotask(check), signal);
  signal.addEventListener(
    'abort',
    () => {
      // Silently: after teardown nothing may call back, not even onStateChange.
      stopTimer();
      stopObserving();
      reading = undefined;
      state = 'idle';
    },
    { once: true },
  );

  return {
    get state() {
      return state;
    },
    sendClicked,
    confirmClicked,
    cancelClicked,
    check,
  };
}

/** The sentence of `text` around `index`, for an error message found inside a larger block. */
function sentenceAround(text: string, index: number): string {
  const start = Math.max(0, text.lastIndexOf('.', index) + 1);
  const end = text.indexOf('.', index);
  return text.slice(start, end < 0 ? undefined : end + 1).trim();
}
