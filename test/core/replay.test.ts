// Replays one generated schedule printed by a property test, for debugging:
//   SIM_SCENARIO='{"setup":…}' npx vitest run --project core test/core/replay.test.ts
// prints the log in order with its verdicts (ids ascending), the verdicts that change with the ids
// descending, and the oracle's judgement where it disagrees with derive.
import { describe, it } from 'vitest';
import { derive } from '../../core/index.ts';
import { REVERSED } from './support/agency.ts';
import { Oracle } from './support/oracle.ts';
import { describeWorld, run, SIM_AGENCY } from './support/simulation.ts';

const scenario = process.env.SIM_SCENARIO;

describe.skipIf(!scenario)('replay a generated schedule (SIM_SCENARIO)', () => {
  it('prints the schedule, its tie-break differences and the oracle’s disagreements', async () => {
    const world = await run(JSON.parse(scenario!));
    const d = derive(SIM_AGENCY, world.all);
    const flipped = derive(SIM_AGENCY, world.all, { tieBreak: REVERSED });
    const oracle = new Oracle(world.all);
    const said = (x: typeof d, id: string) =>
      x.state.verdicts
        .filter((v) => v.id === id)
        .map((v) => `${v.kind} ${v.code}/${v.rule}`)
        .join(', ') || 'applied';
    const lines = [describeWorld(world, d), '', 'with ids descending:'];
    for (const id of d.order)
      if (said(d, id) !== said(flipped, id))
        lines.push(`  #${d.order.indexOf(id)}: ${said(d, id)} ⇄ ${said(flipped, id)}`);
    lines.push('', 'oracle (where it decides otherwise):');
    for (const id of d.order) {
      const j = oracle.judgements.get(id);
      const refused = d.state.verdicts.some((v) => v.id === id && v.kind === 'refused');
      if ((j?.kind === 'applied' && refused) || (j?.kind === 'refused' && !refused))
        lines.push(`  #${d.order.indexOf(id)}: oracle ${j.kind} (${j.why}); core ${said(d, id)}`);
    }
    console.log(lines.join('\n'));
  });
});
