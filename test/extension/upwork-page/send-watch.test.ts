// @vitest-environment-options { "url": "https://www.upwork.com/" }
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ApplyPageReading,
  readApplyPage,
} from '../../../extension/features/upwork-page/read-apply-page.ts';
import {
  SEND_TIMEOUT_MS,
  type SendFailure,
  type SendWatch,
  type SendWatchState,
  type SentBy,
  watchSends,
} from '../../../extension/features/upwork-page/send-watch.ts';
import { $, applyPath, buttonByText, flush, JOB_KEYS, jobPath, loadApp, manualClock } from './fake-upwork.ts';

let controller: AbortController;
let clock: ReturnType<typeof manualClock>;
let sent: Array<{ reading: ApplyPageReading; by: SentBy }>;
let failed: SendFailure[];
let states: SendWatchState[];
let urlListeners: Array<(url: string) => void>;

function start(): SendWatch {
  return watchSends<ApplyPageReading>({
    win: window,
    signal: controller.signal,
    read: () => readApplyPage(document, window.location.href),
    onSent: (reading, by) => sent.push({ reading, by }),
    onFailed: (reason) => failed.push(reason),
    onStateChange: (state) => states.push(state),
    onUrlChange: (listener, signal) => {
      urlListeners.push(listener);
      signal.addEventListener('abort', () => urlListeners.splice(urlListeners.indexOf(listener), 1));
    },
    clock,
  });
}

/** Opens `variant`'s apply page with the fake app running; `flags` is its query string. */
async function open(variant: keyof typeof JOB_KEYS, flags = ''): Promise<{ settled(): Promise<void> }> {
  const fake = loadApp(`${applyPath(JOB_KEYS[variant])}?latency=1${flags}`);
  await flush();
  return fake;
}

const sendButton = (): HTMLElement => buttonByText(/^Send for \d+ Connects$/);

function modalButton(text: RegExp): HTMLElement {
  const found = Array.from($('[role="dialog"]').querySelectorAll('button')).find((b) =>
    text.test(b.textContent ?? ''),
  );
  if (!found) throw new Error(`no ${text} in the modal`);
  return found;
}

/** Lets the fake answer (its latency is real, and short) and the watcher see it. */
async function answer(fake: { settled(): Promise<void> }): Promise<void> {
  await fake.settled();
  await flush();
}

beforeEach(() => {
  controller = new AbortController();
  clock = manualClock();
  sent = [];
  failed = [];
  states = [];
  urlListeners = [];
});

afterEach(() => {
  controller.abort();
  document.querySelector('.fake-modal-backdrop')?.remove();
});

describe('watchSends: success', () => {
  it('records a send once Upwork shows its success notice, with the form as it was at the click', async () => {
    const fake = await open('member-hourly', '&success=alert');
    const watch = start();
    sendButton().click();
    expect(watch.state).toBe('sending');
    expect(sent).toEqual([]);
    await answer(fake);
    expect(failed).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.by).toBe('notice');
    expect(sent[0]?.reading).toMatchObject({
      ok: true,
      jobKey: JOB_KEYS['member-hourly'],
      connectsRequired: 16,
      totalConnects: 16,
      proposingAs: 'independent',
    });
    expect(watch.state).toBe('idle');
    expect(states).toEqual(['sending', 'idle']);
  });

  it('records a send when the page moves on from the apply URL with no error shown', async () => {
    const fake = await open('member-hourly', '&success=navigate');
    start();
    sendButton().click();
    await answer(fake);
    expect(window.location.pathname).toMatch(/^\/nx\/proposals\/\d+$/);
    expect(sent.map((s) => s.by)).toEqual(['navigation']);
    expect(failed).toEqual([]);
  });

  it('sees a navigation announced by the URL hook alone (no DOM change)', async () => {
    await open('member-hourly', '&fail=silent');
    start();
    sendButton().click();
    window.history.pushState(null, '', '/nx/proposals/1719987443399618475?success');
    for (const listener of urlListeners) listener(window.location.href);
    await flush();
    expect(sent.map((s) => s.by)).toEqual(['navigation']);
  });

  it('records exactly once when the notice is followed by a navigation', async () => {
    const fake = await open('member-hourly', '&success=both');
    start();
    sendButton().click();
    await answer(fake);
    expect(window.location.pathname).toMatch(/^\/nx\/proposals\/\d+$/);
    expect(sent.map((s) => s.by)).toEqual(['notice']);
  });

  it('records a boosted send with its boost and total, once, however often Send is clicked', async () => {
    const fake = await open('boost', '&confirm=none');
    start();
    sendButton().click();
    sendButton().click();
    await answer(fake);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.reading).toMatchObject({ ok: true, connectsRequired: 16, boost: 8, totalConnects: 24 });
  });

  it('counts a navigation that is only noticed when the bound runs out', async () => {
    await open('member-hourly', '&fail=silent');
    const watch = start();
    sendButton().click();
    // Nothing tells the watcher: no DOM change, no hook.
    window.history.pushState(null, '', '/nx/proposals/1719987443399618475?success');
    clock.advance(SEND_TIMEOUT_MS);
    expect(sent.map((s) => s.by)).toEqual(['navigation']);
    expect(failed).toEqual([]);
    expect(watch.state).toBe('idle');
  });
});

