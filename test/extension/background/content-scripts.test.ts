// @vitest-environment node
// Issue 8, item 13: what reaches the background from a content script (code running inside Upwork's pages)
// is limited to reading and to the facts the overlay records there. Every message goes through the real
// Router.onMessage, the listener the background registers, with senders shaped as Chrome gives them.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CONTENT_SCRIPT_ACTIONS,
  contentScriptRefusal,
} from '../../../extension/background/content-scripts.ts';
import { Router, type SenderLike } from '../../../extension/background/router.ts';
import { PAGE_FACT_TYPES, type Response } from '../../../extension/messaging/types.ts';
import { balanceObservation } from '../../../extension/overlay/page-facts.ts';
import { TestServer } from './server.ts';
import { TestBrowser } from './support.ts';

const ORIGIN = 'chrome-extension://abcdefghijklmnop/';
const UPWORK: SenderLike = {
  tab: { id: 7 },
  url: 'https://www.upwork.com/nx/proposals/job/~0123456789/apply/',
};
const OPTIONS: SenderLike = { tab: { id: 8 }, url: `${ORIGIN}options.html` };
const POPUP: SenderLike = { url: `${ORIGIN}popup.html` };

let server: TestServer;
let olga: TestBrowser;
let router: Router;
let agencyId: string;

/** One message through the listener the background registers on runtime.onMessage. */
const post = (message: unknown, sender: SenderLike): Promise<Response> =>
  new Promise((resolve) => router.onMessage(message, sender, resolve));

beforeEach(async () => {
  server = await TestServer.start();
  olga = new TestBrowser();
  router = new Router(olga.agencies, { extensionOrigin: ORIGIN });
  ({ agencyId } = await olga.ok<{ agencyId: string }>({
    kind: 'createAgency',
    server: server.url,
    agencyName: 'Acme Studio',
    memberName: 'Olga',
    balance: 100,
  }));
});

afterEach(async () => {
  await olga.stop();
  await server.dispose();
});

const me = () => olga.agencies.overview().view!.me;
const logSize = () => olga.agencies.replicas.get(agencyId)!.log.size;

