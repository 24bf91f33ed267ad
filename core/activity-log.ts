// The whole log's activity, for searching it (issue 12): a derived state keeps only the latest
// ACTIVITY_LIMIT sentences, so a search over everything derives the log again keeping every one. In steps
// (steps.ts), so the caller decides when other work runs in between; the sentences are the ones derive writes.
import { deriveSteps } from './derive.ts';
import type { Steps } from './steps.ts';
import type { Action, ActivityEntry } from './types.ts';

/** Every activity entry of `actions`, in the log's order (the newest last), as derive words them. */
export function* activityLogSteps(agencyId: string, actions: Iterable<Action>): Steps<ActivityEntry[]> {
  const d = yield* deriveSteps(agencyId, actions, { allActivity: true });
  return d.state.activity;
}
