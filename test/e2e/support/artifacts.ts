// Test artifacts under test-results/e2e (gitignored): screenshots of the pages, and the measured timings,
// printed with the machine's details and written to timings.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ARTIFACTS_DIR } from './paths.ts';

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A screenshot of one part of a page (a section of the long agency pages, say), to look at it closely. */
export async function screenshotOf(part: Locator, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await part.screenshot({ path });
  return path;
}

interface Timing {
  label: string;
  ms: number;
  targetMs?: number;
}

export class Timings {
  readonly entries: Timing[] = [];

  record(label: string, ms: number, targetMs?: number): number {
    const rounded = Math.round(ms * 10) / 10;
    this.entries.push({ label, ms: rounded, targetMs });
    const target =
      targetMs === undefined ? '' : ` (target ≤ ${targetMs} ms${rounded <= targetMs ? '' : ': MISSED'})`;
    console.log(`[e2e] ${label}: ${rounded} ms${target}`);
    return rounded;
  }

  /** Prints every figure with the machine it was measured on, and saves them as JSON in `dir`. */
  write(browserVersion: string, dir = ARTIFACTS_DIR): void {
    const cpu = cpus();
    const machine = `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${browserVersion}`;
    console.log(`[e2e] measured on ${machine}`);
    for (const t of this.entries) console.log(`[e2e]   ${t.label.padEnd(58)} ${String(t.ms).padStart(8)} ms`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'timings.json'),
      `${JSON.stringify({ machine, timings: this.entries }, null, 2)}\n`,
    );
  }
}
