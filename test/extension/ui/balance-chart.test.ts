// The balance chart's geometry: a step line that goes where the balance went, at most one step per pixel
// column however many movements a period holds, and markers only for what the key names.
import { describe, expect, it } from 'vitest';
import type { BalancePoint } from '../../../core/index.ts';
import { chartGeometry } from '../../../extension/ui/balance-chart.tsx';

const period = { from: 0, to: 600_000 };

describe('balance chart', () => {
  it('steps from the start to each balance, highest at the top, and marks observations, purchases and refunds', () => {
    const points: BalancePoint[] = [
      { at: 0, balance: 100, kind: 'start', delta: 0, id: null },
      { at: 300_000, balance: 0, kind: 'proposal', delta: -100, id: 'p1' },
      { at: 450_000, balance: 50, kind: 'purchase', delta: 50, id: 'b1' },
    ];
    const g = chartGeometry(points, period, period.to, 112, null);
    expect(g).toMatchObject({ min: 0, max: 100, reservedY: null });
    // x: 6 + t/600000 × 588; y: 6 + (1 − v/100) × 100
    expect(g.line).toBe('M6 6H300V106H447V56H594');
    expect(g.marks).toEqual([{ kind: 'purchase', x: 447, y: 56 }]);
  });

  it('a busy period keeps at most one step per pixel column', () => {
    const points: BalancePoint[] = [{ at: 0, balance: 10_000, kind: 'start', delta: 0, id: null }];
    for (let i = 1; i <= 20_000; i++)
      points.push({ at: i * 30, balance: 10_000 - i, kind: 'proposal', delta: -1, id: `p${i}` });
    const g = chartGeometry(points, period, period.to, 112, 500);
    const steps = (g.line.match(/H/g) ?? []).length;
    expect(steps).toBeLessThanOrEqual(600);
    expect(g.line.endsWith('H594')).toBe(true);
    expect(g.marks).toEqual([]);
    expect(g.reservedY).not.toBeNull();
  });
});
