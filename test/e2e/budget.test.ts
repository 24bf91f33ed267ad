// The popup's bundle budget (≤ 60 KB gzipped, issue 4), measured on the built extension: everything
// popup.html loads — its module, the chunks it imports or preloads, and its CSS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assertBuilt, EXTENSION_DIR } from './support/paths.ts';

const POPUP_BUDGET_BYTES = 60 * 1024;

/** Every file an entry HTML page loads, following static imports between chunks. */
function filesOf(html: string): string[] {
  const page = readFileSync(join(EXTENSION_DIR, html), 'utf8');
  const queue = [...page.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js')) continue;
    const code = readFileSync(join(EXTENSION_DIR, file), 'utf8');
    for (const m of code.matchAll(/(?:from|import)\s*["']\.\/([^"']+\.js)["']/g))
      queue.push(`chunks/${m[1]}`);
  }
  return [...seen];
}

const gzipped = (files: string[]) =>
  files.reduce((n, f) => n + gzipSync(readFileSync(join(EXTENSION_DIR, f)), { level: 9 }).length, 0);

describe('bundle budget', () => {
  it('the popup loads at most 60 KB gzipped, and neither yjs nor zod', () => {
    assertBuilt();
    const files = filesOf('popup.html');
    const bytes = gzipped(files);
    console.log(`[e2e] popup: ${files.join(', ')} = ${(bytes / 1024).toFixed(1)} KB gzipped (budget 60 KB)`);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(bytes).toBeLessThanOrEqual(POPUP_BUDGET_BYTES);
    for (const f of files.filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(EXTENSION_DIR, f), 'utf8');
      expect(code, `${f} bundles zod`).not.toMatch(/ZodError|\$ZodType/);
      expect(code, `${f} bundles yjs`).not.toMatch(/Yjs was already imported|getStateVector/);
    }
  });

  it('the agency pages stay free of yjs and zod too (the background validates)', () => {
    assertBuilt();
    const files = filesOf('options.html');
    console.log(`[e2e] agency pages: ${(gzipped(files) / 1024).toFixed(1)} KB gzipped`);
    for (const f of files.filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(EXTENSION_DIR, f), 'utf8');
      expect(code, `${f} bundles zod`).not.toMatch(/ZodError|\$ZodType/);
      expect(code, `${f} bundles yjs`).not.toMatch(/Yjs was already imported|getStateVector/);
    }
  });
});
