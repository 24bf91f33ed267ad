// The agency for the overlay's tests: "Northwind Pixel Works" as on the fake Upwork pages, built by core from
// real signed actions, and a fake background that answers `act` by signing and deriving for real, so flags
// and refusals are core's own.
import { connectsSummary, type Payloads } from '../../../core/lite.ts';
import {
  type ApplyPageFound,
  readApplyPage,
} from '../../../extension/features/upwork-page/read-apply-page.ts';
import type { RequestKind, RequestOf } from '../../../extension/messaging/client.ts';
import type {
  AgencyView,
  OverviewView,
  Response,
  ResponseValues,
  UiActionType,
} from '../../../extension/messaging/types.ts';
import { matchAgency } from '../../../extension/overlay/agency-match.ts';
import { type ProposalPlan, planProposal } from '../../../extension/overlay/proposal-plan.ts';
import type { UiClient } from '../../../extension/ui/client.ts';
import { AgencyFixture, T0 } from '../../core/support/agency.ts';
import { AGENCY, applyPath, JOB_KEYS, loadPage } from '../upwork-page/fake-upwork.ts';

export { AgencyFixture, T0 };

/**
 * Ana creates the agency (an exclusive business manager), with `balance` Connects; Ben joins as an exclusive
 * member, Noor as a non-exclusive one, Dana Okafor (the member on the manager's fake form) as a member.
 */
export async function northwind(balance = 312): Promise<AgencyFixture> {
  const fx = new AgencyFixture('agency-overlay-test-01');
  await fx.act('Ana', 'createAgency', { name: AGENCY.name, memberName: 'Ana', balance });
  await fx.join('Ben', { by: 'Ana', relationship: 'exclusive' });
  await fx.join('Noor', { by: 'Ana', relationship: 'non-exclusive' });
  await fx.join('Dana Okafor', { by: 'Ana', relationship: 'exclusive' });
  return fx;
}

export const nowOf = (fx: AgencyFixture): number => Math.max(T0, ...fx.actions.map((a) => a.at)) + 30_000;

export function viewOf(fx: AgencyFixture, name: string, now = nowOf(fx)): AgencyView {
  const { state } = fx.derive();
  const me = fx.id(name);
  return {
    agencyId: fx.agencyId,
    me,
    browserKey: me,
    oldFormat: false,
    state,
    connects: connectsSummary(state, now, state.members[me] ? me : null),
    sync: {
      status: 'synced',
      server: 'ws://127.0.0.1:1',
      lastSyncedAt: now,
      waiting: 0,
      stoppedReason: null,
      stoppedBy: null,
    },
    recent: [],
  };
}

export const overviewOf = (view: AgencyView | null, others: { agencyId: string; name: string }[] = []) =>
  ({
    agencies: [...(view ? [{ agencyId: view.agencyId, name: view.state.name }] : []), ...others],
    selected: view?.agencyId ?? null,
    view,
  }) satisfies OverviewView;

type Act = RequestOf<'act'>;

/**
 * The background as the overlay sees it: `act` is signed by `member` and derived by core; the new view is
 * posted to subscribers as the real background does after every change.
 */
export class AgencyBackground implements UiClient {
  readonly requests: RequestOf<RequestKind>[] = [];
  private listeners = new Set<(view: OverviewView) => void>();
  readonly fx: AgencyFixture;
  member: string;
  /** Answer `overview` requests and post views at all (false: the background has not answered yet). */
  ready = true;
  /** The act in progress (acts are taken one at a time). */
  private acting: Promise<void> = Promise.resolve();

  constructor(fx: AgencyFixture, member: string) {
    this.fx = fx;
    this.member = member;
  }

  get overview(): OverviewView {
    return overviewOf(viewOf(this.fx, this.member));
  }

  send = async <K extends RequestKind>(request: RequestOf<K>): Promise<Response<ResponseValues[K]>> => {
    this.requests.push(request);
    type R = Response<ResponseValues[K]>;
    if (request.kind === 'overview') {
      if (!this.ready) return new Promise<R>(() => {});
      return { ok: true, value: this.overview } as R;
    }
    if (request.kind !== 'act') return { ok: true, value: null } as R;
    const act = request as Act;
    // One at a time, each on the heads the one before left, as the real background's AgencyLog.append does:
    // a browser key's actions form a chain (core/key-chain.ts), and two acts signed on the same heads while
    // a page sends several facts at once would branch it (KEY_BRANCHED, flagged).
    const turn = this.acting.then(() =>
      this.fx.act(this.member, act.type as UiActionType, act.payload as Payloads[UiActionType]),
    );
    this.acting = turn.then(
      () => {},
      () => {},
    );
    const action = await turn;
    const { state } = this.fx.derive();
    const verdicts = state.verdicts.filter((v) => v.id === action.id);
    const refused = verdicts.find((v) => v.kind === 'refused');
    if (refused) {
      this.fx.actions.pop();
      return { ok: false, code: refused.code, rule: refused.rule, message: refused.message } as R;
    }
    this.post();
    return {
      ok: true,
      value: {
        id: action.id,
        status: 'saved',
        flags: verdicts.map((v) => ({ code: v.code, rule: v.rule, message: v.message })),
      },
    } as R;
  };

  subscribe = (onView: (view: OverviewView) => void): (() => void) => {
    this.listeners.add(onView);
    if (this.ready) queueMicrotask(() => this.listeners.has(onView) && onView(this.overview));
    return () => this.listeners.delete(onView);
  };

  /** Posts the current view, as after a change synced from a teammate. */
  post(): void {
    const overview = this.overview;
    for (const fn of this.listeners) fn(overview);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  acts(type?: string): Act[] {
    return this.requests.filter((r): r is Act => r.kind === 'act' && (!type || r.type === type));
  }
}

/** Reads a fake Upwork apply page as the overlay would (the test file must run at https://www.upwork.com/). */
export function readingOf(variant: keyof typeof JOB_KEYS, query = ''): ApplyPageFound {
  loadPage(`${applyPath(JOB_KEYS[variant])}${query}`);
  const reading = readApplyPage(document, window.location.href);
  if (!reading.ok) throw new Error(`the ${variant} page did not read: ${reading.missing.join(', ')}`);
  return reading;
}

/** The plan for `name` on `variant`'s page, as it is on the page now (and pre-selected the same way). */
export function planOf(fx: AgencyFixture, name: string, reading: ApplyPageFound): ProposalPlan {
  const view = viewOf(fx, name);
  const match = matchAgency(reading, overviewOf(view));
  if (match.kind !== 'matched') throw new Error(`no match: ${match.kind}`);
  const preselected = planProposal({
    reading,
    view,
    agencyOption: match.option,
    preselected: null,
    now: nowOf(fx),
  }).as;
  return planProposal({ reading, view, agencyOption: match.option, preselected, now: nowOf(fx) });
}
