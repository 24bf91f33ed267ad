// Reads what the member sees on Upwork's proposal form into a plain object. Nothing here changes the page or
// talks to anyone: the overlay decides what to do with the reading.
import type { ProposeAs } from '../../../core/lite.ts';
import {
  accessibleLabel,
  closestOf,
  controlText,
  findByText,
  matchCount,
  matchesAny,
  parseCount,
  parseMoney,
  queryAllFirst,
  queryFirst,
  squash,
  textOf,
} from './dom.ts';
import * as S from './selectors.ts';
import { classifyUrl, jobKeyFromUid } from './urls.ts';

export interface ProposeAsOption {
  /** The radio's value: "true" for the freelancer option, the agency's numeric id for an agency option. */
  value: string;
  label: string;
  /** The agency's name as the label gives it; null for the freelancer option. */
  agencyName: string | null;
  /** The Connects available in this option's pool, as its label says. */
  balance: number | null;
  isAgency: boolean;
  checked: boolean;
}

export type ProposeAsControl =
  | { kind: 'radios'; options: ProposeAsOption[] }
  | { kind: 'manager-dropdowns'; team: string | null; member: string | null }
  | { kind: 'none' };

export interface Milestone {
  description: string;
  amount: number | null;
}

export interface ApplyPageFound {
  ok: true;
  jobKey: string;
  /** `data-ev-job-uid` when the page has it. */
  jobUid: string | null;
  jobTitle: string | null;
  connectsRequired: number;
  /** Connects bid to boost; 0 when none. */
  boost: number;
  /** What the send will cost: required + boost (or the boost summary's total). */
  totalConnects: number;
  /** The number on the Send button, which Upwork keeps equal to the total. */
  sendButtonConnects: number | null;
  /** "you'll have N Connects remaining" in whichever pool is selected. */
  remainingAfter: number | null;
  proposeAs: ProposeAsControl;
  /** Which way the checked radio proposes; null when there are no radios or none is checked. */
  proposingAs: ProposeAs | null;
  /**
   * The agency pool's balance, from the agency option's label only (never the freelancer option: that is the
   * member's personal balance). Null when there is no agency option, or several (use findAgencyOption).
   */
  agencyBalance: number | null;
  contractKind: 'hourly' | 'fixed' | null;
  /** The hourly rate or the fixed-price bid, in dollars as typed. */
  bidAmount: number | null;
  milestones: Milestone[];
  /** "General profile" or the specialized profile chosen. */
  profile: string | null;
  /** Optional pieces the page did not show, in plain words (the reading is still usable). */
  unread: string[];
}

export interface ApplyPageMissing {
  ok: false;
  /** What was not found, in plain words: "the Connects required", "the Send button". */
  missing: string[];
}

export type ApplyPageReading = ApplyPageFound | ApplyPageMissing;

export const MISSING = {
  form: 'the proposal form',
  jobKey: 'the job key',
  connectsRequired: 'the Connects required',
  sendButton: 'the Send button',
  jobTitle: 'the job title',
  proposeAs: 'the "propose as" choice',
  terms: 'the contract terms',
} as const;

// ── Finders, shared with the send watcher and set-propose-as ────────────────────────────────────────────

/** The proposal form's root element, or null when the page does not show it (yet). */
export function findApplyRoot(root: ParentNode): Element | null {
  const found = queryFirst(root, S.APPLY_ROOT);
  if (found) return found;
  for (const selector of S.APPLY_HEADING) {
    const heading = findByText(root, selector, S.APPLY_HEADING_TEXT);
    if (!heading) continue;
    for (const container of S.APPLY_HEADING_CONTAINER) {
      const around = heading.closest(container);
      if (around) return around;
    }
    return heading.parentElement;
  }
  return null;
}

function buttonsIn(root: ParentNode): Element[] {
  return queryAllFirst(root, S.BUTTONS);
}

/** The "Send for N Connects" button. */
export function findSendButton(root: ParentNode): HTMLElement | null {
  const anchored = queryFirst<HTMLElement>(root, S.SEND_BUTTON_ANCHORED);
  if (anchored) return anchored;
  const footer = queryFirst(root, S.FOOTER);
  for (const scope of footer ? [footer, root] : [root]) {
    const byText = buttonsIn(scope).find((b) => S.SEND_TEXT.test(controlText(b)));
    if (byText) return byText as HTMLElement;
  }
  return queryFirst<HTMLElement>(root, S.SEND_BUTTON_BY_CLASS);
}

/** Is this control the Send button? (For click handlers, which see the control, not the form.) */
export function isSendButton(control: Element): boolean {
  if (S.SEND_TEXT.test(controlText(control))) return true;
  return matchesAny(control, [...S.SEND_BUTTON_ANCHORED, ...S.SEND_BUTTON_BY_CLASS]);
}

