// Searching the activity (issue 12): by member, kind, month and words, newest first, a page at a time.
import { describe, expect, it } from 'vitest';
import { type ActivityEntry, activityPage } from '../../core/index.ts';

const entry = (
  i: number,
  actor: string,
  type: ActivityEntry['type'],
  at: number,
  text: string,
): ActivityEntry => ({
  id: `a${i}`,
  type,
  actor,
  at,
  text,
});

const NOV = Date.UTC(2026, 10, 15);
const DEC = Date.UTC(2026, 11, 1, 3); // 30 November 22:00 in New York
const log: ActivityEntry[] = [
  entry(0, 'olga', 'createAgency', NOV, 'Olga created the agency'),
  entry(
    1,
    'ann',
    'submitProposal',
    NOV + 1,
    "Ann proposed as the agency on 'Build a Shopify app' — 16 Connects",
  ),
  entry(2, 'bob', 'submitProposal', NOV + 2, "Bob proposed independently on 'Own gig'"),
  entry(3, 'olga', 'recordPurchase', NOV + 3, 'Olga recorded a purchase of 50 Connects'),
  entry(4, 'ann', 'receiveOffer', DEC, "Ann received an offer for 'Build a Shopify app' (to the agency)"),
];

describe('activity search', () => {
  it('filters by member, kind, month (in the agency’s time zone) and words, the newest first', () => {
    const ids = (f: Parameters<typeof activityPage>[1]) => activityPage(log, f, 0).entries.map((e) => e.id);
    expect(ids({})).toEqual(['a4', 'a3', 'a2', 'a1', 'a0']);
    expect(ids({ member: 'ann' })).toEqual(['a4', 'a1']);
    expect(ids({ kind: 'proposals' })).toEqual(['a2', 'a1']);
    expect(ids({ kind: 'connects' })).toEqual(['a3']);
    expect(ids({ month: '2026-12' })).toEqual(['a4']);
    expect(ids({ month: '2026-12', timeZone: 'America/New_York' })).toEqual([]);
    expect(ids({ text: 'shopify ANN' })).toEqual(['a4', 'a1']);
    expect(ids({ member: 'bob', kind: 'offers' })).toEqual([]);
  });

  it('pages through every match and keeps the page in range', () => {
    const many = Array.from({ length: 45 }, (_, i) =>
      entry(i, 'ann', 'submitProposal', NOV + i, `line ${i}`),
    );
    const first = activityPage(many, {}, 0);
    expect(first).toMatchObject({ total: 45, page: 0, pages: 3 });
    expect(first.entries.map((e) => e.text).slice(0, 2)).toEqual(['line 44', 'line 43']);
    const last = activityPage(many, {}, 9);
    expect(last.page).toBe(2);
    expect(last.entries.map((e) => e.text)).toEqual(['line 4', 'line 3', 'line 2', 'line 1', 'line 0']);
    expect(activityPage([], {}, 0)).toMatchObject({ total: 0, pages: 1, entries: [] });
  });
});
