// "Your recent actions": per action taken in this browser, saved locally, synced, or refused with why.
import type { ActionStatus } from '../messaging/types.ts';
import { actionName, statusText, timeAgo } from './format.ts';

export function RecentActions({
  recent,
  now,
  limit = 5,
}: {
  recent: ActionStatus[];
  now: number;
  limit?: number;
}) {
  const newest = [...recent].sort((a, b) => b.at - a.at).slice(0, limit);
  if (!newest.length) return null;
  return (
    <section class="card" aria-labelledby="mine-title">
      <h2 id="mine-title">Your recent actions</h2>
      <ul class="recent" aria-label="Your recent actions">
        {newest.map((s, i) => (
          <li key={s.id ?? `refused-${i}`} class={`status-${s.status}`}>
            <span>{actionName(s.type)}</span> <span class="badge">{statusText(s)}</span>{' '}
            <time dateTime={new Date(s.at).toISOString()}>{timeAgo(s.at, now)}</time>
          </li>
        ))}
      </ul>
    </section>
  );
}
