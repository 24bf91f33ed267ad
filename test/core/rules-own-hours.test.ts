// Members' own weekly hours (issue 11): recorded only while the agency turned it on — a business manager's
// setting, off by default, refused from a plain member by every replica (derive) and by the server (admitBatch,
// which the sync server runs on every batch); of concurrent settings, off holds.
import { describe, expect, it } from 'vitest';
import { admitBatch } from '../../core/index.ts';
import { AgencyFixture, codesOf, DAY, T0 } from './support/agency.ts';

async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Max', { role: 'manager' });
  await f.join('Ann');
  // Ann's own contract, as her contracts page recorded it: hours are recorded on one's own contract only
  await f.act('Ann', 'observeContract', {
    contract: '41000001',
    title: 'Audit',
    kind: 'hourly',
    as: 'agency',
  });
  return f;
}

const WEEK = { contract: '41000001', week: '2026-11-02' };

describe('members’ own weekly hours', () => {
  it('off by default: hours recorded then are kept, flagged, and count nowhere', async () => {
    const f = await agency();
    const hours = await f.act('Ann', 'recordOwnHours', { ...WEEK, minutes: 750 });
    const d = f.derive();
    expect(d.state.hoursRecording).toBe(false);
    expect(codesOf(d, hours)).toEqual(['HOURS_NOT_ON']);
    expect(d.state.ownHours).toEqual({});
  });

  it('a plain member cannot turn it on: every replica refuses it, and the server refuses the batch', async () => {
    const f = await agency();
    const room = f.derive();
    const on = await f.act('Ann', 'setHoursRecording', { on: true }, { keep: false });
    const r = admitBatch(room, [on]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.rule).toBe('P2');
    // Written into a log anyway, it is refused there too and changes nothing.
    const written = await f.act('Ann', 'setHoursRecording', { on: true });
    const d = f.derive();
    expect(codesOf(d, written)).toEqual(['NOT_BUSINESS_MANAGER']);
    expect(d.state.hoursRecording).toBe(false);
  });

  it('once a business manager turned it on, a member’s own hours are recorded; the latest record of a week stands', async () => {
    const f = await agency();
    await f.act('Max', 'setHoursRecording', { on: true }, { at: T0 + DAY });
    await f.act('Ann', 'recordOwnHours', { ...WEEK, minutes: 600 }, { at: T0 + 2 * DAY });
    const later = await f.act('Ann', 'recordOwnHours', { ...WEEK, minutes: 750 }, { at: T0 + 3 * DAY });
    for (const d of [f.derive(), f.deriveReversed()]) {
      expect(d.state.hoursRecording).toBe(true);
      expect(d.state.ownHours[`${f.id('Ann')}|41000001|2026-11-02`]).toEqual({
        member: f.id('Ann'),
        contract: '41000001',
        week: '2026-11-02',
        minutes: 750,
        by: later.id,
        at: later.at,
      });
    }
  });

  it('of two managers setting it concurrently, off holds, in either order', async () => {
    const f = await agency();
    const base = f.heads();
    await f.act('Olga', 'setHoursRecording', { on: true }, { deps: base });
    await f.act('Max', 'setHoursRecording', { on: false }, { deps: base });
    for (const d of [f.derive(), f.deriveReversed()]) expect(d.state.hoursRecording).toBe(false);
  });

  it('hours recorded without knowing it was turned on are flagged, whatever the order', async () => {
    const f = await agency();
    const base = f.heads();
    await f.act('Max', 'setHoursRecording', { on: true }, { deps: base, at: T0 + DAY });
    const blind = await f.act(
      'Ann',
      'recordOwnHours',
      { ...WEEK, minutes: 60 },
      { deps: base, at: T0 + 2 * DAY },
    );
    for (const d of [f.derive(), f.deriveReversed()]) {
      expect(codesOf(d, blind)).toEqual(['HOURS_NOT_ON']);
      expect(d.state.ownHours).toEqual({});
    }
  });

  it('a week is a day and at most 10,080 minutes; nothing else is part of a record', async () => {
    const f = await agency();
    for (const bad of [
      { ...WEEK, minutes: 7 * 24 * 60 + 1 },
      { ...WEEK, minutes: -1 },
      { ...WEEK, minutes: 1.5 },
      { ...WEEK, week: '2026-13-01', minutes: 60 },
      { ...WEEK, minutes: 60, hourlyRate: 4500 },
    ])
      await expect(f.act('Ann', 'recordOwnHours', bad as never)).rejects.toThrow();
    await expect(f.act('Max', 'setHoursRecording', { on: 'yes' } as never)).rejects.toThrow();
  });
});
