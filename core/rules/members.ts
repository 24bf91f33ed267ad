// Membership: creating the agency, invites, joining, leaving, removal, roles, relationships, default teams
// (P2, P3, R9, R11, D4, D7). Who a member is, their role, status and relationship, and who owns the agency
// are registers (knowledge.ts): checks read them as the action knew them, effects write them.

import { toBase64Url } from '../bytes.ts';
import type { PowerEvent } from '../derivation.ts';
import {
  contest,
  known,
  knownActive,
  knownOwner,
  knowsAny,
  type ReplayContext,
  write,
} from '../knowledge.ts';
import type { VerdictCode } from '../refusals.ts';
import type { Action, Member, MemberId, MemberStatus, Payloads, Relationship, Role } from '../types.ts';
import { nameTaken, tagNamesakes } from './member-names.ts';
import { isManager, type Rules } from './rule.ts';
import { sealingOnPromotion } from './seal-keys.ts';

// --- effects on the state, kept in step with the registers -----------------------------------------------------

export function setStatus(ctx: ReplayContext, member: Member, status: MemberStatus): void {
  const now = write(ctx, 'st', member.id, status) as MemberStatus;
  if (now !== member.status) {
    member.status = now;
    member.leftAt = now === 'active' ? null : ctx.eff;
    ctx.reservations.clear();
  }
}

export function setRole(ctx: ReplayContext, member: Member, role: Role): void {
  const now = write(ctx, 'ro', member.id, role) as Role;
  if (now === member.role) return;
  member.role = now;
  member.managerSince = now === 'manager' ? ctx.action.id : null;
  if (now === 'manager') sealingOnPromotion(ctx, member);
}

function setRelationship(ctx: ReplayContext, member: Member, relationship: Relationship): void {
  member.relationship = write(ctx, 're', member.id, relationship) as Relationship;
}

function addMember(
  ctx: ReplayContext,
  id: MemberId,
  key: string,
  fields: Pick<Member, 'name' | 'role' | 'relationship'>,
): Member {
  const s = ctx.state;
  const existing = s.members[id];
  const member: Member = existing ?? {
    id,
    name: fields.name,
    role: 'member',
    relationship: 'exclusive',
    status: 'active',
    joinedAt: ctx.eff,
    leftAt: null,
    managerSince: null,
    defaultTeam: null,
    allowance: null,
    keys: [key],
  };
  if (existing) {
    // R11: a member who left keeps their history; coming back with a new invite is a new start
    member.name = fields.name;
    member.joinedAt = ctx.eff;
  }
  s.members[id] = member;
  setStatus(ctx, member, 'active');
  setRole(ctx, member, fields.role);
  setRelationship(ctx, member, fields.relationship);
  addKey(ctx, member, key, existing ? (s.keys[key]?.label ?? null) : null);
  return member;
}

function addKey(ctx: ReplayContext, member: Member, key: string, label: string | null): void {
  const now = write(ctx, 'ke', key, 'active');
  ctx.state.keys[key] = { member: member.id, active: now === 'active', label };
  if (!member.keys.includes(key)) member.keys.push(key);
}

function power(ctx: ReplayContext, event: Omit<PowerEvent, 'id' | 'pos' | 'standing'>): void {
  ctx.book.power.push({ id: ctx.action.id, pos: ctx.index, ...event, standing: standing(ctx, event.actor) });
}

/** P3 seniority as the current action knew it: 0 for the owner, else when they became a manager. */
export function standing(ctx: ReplayContext, member: MemberId): number {
  if (knownOwner(ctx) === member) return 0;
  const events = ctx.book.registers.get('ro')?.get(member)?.events ?? [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.pos >= ctx.index || !ctx.knows(e.pos)) continue;
    return e.value === 'manager' ? ctx.d.effAt[e.pos]! : Number.POSITIVE_INFINITY;
  }
  return Number.POSITIVE_INFINITY;
}

// --- invites ------------------------------------------------------------------------------------------------

