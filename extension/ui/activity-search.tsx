// The agency pages' activity: searchable by member, kind, month and words, a page at a time, the newest first.
// Each line is the sentence core wrote for the action, with when ("… — 16 Connects, 2 hours ago").
import { useState } from 'preact/hooks';
import { type ActivityKind, type AgencyState, activityPage, monthKey } from '../../core/lite.ts';
import { timeAgo } from './format.ts';
import { monthLabel } from './insights-section.tsx';

const KINDS: { value: ActivityKind; label: string }[] = [
  { value: 'proposals', label: 'Proposals' },
  { value: 'connects', label: 'Connects (balances, purchases, refunds, allowances)' },
  { value: 'offers', label: 'Offers' },
  { value: 'work', label: 'Contracts and work' },
  { value: 'team', label: 'Team and settings' },
];

export function ActivitySearch({ state, now }: { state: AgencyState; now: number }) {
  const [member, setMember] = useState('');
  const [kind, setKind] = useState('');
  const [month, setMonth] = useState('');
  const [text, setText] = useState('');
  const [page, setPage] = useState(0);
  const tz = state.timeZone;
  const months = [...new Set(state.activity.map((e) => monthKey(e.at, tz)))].sort().reverse();
  const members = Object.values(state.members).sort((a, b) => a.name.localeCompare(b.name));
  const result = activityPage(
    state.activity,
    {
      member: member || null,
      kind: (kind || null) as ActivityKind | null,
      month: month || null,
      timeZone: tz,
      text,
    },
    page,
  );
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(0);
    };
  return (
    <section class="card" aria-labelledby="activity-title" id="activity">
      <h2 id="activity-title">Activity</h2>
      <div class="row">
        <label>
          Member{' '}
          <select value={member} onChange={(e) => reset(setMember)(e.currentTarget.value)}>
            <option value="">Everyone</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind{' '}
          <select value={kind} onChange={(e) => reset(setKind)(e.currentTarget.value)}>
            <option value="">Everything</option>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Month{' '}
          <select value={month} onChange={(e) => reset(setMonth)(e.currentTarget.value)}>
            <option value="">Any month</option>
            {months.map((m) => (
              <option key={m} value={m}>
                {monthLabel(m)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search <input type="search" value={text} onInput={(e) => reset(setText)(e.currentTarget.value)} />
        </label>
      </div>
      <p class="muted" aria-live="polite" data-testid="activity-count">
        {result.total === 0
          ? 'Nothing matches.'
          : `${result.total} ${result.total === 1 ? 'entry' : 'entries'}, page ${result.page + 1} of ${result.pages}.`}
      </p>
      {result.entries.length ? (
        <ol class="activity" aria-label="Activity" data-testid="activity-list">
          {result.entries.map((e) => (
            <li key={e.id}>
              <span>{e.text}</span>, <time dateTime={new Date(e.at).toISOString()}>{timeAgo(e.at, now)}</time>
              .
            </li>
          ))}
        </ol>
      ) : null}
      {result.pages > 1 ? (
        <div class="row">
          <button
            type="button"
            class="secondary"
            disabled={result.page === 0}
            onClick={() => setPage(result.page - 1)}
          >
            Newer
          </button>
          <button
            type="button"
            class="secondary"
            disabled={result.page >= result.pages - 1}
            onClick={() => setPage(result.page + 1)}
          >
            Older
          </button>
        </div>
      ) : null}
    </section>
  );
}
