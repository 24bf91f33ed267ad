// Words and numbers as the pages show them. Pure, so component tests can pin `now` and the locale.
import type { ActionType, ProposeAs, Relationship, Role } from '../../core/lite.ts';
import type { ActionStatus, SyncView } from '../messaging/types.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const connects = (n: number): string =>
  `${n.toLocaleString('en-US')} Connect${Math.abs(n) === 1 ? '' : 's'}`;

/** "Olga", "Olga and Bob", "Olga, Bob and Cy". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** "+50" / "−16" with a real minus sign, for the movements since the last observation. */
export const signed = (n: number): string => (n < 0 ? `−${Math.abs(n)}` : `+${n}`);

export const roleLabel = (role: Role): string => (role === 'manager' ? 'Business manager' : 'Member');

export const relationshipLabel = (r: Relationship): string =>
  r === 'exclusive' ? 'Exclusive' : 'Non-exclusive';

export const teamLabel = (team: ProposeAs | null): string =>
  team === 'agency'
    ? 'the agency'
    : team === 'independent'
      ? 'independent freelancer'
      : 'not read from Upwork yet';

export function dateTime(at: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(at);
}

/**
 * The note beside figures a restarted worker shows from its derived snapshot before the stored doc is read:
 * "As of 14:05, updating…" (the date too when not today), "Updating…" when the time is not known.
 */
export function asOfText(at: number | null, now: number, timeZone?: string): string {
  if (at === null) return 'Updating…';
  const day = (t: number) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeZone }).format(t);
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }).format(at);
  return `As of ${day(at) === day(now) ? time : dateTime(at, timeZone)}, updating…`;
}

/** "1 Dec" (with the year when it is not this year's). */
export function dayText(at: number, now: number, timeZone?: string): string {
  const year = (t: number) => new Intl.DateTimeFormat('en-GB', { year: 'numeric', timeZone }).format(t);
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(year(at) === year(now) ? {} : { year: 'numeric' }),
    timeZone,
  }).format(at);
}

const units = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'} ago`;

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago", then the date: words, not abbreviations. */
export function timeAgo(at: number, now: number): string {
  const d = Math.max(0, now - at);
  if (d < MINUTE) return 'just now';
  if (d < HOUR) return units(Math.floor(d / MINUTE), 'minute');
  if (d < DAY) return units(Math.floor(d / HOUR), 'hour');
  if (d < 7 * DAY) return units(Math.floor(d / DAY), 'day');
  return dateTime(at);
}

/** Why the server stopped syncing this browser, by its close code (core/protocol.ts CLOSE), in plain words. */
const STOPPED_BECAUSE: Record<string, string> = {
  NOT_A_MEMBER: 'the server does not know this browser as a member of the agency',
  MEMBER_GONE: 'you are no longer a member of this agency',
  INVITE_INVALID: 'the code this browser joined with admits nobody now',
  CREATION_FORBIDDEN: 'this server needs a creation token to create a new agency',
  INVALID_ACTION: "the server refused an action from this browser under the agency's rules",
  LOG_TAMPERED: "the server refused a change that would rewrite the agency's history",
  KEY_FORKED:
    'this browser wrote beside four other branches of its own actions it never built on (restored from older copies again and again, or a modified client), so the server cannot take what it wrote since. Remove the agency from this browser (agency pages), then open any invite or browser code of the agency here: it comes back as the server has it, and the code stays unused',
  TOO_LARGE: 'the server refused a message larger than it accepts',
};

/** Stops that trying again cannot mend: the server will say the same about this browser's standing. */
const FINAL_STOPS = new Set(['NOT_A_MEMBER', 'MEMBER_GONE', 'INVITE_INVALID', 'OLD_FORMAT', 'KEY_FORKED']);

/** Whether "try again" can help: an outage, or a stop the server might answer differently next time. */
export const canRetrySync = (sync: SyncView): boolean =>
  sync.status === 'offline' || (sync.status === 'stopped' && !FINAL_STOPS.has(sync.stoppedBy ?? ''));

