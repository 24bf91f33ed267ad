// Why a control is disabled, worded as the rule that core would apply (the same VERDICTS sentences). These
// are previews for the member: core, in the background, decides; a request it refuses is shown as refused.
import { type Invite, type Member, type MemberId, VERDICTS, type VerdictCode } from '../../core/lite.ts';
import type { AgencyView } from '../messaging/types.ts';

export type Allowed = { ok: true } | { ok: false; code: VerdictCode; rule: string; message: string };

const ALLOWED: Allowed = { ok: true };
const deny = (code: VerdictCode): Allowed => ({ ok: false, code, ...VERDICTS[code] });

export const meOf = (view: AgencyView): Member | null => view.state.members[view.me] ?? null;

export const activeMembers = (view: AgencyView): Member[] =>
  Object.values(view.state.members)
    .filter((m) => m.status === 'active')
    .sort((a, b) => a.joinedAt - b.joinedAt || (a.id < b.id ? -1 : 1));

/** The active business managers' names, in the order they joined. */
export const managerNames = (view: AgencyView): string[] =>
  activeMembers(view)
    .filter((m) => m.role === 'manager')
    .map((m) => m.name);

/** This browser's key as the agency knows it (null before joining). */
export const thisBrowserOf = (view: AgencyView) => view.state.keys[view.browserKey] ?? null;

/** P6: a member who left or was removed can no longer act for the agency, nor can a removed browser key. */
export function canAct(view: AgencyView): Allowed {
  const me = meOf(view);
  if (me?.status !== 'active') return deny('MEMBER_GONE');
  return thisBrowserOf(view)?.active === false ? deny('KEY_REVOKED') : ALLOWED;
}

/** Members a code for another browser may be made for: oneself, or anyone active for a business manager. */
export function deviceCodeTargets(view: AgencyView): Member[] {
  if (!canAct(view).ok) return [];
  const manager = meOf(view)?.role === 'manager';
  return activeMembers(view).filter((m) => manager || m.id === view.me);
}

/** Invites and browser codes nobody used yet, still valid at `now`, newest first. */
export function openInvites(view: AgencyView, now: number): Invite[] {
  return Object.values(view.state.invites)
    .filter((i) => !i.usedBy && !i.revoked && i.expiresAt >= now)
    .sort((a, b) => b.expiresAt - a.expiresAt || (a.id < b.id ? -1 : 1));
}

/** Revoking an unused invite: a business manager (P2), or a member for a code that adds a browser to them. */
export function canRevoke(view: AgencyView, invite: Invite): Allowed {
  const acting = canAct(view);
  if (!acting.ok) return acting;
  if (meOf(view)?.role === 'manager') return ALLOWED;
  return invite.kind === 'device' && invite.member === view.me ? ALLOWED : deny('NOT_BUSINESS_MANAGER');
}

/** P2: inviting, removing, roles, relationships, allowances, balance, purchases and time zone. */
export function canManage(view: AgencyView): Allowed {
  const acting = canAct(view);
  if (!acting.ok) return acting;
  return meOf(view)?.role === 'manager' ? ALLOWED : deny('NOT_BUSINESS_MANAGER');
}

/** D4: the owner is always a business manager — nobody demotes or removes them (so P3 always holds). */
export function canDemoteOrRemove(view: AgencyView, member: MemberId): Allowed {
  const managing = canManage(view);
  if (!managing.ok) return managing;
  return view.state.ownerId === member ? deny('OWNER_PROTECTED') : ALLOWED;
}

/** Whether leaving needs a successor: the owner names who takes the agency over (D4, P3). */
export function needsSuccessor(view: AgencyView): boolean {
  return view.state.ownerId !== null && view.state.ownerId === view.me;
}

/** R11: anyone may leave at any time; D4/P3: the owner names a successor first. */
export function canLeave(view: AgencyView, successor: MemberId | null): Allowed {
  const acting = canAct(view);
  if (!acting.ok) return acting;
  if (needsSuccessor(view) && !successor) return deny('SUCCESSOR_REQUIRED');
  return ALLOWED;
}
