// @vitest-environment-options { "url": "https://www.upwork.com/" }
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  findJobContainer,
  locationChangeEventHook,
  type PageWatch,
  watchPage,
} from '../../../extension/features/upwork-page/watch-page.ts';
import { $, applyPath, buttonByText, flush, JOB_KEYS, jobPath, loadApp, loadPage } from './fake-upwork.ts';

const KEY = JOB_KEYS['member-hourly'];

type Call = ['apply', string, Element] | ['job', string, Element] | ['leave'];

let controller: AbortController;
let calls: Call[];
let urlListeners: Array<(url: string) => void>;

function start(): PageWatch {
  return watchPage({
    win: window,
    signal: controller.signal,
    onUrlChange: (listener, signal) => {
      urlListeners.push(listener);
      signal.addEventListener('abort', () => urlListeners.splice(urlListeners.indexOf(listener), 1));
    },
    onApplyForm: (root, jobKey) => calls.push(['apply', jobKey, root]),
    onJobPage: (jobKey, container) => calls.push(['job', jobKey, container]),
    onLeave: () => calls.push(['leave']),
  });
}

const kinds = (): string[] => calls.map((c) => (c[0] === 'leave' ? 'leave' : `${c[0]} ${c[1]}`));

const announceUrl = (): void => {
  for (const listener of urlListeners) listener(window.location.href);
};

beforeEach(() => {
  controller = new AbortController();
  calls = [];
  urlListeners = [];
});

afterEach(() => {
  controller.abort();
});

