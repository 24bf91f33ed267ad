// What a replica does on open with the record kept outside IndexedDB (keep.ts): writes back the member's own
// actions the server had not acknowledged that IndexedDB no longer holds, and says so when IndexedDB lost
// data it had committed (the browser discarded the database), never when nothing was lost.
//
// An action is written back as the very Yjs update that first wrote it (same client and clock), not as a new
// item: the server may hold it already (its acknowledgement lost in the crash), and a second item under the
// same key would be an overwrite it refuses with LOG_TAMPERED. The same item is simply held already. When
// IndexedDB lost the item's earlier clocks too, Yjs keeps it pending until the server's sync brings them; the
// keep holds it until the server acknowledges it, so it is written back again on every open until then.
import * as Y from 'yjs';
import type { RecoveryNotice } from '../messaging/types.ts';
import { decodeSv, type Kept, type KeptRef } from './keep.ts';

export type { RecoveryNotice };

export interface RecoveryPlan {
  /** Kept actions IndexedDB does not hold, oldest first, with the update that wrote each. */
  readd: { ref: KeptRef; update: Uint8Array }[];
  /** Set when IndexedDB lost data it had committed (the member is told); null when nothing was lost. */
  notice: RecoveryNotice | null;
}

/** What the opened doc holds: its state vector and whether an action id is in its log. */
export interface OpenedDoc {
  sv: Map<number, number>;
  has(id: string): boolean;
}

/** Whether `sv` lacks a clock position `kept` covers. */
export function behind(kept: Map<number, number>, sv: Map<number, number>): boolean {
  for (const [client, clock] of kept) if ((sv.get(client) ?? 0) < clock) return true;
  return false;
}

export function planRecovery(kept: Kept | null, doc: OpenedDoc, keyId: string, now: number): RecoveryPlan {
  if (!kept) return { readd: [], notice: null };
  const { head, updates } = kept;
  const readd: RecoveryPlan['readd'] = [];
  for (const ref of kept.own) {
    const update = updates.get(ref.id);
    if (!update || doc.has(ref.id) || (doc.sv.get(ref.client) ?? 0) > ref.clock) continue;
    readd.push({ ref, update });
  }
  let lost = false;
  try {
    lost = head.sv !== '' && behind(Y.decodeStateVector(decodeSv(head.sv)), doc.sv);
  } catch {
    lost = false; // an unreadable state vector says nothing; the kept actions are written back anyway
  }
  // A kept action alone missing (written to the keep, its IndexedDB transaction cut short by the crash) was
  // never reported saved and is written back silently: nothing the member saw is gone.
  if (!lost) return { readd, notice: null };
  return {
    readd,
    notice: {
      at: now,
      held: head.actions,
      restored: readd.length,
      notKept: head.notKept,
      keyLost: head.keyId !== keyId,
    },
  };
}

/** Applies the plan's updates to the doc (as remote ones: the doc's store persists them, the log verifies them). */
export function applyRecovery(doc: Y.Doc, plan: RecoveryPlan): void {
  if (!plan.readd.length) return;
  Y.applyUpdate(doc, Y.mergeUpdates(plan.readd.map((r) => r.update)));
}
