// "Contracts on Upwork" (issue 11, D11, D15): the contracts members' browsers saw on Upwork, each with the
// latest week of hours recorded from its freelancer's own timesheet; a manager is shown every contract, a
// plain member their own. Expected rows written by hand from the actions below.
import { describe, expect, it } from 'vitest';
import { workOnUpwork } from '../../core/index.ts';
import { AgencyFixture, DAY, T0 } from './support/agency.ts';
import { workAgency } from './support/work-agency.ts';

const agency = () =>
  workAgency(new AgencyFixture(), [
    { week: '2026-11-02', minutes: 600, at: T0 + 4 * DAY },
    { week: '2026-11-09', minutes: 90, at: T0 + 8 * DAY },
  ]);

describe('contracts on Upwork, for the agency pages', () => {
  it('a business manager is shown every contract seen, newest first, each with its latest recorded week', async () => {
    const f = await agency();
    const rows = workOnUpwork(f.derive().state, f.id('Olga'));
    expect(
      rows.map((r) => [
        r.contract.id,
        r.contract.kind,
        r.contract.as,
        r.memberName,
        r.latest?.week ?? null,
        r.latest?.minutes ?? null,
      ]),
    ).toEqual([
      ['41000002', 'fixed', 'independent', 'Bo', null, null],
      ['41000001', 'hourly', 'agency', 'Ann', '2026-11-09', 90],
    ]);
  });

  it('a plain member is shown only their own contracts', async () => {
    const f = await agency();
    const state = f.derive().state;
    expect(workOnUpwork(state, f.id('Ann')).map((r) => r.contract.id)).toEqual(['41000001']);
    expect(workOnUpwork(state, f.id('Bo')).map((r) => r.contract.id)).toEqual(['41000002']);
  });

  it('a removed freelancer’s contract stays, under their name (a member keeps their work history)', async () => {
    const f = await agency();
    await f.act('Olga', 'removeMember', { member: f.id('Bo') }, { at: T0 + 9 * DAY });
    const state = f.derive().state;
    expect(state.members[f.id('Bo')]?.status).not.toBe('active');
    const row = workOnUpwork(state, f.id('Olga')).find((r) => r.contract.id === '41000002');
    expect(row?.memberName).toBe('Bo');
  });

  it('a contract two members recorded at once is shown as disputed to both and to a manager, with no hours (D8)', async () => {
    const f = await agency();
    const base = f.heads();
    const contract = { contract: '41000009', title: 'Shared', kind: 'hourly', as: 'agency' } as const;
    await f.act('Ann', 'observeContract', contract, { deps: base, at: T0 + 10 * DAY });
    await f.act('Bo', 'observeContract', contract, { deps: base, at: T0 + 10 * DAY });
    const state = f.derive().state;
    for (const viewer of ['Olga', 'Ann', 'Bo']) {
      const row = workOnUpwork(state, f.id(viewer)).find((r) => r.contract.id === '41000009');
      expect(row?.memberName).toBeNull();
      expect([...(row?.disputedBy ?? [])].sort()).toEqual(['Ann', 'Bo']);
      expect(row?.latest).toBeNull();
    }
  });
});