/** The "propose as" radios of an agency member's form, in page order. */
export function findProposeAsRadios(root: ParentNode): HTMLInputElement[] {
  const named = queryAllFirst<HTMLInputElement>(root, S.PROPOSE_AS_RADIOS);
  if (named.length > 0) return named;
  return queryAllFirst<HTMLInputElement>(root, S.ANY_RADIO).filter((radio) =>
    S.PROPOSE_AS_LABEL_TEXT.test(accessibleLabel(radio)),
  );
}

// ── Pieces ───────────────────────────────────────────────────────────────────────────────────────────────

function readOption(radio: HTMLInputElement): ProposeAsOption {
  const label = accessibleLabel(radio);
  const value = radio.value;
  const agencyMatch = S.AGENCY_LABEL_TEXT.exec(label);
  const isFreelancer = value === S.FREELANCER_OPTION_VALUE || S.FREELANCER_LABEL_TEXT.test(label);
  const isAgency = !isFreelancer && (S.AGENCY_OPTION_VALUE.test(value) || agencyMatch !== null);
  return {
    value,
    label,
    agencyName: isAgency && agencyMatch?.[1] ? squash(agencyMatch[1]) : null,
    balance: matchCount(label, S.BALANCE_IN_LABEL_TEXT),
    isAgency,
    checked: radio.checked,
  };
}

function comboboxValue(combobox: Element): string | null {
  const inner = queryFirst(combobox, S.COMBOBOX_VALUE);
  const text = textOf(inner ?? combobox) || squash(combobox.getAttribute('aria-valuetext'));
  return text && !S.COMBOBOX_PLACEHOLDER_TEXT.test(text) ? text : null;
}

function findCombobox(root: ParentNode, selectors: readonly string[], label: RegExp): Element | null {
  const found = queryFirst(root, selectors);
  if (found) return found;
  return queryAllFirst(root, S.ANY_COMBOBOX).find((box) => label.test(accessibleLabel(box))) ?? null;
}

function readProposeAs(root: ParentNode): ProposeAsControl {
  const radios = findProposeAsRadios(root);
  if (radios.length > 0) return { kind: 'radios', options: radios.map(readOption) };
  const team = findCombobox(root, S.TEAM_COMBOBOX, S.TEAM_LABEL_TEXT);
  const member = findCombobox(root, S.CONTRACTOR_COMBOBOX, S.CONTRACTOR_LABEL_TEXT);
  if (team || member) {
    return {
      kind: 'manager-dropdowns',
      team: team ? comboboxValue(team) : null,
      member: member && member !== team ? comboboxValue(member) : null,
    };
  }
  return { kind: 'none' };
}

/** A Document has no text of its own: read its body. */
function scopeNode(root: ParentNode): Node | null {
  return 'body' in root ? (root as Document).body : (root as unknown as Node);
}

function readConnects(root: ParentNode): { required: number | null; remaining: number | null } {
  const widget = queryFirst(root, S.CONNECTS_WIDGET);
  // Without the widget, the sentence may still be somewhere on the form.
  const text = textOf(widget ?? scopeNode(root));
  return {
    required: matchCount(text, S.CONNECTS_REQUIRED_TEXT),
    remaining: matchCount(text, S.CONNECTS_REMAINING_TEXT),
  };
}

function readBoost(root: ParentNode): { bid: number; total: number | null; remaining: number | null } {
  const section = queryFirst(root, S.BOOST_SECTION);
  if (!section) return { bid: 0, total: null, remaining: null };
  const text = textOf(section);
  const remainingEl = queryFirst(section, S.BOOST_REMAINING);
  const remaining = matchCount(textOf(remainingEl ?? section), S.BOOST_REMAINING_TEXT);
  // The summary states the bid once it is set; without one, the bid input is the best evidence left.
  const summaryBid = matchCount(text, S.BOOST_BID_TEXT);
  if (summaryBid !== null) return { bid: summaryBid, total: matchCount(text, S.BOOST_TOTAL_TEXT), remaining };
  const input = queryFirst<HTMLInputElement>(section, S.BOOST_BID_INPUT);
  const typed = input ? parseCount(input.value) : null;
  return { bid: typed ?? 0, total: null, remaining };
}

function readTitle(root: ParentNode): string | null {
  const direct = textOf(queryFirst(root, S.JOB_TITLE));
  if (direct) return direct;
  const label = queryAllFirst(root, S.HEADINGS).find((h) => S.JOB_DETAILS_HEADING_TEXT.test(textOf(h)));
  const section = label?.parentElement;
  if (!label || !section) return null;
  // Only within the "Job details" section: the next section's heading is not a job title.
  const headings = queryAllFirst(section, S.HEADINGS);
  const next = headings.slice(headings.indexOf(label) + 1).find((h) => textOf(h) !== '');
  return next ? textOf(next) : null;
}

function inputMoney(root: ParentNode, selectors: readonly string[]): number | null {
  const input = queryFirst<HTMLInputElement>(root, selectors);
  return input ? parseMoney(input.value) : null;
}

