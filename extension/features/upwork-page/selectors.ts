// Every selector and text pattern used to read Upwork's pages, in one place: Upwork renames classes between
// builds, so a change in its markup must be a one-file fix. Each list goes from the most stable anchor (ids,
// `name`, `aria-*`, `data-test`/`data-cy`) to the weakest (classes); the regexes after it are the last resort,
// matched against an element's text with whitespace collapsed.
import type { SelectorList } from './dom.ts';

// ── The apply page ───────────────────────────────────────────────────────────────────────────────────────

export const APPLY_ROOT: SelectorList = [
  'div[data-fetch-key^="ApplyPage"] .fe-job-apply',
  '[data-test="apply-page"]',
  '[data-cy="apply-page"]',
  '.fe-job-apply',
  'div[data-fetch-key^="ApplyPage"]',
];
/** Fallback for the root: the page's heading, and the section around it. */
export const APPLY_HEADING: SelectorList = ['h1', 'h2'];
export const APPLY_HEADING_TEXT = /^Submit a proposal$/i;
export const APPLY_HEADING_CONTAINER: SelectorList = ['main', 'form', '[role="main"]'];

/** The job uid: the ciphertext's digits without the `~02` prefix. */
export const JOB_UID_ATTRIBUTE = 'data-ev-job-uid';
export const JOB_UID: SelectorList = [`[${JOB_UID_ATTRIBUTE}]`];

export const JOB_TITLE: SelectorList = [
  '[data-test="job-title"]',
  '[data-cy="job-title"]',
  '.fe-job-details [data-test="job-title"]',
  '.fe-job-details h4',
  '.fe-job-details h3 + h4',
];
/** Fallback for the title: the first heading after the "Job details" heading. */
export const HEADINGS: SelectorList = ['h1, h2, h3, h4, h5, [role="heading"]'];
export const JOB_DETAILS_HEADING_TEXT = /^Job details$/i;

// ── Connects ─────────────────────────────────────────────────────────────────────────────────────────────

