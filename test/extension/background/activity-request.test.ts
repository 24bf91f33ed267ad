// @vitest-environment node
// Issue 12 at the background's boundary: the agency pages ask for one page of the activity, bounded, and
// a content script (inside Upwork's page) may not ask at all.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityPage } from '../../../core/lite.ts';
import { contentScriptRefusal } from '../../../extension/background/content-scripts.ts';
import { parseRequest } from '../../../extension/messaging/schemas.ts';
import { TestServer } from './server.ts';
import { TestBrowser } from './support.ts';

let server: TestServer;
let olga: TestBrowser | null = null;

beforeEach(async () => {
  server = await TestServer.start();
});
afterEach(async () => {
  await olga?.stop();
  olga = null;
  await server.dispose();
});

describe('issue 12: the activity request', () => {
  it('answers one page of sentences matching the filter', async () => {
    olga = new TestBrowser();
    const { agencyId } = await olga.ok<{ agencyId: string }>({
      kind: 'createAgency',
      server: server.url,
      agencyName: 'Acme Studio',
      memberName: 'Olga',
      balance: 100,
    });
    for (const t of ['Logo', 'Shopify app', 'Landing page'])
      await olga.ok({
        kind: 'act',
        agencyId,
        type: 'submitProposal',
        payload: { job: `~${t.length}`, title: t, as: 'agency', connects: 4, boost: 0 },
      });
    const page = await olga.ok<ActivityPage>({
      kind: 'activity',
      agencyId,
      filter: { kind: 'proposals', text: 'shopify' },
      page: 0,
      size: 20,
    });
    expect(page).toMatchObject({ total: 1, page: 0, pages: 1 });
    expect(page.entries.map((e) => e.text)).toEqual([
      "Olga proposed as the agency on 'Shopify app' — 4 Connects",
    ]);
  });

  it('bounds what a page may ask: at most 100 entries, a known kind, a month, 200 characters of words', () => {
    const ask = (over: Record<string, unknown>) =>
      parseRequest({ kind: 'activity', agencyId: 'a'.repeat(22), filter: {}, page: 0, size: 20, ...over });
    expect(ask({}).ok).toBe(true);
    expect(ask({ size: 100 }).ok).toBe(true);
    expect(ask({ size: 101 })).toMatchObject({ ok: false, response: { code: 'BAD_REQUEST' } });
    expect(ask({ size: 0 }).ok).toBe(false);
    expect(ask({ page: -1 }).ok).toBe(false);
    expect(ask({ filter: { kind: 'everything' } }).ok).toBe(false);
    expect(ask({ filter: { month: '2026-13' } }).ok).toBe(false);
    expect(ask({ filter: { text: 'x'.repeat(201) } }).ok).toBe(false);
    expect(ask({ filter: { text: 'x'.repeat(200) } }).ok).toBe(true);
    expect(ask({ filter: { extra: 1 } }).ok).toBe(false);
  });

  it('a content script cannot search the activity', () => {
    expect(contentScriptRefusal({ kind: 'activity', agencyId: 'x' })).toMatchObject({
      code: 'NOT_FROM_PAGE',
    });
  });
});
