// The member's own actions in this browser and their statuses (saved, synced, refused), with what sync
// needs to tell them apart: which Yjs item holds each unacknowledged action. Kept in LocalMeta, written in
// the same IndexedDB transaction as the doc updates before it (DocStore.setMeta).
import type { Verdict } from '../../core/index.ts';
import type { ActionStatus } from '../messaging/types.ts';
import type { DocStore } from './doc-store.ts';
import { LOCAL_KEY, type LocalMeta } from './local-meta.ts';

export const RECENT_LIMIT = 50;

export class OwnActions {
  readonly local: LocalMeta;
  private readonly store: DocStore;

  constructor(store: DocStore, local: LocalMeta) {
    this.store = store;
    this.local = local;
  }

  get unacked(): LocalMeta['unacked'] {
    return this.local.unacked;
  }

  get waiting(): number {
    return this.local.unacked.length;
  }

  get lastSyncedAt(): number | null {
    return this.local.lastSyncedAt;
  }

  set lastSyncedAt(at: number | null) {
    this.local.lastSyncedAt = at;
  }

  /** The member's recent actions; an action derive refused later (a concurrent removal…) shows so. */
  recent(verdicts: readonly Verdict[]): ActionStatus[] {
    const refused = new Map<string, { rule: string; message: string }>();
    for (const v of verdicts) if (v.kind === 'refused') refused.set(v.id, v);
    return this.local.recent.map((r) => {
      const v = r.id ? refused.get(r.id) : undefined;
      return v && r.status !== 'refused'
        ? { id: r.id, type: r.type, at: r.at, status: 'refused', rule: v.rule, message: v.message }
        : r;
    });
  }

  push(status: ActionStatus): void {
    this.local.recent = [status, ...this.local.recent].slice(0, RECENT_LIMIT);
  }

  /** Remembers which Yjs item holds an action written here, until the server acknowledges it. */
  track(id: string, client: number, clock: number): void {
    this.local.unacked.push({ id, client, clock });
  }

  isUnacked(id: string): boolean {
    return this.local.unacked.some((u) => u.id === id);
  }

  /** The unacknowledged actions whose Yjs items the server's state vector covers. */
  coveredBy(sv: Map<number, number>): Set<string> {
    return new Set(this.local.unacked.filter((u) => (sv.get(u.client) ?? 0) > u.clock).map((u) => u.id));
  }

  markSynced(ids: Set<string>): void {
    if (!ids.size) return;
    this.local.unacked = this.local.unacked.filter((u) => !ids.has(u.id));
    this.local.recent = this.local.recent.map((r) =>
      r.id && ids.has(r.id) && r.status === 'saved' ? { ...r, status: 'synced' } : r,
    );
  }

  persist(): void {
    this.store.setMeta(LOCAL_KEY, () => ({ ...this.local, stoppedReason: null }));
  }
}
