// Collects property-test findings by kind across a whole run, keeping the smallest schedule that shows each
// kind, so one failing run reports every kind of disagreement at once (not only fast-check's first).
import type { Derivation } from '../../../core/index.ts';
import { describeWorld, type World } from './simulation.ts';

export interface Finding {
  kind: string;
  detail: string;
  size: number;
  schedule: string;
  count: number;
}

export class Findings {
  readonly byKind = new Map<string, Finding>();

  add(kind: string, detail: string, world: World, d: Derivation, focus?: ReadonlySet<string>): void {
    const seen = this.byKind.get(kind);
    const size = world.all.length;
    if (seen) {
      seen.count++;
      if (seen.size <= size) return;
    }
    this.byKind.set(kind, {
      kind,
      detail,
      size,
      schedule: `${describeWorld(world, d, focus)}\nreplay: node test/core/replay-schedule.ts '${JSON.stringify(world.scenario)}'`,
      count: (seen?.count ?? 0) + (seen ? 0 : 1),
    });
  }

  get size(): number {
    return this.byKind.size;
  }

  report(title: string): string {
    const parts = [...this.byKind.values()]
      .sort((x, y) => y.count - x.count)
      .map(
        (f) =>
          `■ ${f.kind} — ${f.count} schedule(s); smallest (${f.size} actions):\n  ${f.detail}\n${f.schedule
            .split('\n')
            .map((l) => `    ${l}`)
            .join('\n')}`,
      );
    return `${title}: ${this.byKind.size} kind(s)\n\n${parts.join('\n\n')}`;
  }
}
