// Everything the content script does on www.upwork.com, tied to one AbortSignal: follow the page (watchPage)
// to mount the overlay on each proposal form and a badge on each job page, watch sends (watchSends) to record
// a proposal only once Upwork confirmed it, and show a quiet notice when an apply URL never shows a form the
// overlay knows. The content script's main() only wires this to WXT.
import { h, render } from 'preact';
import type { PageWindow } from '../features/upwork-page/dom.ts';
import type { Clock, SendFailure, SendWatch } from '../features/upwork-page/send-watch.ts';
import { watchSends } from '../features/upwork-page/send-watch.ts';
import { isApplyUrl, type UrlChangeHook } from '../features/upwork-page/urls.ts';
import { watchPage } from '../features/upwork-page/watch-page.ts';
import type { UiClient } from '../ui/client.ts';
import { type ApplySession, OVERLAY_HOST, type SendSnapshot, startApplySession } from './apply-session.ts';
import { childController } from './child-controller.ts';
import { startJobSession } from './job-session.ts';
import type { MountUi } from './mount.ts';
import { createOverviewHub, type OverviewHub } from './overview-hub.ts';
import { UnrecognisedForm } from './page-notice.tsx';

export interface OverlayOptions {
  win: PageWindow;
  signal: AbortSignal;
  client: UiClient;
  mountUi: MountUi;
  /** In-app navigations: WXT's `wxt:locationchange`, through a UrlHub. */
  onUrlChange?: UrlChangeHook;
  now?: () => number;
  perfNow?: () => number;
  /** How long an apply URL may go without a recognisable form before the quiet notice shows. */
  unrecognisedAfterMs?: number;
  /** For the send watcher (tests move time by hand). */
  clock?: Clock;
  sendTimeoutMs?: number;
}

export interface Overlay {
  readonly hub: OverviewHub;
  readonly session: ApplySession | null;
  readonly sends: SendWatch;
}

export const UNRECOGNISED_AFTER_MS = 8_000;

function failureText(reason: SendFailure): string {
  return reason.kind === 'error'
    ? `Upwork did not send the proposal (“${reason.message}”): nothing was recorded.`
    : `Upwork did not confirm the send within ${Math.round(reason.afterMs / 1000)} s: nothing was recorded.`;
}

export function startOverlay(options: OverlayOptions): Overlay {
  const { win, signal, client, mountUi } = options;
  const now = options.now ?? (() => Date.now());
  const perfNow = options.perfNow ?? (() => win.performance.now());
  const hub = createOverviewHub(client, signal);

  let pageController: AbortController | null = null;
  let session: ApplySession | null = null;
  let noticeController: AbortController | null = null;
  let noticeTimer: number | null = null;

  const endPage = (): void => {
    pageController?.abort();
    pageController = null;
    session = null;
  };

  const newPageSignal = (): AbortSignal => {
    endPage();
    pageController = childController(signal);
    return pageController.signal;
  };

  // An apply URL whose form never appears in a shape the reader knows: say so quietly, once.
  const clearNotice = (): void => {
    if (noticeTimer !== null) win.clearTimeout(noticeTimer);
    noticeTimer = null;
    noticeController?.abort();
    noticeController = null;
  };
  const showNotice = (): void => {
    noticeTimer = null;
    if (signal.aborted || session || !isApplyUrl(win.location.href)) return;
    const controller = childController(signal);
    noticeController = controller;
    const doc = win.document;
    const place = doc.querySelector('main') ?? doc.body;
    void mountUi({
      name: OVERLAY_HOST,
      anchor: () => ({ element: place, append: 'first' }),
      signal: controller.signal,
    }).then((ui) => {
      if (controller.signal.aborted) return;
      ui.host.dataset.state = 'unrecognised';
      render(h(UnrecognisedForm, { missing: ['the proposal form'] }), ui.container);
      controller.signal.addEventListener('abort', () => render(null, ui.container), { once: true });
    });
  };
  const armNotice = (): void => {
    clearNotice();
    if (signal.aborted || session || !isApplyUrl(win.location.href)) return;
    noticeTimer = win.setTimeout(showNotice, options.unrecognisedAfterMs ?? UNRECOGNISED_AFTER_MS);
  };

  watchPage({
    win,
    signal,
    onUrlChange: options.onUrlChange,
    onApplyForm(root, jobKey) {
      clearNotice();
      const pageSignal = newPageSignal();
      session = startApplySession({
        win,
        root,
        jobKey,
        signal: pageSignal,
        hub,
        client,
        mountUi,
        now,
        perfNow,
      });
    },
    onJobPage(jobKey, container) {
      clearNotice();
      startJobSession({ win, container, jobKey, signal: newPageSignal(), hub, mountUi, now });
    },
    onLeave() {
      endPage();
      armNotice();
    },
  });
  if (!session) armNotice();
  options.onUrlChange?.(() => {
    // The watcher announces forms; this only restarts the "no form here" clock on a new URL.
    if (!session) armNotice();
    else clearNotice();
  }, signal);

  const record = async (snapshot: SendSnapshot): Promise<void> => {
    const shown = (): ApplySession | null => (session?.jobKey === snapshot.jobKey ? session : null);
    // From the confirmation on, the form shows the state after the send: never a second projection of it.
    shown()?.sent(snapshot);
    const res = await client.send(snapshot.request);
    if (res.ok) {
      console.info(
        `[agency-overlay] recorded ${snapshot.request.type} on ${snapshot.jobKey} at ${now()} (${res.value.id})`,
      );
      shown()?.recorded({
        ok: true,
        id: res.value.id,
        flags: res.value.flags.map((f) => ({ rule: f.rule, message: f.message })),
      });
    } else {
      console.warn(`[agency-overlay] the proposal was not recorded: ${res.rule} ${res.message}`);
      shown()?.recorded({ ok: false, message: res.message });
    }
  };

  const sends = watchSends<SendSnapshot | null>({
    win,
    signal,
    onUrlChange: options.onUrlChange,
    clock: options.clock,
    timeoutMs: options.sendTimeoutMs,
    read: () => session?.snapshot() ?? null,
    onSent: (snapshot) => {
      if (snapshot) void record(snapshot);
    },
    onFailed: (reason) => session?.showNote({ kind: 'not-sent', text: failureText(reason) }),
  });

  signal.addEventListener(
    'abort',
    () => {
      clearNotice();
      endPage();
    },
    { once: true },
  );

  return {
    hub,
    get session() {
      return session;
    },
    sends,
  };
}
