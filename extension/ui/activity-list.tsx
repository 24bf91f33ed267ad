// Recent activity, newest first: the sentences core wrote for each applied action.
import type { ActivityEntry } from '../../core/lite.ts';
import { timeAgo } from './format.ts';

export function ActivityList({
  activity,
  now,
  limit = 8,
}: {
  activity: ActivityEntry[];
  now: number;
  limit?: number;
}) {
  const newest = activity.slice(-limit).reverse();
  return (
    <section class="card" aria-labelledby="activity-title">
      <h2 id="activity-title">Recent activity</h2>
      {newest.length ? (
        <ol class="activity" aria-label="Recent activity">
          {newest.map((e) => (
            <li key={e.id}>
              <span>{e.text}</span> <time dateTime={new Date(e.at).toISOString()}>{timeAgo(e.at, now)}</time>
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">Nothing yet.</p>
      )}
    </section>
  );
}