export const CONNECTS_WIDGET: SelectorList = [
  '[data-test="connects-widget"]',
  '[data-cy="connects-widget"]',
  '.fe-job-proposals-connects-widget',
];
/** "This proposal requires 16 Connects" */
export const CONNECTS_REQUIRED_TEXT = /\brequires\s*([\d,]+)\s*Connects?\b/i;
/** "When you submit this proposal, you'll have 15 Connects remaining." */
export const CONNECTS_REMAINING_TEXT = /\byou\s*(?:'|’)?\s*ll have\s*([\d,]+)\s*Connects?\s+remaining/i;

// ── Propose as: the radios (agency members) ──────────────────────────────────────────────────────────────

export const PROPOSE_AS_RADIOS: SelectorList = [
  'input[type="radio"][name="contractor-selector"]',
  'input[name="contractor-selector"]',
  '[data-test="contractor-selector"] input[type="radio"]',
  '[data-cy="contractor-selector"] input[type="radio"]',
  '[role="radiogroup"][aria-labelledby*="contractor"] input[type="radio"]',
];
/** Fallback for the radios: any radio whose label reads like one of the two choices. */
export const ANY_RADIO: SelectorList = ['input[type="radio"]'];
export const PROPOSE_AS_LABEL_TEXT = /^As (?:a freelancer|an agency member)\b/i;
/** The freelancer option's value; the agency option's value is the agency's numeric id. */
export const FREELANCER_OPTION_VALUE = 'true';
export const FREELANCER_LABEL_TEXT = /^As a freelancer\b/i;
/** "As an agency member under Acme Studio (0 Connects available.)" → "Acme Studio" */
export const AGENCY_LABEL_TEXT = /\bAs an agency member under\s+(.+?)\s*(?:\(\s*[\d,]+\s*Connects?\b|$)/i;
/** "(189 Connects available.)" */
export const BALANCE_IN_LABEL_TEXT = /\(\s*([\d,]+)\s*Connects?\s+available\b/i;
/** An agency's numeric id, as the agency option's value carries it. */
export const AGENCY_OPTION_VALUE = /^\d+$/;

// ── Propose as: the dropdowns (business managers) ────────────────────────────────────────────────────────

export const TEAM_COMBOBOX: SelectorList = [
  '[data-test="team-selector"] [role="combobox"]',
  '[data-cy="team-selector"] [role="combobox"]',
  '.up-fe-team-selector [role="combobox"]',
];
export const CONTRACTOR_COMBOBOX: SelectorList = [
  '[data-test="contractor-selector"] [role="combobox"]',
  '[data-cy="contractor-selector"] [role="combobox"]',
  '.up-fe-contractor-selector [role="combobox"]',
];
/** Fallback for the dropdowns: any combobox, told apart by its label. */
export const ANY_COMBOBOX: SelectorList = ['[role="combobox"]'];
export const TEAM_LABEL_TEXT = /^(?:(?:select|choose) (?:a |the )?)?team\b/i;
export const CONTRACTOR_LABEL_TEXT =
  /\b(?:freelancer|contractor|team member|propos(?:e|ing) (?:as|on behalf of))\b/i;
/** The chosen item inside a combobox, when it wraps more than the text (icons, carets). */
export const COMBOBOX_VALUE: SelectorList = [
  '[data-test="dropdown-toggle-label"]',
  '.air3-dropdown-toggle-label',
  '.air3-dropdown-toggle-title',
];
/** A combobox that still shows its placeholder has no choice yet. */
export const COMBOBOX_PLACEHOLDER_TEXT = /^(?:select|choose)\b/i;

export const SPECIALIZED_PROFILE: SelectorList = [
  '[data-test="specialized-profile"] [data-test="dropdown-toggle"]',
  '.fe-proposal-settings-special-profile [data-test="dropdown-toggle"]',
  '.fe-proposal-settings-special-profile [role="combobox"]',
];

// ── Terms ────────────────────────────────────────────────────────────────────────────────────────────────

export const TERMS_SECTION: SelectorList = ['[data-test="job-terms"]', '.fe-proposal-job-terms'];
export const HOURLY_RATE_INPUT: SelectorList = [
  '#step-rate',
  '[data-test="hourly-rate"] input',
  '.fe-proposal-job-terms input[data-test="currency-input"]',
];
export const MILESTONE_MODE: SelectorList = ['input[name="milestoneMode"]'];
export const FIXED_BID_INPUT: SelectorList = ['#charged-amount-id', '[data-test="charged-amount"] input'];
export const MILESTONE_DESCRIPTION: SelectorList = ['input[data-test="milestone-description"]'];
export const MILESTONE_AMOUNT_ID_PREFIX = 'milestone-amount-';
export const MILESTONE_AMOUNT: SelectorList = [`input[id^="${MILESTONE_AMOUNT_ID_PREFIX}"]`];
/** Fallbacks for the kind of contract, from the terms' wording. */
export const FIXED_TERMS_TEXT = /\b(?:by milestone|by project|fixed[- ]price|milestones?)\b/i;
export const HOURLY_TERMS_TEXT = /\b(?:hourly rate|per hour|\/\s?hr)\b/i;

// ── Boost ────────────────────────────────────────────────────────────────────────────────────────────────

export const BOOST_SECTION: SelectorList = [
  '[data-test="boost-proposal"]',
  '[data-cy="boost-proposal"]',
  '.fe-proposal-boost-proposal',
];
export const BOOST_BID_BUTTON: SelectorList = ['#set-bid-button', '[data-test="set-bid-button"]'];
export const BOOST_BID_INPUT: SelectorList = [
  '[data-test="boost-bid-input"]',
  '#boost-bid-input',
  '.fe-proposal-boost-proposal input[type="number"]',
  '.fe-proposal-boost-proposal input[inputmode="numeric"]',
  '.fe-proposal-boost-proposal input[type="text"]',
];
export const BOOST_REMAINING: SelectorList = ['[data-test="remaining-connects"]', '.remaining-connects'];
/** "Remaining balance: 15 Connects" */
export const BOOST_REMAINING_TEXT = /\bRemaining balance\s*:?\s*([\d,]+)\s*Connects?/i;
/** The summary once a bid is set: "Bid to boost 8 Connects / Required for proposal 16 Connects / Total 24". */
export const BOOST_BID_TEXT = /\bBid to boost\s*:?\s*([\d,]+)\s*Connects?/i;
export const BOOST_REQUIRED_TEXT = /\bRequired for proposal\s*:?\s*([\d,]+)\s*Connects?/i;
export const BOOST_TOTAL_TEXT = /\bTotal\s*:?\s*([\d,]+)\s*Connects?/i;

// ── Submitting ───────────────────────────────────────────────────────────────────────────────────────────

export const FOOTER: SelectorList = ['[data-test="apply-footer"]', '.fe-apply-footer-controls'];
/** The Send button by a stable anchor; then by its text (SEND_TEXT); then by its classes, as a last resort. */
export const SEND_BUTTON_ANCHORED: SelectorList = [
  '[data-test="submit-proposal-button"]',
  '[data-cy="submit-proposal-button"]',
];
export const SEND_BUTTON_BY_CLASS: SelectorList = [
  '.fe-apply-footer-controls button.air3-btn-primary',
  '.fe-apply-footer-controls button[type="submit"]',
];
/** "Send for 16 Connects": the count is what the send will cost, boost included. */
export const SEND_TEXT = /^Send for\s+([\d,]+)\s+Connects?$/i;
export const BUTTONS: SelectorList = [
  'button, [role="button"], input[type="submit"], input[type="button"], a[href]',
];
/** The footer's way out without sending. */
export const LEAVE_TEXT = /^(?:Cancel|Back|Go back)$/i;

export const MODAL: SelectorList = [
  '[role="dialog"]',
  '[role="alertdialog"]',
  '[aria-modal="true"]',
  'dialog[open]',
  '.air3-modal',
];
export const MODAL_CONFIRM_TEXT = /^(?:Yes\b.*|Submit\b.*|Send\b.*|Confirm\b.*|Continue\b.*|OK)$/i;
export const MODAL_CANCEL_TEXT = /^(?:Cancel|No\b.*|Go back|Back|Close|Not now)$/i;
export const MODAL_CLOSE: SelectorList = [
  '[data-test="modal-close"]',
  '[aria-label="Close"]',
  '[aria-label="Close the dialog"]',
  '.air3-modal-close',
];

export const SUCCESS_NOTICE: SelectorList = [
  '[data-test="alert-positive"]',
  '.air3-alert-positive',
  '.air3-toast-positive',
];
/** Fallback for the success notice, in a live region or a newly added element. */
export const SUCCESS_TEXT =
  /\b(?:your proposal (?:was|has been) (?:sent|submitted)|proposal (?:sent|submitted) successfully|you(?: have|'ve)? submitted (?:a|your) proposal)\b/i;

export const ERROR_NOTICE: SelectorList = [
  '[data-test="alert-negative"]',
  '.air3-alert-negative',
  '.air3-alert-danger',
  '.air3-toast-negative',
];
/** A repeat by the same member: the send did not happen. */
export const PENDING_PROPOSAL_TEXT = /already has a pending proposal/i;
/** Fallback for error notices, in a live region or a newly added element. */
export const ERROR_TEXT =
  /already has a pending proposal|something went wrong|(?:not|don't have) enough Connects|could(?:n'?t| not) (?:send|submit)|please try again/i;
export const LIVE_REGIONS: SelectorList = ['[role="alert"], [role="status"], [aria-live]'];

// ── The job page ─────────────────────────────────────────────────────────────────────────────────────────

export const JOB_CONTAINER: SelectorList = [
  '[data-test="job-details-viewer"]',
  '[data-test="JobDetails"]',
  '[data-test="job-details"]',
  '[data-cy="job-details"]',
  '.job-details-content',
  '.job-details-card',
];
export const APPLY_NOW: SelectorList = [
  '[data-test="apply-button"]',
  '[data-cy="apply-button"]',
  'a[href*="/proposals/job/"][href*="/apply"]',
];
export const APPLY_NOW_TEXT = /^Apply now$/i;
/** Fallback for the job's container: the section around the "Apply now" button. */
export const APPLY_NOW_CONTAINER: SelectorList = [
  '[role="dialog"]',
  'article',
  'section',
  'main',
  '[role="main"]',
];

// ── Where the overlay mounts ─────────────────────────────────────────────────────────────────────────────

/** Beside the proposal settings (after them), so the overlay never covers Upwork's own controls. */
export const OVERLAY_ANCHOR: SelectorList = [
  '[data-test="proposal-settings"]',
  '[data-cy="proposal-settings"]',
  '.fe-proposal-settings',
];
/** Fallbacks: the section around the "propose as" control or the Connects widget. */
export const OVERLAY_ANCHOR_SECTION: SelectorList = ['section', '[role="region"]', 'fieldset'];
/** On a job page, the badge goes just before the "Apply now" button's row. */
export const BADGE_ANCHOR_ROW: SelectorList = ['[data-test="job-actions"]', '.job-actions'];
