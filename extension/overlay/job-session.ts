// A job page or the find-work slide-over: a small badge beside "Apply now" when someone in the agency already
// proposed on the job (P5), kept current with the agency's state. Everything goes when `signal` aborts.
import { h, render } from 'preact';
import type { PageWindow } from '../features/upwork-page/dom.ts';
import { findBadgeAnchor } from '../features/upwork-page/find-anchor.ts';
import { formerStanding } from '../ui/former.ts';
import { JobBadge } from './job-badge.tsx';
import type { MountedUi, MountUi } from './mount.ts';
import type { OverviewHub } from './overview-hub.ts';
import { proposalsOnJob } from './teammates.ts';

export const BADGE_HOST = 'agency-overlay-badge';

export interface JobSessionOptions {
  win: PageWindow;
  container: Element;
  jobKey: string;
  signal: AbortSignal;
  hub: OverviewHub;
  mountUi: MountUi;
  now: () => number;
}

export function startJobSession(options: JobSessionOptions): void {
  const { win, container, jobKey, signal, hub, now } = options;
  let ui: MountedUi | null = null;

  const draw = (): void => {
    if (!ui || signal.aborted) return;
    if (!ui.host.isConnected) ui.remount();
    const view = hub.overview?.view;
    // A member who left or was removed no longer acts for the agency (P6): its teammates are not theirs.
    const current = view && !formerStanding(view) ? view : null;
    const proposals = current ? proposalsOnJob(current.state, jobKey, current.me) : [];
    render(h(JobBadge, { agencyName: view?.state.name ?? '', proposals, now: now() }), ui.container);
    ui.host.dataset.proposals = String(proposals.length);
  };

  const offHub = hub.listen(draw);
  const refresh = win.setInterval(draw, 30_000);
  signal.addEventListener(
    'abort',
    () => {
      offHub();
      win.clearInterval(refresh);
      if (ui) render(null, ui.container);
      ui = null;
    },
    { once: true },
  );
  void options
    .mountUi({ name: BADGE_HOST, anchor: () => findBadgeAnchor(container), signal })
    .then((mounted) => {
      if (signal.aborted) return;
      ui = mounted;
      mounted.host.dataset.jobKey = jobKey;
      draw();
    })
    .catch((error) => console.error('[agency-overlay] could not mount the job badge', error));
}
