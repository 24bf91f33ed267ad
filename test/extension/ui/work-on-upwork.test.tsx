// "Contracts on Upwork" on the agency pages (issue 11, D11): a manager reads every contract seen on Upwork with
// who it is paid to and the latest week of hours; a plain member reads their own; nothing is shown as an amount.
import { cleanup, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkOnUpwork } from '../../../extension/ui/work-on-upwork.tsx';
import { workAgency } from '../../core/support/work-agency.ts';
import { AgencyFixture, T0 } from './support/views.ts';

afterEach(cleanup);
const DAY = 86_400_000;

// T0 is Monday 2 November 2026
const agency = (recording: boolean) =>
  workAgency(
    new AgencyFixture('agency-ui-work-01'),
    recording ? [{ week: '2026-11-09', minutes: 750, at: T0 + 8 * DAY }] : [],
  );

const rowsText = () =>
  within(screen.getByTestId('work-contracts'))
    .getAllByRole('row')
    .slice(1)
    .map((r) => [...r.querySelectorAll('th,td')].map((c) => c.textContent));

describe('Contracts on Upwork', () => {
  it('a business manager reads every contract, who it is paid to, and the latest recorded week', async () => {
    const f = await agency(true);
    render(<WorkOnUpwork state={f.derive().state} me={f.id('Olga')} now={T0 + 9 * DAY} />);
    expect(rowsText()).toEqual([
      ['Blog move', 'Bo', 'Fixed price', 'Bo (R8)', '—'],
      ['Field app', 'Ann', 'Hourly', 'Acme Studio (R6)', '12:30 hrs in the week of 9 Nov'],
    ]);
    expect(screen.getByRole('region', { name: 'Contracts on Upwork' }).textContent).not.toMatch(/\$/);
  });

  it('a plain member reads only their own; with recording off, hours say they are not recorded', async () => {
    const f = await agency(false);
    render(<WorkOnUpwork state={f.derive().state} me={f.id('Ann')} now={T0 + 9 * DAY} />);
    expect(rowsText()).toEqual([['Field app', 'Ann', 'Hourly', 'Acme Studio (R6)', 'not recorded']]);
  });

  it('says how a contract gets here when none was seen', async () => {
    const f = new AgencyFixture('agency-ui-work-02');
    await f.create('Olga', 100);
    render(<WorkOnUpwork state={f.derive().state} me={f.id('Olga')} now={T0} />);
    expect(screen.queryByTestId('work-contracts')).toBeNull();
    expect(screen.getByText(/appears here once its freelancer opens Upwork’s contracts page/)).toBeTruthy();
  });
});
