// The popup's word after the browser discarded the agency's stored copy (extension/ui/recovery-notice.tsx):
// calm when the member lost nothing, plain about what may be gone otherwise, dismissed with OK.
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PopupApp } from '../../../extension/entrypoints/popup/popup-app.tsx';
import type { RecoveryNotice } from '../../../extension/messaging/types.ts';
import { FakeBackground, nowOf, olgaAndBob, overviewOf, viewOf } from './support/views.ts';

afterEach(cleanup);

async function popupWith(recovered: RecoveryNotice | null) {
  const fx = await olgaAndBob();
  const view = { ...viewOf(fx, 'Bob'), recovered };
  const bg = new FakeBackground(overviewOf(view), { dismissRecovery: () => ({ ok: true, value: null }) });
  render(<PopupApp client={bg} openAgencyPages={vi.fn()} initial={overviewOf(view)} now={nowOf(fx)} />);
  return bg;
}

const notice: RecoveryNotice = { at: 0, held: 120, restored: 3, notKept: 0, keyLost: false };

describe('the recovery notice in the popup', () => {
  it('everything recovered: says what happened, that the 3 actions are back and nothing is lost, as a status', async () => {
    await popupWith(notice);
    const n = screen.getByTestId('recovery-notice');
    expect(n.getAttribute('role')).toBe('status');
    expect(n.className).toBe('notice calm');
    expect(n.textContent).toMatch(/This browser lost its stored copy of Acme/);
    expect(n.textContent).toMatch(/Your 3 actions not yet on the server were kept apart and are back/);
    expect(n.textContent).toMatch(/Nothing of yours is lost\./);
  });

  it('nothing was waiting: everything had reached the server', async () => {
    await popupWith({ ...notice, restored: 0 });
    expect(screen.getByTestId('recovery-notice').textContent).toMatch(
      /Everything you did had reached the server/,
    );
  });

  it('actions beyond the bound: an alert that names how many may be gone, and never "nothing is lost"', async () => {
    await popupWith({ ...notice, notKept: 4 });
    const n = screen.getByTestId('recovery-notice');
    expect(n.getAttribute('role')).toBe('alert');
    expect(n.textContent).toMatch(
      /4 actions you took while the server was unreachable were beyond what is kept/,
    );
    expect(n.textContent).not.toMatch(/Nothing of yours is lost/);
  });

  it("the browser's key lost too: says to add this browser again", async () => {
    await popupWith({ ...notice, keyLost: true });
    expect(screen.getByTestId('recovery-notice').textContent).toMatch(
      /add this browser again with a browser code/,
    );
  });

  it('OK dismisses it through the background', async () => {
    const bg = await popupWith(notice);
    fireEvent.click(screen.getByRole('button', { name: 'OK' }));
    expect(bg.sent('dismissRecovery')).toHaveLength(1);
  });

  it('no recovery: no notice', async () => {
    await popupWith(null);
    expect(screen.queryByTestId('recovery-notice')).toBeNull();
  });
});
