// Contracts and earnings on the agency pages (D15): business managers see rates, milestone amounts and
// payouts as far as their browser opens them, and record them; a plain member has no such section at all.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { AmountsView } from '../../../core/lite.ts';
import { OptionsApp } from '../../../extension/entrypoints/options/options-app.tsx';
import {
  type AgencyFixture,
  FakeBackground,
  nowOf,
  olgaAndBob,
  overviewOf,
  viewOf,
} from './support/views.ts';

afterEach(cleanup);

/** Olga records a fixed-price offer for Bob, accepts it and submits a milestone (amounts come from `amounts`). */
async function withContract(fx: AgencyFixture) {
  await fx.act('Olga', 'receiveOffer', {
    offer: 'offer-1',
    job: '~01logo',
    title: 'Logo for a bakery',
    as: 'agency',
    member: fx.id('Bob'),
    kind: 'fixed',
  });
  await fx.act('Olga', 'acceptOffer', { offer: 'offer-1' });
  await fx.act('Olga', 'submitMilestone', { contract: 'offer-1', milestone: 'm1', title: 'Sketches' });
}

const AMOUNTS: AmountsView = {
  offers: {},
  contracts: {
    'offer-1': { kind: 'fixed', figure: 120_000, milestones: { m1: 40_050 }, paid: 40_050, unread: 1 },
  },
  payouts: {},
  seen: {},
};

async function render_(name: string) {
  const fx = await olgaAndBob();
  await withContract(fx);
  const view = viewOf(fx, name);
  const bg = new FakeBackground(overviewOf(view), {
    amounts: () => ({ ok: true, value: AMOUNTS }),
    act: () => ({ ok: true, value: { id: 'new-action', status: 'saved', flags: [] } }),
  });
  render(<OptionsApp client={bg} initial={overviewOf(view)} now={nowOf(fx)} />);
  return { fx, bg };
}

describe('D15: contracts and earnings on the agency pages', () => {
  it('D15: a business manager sees the rate their browser opened of a manager’s own contract seen on Upwork, and no row for one without', async () => {
    const fx = await olgaAndBob();
    for (const [contract, title, kind] of [
      ['42000001', 'Design system audit', 'hourly'],
      ['42000002', 'Investor pitch deck', 'fixed'],
    ] as const)
      await fx.act('Olga', 'observeContract', { contract, title, kind, as: 'agency' });
    const view = viewOf(fx, 'Olga');
    const bg = new FakeBackground(overviewOf(view), {
      amounts: () => ({ ok: true, value: { ...AMOUNTS, contracts: {}, seen: { '42000001': 6_500 } } }),
    });
    render(<OptionsApp client={bg} initial={overviewOf(view)} now={nowOf(fx)} />);
    const table = await screen.findByTestId('earnings-seen');
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent),
    ).toEqual(['Design system auditOlga$65.00 an hour']);
  });

  it('D15: a business manager sees each contract’s price, milestones and what was paid', async () => {
    const { bg } = await render_('Olga');
    const section = screen.getByRole('region', { name: 'Contracts and earnings' });
    const row = await within(section).findByRole('row', { name: /Logo for a bakery/ });
    await waitFor(() => expect(row.textContent).toContain('$1,200.00'));
    expect(row.textContent).toContain('Bob');
    expect(row.textContent).toContain('Sketches: $400.50');
    expect(row.textContent).toContain('$400.50 (+1 not readable here)');
    expect(bg.sent('amounts')).toEqual([{ kind: 'amounts', agencyId: expect.any(String) }]);
  });

  it('D15: a payout typed in dollars is sent as cents to the background, which seals it', async () => {
    const { bg } = await render_('Olga');
    const form = screen.getByRole('form', { name: 'Record a payout' });
    fireEvent.input(within(form).getByLabelText('Payout ($)'), { target: { value: '250.75' } });
    fireEvent.submit(form);
    await waitFor(() => expect(bg.sent('act')).toHaveLength(1));
    expect(bg.sent('act')[0]).toMatchObject({
      type: 'recordPayout',
      payload: { contract: 'offer-1', amount: 25_075 },
    });
  });

  it('D11: two milestones submitted from the form get ids of their own, never a count another browser may share', async () => {
    const { bg } = await render_('Olga');
    const form = screen.getByRole('form', { name: 'Submit a milestone' });
    for (const [title, amount] of [
      ['Design', '100'],
      ['Build', '200'],
    ]) {
      fireEvent.input(within(form).getByLabelText('Milestone'), { target: { value: title } });
      fireEvent.input(within(form).getByLabelText('Amount ($)'), { target: { value: amount } });
      fireEvent.submit(form);
    }
    await waitFor(() => expect(bg.sent('act')).toHaveLength(2));
    const ids = bg.sent('act').map((m) => String(m.payload.milestone));
    expect(new Set(ids).size).toBe(2);
    // 'm2' is what this browser's count (one milestone known) would say, and what another browser would say too
    expect(ids).not.toContain('m2');
  });

  it('D15: a plain member’s agency pages have no contracts-and-earnings section and never ask for amounts', async () => {
    const { bg } = await render_('Bob');
    expect(screen.queryByRole('region', { name: 'Contracts and earnings' })).toBeNull();
    expect(screen.queryByText(/\$1,200\.00/)).toBeNull();
    expect(bg.sent('amounts')).toEqual([]);
  });
});

