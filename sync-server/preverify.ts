// A large update's signatures, verified ahead of its turn. Verifying a 30,000-action catch-up takes the
// server seconds (one Ed25519 verification each); done in the room's turn, every other write to the agency
// would wait behind it (issue 8, item 12: the attacked agency's honest members must still sync within 2 s).
// Verification reads nothing of the room, so it runs beside the room's work, in slices, and the room takes
// the update once it is done — its own connection's later updates after it, everyone else's meanwhile.
// intake.ts then looks each entry's verified action up instead of verifying it, and decides everything
// else (structure, rate, what the signer chose, the rules) in the update's turn, as before.
import { type Action, type VerifySignature, verifyAction } from '../core/index.ts';
import { type Entry, UpdateReader } from './codec.ts';
import type { Inbound } from './intake.ts';
import { Slice } from './slice.ts';
import { slim } from './stored.ts';

/** Updates at least this large are verified ahead of their turn (a live message is at most 256 KB). */
export const PREVERIFY_BYTES = 64 * 1024;

export interface PreverifyRoom {
  readonly id: string;
  readonly verify: VerifySignature;
  intern(s: string): string;
}

/**
 * Verifies `item`'s entries into `item.verified` (by their place in the update: intake reads the same
 * bytes in the same order), stopping at the first that does not verify (intake refuses the update there)
 * or when its connection closes. When every entry verified, the entries read are kept too
 * (`item.entries`): intake then reads them instead of decoding the update again.
 */
export async function preverify(room: PreverifyRoom, item: Inbound): Promise<void> {
  const verified: Action[] = [];
  const entries: Entry[] = [];
  item.verified = verified;
  const slice = new Slice(room.id);
  const reader = new UpdateReader(item.update);
  const options = { verify: room.verify };
  while (!reader.done) {
    const read = reader.read(128);
    if (!Array.isArray(read)) return; // intake says why, in its turn
    for (const e of read) {
      const r = await verifyAction(room.id, e.key, e.value, options);
      if (!r.ok) return;
      verified.push(slim(r.action, room.intern));
      entries.push(e);
      if (slice.over) {
        await slice.yield();
        if (!item.peer.open) return;
      }
    }
    await slice.pace();
  }
  item.entries = entries;
}

/** Reads entries already read (UpdateReader's interface), a batch at a time. */
export class ReadAgain {
  done = false;
  private readonly entries: readonly Entry[];
  private at = 0;

  constructor(entries: readonly Entry[]) {
    this.entries = entries;
    this.done = entries.length === 0;
  }

  read(max: number): Entry[] {
    const out = this.entries.slice(this.at, this.at + max);
    this.at += out.length;
    this.done = this.at >= this.entries.length;
    return out;
  }
}
