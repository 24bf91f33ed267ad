// The agency log on a Y.Doc: one Y.Map (ACTIONS_ROOT) of signed actions keyed by id, append-only.
// Remote entries are verified at this boundary (async), then derived synchronously. Local appends are
// checked, signed and written in one transaction with this log's origin.
import type * as Y from 'yjs';
import { createAction, decodeStored, toStored, type VerifyOptions, verifyAction } from './action.ts';
import {
  type BookJSON,
  bookFromJSON,
  bookToJSON,
  newDerivation,
  type RevocationsJSON,
  revocationsFromJSON,
  revocationsToJSON,
} from './derivation.ts';
import { appendLocal, applyActions, type Derivation, derive, isAncestor } from './derive.ts';
import { type ObservedBalance, observedBalances } from './insights.ts';
import { branchesOfKey } from './key-chain.ts';
import type { Signer } from './keys.ts';
import { indexOrder } from './order.ts';
import { MAX_DEPS } from './schemas.ts';
import type { Action, ActionId, ActionType, AgencyState, MemberId, Payloads, Verdict } from './types.ts';

export const ACTIONS_ROOT = 'actions';
// 3: the signed format v2, and derive's bookkeeping (registers, power events, revocations).
// 4: refunds credited per job, capped by what was spent (state.refundJobs, D9).
// 5: each browser's seal key as a register (sb) and amounts re-sealed (rs) for resealAmounts (D15).
// 6: contracts and boost outcomes keep their records (held, disputed), refund rows their credit time; a
//    seal key published while plain (pk).
// 7: a second member's record of a contract disputes it, later as well as concurrent.
// 8: a plain member's record of a teammate's offer holds nothing, a sealed amount counts only from a business
//    manager, and a manager's later record gives an offer its amount (D12, D15); a join under an active
//    member's name is refused.
// 9: each key's last applied action (register 'kc', key-chain.ts): a key's fork is refused.
// 10: names compared as a reader sees them (invisible characters, look-alike letters, spaces, a shown tag).
// 11: revocation rounds remember what earlier rounds saw applied; a re-seal naming a refused action is refused.
// 12: a key's register 'kc' holds its open branches (up to four are applied and flagged KEY_BRANCHED).
export const SNAPSHOT_VERSION = 12;
const VERIFY_BATCH = 512;

export type AppendResult =
  | { ok: true; action: Action; verdicts: Verdict[] }
  | { ok: false; code: string; rule: string; message: string };

/** What a replica persists so a restart neither re-verifies nor replays the log. JSON-safe. */
export interface LogSnapshot {
  version: number;
  agencyId: string;
  state: AgencyState;
  order: ActionId[];
  depth: number[];
  eff: number[];
  pending: ActionId[];
  book: BookJSON;
  revocations: RevocationsJSON;
}

export interface InvalidEntry {
  id: string;
  code: string;
  message: string;
}

type Listener = (log: AgencyLog) => void;

export async function verifyEntries(
  agencyId: string,
  entries: [string, unknown][],
  options: VerifyOptions = {},
): Promise<{ valid: Action[]; invalid: InvalidEntry[] }> {
  const valid: Action[] = [];
  const invalid: InvalidEntry[] = [];
  for (let i = 0; i < entries.length; i += VERIFY_BATCH) {
    const batch = entries.slice(i, i + VERIFY_BATCH);
    const results = await Promise.all(
      batch.map(([id, stored]) => verifyAction(agencyId, id, stored, options)),
    );
    results.forEach((r, j) => {
      if (r.ok) valid.push(r.action);
      else invalid.push({ id: batch[j]![0], code: r.code, message: r.message });
    });
  }
  return { valid, invalid };
}