/** Why an invite cannot admit this join, or null (P2, D7): granted, unused, unrevoked, unexpired as it knew. */
function inviteRefusal(ctx: ReplayContext, a: Action<'joinAgency'>): VerdictCode | null {
  const id = toBase64Url(a.payload.invite);
  const entry = ctx.book.invites.get(id);
  const invite = ctx.state.invites[id];
  if (!entry || !invite || entry.grant >= ctx.index || !ctx.knows(entry.grant)) return 'INVITE_INVALID';
  if (knowsAny(ctx, entry.joins) || knowsAny(ctx, entry.revokes)) return 'INVITE_INVALID';
  if (ctx.eff > invite.expiresAt) return 'INVITE_INVALID';
  // D7: an invite dies with its issuer's authority (a device invite a member made for themself needs none)
  const issuer = knownActive(ctx, invite.grantedBy);
  const needsManager = invite.kind === 'member' || invite.member !== invite.grantedBy;
  if (!issuer || (needsManager && issuer.role !== 'manager')) return 'INVITE_ISSUER_GONE';
  if (invite.kind === 'device' && !knownActive(ctx, invite.member!)) return 'INVITE_INVALID';
  return null;
}

function grantInviteRecord(
  ctx: ReplayContext,
  a: Action<'grantInvite' | 'grantDeviceInvite'>,
  record: Omit<Payloads['grantInvite'], 'invite' | 'label'> & {
    kind: 'member' | 'device';
    member: MemberId | null;
    grantedBy: MemberId;
  },
): void {
  const id = toBase64Url(a.payload.invite);
  const other = ctx.book.invites.get(id);
  if (other) {
    // A concurrent grant of the same key (the check refused any it knew): revoke.ts keeps one, whatever the order.
    contest(ctx, `grant:${id}`, 'INVITE_TAKEN', [ctx.d.order[other.grant]!, a.id]);
    return;
  }
  ctx.book.invites.set(id, { grant: ctx.index, joins: [], revokes: [] });
  ctx.state.invites[id] = {
    id,
    ...record,
    label: a.payload.label ?? null,
    usedBy: null,
    revoked: false,
  };
}

const inviteTaken = (ctx: ReplayContext, invite: Uint8Array): boolean => {
  const entry = ctx.book.invites.get(toBase64Url(invite));
  return entry !== undefined && ctx.knows(entry.grant);
};

/** Joining: a member invite admits a new member, a device invite adds this browser to its member. */
export function join(
  ctx: ReplayContext,
  a: Action<'joinAgency'>,
): { ok: true; text: string } | { ok: false; code: VerdictCode } {
  const s = ctx.state;
  const refusal = inviteRefusal(ctx, a);
  if (refusal) return { ok: false, code: refusal };
  const id = toBase64Url(a.payload.invite);
  const invite = s.invites[id]!;
  const entry = ctx.book.invites.get(id)!;
  const keyStatus = known<string>(ctx, 'ke', a.actor);
  const keyMember = s.keys[a.actor]?.member;
  const existing = keyMember ? knownActive(ctx, keyMember) : null;
  if (keyStatus && (invite.kind === 'device' || existing)) return { ok: false, code: 'ALREADY_MEMBER' };
  if (invite.kind !== 'device' && nameTaken(ctx, a.payload.name, keyMember ?? a.actor))
    return { ok: false, code: 'NAME_TAKEN' };
  if (entry.joins.length) {
    // An invite admits one browser once (D7): another join used it concurrently. revoke.ts lets one of them
    // in, chosen without looking at the order; the server lets only the first one in anyway.
    contest(ctx, `join:${id}`, 'INVITE_INVALID', [...entry.joins.map((p) => ctx.d.order[p]!), a.id]);
    return { ok: false, code: 'INVITE_INVALID' };
  }
  entry.joins.push(ctx.index);
  if (invite.kind === 'device') {
    const target = s.members[invite.member!]!;
    invite.usedBy = target.id;
    addKey(ctx, target, a.actor, a.payload.name);
    return { ok: true, text: `${target.name} added a browser (${a.payload.name})` };
  }
  const memberId = keyMember ?? a.actor;
  invite.usedBy = memberId;
  const member = addMember(ctx, memberId, a.actor, {
    name: a.payload.name,
    role: invite.role,
    relationship: invite.relationship,
  });
  tagNamesakes(ctx, member);
  return {
    ok: true,
    text: `${member.name} joined the agency as ${invite.relationship} ${invite.role === 'manager' ? 'business manager' : 'member'}`,
  };
}

