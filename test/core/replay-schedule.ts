// Replays one generated schedule printed by a property test, for debugging (a tool, not a test):
//   node test/core/replay-schedule.ts '{"setup":…}'
// prints the log in order with its verdicts (ids ascending), the verdicts that change with the ids
// descending, and the oracle's judgement where it disagrees with derive.
import { derive } from '../../core/index.ts';
import { REVERSED } from './support/agency.ts';
import { Oracle } from './support/oracle.ts';
import { describeWorld, run, SIM_AGENCY } from './support/simulation.ts';

const scenario = process.argv[2];
if (!scenario) {
  console.error("usage: node test/core/replay-schedule.ts '<the schedule a property test printed, as JSON>'");
  process.exit(2);
}
const world = await run(JSON.parse(scenario));
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