describe('watchSends: failure', () => {
  it('records nothing and reports the error when Upwork says the member already has a pending proposal', async () => {
    const fake = await open('member-hourly', '&fail=pending');
    const watch = start();
    sendButton().click();
    await answer(fake);
    expect(sent).toEqual([]);
    expect(failed).toEqual([
      { kind: 'error', message: 'The user already has a pending proposal for this job' },
    ]);
    expect(watch.state).toBe('idle');
  });

  it('reports a timeout, and records nothing, when the page stays put with no answer for 15 s', async () => {
    const fake = await open('member-hourly', '&fail=silent');
    start();
    sendButton().click();
    await answer(fake);
    clock.advance(SEND_TIMEOUT_MS - 1);
    expect(failed).toEqual([]);
    clock.advance(1);
    expect(failed).toEqual([{ kind: 'timeout', afterMs: SEND_TIMEOUT_MS }]);
    expect(sent).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('an error shown by text alone (no known class) is still an error', async () => {
    await open('member-hourly', '&fail=silent');
    start();
    sendButton().click();
    $('.fe-job-apply').insertAdjacentHTML(
      'afterbegin',
      '<p class="x9">Something went wrong. Please try again.</p>',
    );
    await flush();
    expect(failed).toEqual([{ kind: 'error', message: 'Something went wrong.' }]);
  });

  it('a success notice left from an earlier attempt does not count for this one', async () => {
    const fake = await open('member-hourly', '&success=alert');
    start();
    sendButton().click();
    await answer(fake);
    expect(sent).toHaveLength(1);
    // The same page, now told not to answer: the old notice is still there.
    window.history.replaceState(null, '', `${applyPath(JOB_KEYS['member-hourly'])}?latency=1&fail=silent`);
    sendButton().click();
    await answer(fake);
    clock.advance(SEND_TIMEOUT_MS);
    expect(sent).toHaveLength(1);
    expect(failed).toEqual([{ kind: 'timeout', afterMs: SEND_TIMEOUT_MS }]);
  });

  it('after a failure, a second try that succeeds is recorded once', async () => {
    const fake = await open('member-hourly', '&fail=pending');
    start();
    sendButton().click();
    await answer(fake);
    expect(failed).toHaveLength(1);
    window.history.replaceState(null, '', `${applyPath(JOB_KEYS['member-hourly'])}?latency=1&success=alert`);
    sendButton().click();
    await answer(fake);
    expect(sent).toHaveLength(1);
    expect(failed).toHaveLength(1);
  });
});

describe('watchSends: leaving without sending', () => {
  it('Cancel records nothing, even though the page then leaves the apply URL', async () => {
    const fake = await open('member-hourly', '&fail=silent');
    const watch = start();
    sendButton().click();
    buttonByText(/^Cancel$/).click();
    expect(watch.state).toBe('idle');
    await answer(fake);
    expect(window.location.pathname).toBe(jobPath(JOB_KEYS['member-hourly']));
    clock.advance(SEND_TIMEOUT_MS * 2);
    expect(sent).toEqual([]);
    expect(failed).toEqual([]);
  });

  it('Cancel without a send records nothing', async () => {
    const fake = await open('member-hourly');
    start();
    buttonByText(/^Cancel$/).click();
    await answer(fake);
    clock.advance(SEND_TIMEOUT_MS * 2);
    expect(sent).toEqual([]);
    expect(failed).toEqual([]);
    expect(states).toEqual([]);
  });

  it('Back in the browser (popstate) records nothing', async () => {
    const fake = await open('member-hourly', '&fail=silent');
    window.history.pushState(null, '', `${applyPath(JOB_KEYS['member-hourly'])}?latency=1&fail=silent#/`);
    const watch = start();
    sendButton().click();
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(watch.state).toBe('idle');
    await answer(fake);
    clock.advance(SEND_TIMEOUT_MS);
    expect(sent).toEqual([]);
    expect(failed).toEqual([]);
  });

  it('a click on a Send button outside an apply page is ignored', async () => {
    await open('member-hourly', '&fail=silent');
    window.history.replaceState(null, '', jobPath(JOB_KEYS['member-hourly']));
    const watch = start();
    sendButton().click();
    expect(watch.state).toBe('idle');
  });
});

describe('watchSends: the confirmation modal', () => {
  it('waits for the member in the modal without a timer, and records the send after "Yes, submit"', async () => {
    const fake = await open('exclusive-agency');
    const watch = start();
    sendButton().click();
    await flush();
    expect(document.querySelector('[role="dialog"]')).not.toBeNull();
    expect(watch.state).toBe('confirming');
    // Reading the modal takes the member's time, not Upwork's: no timeout while it is open.
    clock.advance(SEND_TIMEOUT_MS * 4);
    expect(failed).toEqual([]);
    modalButton(/^Yes, submit$/).click();
    expect(watch.state).toBe('confirmed');
    await answer(fake);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.reading).toMatchObject({ ok: true, proposingAs: 'agency', connectsRequired: 12 });
    expect(states).toEqual(['sending', 'confirming', 'confirmed', 'idle']);
  });

  it('the modal’s Cancel records nothing', async () => {
    const fake = await open('exclusive-agency');
    const watch = start();
    sendButton().click();
    await flush();
    modalButton(/^Cancel$/).click();
    expect(watch.state).toBe('idle');
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    await answer(fake);
    clock.advance(SEND_TIMEOUT_MS * 2);
    expect(watch.state).toBe('idle');
    expect(sent).toEqual([]);
    expect(failed).toEqual([]);
  });

  it('closing the modal (× or Escape) records nothing', async () => {
    const fake = await open('exclusive-freelancer');
    const watch = start();
    sendButton().click();
    await flush();
    $('[role="dialog"] [aria-label="Close"]').click();
    expect(watch.state).toBe('idle');

    sendButton().click();
    await flush();
    expect(watch.state).toBe('confirming');
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await flush();
    expect(watch.state).toBe('idle');
    await answer(fake);
    clock.advance(SEND_TIMEOUT_MS * 2);
    expect(sent).toEqual([]);
    expect(failed).toEqual([]);
  });

  it('notices a modal that Upwork keeps mounted and only shows after the click', async () => {
    await open('member-hourly', '&fail=silent');
    document.body.insertAdjacentHTML(
      'beforeend',
      '<div class="air3-modal" role="dialog" style="display: none"><button>Yes, submit</button></div>',
    );
    const watch = start();
    sendButton().click();
    $('.air3-modal').style.display = '';
    await flush();
    expect(watch.state).toBe('confirming');
    $('.air3-modal').remove();
  });

  it('the bound restarts at the confirm: a silent Upwork after "Yes, submit" is a timeout 15 s later', async () => {
    await open('exclusive-agency', '&fail=silent');
    start();
    sendButton().click();
    await flush();
    clock.advance(5_000);
    modalButton(/^Yes, submit$/).click();
    clock.advance(SEND_TIMEOUT_MS - 1);
    expect(failed).toEqual([]);
    clock.advance(1);
    expect(failed).toEqual([{ kind: 'timeout', afterMs: SEND_TIMEOUT_MS }]);
  });
});

describe('watchSends: teardown', () => {
  it('after abort, clicks are ignored and no callback fires, even mid-send', async () => {
    const fake = await open('member-hourly', '&success=alert');
    const watch = start();
    sendButton().click();
    controller.abort();
    expect(watch.state).toBe('idle');
    await answer(fake);
    clock.advance(SEND_TIMEOUT_MS * 2);
    sendButton().click();
    expect(watch.state).toBe('idle');
    expect(sent).toEqual([]);
    expect(failed).toEqual([]);
    expect(states).toEqual(['sending']);
    expect(urlListeners).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('a throwing callback does not break the watcher', async () => {
    const fake = await open('member-hourly', '&success=alert');
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const watch = watchSends({
      win: window,
      signal: controller.signal,
      read: () => 1,
      onSent: () => {
        throw new Error('overlay broke');
      },
      onFailed: () => {},
      clock,
    });
    sendButton().click();
    await answer(fake);
    expect(watch.state).toBe('idle');
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});