export function syncText(sync: SyncView, now: number): string {
  const last = sync.lastSyncedAt === null ? 'never synced' : `last synced ${timeAgo(sync.lastSyncedAt, now)}`;
  switch (sync.status) {
    case 'synced':
      return `Synced · ${last}`;
    case 'syncing':
      return sync.waiting > 0 ? `Syncing ${actionsWaiting(sync.waiting)} · ${last}` : `Syncing · ${last}`;
    case 'offline':
      return `Offline — ${actionsWaiting(sync.waiting)} · ${last}`;
    case 'stopped': {
      const why = (sync.stoppedBy && STOPPED_BECAUSE[sync.stoppedBy]) || null;
      return why
        ? `Not syncing: ${why}.`
        : `Not syncing: ${sync.stoppedReason ?? 'the server refused this browser.'}`;
    }
  }
}

const actionsWaiting = (n: number): string => `${n} action${n === 1 ? '' : 's'} waiting`;

/** Readable names for every action type, where no sentence of the agency's activity says more. */
const ACTION_NAMES: Record<ActionType, string> = {
  createAgency: 'Created the agency',
  joinAgency: 'Joined the agency',
  grantInvite: 'Made an invite',
  grantDeviceInvite: 'Made a code for another browser',
  revokeInvite: 'Revoked an invite',
  removeMember: 'Removed a member',
  leaveAgency: 'Left the agency',
  changeRole: 'Changed a role',
  changeRelationship: 'Changed a relationship',
  setDefaultTeam: 'Recorded the default team Upwork shows',
  setAllowance: 'Set a monthly allowance',
  setTimeZone: "Set the agency's time zone",
  enterBalance: "Entered the agency's balance",
  recordPurchase: 'Recorded a Connects purchase',
  removeDeviceKey: 'Removed a browser',
  publishSealKey: 'Set up this browser to read amounts when a business manager uses it',
  resealAmounts: 'Let a new business manager’s browser read earlier amounts',
  acceptOffer: 'Accepted an offer',
  declineOffer: 'Declined an offer',
  editContractTerms: "Edited a contract's terms",
  submitMilestone: 'Submitted a milestone',
  logTime: 'Logged time',
  submitProposal: 'Recorded a proposal',
  observeBalance: "Recorded the agency's balance as Upwork showed it",
  learnUpworkId: "Recorded the agency's Upwork id from the proposal form",
  refundConnects: 'Recorded a refund',
  receiveOffer: 'Recorded an offer',
  recordPayout: 'Recorded a payout',
  observeContract: 'Recorded a contract as Upwork lists it',
  assignContract: 'Decided whose a disputed contract is',
  observeBoost: 'Recorded a proposal’s boost outcome',
  setHoursRecording: 'Turned recording of members’ own hours on or off',
  recordOwnHours: 'Recorded their own hours of a week',
};

export const actionName = (type: string): string => ACTION_NAMES[type as ActionType] ?? 'An action';

/** What each action type does, after "Only a business manager can …" (refusal-text.ts). */
const ACTION_DOING: Partial<Record<ActionType, string>> = {
  grantInvite: 'invite members',
  revokeInvite: 'revoke invites',
  removeMember: 'remove members',
  changeRole: 'change roles',
  changeRelationship: 'change relationships',
  setAllowance: 'set monthly allowances',
  setTimeZone: "set the agency's time zone",
  enterBalance: "enter the agency's balance",
  recordPurchase: 'record Connects purchases',
  acceptOffer: 'accept this offer',
  declineOffer: 'decline this offer',
  editContractTerms: "edit this contract's terms",
  assignContract: 'decide whose a disputed contract is',
};

export const actionDoing = (type: string): string | undefined => ACTION_DOING[type as ActionType];

export function statusText(s: ActionStatus): string {
  if (s.status === 'refused') return `Refused: ${s.message}`;
  const base = s.status === 'synced' ? 'Synced with the server' : 'Saved in this browser, not synced yet';
  return s.note ? `${base}. ${s.note.message}` : base;
}
