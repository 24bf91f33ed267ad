// The agency's Connects balance over a period as plain SVG (no chart library: a step line and a few
// markers): the line is what the log's movements made of the balance, a circle each balance Upwork showed
// (or a manager entered), a triangle each purchase, a diamond each refund, and a dashed line what next month's
// allowances will hold back. Colours come from the page's light or dark palette (insights.css); a screen
// reader gets the same as sentences and a table (BalanceTable).
import type { BalancePoint, Period } from '../../core/lite.ts';

const W = 600;
const PAD = 6;

export interface ChartGeometry {
  line: string;
  marks: { kind: BalancePoint['kind']; x: number; y: number }[];
  reservedY: number | null;
  min: number;
  max: number;
}

/**
 * Where everything goes in a `W`×`height` box. At most one step per pixel column (the last balance in it),
 * so a 90-day period of a busy agency stays a short path; markers are kept for observations, purchases and
 * refunds only (every proposal is a step of the line).
 */
export function chartGeometry(
  points: readonly BalancePoint[],
  period: Period,
  end: number,
  height: number,
  reserved: number | null,
): ChartGeometry {
  const to = Math.max(period.from + 1, Math.min(period.to, end));
  let min = Math.min(0, reserved ?? 0);
  let max = reserved ?? 0;
  for (const p of points) {
    if (p.balance < min) min = p.balance;
    if (p.balance > max) max = p.balance;
  }
  if (max === min) max = min + 1;
  const x = (t: number) =>
    PAD + ((Math.min(Math.max(t, period.from), to) - period.from) / (to - period.from)) * (W - 2 * PAD);
  const y = (v: number) => PAD + (1 - (v - min) / (max - min)) * (height - 2 * PAD);
  const r = (n: number) => Math.round(n * 10) / 10;
  let line = '';
  let lastColumn = -1;
  let pending: string | null = null;
  for (const p of points) {
    const px = r(x(p.at));
    const column = Math.floor(px);
    const step = line ? `H${px}V${r(y(p.balance))}` : `M${px} ${r(y(p.balance))}`;
    if (column === lastColumn && line) {
      pending = `V${r(y(p.balance))}`;
      continue;
    }
    if (pending) line += pending;
    pending = null;
    line += step;
    lastColumn = column;
  }
  if (pending) line += pending;
  if (points.length) line += `H${r(x(to))}`;
  const marks = points
    .filter((p) => p.kind === 'observation' || p.kind === 'purchase' || p.kind === 'refund')
    .map((p) => ({ kind: p.kind, x: r(x(p.at)), y: r(y(p.balance)) }));
  return { line, marks, reservedY: reserved === null ? null : r(y(reserved)), min, max };
}

function Mark({ kind, x, y }: { kind: BalancePoint['kind']; x: number; y: number }) {
  if (kind === 'purchase')
    return <path class="mark-purchase" d={`M${x} ${y - 5}L${x + 5} ${y + 4}H${x - 5}Z`} />;
  if (kind === 'refund')
    return <path class="mark-refund" d={`M${x} ${y - 5}L${x + 5} ${y}L${x} ${y + 5}L${x - 5} ${y}Z`} />;
  return <circle class="mark-observation" cx={x} cy={y} r={3.5} />;
}

export function BalanceChart(props: {
  points: readonly BalancePoint[];
  period: Period;
  now: number;
  reserved: number | null;
  /** Read by screen readers instead of the picture: a sentence, or the id of the caption that says it. */
  label: string | { captionId: string };
  height?: number;
  compact?: boolean;
}) {
  const height = props.height ?? 180;
  const g = chartGeometry(props.points, props.period, props.now + 1, height, props.reserved);
  return (
    <svg
      class={props.compact ? 'balance-chart compact' : 'balance-chart'}
      viewBox={`0 0 ${W} ${height}`}
      role="img"
      aria-label={typeof props.label === 'string' ? props.label : undefined}
      aria-labelledby={typeof props.label === 'string' ? undefined : props.label.captionId}
      data-testid={props.compact ? 'sparkline' : 'balance-chart'}
    >
      {props.compact ? null : (
        <>
          <text class="axis" x={PAD + 2} y={PAD + 10}>
            {g.max.toLocaleString('en-US')}
          </text>
          <text class="axis" x={PAD + 2} y={height - PAD - 6}>
            {g.min.toLocaleString('en-US')}
          </text>
        </>
      )}
      {g.reservedY === null ? null : (
        <line class="reserved" x1={PAD} x2={W - PAD} y1={g.reservedY} y2={g.reservedY} />
      )}
      <path class="balance-line" d={g.line} vector-effect="non-scaling-stroke" />
      {props.compact ? null : g.marks.map((m, i) => <Mark key={i} {...m} />)}
    </svg>
  );
}
