// Selectors and text patterns of Upwork's work pages (proposals list, contracts, timesheet, Connects history,
// offer), in one place like selectors.ts for the proposal form. "seen" anchors were checked on live pages in
// 2026 (upwork-dom.md "Work pages"); where only text was seen, the patterns below are all there is.
import type { SelectorList } from './dom.ts';

// ── Any page: whose account the page is (the agency's or the member's own) ──────────────────────────────
/**
 * The account switcher's current name. Seen on the proposals page (often hidden); elsewhere a guess, and what it
 * names (the member's own freelancer account by their name, or the agency by its name) is a guess too: a page
 * records a business manager's own contracts only when it names the member, and says so when it names nothing.
 */
export const ACCOUNT_NAME: SelectorList = [
  '[data-qa="dropdown-company"]',
  '[data-test="organization-selector"]',
  '[data-cy="organization-selector"]',
];

// ── Connects history (seen, text only) ──────────────────────────────────────────────────────────────────
export const CONNECTS_BALANCE_TEXT = /My balance\s*:?\s*([\d,]+)\s*Connects?/i;
export const CONNECTS_EMPTY_TEXT = /No Connects transactions/i;
export const CONNECTS_ROWS: SelectorList = ['tbody tr', '[role="row"]', 'li'];
/** A row's kind by its action text. */
export const CONNECTS_REFUND_TEXT = /^\s*Refunded\b/i;
export const CONNECTS_APPLIED_TEXT = /^\s*Applied to job\b/i;
export const CONNECTS_ADDED_TEXT = /^\s*Added extra Connects\b/i;
/** The row's Connects: a signed whole number ("+12", "−16"), the last one in the row. */
export const CONNECTS_DELTA_TEXT = /(?:^|\s)([+\-−–])\s?([\d,]+)(?!.*[+\-−–]\s?[\d,]+)/;
export const ROW_DATE_TEXT =
  /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),\s+(\d{4})\b/i;
/** A link to the job the row is about: its ciphertext key. */
export const JOB_LINK: SelectorList = ['a[href*="~0"]'];
export const JOB_KEY_IN_HREF = /(~0[0-9a-f]{8,})/i;

// ── My proposals (seen, saved page ≈ Mar 2026) ──────────────────────────────────────────────────────────
export const OFFERS_CARD: SelectorList = ['[data-qa="card-offers"]'];
export const OFFERS_TEXT = /Offers\s*\((\d+)\)/i;
export const CARD_COUNT: SelectorList = ['[data-qa="count"]'];
export const PROPOSAL_ROWS: SelectorList = ['tr[data-qa^="item"]'];
export const ROW_JOB_LINK: SelectorList = ['td[data-cy="job-info"] a', 'a[href*="/proposals/"]'];
export const PROPOSAL_ID_IN_HREF = /\/proposals\/(\d{1,30})\b/;
export const BOOST_BADGE: SelectorList = ['.sponsored-proposal-badge'];
/** The badge's class, else its words. */
export const BOOST_CLASSES = { 'in-the-money': 'boosted', outbid: 'outbid', placebo: 'not-boosted' } as const;
export const BOOST_TEXTS: [RegExp, 'boosted' | 'outbid' | 'not-boosted'][] = [
  [/^Boost outbid$/i, 'outbid'],
  [/^Not boosted$/i, 'not-boosted'],
  [/^Boosted$/i, 'boosted'],
];

// ── Contracts list (seen) ───────────────────────────────────────────────────────────────────────────────
export const CONTRACT_TILES: SelectorList = ['section[data-test^="contract-"]'];
export const CONTRACT_TILE_ID = /^contract-(\d{1,30})$/;
/** Anchors inside a tile, by its id. */
export const contractPart = (id: string, part: string): string => `[data-test="contract-${id}-${part}"]`;
export const CONTRACT_ENDED_TEXT = /\b(Ended|Closed)\b/i;
/**
 * A contract's rate or price in its terms block ("$65.00/hr", "Fixed price · $2,400.00"): read only on a
 * business manager's own page (D15; upwork-dom.md: plain members "can't see their rates"). Guess: no capture
 * shows the block's text, so the first dollar figure in it is taken, and none is no figure.
 */
export const CONTRACT_FIGURE_TEXT = /\$\s?(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{2}))?(?!\d)/;

// ── Workroom timesheet, Work diary (seen, text only) ─────────────────────────────────────────────────────
export const THIS_WEEK_TEXT = /This week\s*(\d{1,3}:\d{2})\s*hrs/i;
export const WEEKLY_LIMIT_TEXT = /of\s+(\d{1,3})\s+hrs weekly limit/i;

// ── Offer page, milestone panel, "Add manual time" (guess: no capture exists, words only) ──────────────
// No \b at the end: a heading's text runs into the next element's in textContent ("Add manual timeMemo").
export const OFFER_TEXT = /\bAccept offer/i;
export const MILESTONE_TEXT = /\b(Submit work for payment|Request payment)/i;
export const MANUAL_TIME_TEXT = /\bAdd manual time/i;
