// The content script's budget (issue 5): at most 25 KB gzipped, and neither yjs nor zod (it imports only
// core's zod-free entry point; the background owns the replica and validates). Measured on the built file,
// as `gzip -c .output/chrome-mv3/content-scripts/upwork.js | wc -c` would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assertBuilt, EXTENSION_DIR } from './support/paths.ts';

const CONTENT_SCRIPT_BUDGET_BYTES = 25 * 1024;

describe('content script budget', () => {
  it('the Upwork content script is at most 25 KB gzipped and bundles neither yjs nor zod', () => {
    assertBuilt();
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as {
      content_scripts?: { matches: string[]; js?: string[]; css?: string[] }[];
    };
    const entry = manifest.content_scripts?.find((c) => c.matches.includes('https://www.upwork.com/*'));
    expect(entry?.js).toEqual(['content-scripts/upwork.js']);
    // Nothing is injected into Upwork's own page: the overlay's styles live in its shadow roots.
    expect(entry?.css ?? []).toEqual([]);

    const code = readFileSync(join(EXTENSION_DIR, 'content-scripts/upwork.js'));
    const gzipped = gzipSync(code).length;
    console.log(
      `[e2e] content script: ${(code.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped (budget 25 KB)`,
    );
    expect(gzipped).toBeLessThanOrEqual(CONTENT_SCRIPT_BUDGET_BYTES);
    const text = code.toString('utf8');
    expect(text, 'the content script bundles zod').not.toMatch(/ZodError|\$ZodType/);
    expect(text, 'the content script bundles yjs').not.toMatch(/Yjs was already imported|getStateVector/);
    // A content script loads everything it runs up front: no chunk imported at run time.
    expect(text).not.toMatch(/\bimport\(/);
  });
});
