// A new install does nothing until its member creates or joins an agency, so the agency pages open once,
// on install: not on an update or a browser restart, when the member already has what they need.
// Chromium reports "install" again on every launch of an extension loaded with --load-extension (seen in
// 8 of 8 relaunches here), so "once" is remembered in the extension's own storage, which an uninstall
// clears: a member who reinstalls is welcomed again.
export interface RuntimeLike {
  onInstalled: { addListener(fn: (details: { reason: string }) => Promise<void> | undefined): void };
  openOptionsPage(): Promise<void>;
}

export interface WelcomeStorage {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

const WELCOMED = 'welcomed';

/** Registers the listener synchronously, with the others, so the install event finds it. */
export function openAgencyPagesOnInstall(runtime: RuntimeLike, storage: WelcomeStorage): void {
  runtime.onInstalled.addListener(({ reason }) => {
    if (reason !== 'install') return;
    // Returned so a caller that awaits listeners (the tests) sees the end; the browser ignores it.
    return welcomeOnce(runtime, storage).catch((e) => console.error('welcome: not opened', e));
  });
}

async function welcomeOnce(runtime: RuntimeLike, storage: WelcomeStorage): Promise<void> {
  if ((await storage.get(WELCOMED))[WELCOMED]) return;
  await storage.set({ [WELCOMED]: true });
  await runtime.openOptionsPage();
}
