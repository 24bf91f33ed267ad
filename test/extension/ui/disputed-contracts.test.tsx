// The agency pages' disputed contracts (D8): a contract two members recorded as their own at the same time is
// held by no one, and a business manager decides whose it is with a real signed assignContract.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { DisputedContracts } from '../../../extension/ui/disputed-contracts.tsx';
import { FakeBackground, olgaAndBob, overviewOf, viewOf } from './support/views.ts';

afterEach(cleanup);

async function disputed() {
  const fx = await olgaAndBob();
  await fx.join('Cy');
  const base = fx.heads();
  const payload = { contract: '41000009', title: 'Shop audit', kind: 'hourly', as: 'agency' } as const;
  await fx.act('Bob', 'observeContract', payload, { deps: base });
  // Cy's record on the same past, stamped 1 ms later: it takes nothing, and neither holds the contract
  await fx.act('Cy', 'observeContract', payload, { deps: base, at: fx.now + 1 });
  return fx;
}

describe('disputed contracts', () => {
  it('D8: a business manager sees the disputed contract and who recorded it, and decides with assignContract', async () => {
    const fx = await disputed();
    const view = viewOf(fx, 'Olga');
    const bg = new FakeBackground(overviewOf(view), {
      act: () => ({ ok: true, value: { id: 'a1', status: 'saved', flags: [] } }),
    });
    render(<DisputedContracts view={view} send={bg.send} />);
    const row = screen.getByTestId('disputed-41000009');
    expect(row.textContent).toContain('Shop audit — recorded by Bob and Cy');
    // one of its recorders comes preselected, never the manager deciding
    const select = screen.getByRole('combobox', { name: 'Whose is it?' }) as HTMLSelectElement;
    expect([fx.id('Bob'), fx.id('Cy')]).toContain(select.value);
    fireEvent.change(screen.getByRole('combobox', { name: 'Whose is it?' }), {
      target: { value: fx.id('Cy') },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Decide' }));
    await waitFor(() => expect(bg.sent('act')).toHaveLength(1));
    expect(bg.sent('act')[0]).toEqual({
      kind: 'act',
      agencyId: fx.agencyId,
      type: 'assignContract',
      payload: { contract: '41000009', member: fx.id('Cy') },
    });
    await screen.findByText("'Shop audit' is Cy’s contract", { exact: false });
  });

  it('nothing is shown when no contract is disputed (the decision made, it is gone)', async () => {
    const fx = await disputed();
    await fx.act('Olga', 'assignContract', { contract: '41000009', member: fx.id('Bob') });
    const view = viewOf(fx, 'Olga');
    expect(view.state.contractsSeen['41000009']?.member).toBe(fx.id('Bob'));
    const { container } = render(
      <DisputedContracts view={view} send={new FakeBackground(overviewOf(view)).send} />,
    );
    expect(container.textContent).toBe('');
  });
});
