// The content scripts' budget (issue 5, issue 11): each at most 25 KB gzipped, and neither yjs nor zod (they
// import only core's zod-free entry point; the background owns the replica and validates). One script per
// page kind, each checked on its own, as `gzip -c .output/chrome-mv3/content-scripts/<name>.js | wc -c` would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assertBuilt, EXTENSION_DIR } from './support/paths.ts';

const CONTENT_SCRIPT_BUDGET_BYTES = 25 * 1024;

/** The proposal form's script and the work pages' (upwork-dom.md "Work pages"). */
const SCRIPTS = ['upwork', 'work-pages'];

const manifest = () =>
  JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as {
    content_scripts?: { matches: string[]; js?: string[]; css?: string[] }[];
  };

describe('content script budget', () => {
  it('every content script runs on Upwork only and injects no stylesheet into its page', () => {
    assertBuilt();
    const scripts = manifest().content_scripts ?? [];
    expect(scripts.flatMap((c) => c.js ?? []).sort()).toEqual(
      SCRIPTS.map((name) => `content-scripts/${name}.js`).sort(),
    );
    for (const entry of scripts) {
      expect(entry.matches).toEqual(['https://www.upwork.com/*']);
      // Nothing is injected into Upwork's own page: the overlay's styles live in its shadow roots.
      expect(entry.css ?? []).toEqual([]);
    }
  });

  for (const name of SCRIPTS) {
    it(`the ${name} content script is at most 25 KB gzipped and bundles neither yjs nor zod`, () => {
      assertBuilt();
      const code = readFileSync(join(EXTENSION_DIR, `content-scripts/${name}.js`));
      const gzipped = gzipSync(code).length;
      console.log(
        `[e2e] content script ${name}: ${(code.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped (budget 25 KB)`,
      );
      expect(gzipped).toBeLessThanOrEqual(CONTENT_SCRIPT_BUDGET_BYTES);
      const text = code.toString('utf8');
      expect(text, 'the content script bundles zod').not.toMatch(/ZodError|\$ZodType/);
      expect(text, 'the content script bundles yjs').not.toMatch(/Yjs was already imported|getStateVector/);
      // A content script loads everything it runs up front: no chunk imported at run time.
      expect(text).not.toMatch(/\bimport\(/);
    });
  }
});
