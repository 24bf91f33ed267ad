// "Your recent actions": per action taken in this browser, what it was (the agency's own sentence for it when
// it has one: "Olga gave Bob a monthly allowance of 20 Connects"), and whether it is saved locally, synced, or
// refused with why.
import type { ActivityEntry } from '../../core/lite.ts';
import type { ActionStatus } from '../messaging/types.ts';
import { actionName, statusText, timeAgo } from './format.ts';

export function RecentActions({
  recent,
  activity,
  now,
  limit = 5,
}: {
  recent: ActionStatus[];
  activity: ActivityEntry[];
  now: number;
  limit?: number;
}) {
  const newest = [...recent].sort((a, b) => b.at - a.at).slice(0, limit);
  if (!newest.length) return null;
  const said = sentencesFor(newest, activity);
  return (
    <section class="card" aria-labelledby="mine-title">
      <h2 id="mine-title">Your recent actions</h2>
      <ul class="recent" aria-label="Your recent actions">
        {newest.map((s, i) => (
          <li key={s.id ?? `refused-${i}`} class={`status-${s.status}`}>
            <span>{(s.id && said.get(s.id)) || actionName(s.type)}</span>{' '}
            <span class="badge">{statusText(s)}</span>{' '}
            <time dateTime={new Date(s.at).toISOString()}>{timeAgo(s.at, now)}</time>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The activity sentences of `statuses`, found from the newest entry back (recent actions are recent). */
function sentencesFor(statuses: ActionStatus[], activity: ActivityEntry[]): Map<string, string> {
  const wanted = new Set(statuses.map((s) => s.id).filter((id): id is string => id !== null));
  const found = new Map<string, string>();
  for (let i = activity.length - 1; i >= 0 && found.size < wanted.size; i--) {
    const entry = activity[i]!;
    if (wanted.has(entry.id)) found.set(entry.id, entry.text);
  }
  return found;
}
