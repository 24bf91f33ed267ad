// A burst of WebSocket upgrades from one address — 250 sockets opened at once by one client — is completed a
// few at a time, one batch per turn of the event loop: each completion hashes the key, writes the 101
// answer and sets up a connection, and 250 of them in one turn held every other agency's messages behind
// them (issue 8, item 12: the attack bench's keyless scenario). Addresses do not wait for each other: an
// honest member's upgrade is completed in the turn it arrives unless that same address sent a burst.

/** Upgrades from one address completed in one turn of the event loop; the rest wait for the next turns. */
export const UPGRADES_PER_TURN = 8;

export class UpgradePacer {
  private readonly perTurn: number;
  /** Upgrades completed this turn, by address. */
  private readonly done = new Map<string, number>();
  /** Upgrades waiting for a later turn, by address, in arrival order. */
  private readonly waiting = new Map<string, (() => void)[]>();
  private scheduled = false;

  constructor(perTurn = UPGRADES_PER_TURN) {
    this.perTurn = perTurn;
  }

  /** Completes `upgrade` now, or in a later turn when `address` has used its share of this one. */
  run(address: string, upgrade: () => void): void {
    const queue = this.waiting.get(address);
    const n = this.done.get(address) ?? 0;
    if (!queue && n < this.perTurn) {
      this.done.set(address, n + 1);
      this.schedule();
      upgrade();
      return;
    }
    if (queue) queue.push(upgrade);
    else this.waiting.set(address, [upgrade]);
    this.schedule();
  }

  /** Upgrades waiting, from every address (for tests and metrics). */
  get pending(): number {
    let n = 0;
    for (const q of this.waiting.values()) n += q.length;
    return n;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  /** A new turn: every address gets its share again, the waiting ones first. */
  private turn(): void {
    this.scheduled = false;
    this.done.clear();
    const due: (() => void)[] = [];
    for (const [address, queue] of this.waiting) {
      const take = queue.splice(0, this.perTurn);
      this.done.set(address, take.length);
      if (!queue.length) this.waiting.delete(address);
      due.push(...take);
    }
    if (due.length || this.waiting.size) this.schedule();
    for (const upgrade of due) upgrade();
  }
}
