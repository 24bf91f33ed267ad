// Views for component tests, derived by core from real signed actions (no literal state blobs): an agency
// built with core's fixture builder, seen by one of its members, plus a fake background for `send`.
import { activityPage, connectsSummary } from '../../../../core/lite.ts';
import type { RequestKind, RequestOf } from '../../../../extension/messaging/client.ts';
import type {
  ActionStatus,
  AgencyView,
  OverviewView,
  Response,
  ResponseValues,
  SyncView,
} from '../../../../extension/messaging/types.ts';
import type { UiClient } from '../../../../extension/ui/client.ts';
import { AgencyFixture, T0 } from '../../../core/support/agency.ts';

export { AgencyFixture, T0 };

/** Olga creates "Acme Studio" with 100 Connects; Bob joins as an exclusive member. */
export async function olgaAndBob(): Promise<AgencyFixture> {
  const fx = new AgencyFixture('agency-ui-test-01');
  await fx.create('Olga', 100);
  await fx.join('Bob');
  return fx;
}

export const SYNCED: SyncView = {
  status: 'synced',
  server: 'ws://localhost:1234',
  lastSyncedAt: T0,
  waiting: 0,
  stoppedReason: null,
  stoppedBy: null,
};

/** The last action's time, so "now" in a view sits just after everything in it. */
export const nowOf = (fx: AgencyFixture): number => Math.max(T0, ...fx.actions.map((a) => a.at)) + 30_000;

export function viewOf(
  fx: AgencyFixture,
  name: string,
  extra: { sync?: Partial<SyncView>; recent?: ActionStatus[]; browserKey?: string; oldFormat?: boolean } = {},
): AgencyView {
  const { state } = fx.derive();
  const me = fx.id(name);
  return {
    agencyId: fx.agencyId,
    me,
    browserKey: extra.browserKey ?? me,
    oldFormat: extra.oldFormat ?? false,
    state,
    connects: connectsSummary(state, nowOf(fx), me),
    sync: { ...SYNCED, lastSyncedAt: nowOf(fx) - 60_000, ...extra.sync },
    recent: extra.recent ?? [],
  };
}

export const overviewOf = (view: AgencyView | null): OverviewView => ({
  agencies: view ? [{ agencyId: view.agencyId, name: view.state.name }] : [],
  selected: view?.agencyId ?? null,
  view,
});

type Answer<K extends RequestKind> = (request: RequestOf<K>) => Response<ResponseValues[K]>;
export type Answers = { [K in RequestKind]?: Answer<K> };

/** A background that answers from `answers` (refusing anything else) and records every request. */
export class FakeBackground implements UiClient {
  readonly requests: RequestOf<RequestKind>[] = [];
  private listeners = new Set<(view: OverviewView) => void>();
  overview: OverviewView;
  answers: Answers;

  constructor(overview: OverviewView, answers: Answers = {}) {
    this.overview = overview;
    this.answers = answers;
  }

  send = async <K extends RequestKind>(request: RequestOf<K>): Promise<Response<ResponseValues[K]>> => {
    this.requests.push(request);
    if (request.kind === 'overview') return { ok: true, value: this.overview } as Response<ResponseValues[K]>;
    const answer = this.answers[request.kind] as Answer<K> | undefined;
    if (!answer && request.kind === 'activity') {
      // As the background answers a log it holds whole in its derived state (under ACTIVITY_LIMIT actions).
      const r = request as RequestOf<'activity'>;
      const state = this.overview.view!.state;
      const value = activityPage(state.activity, { ...r.filter, timeZone: state.timeZone }, r.page, r.size);
      return { ok: true, value } as Response<ResponseValues[K]>;
    }
    if (!answer)
      return { ok: false, code: 'NOT_FAKED', rule: 'TEST', message: `no answer for ${request.kind}` };
    return answer(request);
  };

  subscribe = (onView: (view: OverviewView) => void): (() => void) => {
    this.listeners.add(onView);
    return () => this.listeners.delete(onView);
  };

  /** What the background posts on its state port after a change. */
  push(overview: OverviewView): void {
    this.overview = overview;
    for (const fn of this.listeners) fn(overview);
  }

  sent<K extends RequestKind>(kind: K): RequestOf<K>[] {
    return this.requests.filter((r) => r.kind === kind) as RequestOf<K>[];
  }
}