/** The agency's creation: its creator becomes its first business manager and owner. */
export function create(ctx: ReplayContext, a: Action<'createAgency'>): string {
  const s = ctx.state;
  const p = a.payload;
  s.name = p.name;
  s.timeZone = write(ctx, 'tz', '', p.timeZone ?? 'UTC') as string;
  s.ownerId = write(ctx, 'ow', '', a.actor) as MemberId;
  ctx.book.created = ctx.index;
  addMember(ctx, a.actor, a.actor, { name: p.memberName, role: 'manager', relationship: 'exclusive' });
  return `${p.memberName} created the agency ${p.name}`;
}

export const memberRules: Rules = {
  grantInvite: {
    check: (ctx, a, actor) =>
      !isManager(actor) ? 'NOT_BUSINESS_MANAGER' : inviteTaken(ctx, a.payload.invite) ? 'INVITE_TAKEN' : null,
    apply(ctx, a, actor) {
      grantInviteRecord(ctx, a, {
        kind: 'member',
        grantedBy: actor.id,
        role: a.payload.role,
        relationship: a.payload.relationship,
        member: null,
        expiresAt: a.payload.expiresAt,
      });
      return {
        text: `${actor.record.name} invited a new ${a.payload.relationship} ${a.payload.role === 'manager' ? 'business manager' : 'member'}`,
      };
    },
  },

  grantDeviceInvite: {
    check(ctx, a, actor) {
      if (a.payload.member !== actor.id && !isManager(actor)) return 'NOT_KEY_OWNER';
      if (!knownActive(ctx, a.payload.member)) return 'UNKNOWN_MEMBER';
      return inviteTaken(ctx, a.payload.invite) ? 'INVITE_TAKEN' : null;
    },
    apply(ctx, a, actor) {
      const target = ctx.state.members[a.payload.member]!;
      grantInviteRecord(ctx, a, {
        kind: 'device',
        grantedBy: actor.id,
        role: target.role,
        relationship: target.relationship,
        member: target.id,
        expiresAt: a.payload.expiresAt,
      });
      return { text: `${actor.record.name} made a code to add a browser for ${target.name}` };
    },
  },

  revokeInvite: {
    check(ctx, a, actor) {
      const id = toBase64Url(a.payload.invite);
      const entry = ctx.book.invites.get(id);
      const invite = ctx.state.invites[id];
      if (!entry || !invite || !ctx.knows(entry.grant)) return 'INVITE_INVALID';
      if (knowsAny(ctx, entry.joins) || knowsAny(ctx, entry.revokes)) return 'INVITE_INVALID';
      const own = invite.kind === 'device' && invite.member === actor.id;
      return own || isManager(actor) ? null : 'NOT_BUSINESS_MANAGER';
    },
    apply(ctx, a, actor) {
      const id = toBase64Url(a.payload.invite);
      ctx.book.invites.get(id)!.revokes.push(ctx.index);
      // A join it had not seen stands (it used the invite first); later joins are refused.
      ctx.state.invites[id]!.revoked = true;
      return { text: `${actor.record.name} revoked an unused invite` };
    },
  },

  removeMember: {
    check(ctx, a, actor) {
      if (!isManager(actor)) return 'NOT_BUSINESS_MANAGER';
      if (!knownActive(ctx, a.payload.member)) return 'UNKNOWN_MEMBER';
      // D4: no manager removes the owner, and the owner leaves only by naming a successor
      return knownOwner(ctx) === a.payload.member ? 'OWNER_PROTECTED' : null;
    },
    apply(ctx, a, actor) {
      const target = ctx.state.members[a.payload.member]!;
      setStatus(ctx, target, 'removed');
      power(ctx, {
        kind: 'remove',
        actor: actor.id,
        target: target.id,
        key: null,
        successor: null,
        transfer: false,
      });
      return { text: `${actor.record.name} removed ${target.name} from the agency` };
    },
  },

  leaveAgency: {
    check(ctx, a, actor) {
      const successor = a.payload.successor;
      if (successor !== undefined && (successor === actor.id || !knownActive(ctx, successor))) {
        return 'UNKNOWN_SUCCESSOR';
      }
      // D4/P3: the owner is always an active business manager, so the owner names who takes over
      return actor.isOwner && successor === undefined ? 'SUCCESSOR_REQUIRED' : null;
    },
    apply(ctx, a, actor) {
      const s = ctx.state;
      const successor = a.payload.successor ? s.members[a.payload.successor]! : null;
      // Promoting a successor uses the leaver's authority: a concurrent demotion or removal of the leaver
      // takes that part away (D5), not the leave itself (R11).
      const promotes =
        successor !== null &&
        (isManager(actor) || actor.isOwner) &&
        known(ctx, 'ro', successor.id) !== 'manager';
      if (promotes) {
        ctx.book.authority.add(a.id);
        setRole(ctx, successor, 'manager');
      }
      if (actor.isOwner && successor) s.ownerId = write(ctx, 'ow', '', successor.id) as MemberId;
      setStatus(ctx, actor.record, 'left');
      power(ctx, {
        kind: 'leave',
        actor: actor.id,
        target: actor.id,
        key: null,
        successor: promotes || actor.isOwner ? (successor?.id ?? null) : null,
        transfer: actor.isOwner,
      });
      const note = !successor
        ? ''
        : actor.isOwner
          ? `; ${successor.name} now owns the agency`
          : promotes
            ? `; ${successor.name} is now a business manager`
            : '';
      return { text: `${actor.record.name} left the agency${note}` };
    },
  },

  changeRole: {
    check(ctx, a, actor) {
      if (!isManager(actor)) return 'NOT_BUSINESS_MANAGER';
      if (!knownActive(ctx, a.payload.member)) return 'UNKNOWN_MEMBER';
      return a.payload.role === 'member' && knownOwner(ctx) === a.payload.member ? 'OWNER_PROTECTED' : null;
    },
    apply(ctx, a, actor) {
      const target = ctx.state.members[a.payload.member]!;
      if (known<Role>(ctx, 'ro', target.id) === a.payload.role) return { text: null };
      setRole(ctx, target, a.payload.role);
      if (a.payload.role === 'member') {
        power(ctx, {
          kind: 'demote',
          actor: actor.id,
          target: target.id,
          key: null,
          successor: null,
          transfer: false,
        });
      }
      return {
        text: `${actor.record.name} made ${target.name} ${a.payload.role === 'manager' ? 'a business manager' : 'a member (no longer a business manager)'}`,
      };
    },
  },

  changeRelationship: {
    check: (ctx, a, actor) =>
      !isManager(actor)
        ? 'NOT_BUSINESS_MANAGER'
        : !knownActive(ctx, a.payload.member)
          ? 'UNKNOWN_MEMBER'
          : null,
    apply(ctx, a, actor) {
      const target = ctx.state.members[a.payload.member]!;
      setRelationship(ctx, target, a.payload.relationship);
      return { text: `${actor.record.name} made ${target.name} ${a.payload.relationship}` };
    },
  },

  setDefaultTeam: {
    check: (_ctx, a, actor) => (a.payload.member !== actor.id ? 'NOT_OWN_SETTING' : null),
    apply(ctx, a, actor) {
      actor.record.defaultTeam = write(ctx, 'dt', actor.id, a.payload.team) as Member['defaultTeam'];
      return { text: null };
    },
  },

  removeDeviceKey: {
    check(ctx, a, actor) {
      if (a.payload.member !== actor.id && !isManager(actor)) return 'NOT_KEY_OWNER';
      const target = knownActive(ctx, a.payload.member);
      if (!target) return 'UNKNOWN_MEMBER';
      const key = toBase64Url(a.payload.key);
      if (ctx.state.keys[key]?.member !== target.id || known(ctx, 'ke', key) !== 'active')
        return 'KEY_NOT_FOUND';
      const keys = ctx.state.members[target.id]!.keys;
      return keys.filter((k) => known(ctx, 'ke', k) === 'active').length <= 1 ? 'LAST_KEY' : null;
    },
    apply(ctx, a, actor) {
      const key = toBase64Url(a.payload.key);
      const target = ctx.state.members[a.payload.member]!;
      ctx.state.keys[key]!.active = write(ctx, 'ke', key, 'revoked') === 'active';
      power(ctx, {
        kind: 'revokeKey',
        actor: actor.id,
        target: target.id,
        key,
        successor: null,
        transfer: false,
      });
      return { text: `${actor.record.name} removed a browser of ${target.name}` };
    },
  },
};
