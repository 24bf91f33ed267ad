// A new install does nothing until its member creates or joins an agency, so the agency pages open once,
// on install: not on an update or a browser restart, when the member already has what they need.
export interface RuntimeLike {
  onInstalled: { addListener(fn: (details: { reason: string }) => void): void };
  openOptionsPage(): Promise<void>;
}

/** Registers the listener synchronously, with the others, so the install event finds it. */
export function openAgencyPagesOnInstall(runtime: RuntimeLike): void {
  runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') runtime.openOptionsPage().catch((e) => console.error('welcome: not opened', e));
  });
}
