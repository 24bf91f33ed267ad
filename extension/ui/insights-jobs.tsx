// Per job: who proposed, when and for how much, the newest job first, 20 at a time. A duplicate agency
// proposal (P5: a teammate had already proposed as the agency) is marked in words, not by colour alone.
import { useState } from 'preact/hooks';
import type { Insights } from '../../core/lite.ts';
import { connects, dateTime } from './format.ts';

const PAGE = 20;

export function JobsTable({ ins, timeZone }: { ins: Insights; timeZone: string }) {
  const [shown, setShown] = useState(PAGE);
  const jobs = ins.jobs.slice(0, shown);
  if (!ins.jobs.length) return <p class="muted">No proposals in this period.</p>;
  return (
    <>
      <table class="stacks insights-table" data-testid="insights-jobs">
        <caption>{ins.everyRow ? 'Per job' : 'Jobs you proposed to'}</caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Agency proposals</th>
            <th scope="col">Independent proposals</th>
            <th scope="col">Wasted</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.job} data-job={j.job} class={j.wasted ? 'wasted' : undefined}>
              <th scope="row">{j.title}</th>
              <td data-label="Agency proposals">
                {j.proposals.length ? (
                  <ul class="plain">
                    {j.proposals.map((p) => (
                      <li key={p.id} class={p.duplicate ? 'duplicate' : undefined}>
                        {p.name}, {dateTime(p.at, timeZone)}, {connects(p.cost ?? 0)}
                        {p.duplicate ? <strong> — duplicate (P5), wasted</strong> : null}
                      </li>
                    ))}
                  </ul>
                ) : (
                  'None'
                )}
              </td>
              <td data-label="Independent proposals">{j.independent}</td>
              <td data-label="Wasted">{j.wasted ? connects(j.wasted) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {ins.jobs.length > shown ? (
        <div class="row">
          <button type="button" class="secondary" onClick={() => setShown(shown + PAGE)}>
            Show {Math.min(PAGE, ins.jobs.length - shown)} more jobs
          </button>
          <span class="muted">
            {shown} of {ins.jobs.length} jobs shown
          </span>
        </div>
      ) : null}
    </>
  );
}