describe('content scripts at the background’s boundary (issue 8, item 13)', () => {
  it('the facts the overlay sends are exactly the ones a content script may record', () => {
    expect([...CONTENT_SCRIPT_ACTIONS].sort()).toEqual([...PAGE_FACT_TYPES].sort());
    expect([...CONTENT_SCRIPT_ACTIONS].sort()).toEqual(
      [
        'learnUpworkId',
        'observeBalance',
        'setDefaultTeam',
        'submitProposal',
        'refundConnects',
        'receiveOffer',
        'observeContract',
        'observeBoost',
        'recordOwnHours',
      ].sort(),
    );
  });

  it('D15: refuses an offer with its terms from Upwork’s page: a rate never comes from a page', () => {
    const offer = { offer: 'o1', job: '~0111', title: 'Logo', as: 'agency', member: 'x'.repeat(43) };
    expect(
      contentScriptRefusal({
        kind: 'act',
        agencyId: 'a',
        type: 'receiveOffer',
        payload: { ...offer, terms: { kind: 'hourly', hourlyRate: 4500 } },
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FROM_PAGE', rule: 'D15' });
    expect(
      contentScriptRefusal({
        kind: 'act',
        agencyId: 'a',
        type: 'receiveOffer',
        payload: { ...offer, kind: 'hourly' },
      }),
    ).toBeNull();
  });

  it('refuses changeRole, setAllowance and grantInvite from Upwork’s page, and writes nothing', async () => {
    const before = logSize();
    const attempts = [
      { kind: 'act', agencyId, type: 'changeRole', payload: { member: me(), role: 'member' } },
      { kind: 'act', agencyId, type: 'setAllowance', payload: { member: me(), monthly: 50 } },
      {
        kind: 'act',
        agencyId,
        type: 'grantInvite',
        payload: { invite: 'x'.repeat(43), role: 'manager', relationship: 'exclusive', expiresAt: 1 },
      },
      { kind: 'act', agencyId, type: 'removeMember', payload: { member: me() } },
      { kind: 'act', agencyId, type: 'recordPurchase', payload: { connects: 10 } },
    ];
    for (const attempt of attempts) {
      const answer = await post(attempt, UPWORK);
      expect(answer).toMatchObject({ ok: false, code: 'NOT_FROM_PAGE', rule: 'REQUEST' });
      expect(answer.ok ? '' : answer.message).toContain(
        `"${attempt.type}" can only be done from the extension's own pages`,
      );
    }
    expect(logSize()).toBe(before);
    const state = olga.agencies.overview().view!.state;
    expect(state.members[me()]).toMatchObject({ role: 'manager', allowance: null, status: 'active' });
    expect(state.invites).toEqual({});
    expect(state.balance).toBe(100);
  });

  it('refuses every request that is not a read or a page fact: invites, codes, joins, export, removal', async () => {
    const requests = [
      { kind: 'createInvite', agencyId, role: 'manager', relationship: 'exclusive', expiresInDays: 1 },
      { kind: 'createDeviceInvite', agencyId, member: me(), expiresInDays: 1 },
      { kind: 'revokeInvite', agencyId, invite: 'x'.repeat(43) },
      { kind: 'checkInvite', code: 'ao2.x' },
      { kind: 'joinAgency', code: 'ao2.x', name: 'Eve' },
      { kind: 'createAgency', server: server.url, agencyName: 'A', memberName: 'B', balance: 1 },
      { kind: 'exportLog', agencyId },
      { kind: 'removeAgency', agencyId },
      { kind: 'setServer', agencyId, server: 'ws://evil.example' },
      { kind: 'reconnect', agencyId },
      { kind: 'no-such-kind' },
      'overview',
      null,
    ];
    for (const request of requests)
      expect(await post(request, UPWORK)).toMatchObject({ ok: false, code: 'NOT_FROM_PAGE' });
    expect(olga.agencies.replicas.has(agencyId)).toBe(true);
    expect(olga.agencies.overview().view?.sync.server).toBe(server.url);
  });

  it('records what the overlay saw on Upwork, and answers reads', async () => {
    const view = olga.agencies.overview().view!;
    // The same request the overlay builds from the agency option on the proposal form.
    const observed = balanceObservation(view, {
      value: '1234',
      label: 'As an agency member under Acme Studio (90 Connects available.)',
      agencyName: 'Acme Studio',
      balance: 90,
      isAgency: true,
      checked: true,
    });
    expect(observed).not.toBeNull();
    expect(await post(observed, UPWORK)).toMatchObject({ ok: true, value: { status: 'saved' } });
    expect(await post({ kind: 'overview' }, UPWORK)).toMatchObject({ ok: true });
    expect(await post({ kind: 'select', agencyId }, UPWORK)).toMatchObject({ ok: true });
    expect(olga.agencies.overview().view?.state.balance).toBe(90);
  });

  it('a page fact is still checked against core’s schema: a malformed one is a bad request', async () => {
    const answer = await post(
      { kind: 'act', agencyId, type: 'submitProposal', payload: { job: '~01', connects: -5 } },
      UPWORK,
    );
    expect(answer).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
  });

  it('the extension’s own pages, in a tab or the popup, may still manage the agency', async () => {
    const fromOptions = await post(
      { kind: 'act', agencyId, type: 'setAllowance', payload: { member: me(), monthly: 20 } },
      OPTIONS,
    );
    expect(fromOptions).toMatchObject({ ok: true });
    expect(
      await post({ kind: 'act', agencyId, type: 'recordPurchase', payload: { connects: 10 } }, POPUP),
    ).toMatchObject({ ok: true });
    expect(olga.agencies.overview().view?.state.members[me()]?.allowance).toBe(20);
  });
});
