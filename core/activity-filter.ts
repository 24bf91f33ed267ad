// Searching the agency's activity (issue 12): by member, kind and month, and by words, a page at a time,
// the newest first. Pure: the activity sentences are the ones derive wrote.
import { monthPeriod } from './insights.ts';
import type { ActionType, ActivityEntry, MemberId } from './types.ts';

export type ActivityKind = 'proposals' | 'connects' | 'offers' | 'work' | 'team';

const KIND: Record<ActionType, ActivityKind> = {
  submitProposal: 'proposals',
  observeBalance: 'connects',
  enterBalance: 'connects',
  recordPurchase: 'connects',
  refundConnects: 'connects',
  setAllowance: 'connects',
  receiveOffer: 'offers',
  acceptOffer: 'offers',
  declineOffer: 'offers',
  editContractTerms: 'work',
  submitMilestone: 'work',
  logTime: 'work',
  recordPayout: 'work',
  observeContract: 'work',
  assignContract: 'work',
  observeBoost: 'proposals',
  recordOwnHours: 'work',
  setHoursRecording: 'team',
  createAgency: 'team',
  grantInvite: 'team',
  grantDeviceInvite: 'team',
  revokeInvite: 'team',
  joinAgency: 'team',
  removeMember: 'team',
  leaveAgency: 'team',
  changeRole: 'team',
  changeRelationship: 'team',
  setDefaultTeam: 'team',
  setTimeZone: 'team',
  removeDeviceKey: 'team',
  learnUpworkId: 'team',
  publishSealKey: 'team',
  resealAmounts: 'team',
};

/** An action type of a later version (unknown here) is counted with the team's. */
export const activityKind = (type: ActionType): ActivityKind => KIND[type] ?? 'team';

export interface ActivityFilter {
  member?: MemberId | null;
  kind?: ActivityKind | null;
  /** "2026-11", in `timeZone`. */
  month?: string | null;
  timeZone?: string;
  /** Words every matching sentence contains (any case). */
  text?: string;
}

export interface ActivityPage {
  entries: ActivityEntry[];
  /** How many entries match in all. */
  total: number;
  page: number;
  pages: number;
}

/** The most entries one page may hold: a page asks for a page, never for the whole log. */
export const ACTIVITY_PAGE_MAX = 100;
/** The longest search text (words) a page may send. */
export const ACTIVITY_TEXT_MAX = 200;

/** Page `page` (0: the newest) of the entries matching `filter`, `size` a page (1 to ACTIVITY_PAGE_MAX). */
export function activityPage(
  activity: readonly ActivityEntry[],
  filter: ActivityFilter,
  page: number,
  size = 20,
): ActivityPage {
  size = Math.min(ACTIVITY_PAGE_MAX, Math.max(1, Math.floor(size) || 1));
  const words = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const tz = filter.timeZone ?? 'UTC';
  // The month as a span of time: one Intl call for it, not one per entry of a 100k log.
  const month = filter.month ? monthPeriod(filter.month, tz) : null;
  const matching: ActivityEntry[] = [];
  for (let i = activity.length - 1; i >= 0; i--) {
    const e = activity[i]!;
    if (filter.member && e.actor !== filter.member) continue;
    if (filter.kind && activityKind(e.type) !== filter.kind) continue;
    if (month && (e.at < month.from || e.at >= month.to)) continue;
    if (words.length) {
      const text = e.text.toLowerCase();
      if (!words.every((w) => text.includes(w))) continue;
    }
    matching.push(e);
  }
  const pages = Math.max(1, Math.ceil(matching.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { entries: matching.slice(p * size, p * size + size), total: matching.length, page: p, pages };
}
