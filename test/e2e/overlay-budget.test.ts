// The content scripts' budget (issue 5, issue 11): each at most 25 KB gzipped, and neither yjs nor zod (they
// import only core's zod-free entry point; the background owns the replica and validates). One script per
// page kind, each checked on its own, as `gzip -c .output/chrome-mv3/content-scripts/<name>.js | wc -c` would.
// And the work pages' script stays off the proposal form's page load (issue 11: beside it, the form's overlay
// took longer to show).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assertBuilt, EXTENSION_DIR } from './support/paths.ts';

const CONTENT_SCRIPT_BUDGET_BYTES = 25 * 1024;

/** The proposal form's script and the work pages' (upwork-dom.md "Work pages"). */
const SCRIPTS = ['upwork', 'work-pages'];

/**
 * Whether a manifest match pattern matches `url`, as the browsers read it: the scheme and host exactly here,
 * and the path pattern against the path and query, `*` standing for any run of characters.
 */
function matchesPattern(pattern: string, url: string): boolean {
  const m = /^(https?):\/\/([^/]+)(\/.*)$/.exec(pattern);
  if (!m) throw new Error(`not a pattern this test reads: ${pattern}`);
  const u = new URL(url);
  if (u.protocol !== `${m[1]}:` || u.host !== m[2]) return false;
  const path = new RegExp(
    `^${m[3]!
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return path.test(u.pathname + u.search);
}

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
      for (const pattern of entry.matches) expect(pattern).toMatch(/^https:\/\/www\.upwork\.com\//);
      // Nothing is injected into Upwork's own page: the overlay's styles live in its shadow roots.
      expect(entry.css ?? []).toEqual([]);
    }
  });

  it('the work pages’ script is not injected on a page load of the proposal form or a job page', () => {
    assertBuilt();
    const scripts = manifest().content_scripts ?? [];
    const matchesOf = (name: string) =>
      scripts.find((c) => c.js?.includes(`content-scripts/${name}.js`))?.matches ?? [];
    // The proposal form's script follows the app everywhere on Upwork (it is reached in place).
    expect(matchesOf('upwork')).toEqual(['https://www.upwork.com/*']);
    const work = matchesOf('work-pages');
    expect(work.length).toBeGreaterThan(0);
    for (const url of [
      'https://www.upwork.com/nx/proposals/job/~022001000000000000002/apply/',
      'https://www.upwork.com/ab/proposals/job/~022001000000000000002/apply/?latency=1',
      'https://www.upwork.com/jobs/~022001000000000000002',
      'https://www.upwork.com/nx/find-work/best-matches/details/~022001000000000000002',
      'https://www.upwork.com/nx/find-work/',
    ])
      expect(
        work.filter((p) => matchesPattern(p, url)),
        url,
      ).toEqual([]);
    for (const url of [
      'https://www.upwork.com/nx/proposals/',
      'https://www.upwork.com/nx/proposals/archived',
      'https://www.upwork.com/nx/wm/freelancer/contracts',
      'https://www.upwork.com/nx/wm/workroom/41000001/timesheet',
      'https://www.upwork.com/nx/workdiary/?date=2026-11-30&contractId=41000001&tz=mine',
      'https://www.upwork.com/nx/plans/connects/history',
    ])
      expect(
        work.some((p) => matchesPattern(p, url)),
        url,
      ).toBe(true);
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
