// One appearance of Upwork's proposal form: mounts the overlay beside it, keeps it in step with the page
// (read again after every change of the form) and with the agency's state, records the page's facts once per
// page view, and holds a click on Send once while a warning stands. Once Upwork confirmed a send on this page
// view, it shows the state after it and projects no second spend. A member who left or was removed gets one
// line instead of the overlay. Everything goes when `signal` aborts.
import { h, render } from 'preact';
import type { ProposeAs } from '../../core/lite.ts';
import { controlText, type PageWindow } from '../features/upwork-page/dom.ts';
import { findOverlayAnchor } from '../features/upwork-page/find-anchor.ts';
import {
  type ApplyPageFound,
  type ApplyPageReading,
  findSendButton,
  isSendButton,
  readApplyPage,
} from '../features/upwork-page/read-apply-page.ts';
import { BUTTONS, FREELANCER_OPTION_VALUE } from '../features/upwork-page/selectors.ts';
import { setProposeAs } from '../features/upwork-page/set-propose-as.ts';
import type { UiClient } from '../ui/client.ts';
import { listWords } from '../ui/format.ts';
import { formerSentence, formerStanding } from '../ui/former.ts';
import { type AgencyMatch, matchAgency } from './agency-match.ts';
import { ApplyOverlay, type SendNote } from './apply-overlay.tsx';
import type { MountedUi, MountUi } from './mount.ts';
import type { OverviewHub } from './overview-hub.ts';
import {
  balanceObservation,
  defaultTeamToRecord,
  type FactRequest,
  proposalFact,
  upworkIdToLearn,
} from './page-facts.ts';
import { PageNotice, UnrecognisedForm } from './page-notice.tsx';
import { type ProposalPlan, planProposal } from './proposal-plan.ts';
import type { SentProposal } from './sent-panel.tsx';
import { proposalsOnJob } from './teammates.ts';
import { type Fix, type Warning, warningsFor } from './warnings.ts';

export const OVERLAY_HOST = 'agency-overlay';

/** What a click on Send would record, taken at the click (the form may be gone when Upwork confirms). */
export interface SendSnapshot {
  jobKey: string;
  request: FactRequest;
  /** Which way it went, what it cost and for whom, for the state shown after it. */
  sent: Pick<SentProposal, 'as' | 'cost' | 'forName'>;
}

/** The outcome of recording a confirmed send for the agency. */
export type RecordOutcome =
  | { ok: true; id: string; flags: { rule: string; message: string }[] }
  | { ok: false; message: string };

export interface ApplySessionOptions {
  win: PageWindow;
  root: Element;
  jobKey: string;
  signal: AbortSignal;
  hub: OverviewHub;
  client: UiClient;
  mountUi: MountUi;
  now: () => number;
  /** performance.now(), for the timing marks the e2e test reads off the host element. */
  perfNow: () => number;
}

export interface ApplySession {
  readonly jobKey: string;
  /**
   * What a send now would record; null when nothing would be (no agency, not a member, other agency, or a
   * send already confirmed on this page view: the same proposal is not recorded twice).
   */
  snapshot(): SendSnapshot | null;
  showNote(note: SendNote | null): void;
  /** Upwork confirmed the send of `snapshot` on this page: from now on the overlay shows the state after it. */
  sent(snapshot: SendSnapshot): void;
  /** What recording that send for the agency came to. */
  recorded(outcome: RecordOutcome): void;
  /** The warnings standing now (for tests and the e2e check). */
  warnings(): Warning[];
}

const REFRESH_MS = 30_000;

function sentOf(plan: ProposalPlan, request: FactRequest): SendSnapshot['sent'] | null {
  if (request.type !== 'submitProposal') return null;
  const p = request.payload;
  return {
    as: p.as,
    cost: p.connects + p.boost,
    forName: p.member ? (plan.proposer?.name ?? 'the member') : null,
  };
}

/** Where focus goes when a held Send closes: the warnings still standing, else the overlay itself. */
function focusAfterHold(container: HTMLElement): void {
  const targets = container.querySelectorAll<HTMLElement>('[data-focus-after-hold]');
  // The last one is the innermost: the warning list when it is there, else the overlay's section.
  targets[targets.length - 1]?.focus();
}

