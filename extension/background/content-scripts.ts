// What a content script may ask the background (issue 8, item 13). A content script runs inside Upwork's
// pages, so anything that reached it — a compromised page, an injected script — could speak through it. It
// may read the agency's state (overview, and switch which agency the popup shows) and record the facts the
// overlay saw on Upwork (PAGE_FACT_TYPES). Every other request, and every other action type, belongs to the
// extension's own pages and is refused here, before the request is even parsed.
import { PAGE_FACT_TYPES, type Response } from '../messaging/types.ts';

/** Request kinds a content script may send; `act` only with one of PAGE_FACT_TYPES. */
export const CONTENT_SCRIPT_KINDS: ReadonlySet<string> = new Set(['overview', 'select', 'act']);
export const CONTENT_SCRIPT_ACTIONS: ReadonlySet<string> = new Set(PAGE_FACT_TYPES);

export interface SenderLike {
  tab?: unknown;
  url?: string;
}

/**
 * Whether a message comes from a content script: from a page outside the extension's own origin. Without the
 * origin (tests), a sender in a tab is taken for one.
 */
export function isContentScript(sender: SenderLike | undefined, extensionOrigin: string | null): boolean {
  if (extensionOrigin && typeof sender?.url === 'string') return !sender.url.startsWith(extensionOrigin);
  return !!sender?.tab;
}

type Refusal = Extract<Response, { ok: false }>;

const field = (message: unknown, key: string): unknown =>
  typeof message === 'object' && message !== null ? (message as Record<string, unknown>)[key] : undefined;

/** Why a content script may not send `message` (read without trusting anything else in it), or null. */
export function contentScriptRefusal(message: unknown): Refusal | null {
  const kind = field(message, 'kind');
  if (typeof kind !== 'string' || !CONTENT_SCRIPT_KINDS.has(kind))
    return {
      ok: false,
      code: 'NOT_FROM_PAGE',
      rule: 'REQUEST',
      message: `"${String(kind)}" can only be asked from the extension's own pages, not from a web page.`,
    };
  if (kind !== 'act') return null;
  const type = field(message, 'type');
  // D15: a page never chooses an envelope (the background seals), and the one amount a page may carry is a
  // contract's terms on observeContract, which the background keeps only for a business manager's browser
  // (page-amounts.ts). Any other amount from a page would reach every member's browser.
  const payload = field(message, 'payload');
  if (field(payload, 'sealed') !== undefined)
    return {
      ok: false,
      code: 'NOT_FROM_PAGE',
      rule: 'D15',
      message: 'A page cannot send a sealed amount: the extension seals amounts itself.',
    };
  if (
    type !== 'observeContract' &&
    (field(payload, 'terms') !== undefined || field(payload, 'amount') !== undefined)
  )
    return {
      ok: false,
      code: 'NOT_FROM_PAGE',
      rule: 'D15',
      message: 'An offer seen on Upwork is recorded without its rate or amount.',
    };
  if (typeof type === 'string' && CONTENT_SCRIPT_ACTIONS.has(type)) return null;
  return {
    ok: false,
    code: 'NOT_FROM_PAGE',
    rule: 'REQUEST',
    message: `On Upwork's pages the overlay only records what it saw there (${PAGE_FACT_TYPES.join(', ')}); "${String(type)}" can only be done from the extension's own pages.`,
  };
}