describe('amount fields say what is wrong, and keep what was typed', () => {
  const cases: [form: string, field: string, typed: string, says: RegExp][] = [
    ['Record a payout', 'Payout ($)', '', /^Enter an amount in dollars/],
    ['Record a payout', 'Payout ($)', '12,5', /^“12,5” is not an amount/],
    ['Edit terms', 'New rate or price ($)', 'abc', /^“abc” is not an amount/],
    ['Submit a milestone', 'Amount ($)', '-5', /^An amount cannot be negative\.$/],
    ['Record a payout', 'Payout ($)', '10.505', /^Use at most two decimal places/],
    ['Record a payout', 'Payout ($)', '100000000.01', /^An amount can be at most \$100,000,000\.00\.$/],
    ['Record a payout', 'Payout ($)', '0', /^An amount must be more than \$0\.00\.$/],
  ];
  for (const [formName, field, typed, says] of cases) {
    it(`${formName}: “${typed}” gets an error under its field and nothing is sent`, async () => {
      const { bg } = await render_('Olga');
      const form = screen.getByRole('form', { name: formName });
      if (formName === 'Submit a milestone')
        fireEvent.input(within(form).getByLabelText('Milestone'), { target: { value: 'Design' } });
      const input = within(form).getByLabelText(field) as HTMLInputElement;
      fireEvent.input(input, { target: { value: typed } });
      fireEvent.submit(form);
      const alert = await within(form).findByRole('alert');
      expect(alert.textContent).toMatch(says);
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(input.getAttribute('aria-describedby')).toBe(alert.id);
      expect(input.value).toBe(typed);
      expect(bg.sent('act')).toEqual([]);
      // Typing again clears the sentence; a good amount then goes through as cents.
      fireEvent.input(input, { target: { value: '$1,250.5' } });
      expect(within(form).queryByRole('alert')).toBeNull();
      fireEvent.submit(form);
      await waitFor(() => expect(bg.sent('act')).toHaveLength(1));
      const payload = bg.sent('act')[0]!.payload as Record<string, unknown>;
      expect(JSON.stringify(payload)).toContain('125050');
    });
  }

  it('the largest amount core signs is accepted: $100,000,000.00', async () => {
    const { bg } = await render_('Olga');
    const form = screen.getByRole('form', { name: 'Record a payout' });
    fireEvent.input(within(form).getByLabelText('Payout ($)'), { target: { value: '100000000' } });
    fireEvent.submit(form);
    await waitFor(() => expect(bg.sent('act')).toHaveLength(1));
    expect(bg.sent('act')[0]).toMatchObject({ payload: { amount: 10_000_000_000 } });
  });
});
