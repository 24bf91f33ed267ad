// Which of Upwork's work pages a URL is (upwork-dom.md "Work pages"). "seen" URLs were checked on live pages
// in 2026; the offer, milestone and manual-time URLs are only guesses, so those pages are matched by URL and
// text alike and never relied on.
//
//   proposals         /nx/proposals/ (tabs: active, referrals, archived) — seen
//   contracts         /nx/wm/freelancer/contracts, older /nx/wm/contracts — seen
//   timesheet         /nx/wm/workroom/<contractId>/timesheet, /nx/workdiary/?contractId=<id> — seen
//   connects-history  /nx/plans/connects/history — seen
//   offer             /nx/wm/offers/<id>, /ab/proposals/offer-<id> — guess
//   milestone         /nx/wm/workroom/<contractId>/milestones — guess
//   time              /nx/workdiary/…/manual, /nx/wm/workroom/<id>/manual-time — guess

export type WorkPageName =
  | 'proposals'
  | 'contracts'
  | 'timesheet'
  | 'connects-history'
  | 'offer'
  | 'milestone'
  | 'time';

export interface WorkUrl {
  page: WorkPageName;
  /** The contract or offer the URL names, when it names one. */
  id: string | null;
}

const HOSTS = new Set(['www.upwork.com', 'upwork.com']);
const ID = '([A-Za-z0-9_-]{1,40})';

const PATTERNS: [WorkPageName, RegExp][] = [
  ['proposals', /^\/nx\/proposals\/?(?:active|referrals|archived)?\/?$/i],
  ['contracts', /^\/nx\/wm\/(?:freelancer\/)?contracts\/?$/i],
  ['timesheet', new RegExp(`^/nx/wm/workroom/${ID}/timesheet/?$`, 'i')],
  ['timesheet', /^\/nx\/workdiary\/?$/i],
  ['connects-history', /^\/nx\/plans\/connects\/history\/?$/i],
  ['offer', new RegExp(`^/nx/wm/offers?/${ID}/?$`, 'i')],
  ['offer', new RegExp(`^/ab/proposals/offer-${ID}/?$`, 'i')],
  ['milestone', new RegExp(`^/nx/wm/workroom/${ID}/milestones?/?$`, 'i')],
  ['time', new RegExp(`^/nx/wm/workroom/${ID}/manual-time/?$`, 'i')],
  ['time', /^\/nx\/workdiary\/manual\/?$/i],
];

/**
 * The same pages as match patterns, for the work pages' content script in the manifest: it is injected on a
 * page load of these URLs only, and started on demand when Upwork's app navigates to one in place
 * (background/work-pages-starter.ts). A match pattern's path covers the query too; `*` is any run of
 * characters. Wider than the patterns above where a pattern cannot say less (any id, any query); never the
 * proposal form (`/nx/proposals/job/…`) or a proposal's own page (`/nx/proposals/<id>`).
 */
export const WORK_PAGE_MATCHES: readonly string[] = [
  '/nx/proposals',
  '/nx/proposals?*',
  '/nx/proposals/',
  '/nx/proposals/?*',
  '/nx/proposals/active*',
  '/nx/proposals/referrals*',
  '/nx/proposals/archived*',
  '/nx/wm/freelancer/contracts*',
  '/nx/wm/contracts*',
  '/nx/wm/workroom/*/timesheet*',
  '/nx/wm/workroom/*/milestone*',
  '/nx/wm/workroom/*/manual-time*',
  '/nx/workdiary*',
  '/nx/plans/connects/history*',
  '/nx/wm/offer/*',
  '/nx/wm/offers/*',
  '/ab/proposals/offer-*',
].map((path) => `https://www.upwork.com${path}`);

export function classifyWorkUrl(url: string): WorkUrl | null {
  let parsed: URL;
  try {
    parsed = new URL(url, 'https://www.upwork.com/');
  } catch {
    return null;
  }
  if (!HOSTS.has(parsed.hostname)) return null;
  for (const [page, pattern] of PATTERNS) {
    const m = pattern.exec(parsed.pathname);
    if (!m) continue;
    const fromQuery = page === 'timesheet' ? parsed.searchParams.get('contractId') : null;
    const id = m[1] ?? (fromQuery && /^[A-Za-z0-9_-]{1,40}$/.test(fromQuery) ? fromQuery : null);
    return { page, id };
  }
  return null;
}
