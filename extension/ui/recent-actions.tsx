// "Your recent actions": per action taken in this browser, what it was (the agency's own sentence for it, told
// to the member: "You gave Bob a monthly allowance of 20 Connects"), and whether it is saved locally, synced,
// or refused with why. What the overlay notes from Upwork's page by itself (the balance it shows, the agency's
// Upwork id, the default team) is bookkeeping, not something the member did: it is listed only if refused.
import type { ActivityEntry } from '../../core/lite.ts';
import type { ActionStatus } from '../messaging/types.ts';
import { actionName, statusText, timeAgo } from './format.ts';

/** Facts the overlay records from the page on its own (overlay/page-facts.ts). */
const BOOKKEEPING = new Set(['observeBalance', 'learnUpworkId', 'setDefaultTeam']);

export function RecentActions({
  recent,
  activity,
  now,
  myName,
  limit = 5,
}: {
  recent: ActionStatus[];
  activity: ActivityEntry[];
  now: number;
  /** The member's name: the agency's sentences name the actor, which here is "You". */
  myName?: string;
  limit?: number;
}) {
  const newest = [...recent]
    .filter((s) => s.status === 'refused' || !BOOKKEEPING.has(s.type))
    .sort((a, b) => b.at - a.at)
    .slice(0, limit);
  if (!newest.length) return null;
  const said = sentencesFor(newest, activity);
  const told = (sentence: string): string =>
    myName && sentence.startsWith(`${myName} `) ? `You ${sentence.slice(myName.length + 1)}` : sentence;
  return (
    <section class="card" aria-labelledby="mine-title">
      <h2 id="mine-title">Your recent actions</h2>
      <ul class="recent" aria-label="Your recent actions">
        {newest.map((s, i) => {
          const sentence = s.id ? said.get(s.id) : undefined;
          return (
            <li key={s.id ?? `refused-${i}`} class={`status-${s.status}`}>
              <span>{sentence ? told(sentence) : actionName(s.type)}</span>{' '}
              <span class="badge">{statusText(s)}</span>{' '}
              <time dateTime={new Date(s.at).toISOString()}>{timeAgo(s.at, now)}</time>
            </li>
          );
        })}
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
