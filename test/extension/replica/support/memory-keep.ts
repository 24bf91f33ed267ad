// browser.storage.local as the keep sees it (extension/replica/keep.ts), in memory: values are copied as
// JSON, as the browser stores them, and a test can make writes fail or copy the whole area.
import type { KeepArea } from '../../../../extension/replica/keep.ts';

export class MemoryKeep implements KeepArea {
  readonly items = new Map<string, string>();
  sets = 0;
  /** The keys of the last set. */
  lastSet: string[] = [];
  failing: Error | null = null;
  /** While set, every write waits for it (a slow storage); `waiting` counts the writes held. */
  gate: Promise<void> | null = null;
  waiting = 0;

  async get(keys: string[] | null): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const k of keys ?? this.items.keys()) {
      const v = this.items.get(k);
      if (v !== undefined) out[k] = JSON.parse(v);
    }
    return out;
  }

  async set(items: Record<string, unknown>): Promise<void> {
    if (this.gate) {
      this.waiting++;
      await this.gate;
      this.waiting--;
    }
    if (this.failing) throw this.failing;
    this.sets++;
    this.lastSet = Object.keys(items);
    for (const [k, v] of Object.entries(items)) this.items.set(k, JSON.stringify(v));
  }

  async remove(keys: string[]): Promise<void> {
    if (this.failing) throw this.failing;
    for (const k of keys) this.items.delete(k);
  }

  /** The area as it is now, as another MemoryKeep (a moment to go back to). */
  copy(): MemoryKeep {
    const c = new MemoryKeep();
    for (const [k, v] of this.items) c.items.set(k, v);
    return c;
  }
}
