// Starts the work pages' content script in a tab whose Upwork app navigated in place to a work page (the
// manifest injects it only on a page load of one: features/upwork-page/work-urls.ts). Asked by the proposal
// form's content script (content/start-work-pages.ts), so the request comes from inside Upwork's page and is
// read as an attacker's: the only thing it can cause is our own packaged script going into the sender's own
// tab and frame, on a URL that is a work page, once per document.

import { classifyWorkUrl } from '../features/upwork-page/work-urls.ts';
import { START_WORK_PAGES } from '../messaging/start-work-pages.ts';
import type { Response } from '../messaging/types.ts';

export const WORK_PAGES_SCRIPT = '/content-scripts/work-pages.js' as const;
const MAX_URL_LENGTH = 2_048;
/** Documents already given the script, remembered for a while (a tab's in-place navigations repeat). */
const REMEMBERED = 200;

export interface StarterSender {
  tab?: { id?: number };
  frameId?: number;
  /** Chrome 106+: the document the message came from. */
  documentId?: string;
  url?: string;
}

/** Injects `file` into one frame of one tab (scripting.executeScript). */
export type InjectScript = (
  target: { tabId: number; frameId: number },
  file: typeof WORK_PAGES_SCRIPT,
) => Promise<void>;

export function isStartWorkPages(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { kind?: unknown }).kind === START_WORK_PAGES
  );
}

const refusal = (message: string): Response => ({
  ok: false,
  code: 'NOT_A_WORK_PAGE',
  rule: 'REQUEST',
  message,
});

export function workPagesStarter(inject: InjectScript) {
  const started: string[] = [];
  return async (message: unknown, sender: StarterSender | undefined): Promise<Response> => {
    const url = (message as { url?: unknown }).url;
    if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return refusal('No page address was given.');
    const tabId = sender?.tab?.id;
    const frameId = sender?.frameId ?? 0;
    if (typeof tabId !== 'number' || frameId !== 0)
      return refusal('Only an Upwork tab’s own page asks for this.');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return refusal('No page address was given.');
    }
    // As the manifest's match patterns read it: https, Upwork's host, any port.
    if (parsed.protocol !== 'https:' || parsed.hostname !== 'www.upwork.com' || !classifyWorkUrl(url))
      return refusal('Not one of the Upwork pages the overlay knows.');
    const documentKey = sender?.documentId ? `${tabId}|${sender.documentId}` : null;
    if (documentKey && started.includes(documentKey)) return { ok: true, value: null };
    await inject({ tabId, frameId }, WORK_PAGES_SCRIPT);
    if (documentKey) {
      started.push(documentKey);
      if (started.length > REMEMBERED) started.shift();
    }
    return { ok: true, value: null };
  };
}
