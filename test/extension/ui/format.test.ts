import { describe, expect, it } from 'vitest';
import { asOfText, connects, signed, statusText, syncText, timeAgo } from '../../../extension/ui/format.ts';
import { canLeave, canManage } from '../../../extension/ui/permissions.ts';
import { olgaAndBob, SYNCED, viewOf } from './support/views.ts';

const NOW = Date.UTC(2026, 10, 2, 12);

describe('format', () => {
  it('AMOUNT_NOT_SEALED: a recent action recorded without its amount says so beside its status', () => {
    const note = { code: 'AMOUNT_NOT_SEALED', message: 'Recorded without its amount: reasons.' };
    expect(statusText({ id: 'a', type: 'observeContract', at: 0, status: 'saved', note })).toBe(
      'Saved in this browser, not synced yet. Recorded without its amount: reasons.',
    );
  });

  it('says as of when cached figures were written: the time today, the date before today', () => {
    const now = Date.UTC(2026, 11, 3, 15, 0);
    expect(asOfText(Date.UTC(2026, 11, 3, 14, 5), now, 'UTC')).toBe('As of 14:05, updating…');
    expect(asOfText(Date.UTC(2026, 11, 1, 9, 30), now, 'UTC')).toBe('As of 1 Dec, 09:30, updating…');
    expect(asOfText(null, now, 'UTC')).toBe('Updating…');
  });

  it('counts Connects in words, singular for one', () => {
    expect(connects(1)).toBe('1 Connect');
    expect(connects(1200)).toBe('1,200 Connects');
    expect(signed(-16)).toBe('−16');
    expect(signed(0)).toBe('+0');
  });

  it('says how long ago, in steps a member reads at a glance', () => {
    expect(timeAgo(NOW - 5_000, NOW)).toBe('just now');
    expect(timeAgo(NOW - 5 * 60_000, NOW)).toBe('5 minutes ago');
    expect(timeAgo(NOW - 3 * 3_600_000, NOW)).toBe('3 hours ago');
    expect(timeAgo(NOW - 86_400_000, NOW)).toBe('1 day ago');
  });

  it('says "offline — N actions waiting" when actions wait for the server', () => {
    expect(syncText({ ...SYNCED, status: 'offline', waiting: 1, lastSyncedAt: null }, NOW)).toBe(
      'Offline — 1 action waiting · never synced',
    );
    expect(syncText({ ...SYNCED, status: 'syncing', waiting: 2, lastSyncedAt: NOW }, NOW)).toBe(
      'Syncing 2 actions waiting · last synced just now',
    );
  });
});

describe('permissions preview', () => {
  it('P2: a plain member may not manage; P3: the last manager may leave only with a successor', async () => {
    const fx = await olgaAndBob();
    expect(canManage(viewOf(fx, 'Bob'))).toMatchObject({
      ok: false,
      rule: 'P2',
      code: 'NOT_BUSINESS_MANAGER',
    });
    expect(canManage(viewOf(fx, 'Olga'))).toEqual({ ok: true });
    expect(canLeave(viewOf(fx, 'Olga'), null)).toMatchObject({
      ok: false,
      rule: 'P3',
      code: 'SUCCESSOR_REQUIRED',
    });
    expect(canLeave(viewOf(fx, 'Olga'), fx.id('Bob'))).toEqual({ ok: true });
    expect(canLeave(viewOf(fx, 'Bob'), null)).toEqual({ ok: true });
  });

  it('P6: a member who left may no longer act', async () => {
    const fx = await olgaAndBob();
    await fx.act('Bob', 'leaveAgency', {});
    expect(canLeave(viewOf(fx, 'Bob'), null)).toMatchObject({ ok: false, rule: 'P6', code: 'MEMBER_GONE' });
  });
});