export class AgencyLog {
  readonly doc: Y.Doc;
  readonly agencyId: string;
  readonly actions: Y.Map<unknown>;
  /** Transactions with this origin are this replica's own writes. */
  readonly origin = Symbol('agency-log');
  readonly invalid = new Map<string, InvalidEntry>();
  private derivation: Derivation;
  private listeners = new Set<Listener>();
  private queue = new Set<string>();
  private flushing: Promise<void> | null = null;
  private readonly onChange = (event: Y.YMapEvent<unknown>, tx: Y.Transaction) => {
    if (tx.origin === this.origin) return;
    for (const [key, change] of event.changes.keys) {
      if (change.action === 'add') this.queue.add(key);
      // The log is append-only: a remote overwrite or delete never reaches derive (the server refuses
      // such updates too); the replica keeps deriving from what it verified.
      else
        this.invalid.set(key, {
          id: key,
          code: 'LOG_TAMPERED',
          message: 'An entry of the log was changed or deleted.',
        });
    }
    if (this.queue.size) void this.flush();
  };

  private readonly verifyOptions: VerifyOptions;

  private constructor(doc: Y.Doc, agencyId: string, derivation: Derivation, verifyOptions: VerifyOptions) {
    this.verifyOptions = verifyOptions;
    this.doc = doc;
    this.agencyId = agencyId;
    this.actions = doc.getMap(ACTIONS_ROOT);
    this.derivation = derivation;
  }

  /**
   * Opens the log on a doc (already loaded from storage, or empty). With a snapshot of the same agency, the
   * entries it covers are trusted and not replayed; anything newer is verified and applied on top.
   */
  static async open(
    doc: Y.Doc,
    agencyId: string,
    snapshot?: LogSnapshot | null,
    options: VerifyOptions = {},
  ): Promise<AgencyLog> {
    const map = doc.getMap<unknown>(ACTIONS_ROOT);
    const entries = [...map.entries()];
    const log = new AgencyLog(doc, agencyId, derive(agencyId, []), options);
    let known = new Set<string>();
    if (snapshot && snapshot.version === SNAPSHOT_VERSION && snapshot.agencyId === agencyId) {
      const restored = restore(snapshot, map);
      if (restored) {
        log.derivation = restored;
        known = new Set(restored.actions.keys());
      }
    }
    const { valid, invalid } = await verifyEntries(
      agencyId,
      entries.filter(([id]) => !known.has(id)),
      options,
    );
    for (const bad of invalid) log.invalid.set(bad.id, bad);
    if (valid.length) log.derivation = applyActions(log.derivation, valid);
    map.observe(log.onChange);
    return log;
  }

  get state(): AgencyState {
    return this.derivation.state;
  }

  get size(): number {
    return this.derivation.actions.size;
  }

  private observed: { from: unknown; length: number; list: ObservedBalance[] } | null = null;

  /** Every observed balance by time (insights draw the balance over time from them); reused until one is added. */
  observations(): ObservedBalance[] {
    const o = this.derivation.book.observations;
    if (this.observed?.from !== o || this.observed.length !== o.eff.length) {
      this.observed = { from: o, length: o.eff.length, list: observedBalances(o) };
    }
    return this.observed.list;
  }

  has(id: ActionId): boolean {
    return this.derivation.actions.has(id);
  }

  /**
   * The dependencies of the next action written here: every head, or with more than MAX_DEPS of them the
   * oldest MAX_DEPS in the log's order, so each write covers as many as it may and later ones the rest (a
   * member who piles up heads cannot make the agency unwritable). Sorted, so a retry sees the same list.
   */
  heads(key?: string): ActionId[] {
    const d = this.derivation;
    let heads = [...d.heads];
    if (heads.length > MAX_DEPS) {
      heads = heads.sort((x, y) => d.position.get(x)! - d.position.get(y)!);
      // A key builds on its own last actions (key-chain.ts: one, or a few open branches): keep the heads
      // that cover them among the deps, so a branch is closed by the next write.
      const mine = new Set<ActionId>();
      for (const p of key === undefined ? [] : branchesOfKey(d.book, key)) {
        const last = d.order[p]!;
        const head = heads.find((h) => h === last || isAncestor(d, last, h));
        if (head !== undefined) mine.add(head);
      }
      const rest = heads.filter((h) => !mine.has(h));
      heads = [...mine, ...rest.slice(0, MAX_DEPS - mine.size)];
    }
    return heads.sort();
  }

