// Words and numbers as the pages show them. Pure, so component tests can pin `now` and the locale.
import type { ProposeAs, Relationship, Role } from '../../core/lite.ts';
import type { ActionStatus, SyncView } from '../messaging/types.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const connects = (n: number): string =>
  `${n.toLocaleString('en-US')} Connect${Math.abs(n) === 1 ? '' : 's'}`;

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

/** "just now", "5 min ago", "3 h ago", "2 days ago", then the date. */
export function timeAgo(at: number, now: number): string {
  const d = Math.max(0, now - at);
  if (d < MINUTE) return 'just now';
  if (d < HOUR) return `${Math.floor(d / MINUTE)} min ago`;
  if (d < DAY) return `${Math.floor(d / HOUR)} h ago`;
  if (d < 7 * DAY) {
    const days = Math.floor(d / DAY);
    return `${days} day${days === 1 ? '' : 's'} ago`;
  }
  return dateTime(at);
}

export function syncText(sync: SyncView, now: number): string {
  const last = sync.lastSyncedAt === null ? 'never synced' : `last synced ${timeAgo(sync.lastSyncedAt, now)}`;
  switch (sync.status) {
    case 'synced':
      return `Synced · ${last}`;
    case 'syncing':
      return sync.waiting > 0 ? `Syncing ${actionsWaiting(sync.waiting)} · ${last}` : `Syncing · ${last}`;
    case 'offline':
      return `Offline — ${actionsWaiting(sync.waiting)} · ${last}`;
    case 'stopped':
      return `Sync stopped: ${sync.stoppedReason ?? 'the server refused this browser'}`;
  }
}

const actionsWaiting = (n: number): string => `${n} action${n === 1 ? '' : 's'} waiting`;

/** Readable names for the action types a member meets in "your recent actions". */
const ACTION_NAMES: Record<string, string> = {
  createAgency: 'Create the agency',
  joinAgency: 'Join the agency',
  grantInvite: 'Invite',
  grantDeviceInvite: 'Make a code for another browser',
  revokeInvite: 'Revoke an invite',
  removeMember: 'Remove a member',
  leaveAgency: 'Leave the agency',
  changeRole: 'Change a role',
  changeRelationship: 'Change a relationship',
  setDefaultTeam: 'Record the default team',
  setAllowance: 'Set a monthly allowance',
  setTimeZone: 'Set the time zone',
  enterBalance: 'Enter the balance',
  recordPurchase: 'Record a purchase',
  removeDeviceKey: 'Remove a browser',
  submitProposal: 'Proposal',
  observeBalance: 'Balance seen on Upwork',
  refundConnects: 'Refund',
};

export const actionName = (type: string): string => ACTION_NAMES[type] ?? type;

export function statusText(s: ActionStatus): string {
  if (s.status === 'refused') return `Refused (${s.rule}): ${s.message}`;
  return s.status === 'synced' ? 'Synced with the server' : 'Saved in this browser, not synced yet';
}