function readTerms(root: ParentNode): Pick<ApplyPageFound, 'contractKind' | 'bidAmount' | 'milestones'> {
  const isFixed = queryFirst(root, S.MILESTONE_MODE) !== null || queryFirst(root, S.FIXED_BID_INPUT) !== null;
  if (isFixed) {
    const modeInput = queryAllFirst<HTMLInputElement>(root, S.MILESTONE_MODE).find((m) => m.checked);
    const byMilestone = modeInput?.value === 'milestone';
    const descriptions = queryAllFirst<HTMLInputElement>(root, S.MILESTONE_DESCRIPTION);
    const amounts = queryAllFirst<HTMLInputElement>(root, S.MILESTONE_AMOUNT);
    const milestones = byMilestone
      ? descriptions.map((d, i) => ({ description: squash(d.value), amount: parseMoney(amounts[i]?.value) }))
      : [];
    const fromMilestones = milestones.reduce<number | null>(
      (sum, m) => (m.amount === null ? sum : (sum ?? 0) + m.amount),
      null,
    );
    const bid = byMilestone ? fromMilestones : inputMoney(root, S.FIXED_BID_INPUT);
    return { contractKind: 'fixed', bidAmount: bid ?? inputMoney(root, S.FIXED_BID_INPUT), milestones };
  }
  if (queryFirst(root, S.HOURLY_RATE_INPUT)) {
    return { contractKind: 'hourly', bidAmount: inputMoney(root, S.HOURLY_RATE_INPUT), milestones: [] };
  }
  const terms = textOf(queryFirst(root, S.TERMS_SECTION));
  if (S.FIXED_TERMS_TEXT.test(terms)) return { contractKind: 'fixed', bidAmount: null, milestones: [] };
  if (S.HOURLY_TERMS_TEXT.test(terms)) return { contractKind: 'hourly', bidAmount: null, milestones: [] };
  return { contractKind: null, bidAmount: null, milestones: [] };
}

function proposingAs(control: ProposeAsControl): ProposeAs | null {
  if (control.kind !== 'radios') return null;
  const checked = control.options.find((o) => o.checked);
  if (!checked) return null;
  return checked.isAgency ? 'agency' : 'independent';
}

// ── The reader ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * Reads the proposal form under `root` (the document, or the form's root element). `url` is the page's URL,
 * which carries the job key. Returns `{ ok: false, missing }` when a piece the overlay cannot do without is
 * absent, so it can show a clear notice instead of guessing.
 */
export function readApplyPage(root: ParentNode, url: string): ApplyPageReading {
  const missing: string[] = [];
  const form = findApplyRoot(root);
  if (!form) missing.push(MISSING.form);
  const scope: ParentNode = form ?? root;

  const uidEl = queryFirst(scope, S.JOB_UID) ?? closestOf(form ?? null, S.JOB_UID);
  const jobUid = uidEl?.getAttribute(S.JOB_UID_ATTRIBUTE)?.trim() || null;
  const page = classifyUrl(url);
  const jobKey = page.kind === 'apply' ? page.jobKey : jobKeyFromUid(jobUid);
  if (!jobKey) missing.push(MISSING.jobKey);

  const sendButton = findSendButton(scope);
  const sendButtonConnects = sendButton ? matchCount(controlText(sendButton), S.SEND_TEXT) : null;
  const connects = readConnects(scope);
  const boost = readBoost(scope);
  // The button's count includes the boost, so it stands in for the widget only when nothing is boosted.
  const required =
    connects.required ?? (boost.bid === 0 && sendButtonConnects !== null ? sendButtonConnects : null);
  if (required === null) missing.push(MISSING.connectsRequired);
  if (!sendButton) missing.push(MISSING.sendButton);

  if (missing.length > 0 || !jobKey || required === null) return { ok: false, missing };

  const unread: string[] = [];
  const jobTitle = readTitle(scope);
  if (!jobTitle) unread.push(MISSING.jobTitle);
  const proposeAs = readProposeAs(scope);
  if (proposeAs.kind === 'none') unread.push(MISSING.proposeAs);
  const terms = readTerms(scope);
  if (!terms.contractKind) unread.push(MISSING.terms);
  const agencyOptions = proposeAs.kind === 'radios' ? proposeAs.options.filter((o) => o.isAgency) : [];
  const profile = textOf(queryFirst(scope, S.SPECIALIZED_PROFILE)) || null;

  return {
    ok: true,
    jobKey,
    jobUid,
    jobTitle,
    connectsRequired: required,
    boost: boost.bid,
    totalConnects: boost.total ?? required + boost.bid,
    sendButtonConnects,
    remainingAfter: connects.remaining ?? boost.remaining,
    proposeAs,
    proposingAs: proposingAs(proposeAs),
    agencyBalance: agencyOptions.length === 1 ? (agencyOptions[0]?.balance ?? null) : null,
    ...terms,
    profile,
    unread,
  };
}
