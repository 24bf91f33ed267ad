// One of Upwork's work pages (proposals list, contracts, timesheet, Connects history, offer…) under the
// overlay, tied to one AbortSignal: follows in-app navigation, reads the page again whenever Upwork changes it,
// mounts one `<agency-overlay data-page="…">` per page view, renders the page's view with the agency's state,
// and records the page's facts once each. When the page never shows what its reader knows, a quiet notice
// names what was not found. Passive: it reads what the member sees and never touches Upwork's controls.
import { type ComponentChild, h, render } from 'preact';
import type { PageWindow } from '../features/upwork-page/dom.ts';
import type { Anchor } from '../features/upwork-page/find-anchor.ts';
import type { UrlChangeHook } from '../features/upwork-page/urls.ts';
import { classifyWorkUrl, type WorkPageName, type WorkUrl } from '../features/upwork-page/work-urls.ts';
import type { AgencyView, OverviewView } from '../messaging/types.ts';
import type { UiClient } from '../ui/client.ts';
import { childController } from './child-controller.ts';
import type { MountedUi, MountUi } from './mount.ts';
import { createOverviewHub } from './overview-hub.ts';
import type { FactRequest } from './page-facts.ts';
import { PageNotice } from './page-notice.tsx';

export const WORK_HOST = 'agency-overlay';
export const WORK_NOTICE_AFTER_MS = 8_000;

export type PageReading<R> = { found: true; value: R } | { found: false; missing: string[] };

export interface PageContext {
  url: WorkUrl;
  overview: OverviewView | null;
  /** The selected agency's view, null while loading or without one. */
  view: AgencyView | null;
  now: number;
}

export interface WorkPageDef<R> {
  /** The page's `data-page` and which URLs are it (work-urls.ts). */
  pages: readonly WorkPageName[];
  /** Reads the page; `found: false` while it is not (yet) there. */
  read(doc: Document, url: WorkUrl): PageReading<R>;
  /** Where the overlay goes once the page is read. */
  anchor(doc: Document, reading: R): Anchor;
  view(reading: R, ctx: PageContext): ComponentChild;
  /** The facts this page states that the agency's state lacks, each with a key that is sent at most once. */
  facts?(reading: R, ctx: PageContext): { key: string; request: FactRequest }[];
}

export interface WorkPageOptions<R> {
  win: PageWindow;
  signal: AbortSignal;
  client: UiClient;
  mountUi: MountUi;
  onUrlChange?: UrlChangeHook;
  page: WorkPageDef<R>;
  now?: () => number;
  noticeAfterMs?: number;
}

const noticeAnchor = (doc: Document): Anchor => ({
  element: doc.querySelector('main') ?? doc.body,
  append: 'first',
});

/** Runs `page` on every URL that is it; returns nothing (everything goes with `signal`). */
export function startWorkPage<R>(options: WorkPageOptions<R>): void {
  const { win, signal, page } = options;
  const now = options.now ?? (() => Date.now());
  let visit: AbortController | null = null;
  let visitedUrl: string | null = null;

  const follow = (href: string): void => {
    const url = classifyWorkUrl(href);
    const ours = url !== null && page.pages.includes(url.page);
    // The same page with another query or hash is the same page view (one overlay across them).
    const key = ours ? `${url.page}|${url.id ?? ''}|${new URL(href).pathname}` : null;
    if (key === visitedUrl) return;
    visit?.abort();
    visit = null;
    visitedUrl = key;
    if (!ours || !url) return;
    visit = childController(signal);
    startVisit(options, url, visit.signal, now);
  };

  follow(win.location.href);
  options.onUrlChange?.((href) => follow(href), signal);
}

function startVisit<R>(options: WorkPageOptions<R>, url: WorkUrl, signal: AbortSignal, now: () => number) {
  const { win, page, client } = options;
  const doc = win.document;
  const hub = createOverviewHub(client, signal);
  const sent = new Set<string>();
  let ui: MountedUi | null = null;
  let mounting = false;
  let reading: PageReading<R> = page.read(doc, url);
  let noticeDue = false;
  let readTimer: number | null = null;

  const context = (): PageContext => {
    const overview = hub.overview;
    return { url, overview, view: overview?.view ?? null, now: now() };
  };

  const draw = (): void => {
    if (signal.aborted) return;
    if (!ui) {
      if (reading.found || noticeDue) void mount();
      return;
    }
    // Moved beside the page's own anchor once the page is read (a notice sat at the top of <main>).
    if (!ui.host.isConnected || (reading.found && ui.host.dataset.state === 'unrecognised')) ui.remount();
    const ctx = context();
    ui.host.dataset.page = url.page;
    if (reading.found) {
      ui.host.dataset.state = ctx.view ? 'ready' : 'loading';
      render(page.view(reading.value, ctx), ui.container);
      if (ctx.view) record(reading.value, ctx);
    } else {
      ui.host.dataset.state = 'unrecognised';
      render(h(UnknownPage, { missing: reading.missing }), ui.container);
    }
  };

  const record = (value: R, ctx: PageContext): void => {
    for (const fact of page.facts?.(value, ctx) ?? []) {
      if (sent.has(fact.key)) continue;
      sent.add(fact.key);
      void client.send(fact.request).then((res) => {
        if (!res.ok) console.warn(`[agency-overlay] ${fact.request.type} not recorded: ${res.message}`);
      });
    }
  };

  const mount = async (): Promise<void> => {
    if (mounting || ui) return;
    mounting = true;
    try {
      const mounted = await options.mountUi({
        name: WORK_HOST,
        anchor: () => (reading.found ? page.anchor(doc, reading.value) : noticeAnchor(doc)),
        signal,
      });
      if (signal.aborted) return;
      ui = mounted;
      draw();
    } catch (error) {
      console.error('[agency-overlay] could not mount the overlay', error);
    } finally {
      mounting = false;
    }
  };

  // Upwork renders its pages after load and re-renders them in place: read again (at most every 100 ms).
  const reread = (): void => {
    readTimer = null;
    if (signal.aborted) return;
    reading = page.read(doc, url);
    draw();
  };
  const observer = new win.MutationObserver((records) => {
    // Our own host going in or out is no change of Upwork's page.
    if (records.every((r) => [...r.addedNodes, ...r.removedNodes].every((n) => n === ui?.host))) return;
    if (readTimer === null) readTimer = win.setTimeout(reread, 100);
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true, characterData: true });
  const noticeTimer = win.setTimeout(() => {
    noticeDue = true;
    draw();
  }, options.noticeAfterMs ?? WORK_NOTICE_AFTER_MS);
  const offHub = hub.listen(draw);

  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      offHub();
      win.clearTimeout(noticeTimer);
      if (readTimer !== null) win.clearTimeout(readTimer);
      if (ui) render(null, ui.container);
      ui = null;
    },
    { once: true },
  );
  draw();
}

function UnknownPage({ missing }: { missing: string[] }) {
  return h(PageNotice, {
    title: 'this page does not look the way it knows, so it stays out of the way.',
    testId: 'unrecognised',
    children: `Not found: ${missing.join(', ')}. Nothing is read or recorded from this page.`,
  });
}