describe('watchPage', () => {
  it('announces the apply form present at start, with its root element and job key', () => {
    loadPage(applyPath(KEY));
    const watch = start();
    expect(calls).toEqual([['apply', KEY, $('.fe-job-apply')]]);
    expect(watch.current).toMatchObject({ kind: 'apply', jobKey: KEY });
  });

  it('announces a job page and a find-work slide-over with the job key and the job’s container', () => {
    loadPage(jobPath(KEY));
    start();
    expect(calls).toEqual([['job', KEY, $('[data-test="job-details"]')]]);
    controller.abort();

    controller = new AbortController();
    calls = [];
    loadPage(`/nx/find-work/best-matches/details/${JOB_KEYS.boost}`);
    start();
    expect(kinds()).toEqual([`job ${JOB_KEYS.boost}`]);
  });

  it('announces nothing on other pages', () => {
    loadPage(jobPath(KEY));
    window.history.replaceState(null, '', '/nx/find-work/best-matches');
    start();
    expect(calls).toEqual([]);
  });

  it('follows "Apply now" to the apply form reached by in-app navigation (no page load)', async () => {
    const fake = loadApp(jobPath(KEY));
    start();
    buttonByText(/^Apply now$/).click();
    await fake.settled();
    await flush();
    expect(window.location.pathname).toBe(applyPath(KEY));
    expect(kinds()).toEqual([`job ${KEY}`, 'leave', `apply ${KEY}`]);
    expect(calls[2]?.[2]).toBe($('.fe-job-apply'));
  });

  it('no duplicate callbacks after ten navigations back and forth between a job and its form', async () => {
    const fake = loadApp(jobPath(KEY));
    start();
    for (let i = 0; i < 10; i++) {
      buttonByText(/^Apply now$/).click();
      await fake.settled();
      await flush();
      announceUrl();
      buttonByText(/^Cancel$/).click();
      await fake.settled();
      await flush();
      announceUrl();
    }
    await flush();
    const expected = [`job ${KEY}`];
    for (let i = 0; i < 10; i++) expected.push('leave', `apply ${KEY}`, 'leave', `job ${KEY}`);
    expect(kinds()).toEqual(expected);
  });

  it('no duplicate callbacks after ten trips through the browser’s back and forward buttons', async () => {
    const fake = loadApp(jobPath(KEY));
    start();
    buttonByText(/^Apply now$/).click();
    await fake.settled();
    await flush();
    for (let i = 0; i < 10; i++) {
      window.history.back();
      await vi.waitFor(() => expect(window.location.pathname).toBe(jobPath(KEY)));
      await fake.settled();
      await flush();
      window.history.forward();
      await vi.waitFor(() => expect(window.location.pathname).toBe(applyPath(KEY)));
      await fake.settled();
      await flush();
    }
    const expected = [`job ${KEY}`, 'leave', `apply ${KEY}`];
    for (let i = 0; i < 10; i++) expected.push('leave', `job ${KEY}`, 'leave', `apply ${KEY}`);
    expect(kinds()).toEqual(expected);
  });

  it('waits for a form that renders after its URL, and announces it once when it appears', async () => {
    loadPage(jobPath(KEY));
    window.history.replaceState(null, '', applyPath(KEY));
    $('#app').replaceChildren();
    start();
    announceUrl();
    await flush();
    expect(calls).toEqual([]);
    const html = document.createElement('div');
    html.setAttribute('data-fetch-key', 'ApplyPage:0');
    html.innerHTML = '<div class="fe-job-apply"><h1>Submit a proposal</h1></div>';
    $('#app').append(html);
    await flush();
    $('.fe-job-apply').append(document.createElement('p'));
    await flush();
    expect(kinds()).toEqual([`apply ${KEY}`]);
  });

  it('treats a form element replaced by the app as a new appearance: leave, then apply', async () => {
    loadPage(applyPath(KEY));
    start();
    const old = $('.fe-job-apply');
    const copy = old.cloneNode(true) as Element;
    old.replaceWith(copy);
    await flush();
    expect(kinds()).toEqual([`apply ${KEY}`, 'leave', `apply ${KEY}`]);
    expect(calls[2]?.[2]).toBe(copy);
  });

  it('treats the same container showing another job (URL change only) as a new appearance', async () => {
    loadPage(jobPath(KEY));
    start();
    window.history.pushState(null, '', jobPath(JOB_KEYS.boost));
    announceUrl();
    await flush();
    expect(kinds()).toEqual([`job ${KEY}`, 'leave', `job ${JOB_KEYS.boost}`]);
    expect(calls[2]?.[2]).toBe(calls[0]?.[2]);
  });

  it('announces leaving once when the app navigates somewhere else', async () => {
    const fake = loadApp(applyPath(KEY));
    start();
    window.history.pushState(null, '', '/nx/find-work/best-matches');
    $('#app').replaceChildren();
    await fake.settled();
    await flush();
    $('#app').append(document.createElement('div'));
    await flush();
    expect(kinds()).toEqual([`apply ${KEY}`, 'leave']);
  });

  it('stops everything on abort: no callback for navigations, DOM changes or URL announcements', async () => {
    const fake = loadApp(jobPath(KEY));
    const disconnect = vi.spyOn(window.MutationObserver.prototype, 'disconnect');
    start();
    expect(urlListeners).toHaveLength(1);
    controller.abort();
    expect(disconnect).toHaveBeenCalled();
    expect(urlListeners).toEqual([]);
    buttonByText(/^Apply now$/).click();
    await fake.settled();
    await flush();
    window.history.back();
    await fake.settled();
    await flush();
    window.dispatchEvent(new PopStateEvent('popstate'));
    await flush();
    expect(kinds()).toEqual([`job ${KEY}`]);
    disconnect.mockRestore();
  });

  it('keeps watching when a callback throws', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const fake = loadApp(jobPath(KEY));
    let leaves = 0;
    watchPage({
      win: window,
      signal: controller.signal,
      onApplyForm: () => {},
      onJobPage: () => {
        throw new Error('overlay broke');
      },
      onLeave: () => {
        leaves++;
      },
    });
    buttonByText(/^Apply now$/).click();
    await fake.settled();
    await flush();
    expect(leaves).toBe(1);
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});

describe('findJobContainer and locationChangeEventHook', () => {
  it('finds the job by the section around "Apply now" when its data-test is gone', () => {
    loadPage(jobPath(KEY));
    const section = $('[data-test="job-details"]');
    section.removeAttribute('data-test');
    section.className = 'renamed';
    $('[data-fake-apply-now]').removeAttribute('data-test');
    expect(findJobContainer(document)).toBe(section);
  });

  it('wraps a window event such as wxt:locationchange, reading its newUrl, until the signal aborts', () => {
    const seen: string[] = [];
    const hookController = new AbortController();
    locationChangeEventHook(window)((url) => seen.push(url), hookController.signal);
    const event = Object.assign(new Event('wxt:locationchange'), {
      newUrl: new URL('https://www.upwork.com/a'),
    });
    window.dispatchEvent(event);
    window.dispatchEvent(new Event('wxt:locationchange'));
    hookController.abort();
    window.dispatchEvent(event);
    expect(seen).toEqual(['https://www.upwork.com/a', window.location.href]);
  });
});
