// What kind of Upwork page a URL is, and which job it is about. The job key everywhere in the product is the
// job's ciphertext as Upwork writes it in its URLs ("~021998744339961847531"), lower-cased.

export type UpworkPage =
  | { kind: 'apply'; jobKey: string; legacy: boolean }
  | { kind: 'job'; jobKey: string; slideOver: boolean }
  | { kind: 'proposal'; proposalId: string }
  | { kind: 'other' };

/**
 * How the caller learns about in-app navigations: register `listener`, drop it when `signal` aborts.
 * In the content script this wraps WXT's `wxt:locationchange`; in tests, anything.
 */
export type UrlChangeHook = (listener: (url: string) => void, signal: AbortSignal) => void;

const UPWORK_HOSTS = new Set(['www.upwork.com', 'upwork.com']);
const BASE = 'https://www.upwork.com/';

// "~0" then hex: current ciphertexts are all digits ("~02…"), older ones hex ("~01…").
const KEY = '(~0[0-9a-f]{8,})';
const APPLY_PATH = new RegExp(`^/(nx|ab)/proposals/job/${KEY}/apply/?$`, 'i');
const JOB_PATH = new RegExp(`^/jobs/(?:[^/]*_)?${KEY}/?$`, 'i');
const SLIDE_OVER_PATHS = [
  new RegExp(`^/nx/find-work/(?:[^/]+/)?details/${KEY}/?$`, 'i'),
  // Search results open the same slide-over under their own prefix.
  new RegExp(`^/nx/search/jobs/(?:[^/]+/)?details/${KEY}/?$`, 'i'),
];
const PROPOSAL_PATH = /^\/(?:nx|ab)\/proposals\/(\d+)\/?$/i;

function toUrl(url: string | URL): URL | null {
  try {
    return new URL(String(url), BASE);
  } catch {
    return null;
  }
}

export function classifyUrl(url: string | URL): UpworkPage {
  const parsed = toUrl(url);
  if (!parsed || !UPWORK_HOSTS.has(parsed.hostname)) return { kind: 'other' };
  // Decoded so "%7E0…" (some links escape the tilde) reads the same as "~0…".
  let path = parsed.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep the raw path
  }
  const apply = APPLY_PATH.exec(path);
  if (apply?.[1] && apply[2]) {
    return { kind: 'apply', jobKey: apply[2].toLowerCase(), legacy: apply[1].toLowerCase() === 'ab' };
  }
  const job = JOB_PATH.exec(path);
  if (job?.[1]) return { kind: 'job', jobKey: job[1].toLowerCase(), slideOver: false };
  for (const pattern of SLIDE_OVER_PATHS) {
    const slide = pattern.exec(path);
    if (slide?.[1]) return { kind: 'job', jobKey: slide[1].toLowerCase(), slideOver: true };
  }
  const proposal = PROPOSAL_PATH.exec(path);
  if (proposal?.[1]) return { kind: 'proposal', proposalId: proposal[1] };
  return { kind: 'other' };
}

/** The job key of an apply page or a job page; null for any other URL. */
export function jobKeyOf(url: string | URL): string | null {
  const page = classifyUrl(url);
  return page.kind === 'apply' || page.kind === 'job' ? page.jobKey : null;
}

export function isApplyUrl(url: string | URL): boolean {
  return classifyUrl(url).kind === 'apply';
}

/** Both URLs are the apply page of the same job (query, hash and legacy prefix aside). */
export function isSameApplyPage(a: string | URL, b: string | URL): boolean {
  const pa = classifyUrl(a);
  const pb = classifyUrl(b);
  return pa.kind === 'apply' && pb.kind === 'apply' && pa.jobKey === pb.jobKey;
}

/** The page carries the job uid in `data-ev-job-uid`: the ciphertext's digits without "~02". */
export function jobKeyFromUid(uid: string | null | undefined): string | null {
  const digits = (uid ?? '').trim();
  return /^\d{8,}$/.test(digits) ? `~02${digits}` : null;
}

export function applyUrlFor(jobKey: string): string {
  return `${BASE}nx/proposals/job/${jobKey}/apply/`;
}
