// Which "propose as" option is our agency's. A member can belong to more than one agency, so "the option that
// is not the freelancer one" is not enough: match the agency's Upwork id, else its name.
import { squash } from './dom.ts';
import type { ProposeAsOption } from './read-apply-page.ts';
import { FREELANCER_OPTION_VALUE } from './selectors.ts';

export interface AgencyOptionMatch<O extends ProposeAsOption = ProposeAsOption> {
  option: O;
  /**
   * 'id' when the option's value is the agency's known Upwork id; 'name' when only the label matched, in
   * which case the option's value is the agency's Upwork id to learn.
   */
  matchedBy: 'id' | 'name';
}

const normalize = (text: string): string => squash(text).toLowerCase();

/**
 * Finds the agency's option: by value (the agency's numeric Upwork id) first, else by the agency's name in the
 * label (case-insensitive, trimmed). Never returns the freelancer option, whose balance is the member's own.
 */
export function findAgencyOption<O extends ProposeAsOption>(
  options: readonly O[],
  upworkId: string | null,
  agencyName: string,
): AgencyOptionMatch<O> | null {
  const candidates = options.filter((o) => o.value !== FREELANCER_OPTION_VALUE);
  const id = upworkId?.trim();
  if (id) {
    const byId = candidates.find((o) => o.value.trim() === id);
    if (byId) return { option: byId, matchedBy: 'id' };
  }
  const name = normalize(agencyName);
  if (!name) return null;
  const byName = candidates.find((o) => o.agencyName !== null && normalize(o.agencyName) === name);
  if (byName) return { option: byName, matchedBy: 'name' };
  // When the label did not parse into a name, look for the name in the label itself, but only if exactly
  // one agency option carries it: "Acme" must not pick "Acme Studio" over "Acme Labs".
  const inLabel = candidates.filter((o) => o.isAgency && normalize(o.label).includes(name));
  const only = inLabel.length === 1 ? inLabel[0] : undefined;
  return only ? { option: only, matchedBy: 'name' } : null;
}
