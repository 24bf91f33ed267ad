// Where the overlay and the job-page badge go. Each answer names an element and how to insert beside it,
// in WXT's `append` words, so the content script can hand it to createShadowRootUi as it is.
import { closestOf, findByText, queryFirst } from './dom.ts';
import { findProposeAsRadios } from './read-apply-page.ts';
import * as S from './selectors.ts';

export interface Anchor {
  element: Element;
  append: 'after' | 'before' | 'first' | 'last';
}

/**
 * Just after the proposal settings section; else after the section holding the "propose as" control or the
 * Connects widget; else at the top of the form. Never inside one of Upwork's controls.
 */
export function findOverlayAnchor(form: Element): Anchor {
  const settings = queryFirst(form, S.OVERLAY_ANCHOR);
  if (settings && settings !== form) return { element: settings, append: 'after' };
  const near =
    findProposeAsRadios(form)[0] ??
    queryFirst(form, S.TEAM_COMBOBOX) ??
    queryFirst(form, S.CONNECTS_WIDGET) ??
    null;
  const section = closestOf(near, S.OVERLAY_ANCHOR_SECTION);
  if (section && section !== form && form.contains(section)) return { element: section, append: 'after' };
  return { element: form, append: 'first' };
}

/** Just before the row of the "Apply now" button, else at the top of the job's container. */
export function findBadgeAnchor(container: Element): Anchor {
  const row = queryFirst(container, S.BADGE_ANCHOR_ROW);
  if (row && row !== container) return { element: row, append: 'before' };
  const applyNow =
    queryFirst(container, S.APPLY_NOW) ?? findByText(container, S.BUTTONS[0] ?? 'a', S.APPLY_NOW_TEXT);
  const parent = applyNow?.parentElement;
  if (parent && parent !== container && container.contains(parent))
    return { element: parent, append: 'before' };
  return { element: container, append: 'first' };
}
