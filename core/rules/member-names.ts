// Two members with one name would be one person to every reader: the activity shows names only, and the
// proposal form's "propose as" control is matched to a member by name. So a join that takes the name of an
// active member its browser knew of is refused (NAME_TAKEN), compared as a reader sees them (nameKey); a
// member who left frees their name. Joins made at the same moment cannot see each other, and refusing
// either would depend on the order: both stand, and both names are shown with the start of their member id,
// whichever is derived first.
import { knownActive, knownMember, type ReplayContext } from '../knowledge.ts';
import type { Member, MemberId } from '../types.ts';

/**
 * Latin letters' look-alikes in Cyrillic and Greek (lower case, after NFKC): "Bоb" with a Cyrillic о reads
 * as "Bob" to every member. Not Unicode's whole confusables table — the letters a name can hide in.
 */
// Written as escapes: a bundle read as Latin-1 (a page without a charset) must still parse.
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '\u0430': 'a',
  '\u0432': 'b',
  '\u0435': 'e',
  '\u0451': 'e',
  '\u04bb': 'h',
  '\u0456': 'i',
  '\u0457': 'i',
  '\u0458': 'j',
  '\u043a': 'k',
  '\u04cf': 'l',
  '\u043c': 'm',
  '\u043d': 'h',
  '\u043e': 'o',
  '\u0440': 'p',
  '\u0441': 'c',
  '\u0455': 's',
  '\u0442': 't',
  '\u0443': 'y',
  '\u0445': 'x',
  '\u0501': 'd',
  '\u051b': 'q',
  '\u051d': 'w',
  '\u03b1': 'a',
  '\u03b2': 'b',
  '\u03b5': 'e',
  '\u03b7': 'n',
  '\u03b9': 'i',
  '\u03ba': 'k',
  '\u03bd': 'v',
  '\u03bf': 'o',
  '\u03c1': 'p',
  '\u03c4': 't',
  '\u03c5': 'u',
  '\u03c7': 'x',
  '\u03f2': 'c',
};
const LOOK_ALIKE = new RegExp(`[${Object.keys(LOOK_ALIKES).join('')}]`, 'gu');

/**
 * A name as compared: case, spacing, invisible characters (zero-width spaces and joiners, soft hyphens,
 * direction marks: Unicode's default-ignorable code points) and Latin look-alikes do not make two names
 * different. Two names that read the same are one name.
 */
export const nameKey = (name: string): string =>
  name
    .normalize('NFKC')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .toLowerCase()
    .replace(LOOK_ALIKE, (c) => LOOK_ALIKES[c]!)
    .replace(/\s+/g, '');

const tag = (id: MemberId): string => ` (${id.slice(0, 4)})`;

/** The name a member gave, without the tag a concurrent namesake added. */
function givenName(m: Member): string {
  const t = tag(m.id);
  return m.name.endsWith(t) ? m.name.slice(0, -t.length) : m.name;
}

/**
 * The members other than `self` whose name is `name`, in any status: the name they gave, or the name shown
 * for them (a joiner typing "Bob (w0c0)" would otherwise pass for the tagged Bob).
 */
function namesakes(ctx: ReplayContext, name: string, self: MemberId): Member[] {
  const key = nameKey(name);
  return Object.values(ctx.state.members).filter(
    (m) => m.id !== self && (nameKey(givenName(m)) === key || nameKey(m.name) === key),
  );
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
