// The agency pages' activity: the whole log, searchable by member, kind, month and words, a page at a time,
// the newest first. The background finds the page (background/activity-request.ts): the log stays there, and
// only the page's entries come here. Each line is the sentence core wrote for the action, with when ("… — 16
// Connects, 2 hours ago").
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ActivityKind, type ActivityPage, agencyStart } from '../../core/lite.ts';
import type { AgencyView } from '../messaging/types.ts';
import type { Send } from './client.ts';
import { timeAgo } from './format.ts';
import { agencyMonths, monthLabel } from './insights-section.tsx';

const KINDS: { value: ActivityKind; label: string }[] = [
  { value: 'proposals', label: 'Proposals' },
  { value: 'connects', label: 'Connects (balances, purchases, refunds, allowances)' },
  { value: 'offers', label: 'Offers' },
  { value: 'work', label: 'Contracts and work' },
  { value: 'team', label: 'Team and settings' },
];

export const ACTIVITY_PAGE_SIZE = 20;

export function ActivitySearch({ view, send, now }: { view: AgencyView; send: Send; now: number }) {
  const state = view.state;
  const [member, setMember] = useState('');
  const [kind, setKind] = useState('');
  const [month, setMonth] = useState('');
  const [text, setText] = useState('');
  const [page, setPage] = useState(0);
  const [result, setResult] = useState<ActivityPage | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Answers may come back out of order (one per keystroke): only the latest question's answer is shown.
  const asked = useRef(0);
  const c = state.counts;
  const revision = `${c.applied}/${c.refused}/${c.pending}`;
  useEffect(() => {
    const n = ++asked.current;
    void send({
      kind: 'activity',
      agencyId: view.agencyId,
      filter: {
        ...(member ? { member } : {}),
        ...(kind ? { kind: kind as ActivityKind } : {}),
        ...(month ? { month } : {}),
        ...(text.trim() ? { text: text.trim() } : {}),
      },
      page,
      size: ACTIVITY_PAGE_SIZE,
    }).then((res) => {
      if (n !== asked.current) return;
      if (res.ok) {
        setResult(res.value);
        setProblem(null);
      } else setProblem(res.message);
    });
  }, [send, view.agencyId, member, kind, month, text, page, revision]);

  const tz = state.timeZone;
  const months = agencyMonths(now, tz, agencyStart(state, view.observations ?? []));
  const members = Object.values(state.members).sort((a, b) => a.name.localeCompare(b.name));
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
          Search{' '}
          <input
            type="search"
            value={text}
            maxLength={200}
            onInput={(e) => reset(setText)(e.currentTarget.value)}
          />
        </label>
      </div>
      {problem ? <p role="alert">{problem}</p> : null}
      <p class="muted" aria-live="polite" data-testid="activity-count">
        {result === null
          ? 'Searching the agency’s log…'
          : result.total === 0
            ? 'Nothing matches.'
            : `${result.total.toLocaleString('en-US')} ${result.total === 1 ? 'entry' : 'entries'}, page ${(result.page + 1).toLocaleString('en-US')} of ${result.pages.toLocaleString('en-US')}.`}
      </p>
      {result?.entries.length ? (
        <ol class="activity" aria-label="Activity" data-testid="activity-list">
          {result.entries.map((e) => (
            <li key={e.id}>
              <span>{e.text}</span>, <time dateTime={new Date(e.at).toISOString()}>{timeAgo(e.at, now)}</time>
              .
            </li>
          ))}
        </ol>
      ) : null}
      {result && result.pages > 1 ? (
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
