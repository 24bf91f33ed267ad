// @vitest-environment node
// Issue 11: the work pages' script is injected on a page load of a work page only; when Upwork's app reaches
// one in place, the proposal form's content script asks the background to start it. The request comes from
// inside Upwork's page, so everything in it is an attacker's choice: it can only put our own packaged script
// into the sender's own tab and top frame, on a work page's URL, once per document. The injection itself
// (scripting.executeScript) is the browser's; test/e2e/work-pages.test.ts runs it for real.
import { describe, expect, it } from 'vitest';
import type { Agencies } from '../../../extension/background/agencies.ts';
import { Router, type SenderLike } from '../../../extension/background/router.ts';
import { workPagesStarter } from '../../../extension/background/work-pages-starter.ts';
import { WORK_PAGE_MATCHES } from '../../../extension/features/upwork-page/work-urls.ts';
import type { Response } from '../../../extension/messaging/types.ts';

const ORIGIN = 'chrome-extension://abcdefghijklmnop/';
const PROPOSALS = 'https://www.upwork.com/nx/proposals/';

function starter() {
  const injected: { tabId: number; frameId: number; file: string }[] = [];
  const start = workPagesStarter(async (target, file) => {
    injected.push({ ...target, file });
  });
  return { injected, start };
}

const from = (over: Record<string, unknown> = {}) => ({
  tab: { id: 7 },
  frameId: 0,
  documentId: 'doc-1',
  url: 'https://www.upwork.com/jobs/~022001000000000000002',
  ...over,
});

describe('starting the work pages’ script on an in-place navigation', () => {
  it('injects the packaged work-pages script into the sender’s own tab and top frame', async () => {
    const { injected, start } = starter();
    expect(await start({ kind: 'startWorkPages', url: PROPOSALS }, from())).toEqual({
      ok: true,
      value: null,
    });
    expect(injected).toEqual([{ tabId: 7, frameId: 0, file: '/content-scripts/work-pages.js' }]);
    // Any port, as match patterns read it (the Firefox tests serve Upwork on one).
    const other = await start(
      { kind: 'startWorkPages', url: 'https://www.upwork.com:8443/nx/proposals/' },
      from({ documentId: 'doc-9' }),
    );
    expect(other.ok).toBe(true);
  });

  it('once per document: a second request from the same page injects nothing more', async () => {
    const { injected, start } = starter();
    await start({ kind: 'startWorkPages', url: PROPOSALS }, from());
    await start({ kind: 'startWorkPages', url: 'https://www.upwork.com/nx/wm/freelancer/contracts' }, from());
    expect(injected).toHaveLength(1);
    // A new document in the same tab (a page load) is another one.
    await start({ kind: 'startWorkPages', url: PROPOSALS }, from({ documentId: 'doc-2' }));
    expect(injected).toHaveLength(2);
  });

  it('refuses a URL that is not a work page, on another host, too long or missing, and injects nothing', async () => {
    const { injected, start } = starter();
    const urls: unknown[] = [
      'https://www.upwork.com/nx/proposals/job/~022001000000000000002/apply/',
      'https://www.upwork.com/jobs/~022001000000000000002',
      'https://evil.example/nx/proposals/',
      'http://www.upwork.com/nx/proposals/',
      `${PROPOSALS}?${'a'.repeat(2_100)}`,
      'not a url',
      undefined,
      42,
    ];
    for (const url of urls) {
      const res = await start({ kind: 'startWorkPages', url }, from());
      expect(res.ok, String(url).slice(0, 80)).toBe(false);
    }
    expect(injected).toEqual([]);
  });

  it('refuses a sender without a tab, or in a frame inside the page', async () => {
    const { injected, start } = starter();
    expect((await start({ kind: 'startWorkPages', url: PROPOSALS }, from({ tab: undefined }))).ok).toBe(
      false,
    );
    expect((await start({ kind: 'startWorkPages', url: PROPOSALS }, from({ frameId: 3 }))).ok).toBe(false);
    expect(injected).toEqual([]);
  });

  it('the router answers it only for a content script, before parsing, and no agency is touched', async () => {
    const { injected, start } = starter();
    const agencies = {
      subscribe: () => () => {},
      handle: () => {
        throw new Error('no agency request was expected');
      },
    } as unknown as Agencies;
    const router = new Router(agencies, { extensionOrigin: ORIGIN, startWorkPages: start });
    const post = (message: unknown, sender: SenderLike): Promise<Response> =>
      new Promise((resolve) => router.onMessage(message, sender, resolve));
    expect(await post({ kind: 'startWorkPages', url: PROPOSALS }, from())).toEqual({ ok: true, value: null });
    // From the extension's own page it is no request at all.
    const own = await post(
      { kind: 'startWorkPages', url: PROPOSALS },
      { tab: { id: 8 }, url: `${ORIGIN}options.html` },
    );
    expect(own.ok).toBe(false);
    expect(injected).toHaveLength(1);
  });
});

describe('the manifest’s patterns for the work pages', () => {
  // Written from upwork-dom.md "Work pages", not from work-urls.ts.
  const WORK = [
    'https://www.upwork.com/nx/proposals/',
    'https://www.upwork.com/nx/proposals',
    'https://www.upwork.com/nx/proposals/active',
    'https://www.upwork.com/nx/proposals/referrals/',
    'https://www.upwork.com/nx/proposals/archived?page=2',
    'https://www.upwork.com/nx/wm/freelancer/contracts',
    'https://www.upwork.com/nx/wm/contracts?status=active',
    'https://www.upwork.com/nx/wm/workroom/41000001/timesheet',
    'https://www.upwork.com/nx/workdiary/?date=2026-11-30&contractId=41000001&tz=mine',
    'https://www.upwork.com/nx/plans/connects/history',
    'https://www.upwork.com/nx/wm/offers/1999000000000000001',
    'https://www.upwork.com/ab/proposals/offer-1999000000000000001',
    'https://www.upwork.com/nx/wm/workroom/41000002/milestones',
    'https://www.upwork.com/nx/wm/workroom/41000001/manual-time',
  ];
  const NOT_WORK = [
    'https://www.upwork.com/nx/proposals/job/~022001000000000000002/apply/',
    'https://www.upwork.com/nx/proposals/1234567890?success',
    'https://www.upwork.com/jobs/~022001000000000000002',
    'https://www.upwork.com/nx/find-work/best-matches',
    'https://www.upwork.com/nx/wm/workroom/41000001/messages',
  ];
  // A match pattern's path is matched against the path and query; `*` is any run of characters.
  const matches = (url: string) =>
    WORK_PAGE_MATCHES.some((pattern) => {
      const { origin, pathname, search } = new URL(url);
      const [, host, path] = /^(https:\/\/[^/]+)(\/.*)$/.exec(pattern)!;
      const re = new RegExp(
        `^${path!
          .split('*')
          .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      );
      return origin === host && re.test(pathname + search);
    });

  it('a page load of every work page injects the script', () => {
    for (const url of WORK) expect(matches(url), url).toBe(true);
  });

  it('the proposal form, a proposal, a job and other pages do not', () => {
    for (const url of NOT_WORK) expect(matches(url), url).toBe(false);
  });
});