  /** The member a key belongs to in the derived state, or null. */
  memberOf(keyId: string): MemberId | null {
    return this.state.keys[keyId]?.member ?? null;
  }

  verdictsFor(id: ActionId): Verdict[] {
    return this.state.verdicts.filter((v) => v.id === id);
  }

  /** Every verified action in the log's order (for export and for the server's scratch checks). */
  ordered(): Action[] {
    return this.derivation.order.map((id) => this.derivation.actions.get(id)!);
  }

  get derived(): Derivation {
    return this.derivation;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Checks, signs and writes one action. A refused intent writes nothing and says why (rule and sentence);
   * a fact is always written, with any flags it earned. `now` is the caller's clock.
   */
  async append<T extends ActionType>(
    signer: Signer,
    type: T,
    payload: Payloads[T],
    now: number,
  ): Promise<AppendResult> {
    const created = await createAction(this.agencyId, signer, type, payload, this.heads(signer.keyId), now);
    if (!created.ok) return { ok: false, code: created.code, rule: 'LOG', message: created.message };
    // Other appends may have landed while signing: sign again on top of them so deps stay the heads.
    // (The signed deps are in byte order, heads() in string order: compare them as sets.)
    const heads = this.heads(signer.keyId);
    if ([...created.action.deps].sort().join() !== heads.join())
      return this.append(signer, type, payload, now);
    const result = appendLocal(this.derivation, created.action);
    if (!result.ok) return result;
    this.derivation = result.derivation;
    this.doc.transact(() => this.actions.set(created.action.id, toStored(created.action)), this.origin);
    this.emit();
    return { ok: true, action: created.action, verdicts: result.verdicts };
  }

  /** Waits until every remote entry seen so far is verified and derived. */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  snapshot(): LogSnapshot {
    const d = this.derivation;
    return {
      version: SNAPSHOT_VERSION,
      agencyId: this.agencyId,
      state: d.state,
      order: d.order,
      depth: d.depthAt,
      eff: d.effAt,
      pending: [...d.pending],
      book: bookToJSON(d.book),
      revocations: revocationsToJSON(d.revocations),
    };
  }

  destroy(): void {
    this.actions.unobserve(this.onChange);
    this.listeners.clear();
  }

  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = (async () => {
      while (this.queue.size) {
        const ids = [...this.queue];
        this.queue.clear();
        const entries = ids
          .filter((id) => !this.derivation.actions.has(id))
          .map((id) => [id, this.actions.get(id)] as [string, unknown]);
        const { valid, invalid } = await verifyEntries(this.agencyId, entries, this.verifyOptions);
        for (const bad of invalid) this.invalid.set(bad.id, bad);
        if (valid.length) this.derivation = applyActions(this.derivation, valid);
        if (valid.length || invalid.length) this.emit();
      }
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private emit(): void {
    for (const l of this.listeners) {
      try {
        l(this);
      } catch (e) {
        // A broken listener must not stop the others (or the log).
        console.error('agency log listener failed', e);
      }
    }
  }
}

function restore(s: LogSnapshot, map: Y.Map<unknown>): Derivation | null {
  const d = newDerivation(s.agencyId, s.state);
  d.order = s.order;
  d.depthAt = s.depth;
  d.effAt = s.eff;
  d.pending = new Set(s.pending);
  d.book = bookFromJSON(s.book);
  d.revocations = revocationsFromJSON(s.revocations);
  if (s.depth.length !== s.order.length || s.eff.length !== s.order.length) return null;
  for (const id of s.order) {
    const a = decodeStored(id, map.get(id));
    if (!a) return null; // the doc lost an entry the snapshot knew: rebuild from the doc instead
    d.actions.set(id, a);
  }
  for (const id of s.pending) {
    const a = decodeStored(id, map.get(id));
    if (!a) return null;
    d.actions.set(id, a);
  }
  indexOrder(d);
  return d;
}
