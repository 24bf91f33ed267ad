// Whether the work pages' content script runs in this page. Both content scripts share the extension's
// isolated world (Chrome) or sandbox (Firefox) in a page, so a mark on its global is seen by the other script
// and never by Upwork's own code. (A short name: the proposal form's script has a few bytes of budget left.)
const MARK = '__aoWorkPages';

export function markWorkPagesStarted(): void {
  (globalThis as Record<string, unknown>)[MARK] = true;
}

// `true` exactly, not just present: a page element with that id is a named property of window, seen from the
// isolated world too, and would otherwise keep the work pages from ever starting.
export const workPagesStarted = (): boolean => (globalThis as Record<string, unknown>)[MARK] === true;
