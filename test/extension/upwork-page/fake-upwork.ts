// Loads the fake Upwork pages of test/fixtures/upwork into happy-dom's document, as a browser would show them
// at https://www.upwork.com/<path>. Test files using these helpers declare that origin in their docblock.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { FIXTURE_DIR, routeUpworkPath } from '../../fixtures/upwork/routes.ts';

export const UPWORK = 'https://www.upwork.com';

export { AGENCY, applyPath, FIXTURE_JOBS, JOB_KEYS, jobPath } from '../../fixtures/upwork/routes.ts';

function fixtureFor(url: URL): string {
  const route = routeUpworkPath(url.pathname, url.search);
  if (!route) throw new Error(`no fixture for ${url.href}`);
  return readFileSync(route.file, 'utf8');
}

/** Shows the page for `path` (with its query string), as if loaded fresh, without running its scripts. */
export function loadPage(path: string): void {
  const url = new URL(path, UPWORK);
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  const parsed = new DOMParser().parseFromString(fixtureFor(url), 'text/html');
  document.title = parsed.title;
  document.body.replaceChildren(
    ...Array.from(parsed.body.childNodes, (node) => document.importNode(node, true)),
  );
}

interface FakeUpwork {
  navigate(url: string): Promise<void>;
  mount(): void;
  settled(): Promise<void>;
}

/**
 * Runs the fake's single-page-app script (once per test file: it binds delegated listeners on the document),
 * with `fetch` answering from the fixtures as the static server would.
 */
export function installFake(): FakeUpwork {
  vi.stubGlobal('fetch', async (input: string | URL) => {
    const html = fixtureFor(new URL(String(input), window.location.href));
    return { ok: true, status: 200, text: async () => html };
  });
  const scope = window as unknown as { __upworkFake?: FakeUpwork };
  if (!scope.__upworkFake) {
    const script = readFileSync(join(FIXTURE_DIR, 'upwork-fake.js'), 'utf8');
    new Function(script)();
  }
  if (!scope.__upworkFake) throw new Error('the fake did not install');
  return scope.__upworkFake;
}

/** Shows the page for `path` with the fake app running on it, as after a page load. */
export function loadApp(path: string): FakeUpwork {
  loadPage(path);
  const fake = installFake();
  fake.mount();
  return fake;
}

/** Lets MutationObserver callbacks and promise chains run. */
export const flush = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

export function $(selector: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(selector);
  if (!el) throw new Error(`no ${selector}`);
  return el;
}

export function buttonByText(text: RegExp): HTMLElement {
  const found = Array.from(document.querySelectorAll<HTMLElement>('button, a')).find((b) =>
    text.test((b.textContent ?? '').trim()),
  );
  if (!found) throw new Error(`no button ${text}`);
  return found;
}

/** A clock the test moves by hand: timers run in order when `advance` passes their time. */
export function manualClock(start = 1_000_000) {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    now: () => now,
    setTimeout(run: () => void, ms: number): unknown {
      const id = nextId++;
      timers.set(id, { at: now + ms, run });
      return id;
    },
    clearTimeout(handle: unknown): void {
      timers.delete(handle as number);
    },
    advance(ms: number): void {
      const until = now + ms;
      for (;;) {
        let earliest: [number, { at: number; run: () => void }] | undefined;
        for (const entry of timers)
          if (entry[1].at <= until && (!earliest || entry[1].at < earliest[1].at)) earliest = entry;
        if (!earliest) break;
        timers.delete(earliest[0]);
        now = earliest[1].at;
        earliest[1].run();
      }
      now = until;
    },
    get pending(): number {
      return timers.size;
    },
  };
}