export function startApplySession(options: ApplySessionOptions): ApplySession {
  const { win, root, jobKey, signal, hub, client, now, perfNow } = options;
  const doc = win.document;
  const formSeenAt = perfNow();

  let ui: MountedUi | null = null;
  let reading: ApplyPageReading = readApplyPage(root, win.location.href);
  // What Upwork pre-selected when the form appeared: the member's default team (R9).
  const initialReading = reading;
  let hold: Warning[] | null = null;
  let passArmed = false;
  let note: SendNote | null = null;
  let sent: { snapshot: SendSnapshot; view: SentProposal; id: string | null } | null = null;
  let current: { match: AgencyMatch; plan: ProposalPlan | null; warnings: Warning[] } | null = null;
  let balanceMarked = false;
  let scheduled = false;
  const done = { observe: false, learn: false, defaultTeam: false, select: false };

  const act = (request: FactRequest | null): void => {
    if (!request || signal.aborted) return;
    void client.send(request).then((res) => {
      if (!res.ok) console.warn(`[agency-overlay] ${request.type} not recorded: ${res.rule} ${res.message}`);
    });
  };

  const computeFrom = (r: ApplyPageFound, match: AgencyMatch): ProposalPlan | null => {
    if (match.kind !== 'matched') return null;
    const preselected =
      initialReading.ok && initialReading.jobKey === r.jobKey
        ? planProposal({
            reading: initialReading,
            view: match.view,
            agencyOption: match.option,
            preselected: null,
            now: now(),
          }).as
        : null;
    return planProposal({
      reading: r,
      view: match.view,
      agencyOption: match.option,
      preselected,
      now: now(),
    });
  };

  /** The facts this page view shows, each recorded at most once (domain.md: observations, R9, Upwork id). */
  const recordPageFacts = (match: AgencyMatch, plan: ProposalPlan): void => {
    if (match.kind !== 'matched') return;
    if (!done.observe && match.option) {
      done.observe = true;
      act(balanceObservation(match.view, match.option));
    }
    if (!done.learn && match.option) {
      done.learn = true;
      act(upworkIdToLearn(match.view, match.option, match.matchedBy));
    }
    if (!done.defaultTeam && plan.preselected) {
      done.defaultTeam = true;
      act(defaultTeamToRecord(match.view, plan));
    }
  };

  const draw = (): void => {
    if (!ui || signal.aborted) return;
    const container = ui.container;
    if (!reading.ok) {
      render(h(UnrecognisedForm, { missing: reading.missing }), container);
      ui.host.dataset.state = 'unrecognised';
      current = null;
      return;
    }
    const match = matchAgency(reading, hub.overview);
    const plan = computeFrom(reading, match);
    const teammates =
      match.kind === 'matched' ? proposalsOnJob(match.view.state, reading.jobKey, match.view.me) : [];
    // After a confirmed send nothing stands before Send: the proposal is out (Upwork refuses a repeat itself).
    const warnings = plan && !sent ? warningsFor(plan, teammates, now()) : [];
    current = { match, plan, warnings };
    if (hold && warnings.length === 0) hold = null;

    if (match.kind === 'switch') {
      if (!done.select) {
        done.select = true;
        void client.send({ kind: 'select', agencyId: match.agencyId });
      }
      render(
        h(PageNotice, { title: `switching to ${match.name}…`, testId: 'overlay-loading', children: null }),
        container,
      );
      ui.host.dataset.state = 'loading';
      return;
    }
    if (match.kind === 'none') {
      const text =
        match.reason === 'loading'
          ? h(PageNotice, { title: "loading the agency's state…", testId: 'overlay-loading', children: null })
          : match.reason === 'no-agency'
            ? h(PageNotice, {
                title: 'this browser is not in an agency yet.',
                testId: 'no-agency',
                children: "Create or join one from the extension's button to see its Connects here.",
              })
            : h(PageNotice, {
                title: `Upwork offers none of this browser's agencies on this form${match.offered.length ? ` (it offers ${listWords(match.offered)})` : ''}.`,
                testId: 'not-offered',
                children: 'Nothing is recorded from it.',
              });
      render(text, container);
      ui.host.dataset.state = match.reason;
      return;
    }
    if (!plan) return;
    const former = formerStanding(match.view);
    if (former) {
      // R11, P6: nothing on this form concerns them any more; one line says so, and records nothing.
      render(
        h(PageNotice, {
          title: formerSentence(match.view, former, now()),
          testId: 'former-member',
          children: 'Nothing on this form is recorded for it.',
        }),
        container,
      );
      ui.host.dataset.state = 'former';
      return;
    }
    const counted = !!sent?.id && match.view.state.proposals.some((p) => p.id === sent?.id);
    render(
      h(ApplyOverlay, {
        plan,
        warnings,
        teammates,
        now: now(),
        hold,
        note,
        sent: sent ? { ...sent.view, counted } : null,
        unread: reading.unread,
        onChoose: choose,
        onFix: fix,
        onSendAnyway: sendAnyway,
      }),
      container,
    );
    ui.host.dataset.state = 'ready';
    if (!balanceMarked) {
      balanceMarked = true;
      ui.host.dataset.balanceShownAt = String(perfNow());
      ui.host.dataset.stateArrivedAt = String(hub.firstViewAt ?? '');
    }
    recordPageFacts(match, plan);
  };

  const reread = (): void => {
    scheduled = false;
    if (signal.aborted) return;
    if (ui && !ui.host.isConnected) ui.remount();
    reading = readApplyPage(root, win.location.href);
    if (ui) draw();
    else ensureMounted();
  };

  const schedule = (): void => {
    if (scheduled || signal.aborted) return;
    scheduled = true;
    queueMicrotask(reread);
  };

  function choose(as: ProposeAs): void {
    const option = current?.plan?.agencyOption;
    const value = as === 'agency' ? option?.value : FREELANCER_OPTION_VALUE;
    // Only ever on the member's own click in the overlay.
    if (value) setProposeAs(root, value);
    schedule();
  }

  function fix(what: Fix): void {
    const held = hold !== null;
    hold = null;
    // Without a fix, going back to the form is the fix: the member changes what they see fit.
    if (what) choose(what);
    draw();
    // The button that was clicked is gone: focus lands on what is left, not on the page's body.
    if (held && ui) focusAfterHold(ui.container);
  }

  function sendAnyway(): void {
    hold = null;
    passArmed = true;
    const button = findSendButton(root);
    note = { kind: 'armed', sendLabel: button ? controlText(button) : 'Send' };
    draw();
    button?.focus();
  }

  // Window, capture phase: runs before Upwork's handlers and before the send watcher's document listener, so
  // a held click reaches neither (the send watcher must not take it for a send).
  const onClick = (event: Event): void => {
    const target = event.target as Element | null;
    const control = target?.closest?.(BUTTONS[0] ?? 'button');
    if (!control || !isSendButton(control)) return;
    if ((control as HTMLButtonElement).disabled) return;
    if (passArmed) {
      passArmed = false;
      note = null;
      schedule();
      return;
    }
    if (sent) return;
    const standing = current?.warnings ?? [];
    if (standing.length === 0) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    hold = standing;
    draw();
  };
  win.addEventListener('click', onClick, { capture: true, signal });

  // Vue changes the form without telling anyone: read it again after any change inside it. Our own host's
  // attributes are not a change of the form; what happens inside our shadow root is not seen here at all.
  const observer = new win.MutationObserver((records) => {
    if (records.every((r) => ui && r.target === ui.host)) return;
    schedule();
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true, attributes: true });
  doc.addEventListener('change', schedule, { capture: true, signal });
  doc.addEventListener('input', schedule, { capture: true, signal });
  const offHub = hub.listen(schedule);
  const refresh = win.setInterval(draw, REFRESH_MS);
  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      offHub();
      win.clearInterval(refresh);
      if (ui) render(null, ui.container);
      ui = null;
    },
    { once: true },
  );

  let mounting = false;
  /**
   * Mounts once the form reads completely, or once the page has finished parsing (then the notice says what
   * is missing): a form seen while the page still loads is not yet missing its Send button, only not there yet.
   */
  function ensureMounted(): void {
    if (mounting || signal.aborted) return;
    if (!reading.ok && doc.readyState === 'loading') return;
    mounting = true;
    void options
      .mountUi({ name: OVERLAY_HOST, anchor: () => findOverlayAnchor(root), signal })
      .then((mounted) => {
        if (signal.aborted) return;
        ui = mounted;
        mounted.host.dataset.formSeenAt = String(formSeenAt);
        mounted.host.dataset.jobKey = jobKey;
        draw();
      })
      .catch((error) => console.error('[agency-overlay] could not mount the overlay', error));
  }
  doc.addEventListener('DOMContentLoaded', schedule, { once: true, signal });
  ensureMounted();

  return {
    jobKey,
    snapshot() {
      if (sent) return null;
      const r = readApplyPage(root, win.location.href);
      if (!r.ok) return null;
      const match = matchAgency(r, hub.overview);
      const plan = computeFrom(r, match);
      const request = plan ? proposalFact(plan) : null;
      const what = plan && request ? sentOf(plan, request) : null;
      return plan && request && what ? { jobKey: r.jobKey, request, sent: what } : null;
    },
    showNote(next) {
      note = next;
      draw();
    },
    sent(snapshot) {
      hold = null;
      note = null;
      passArmed = false;
      sent = {
        snapshot,
        id: null,
        view: { ...snapshot.sent, status: 'recording', counted: false, flags: [], reason: null },
      };
      draw();
    },
    recorded(outcome) {
      if (!sent) return;
      sent = outcome.ok
        ? { ...sent, id: outcome.id, view: { ...sent.view, status: 'recorded', flags: outcome.flags } }
        : {
            ...sent,
            view: {
              ...sent.view,
              status: 'not-recorded',
              reason: `It could not be recorded for the agency: ${outcome.message}`,
            },
          };
      draw();
    },
    warnings() {
      return current?.warnings ?? [];
    },
  };
}
