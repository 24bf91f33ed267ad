// Two members with one name would be one person to every reader: the activity shows names only, and the
// proposal form's "propose as" control is matched to a member by name. So a join that takes the name of an
// active member its browser knew of is refused (NAME_TAKEN), compared without case or spacing (a member who
// left frees their name). Joins made at the same moment cannot see each other, and refusing either would
// depend on the order: both stand, and both names are shown with the start of their member id, whichever is
// derived first.
import { knownActive, knownMember, type ReplayContext } from '../knowledge.ts';
import type { Member, MemberId } from '../types.ts';

/** A name as compared: case and spacing do not make two names different. */
export const nameKey = (name: string): string =>
  name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

const tag = (id: MemberId): string => ` (${id.slice(0, 4)})`;

/** The name a member gave, without the tag a concurrent namesake added. */
function givenName(m: Member): string {
  const t = tag(m.id);
  return m.name.endsWith(t) ? m.name.slice(0, -t.length) : m.name;
}

/** The members other than `self` whose given name is `name`, in any status. */
function namesakes(ctx: ReplayContext, name: string, self: MemberId): Member[] {
  const key = nameKey(name);
  return Object.values(ctx.state.members).filter((m) => m.id !== self && nameKey(givenName(m)) === key);
}

/** Whether `name` is taken by a member the joining action knew as active (its causal past, not the order). */
export function nameTaken(ctx: ReplayContext, name: string, self: MemberId): boolean {
  return namesakes(ctx, name, self).some((m) => knownActive(ctx, m.id) !== null);
}

/**
 * After a join: the joining member and each namesake it did not know of (a concurrent join, whatever it
 * became since) are told apart by their ids. Whichever of two such joins is derived second tags both.
 */
export function tagNamesakes(ctx: ReplayContext, joined: Member): void {
  const others = namesakes(ctx, givenName(joined), joined.id).filter((m) => knownMember(ctx, m.id) === null);
  if (!others.length) return;
  for (const m of [joined, ...others]) m.name = givenName(m) + tag(m.id);
}
