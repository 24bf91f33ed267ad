// The agency pages' switch for recording members' own weekly hours (issue 11): a business manager turns it on
// (it is off by default) with a real signed action; a plain member only reads whether it is on.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgencyView } from '../../../extension/messaging/types.ts';
import { HoursRecordingSetting } from '../../../extension/ui/hours-recording-setting.tsx';
import { useRun } from '../../../extension/ui/use-run.ts';
import { FakeBackground, olgaAndBob, overviewOf, viewOf } from './support/views.ts';

afterEach(cleanup);

function Harness({ view, bg }: { view: AgencyView; bg: FakeBackground }) {
  const { busy, run } = useRun();
  return <HoursRecordingSetting view={view} send={bg.send} run={run} busy={busy} />;
}

describe('recording members’ own hours', () => {
  it('off by default: a business manager turns it on with setHoursRecording', async () => {
    const fx = await olgaAndBob();
    const view = viewOf(fx, 'Olga');
    const bg = new FakeBackground(overviewOf(view), {
      act: () => ({ ok: true, value: { id: 'a1', status: 'saved', flags: [] } }),
    });
    render(<Harness view={view} bg={bg} />);
    const box = screen.getByRole('checkbox', { name: /Record each member’s own hours per week/ });
    expect((box as HTMLInputElement).checked).toBe(false);
    fireEvent.click(box);
    await waitFor(() => expect(bg.sent('act')).toHaveLength(1));
    expect(bg.sent('act')[0]).toEqual({
      kind: 'act',
      agencyId: fx.agencyId,
      type: 'setHoursRecording',
      payload: { on: true },
    });
  });

  it('a plain member reads whether it is on and has nothing to switch', async () => {
    const fx = await olgaAndBob();
    const bg = new FakeBackground(overviewOf(null));
    render(<Harness view={viewOf(fx, 'Bob')} bg={bg} />);
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.getByTestId('hours-recording').textContent).toBe(
      'The agency does not record members’ hours.',
    );
    await fx.act('Olga', 'setHoursRecording', { on: true });
    cleanup();
    render(<Harness view={viewOf(fx, 'Bob')} bg={bg} />);
    expect(screen.getByTestId('hours-recording').textContent).toContain(
      'The agency records each member’s own hours',
    );
    expect(bg.requests).toEqual([]);
  });
});
