// What AMO's reviewers do with an upload: unpack the sources zip, install, build, and compare with the
// package. Here the install is the project's own node_modules (CI made it with `npm ci` from the same
// package-lock.json, which the test checks is the one in the zip); SOAK=1 runs a real `npm ci` instead.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertZipped, filesUnder, listing, ROOT, unzip, ZIPS } from './zips.ts';

let work: string;
let sources: string;
let uploaded: string;

beforeAll(() => {
  assertZipped();
  work = mkdtempSync(join(tmpdir(), 'agency-sources-'));
  sources = join(work, 'sources');
  uploaded = join(work, 'uploaded');
  unzip(ZIPS.sources, sources);
  unzip(ZIPS.firefox, uploaded);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the Firefox sources zip', () => {
  it('holds what the build reads and the instructions, and no tests, fixtures or local data', () => {
    const files = listing(ZIPS.sources);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'wxt.config.ts']));
    expect(files).toContain('docs/store/firefox-sources.md');
    expect(files.filter((f) => /^(test|sync-server|data|node_modules|\.output)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /\.(test|spec)\.tsx?$|\.sqlite|\.key$/.test(f))).toEqual([]);
    expect(readFileSync(join(sources, 'package-lock.json'))).toEqual(
      readFileSync(join(ROOT, 'package-lock.json')),
    );
  });

  it('rebuilds to the uploaded Firefox package, byte for byte', () => {
    // A reviewer's shell, not vitest's: vitest sets NODE_ENV=test (and friends), which Vite would build into
    // the package. The rest stays: npm needs the machine's registry settings.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !/^(NODE_ENV|TEST|MODE|VITEST.*|VITE_.*|WXT_.*)$/.test(key),
      ),
    );
    if (process.env.SOAK === '1') {
      execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: sources, env, stdio: 'pipe' });
    } else {
      symlinkSync(join(ROOT, 'node_modules'), join(sources, 'node_modules'), 'dir');
    }
    execFileSync('npm', ['run', 'build:firefox'], { cwd: sources, env, stdio: 'pipe' });
    const built = join(sources, '.output/firefox-mv2');
    const names = filesUnder(uploaded);
    expect(filesUnder(built)).toEqual(names);
    const differing = names.filter(
      (f) => !readFileSync(join(built, f)).equals(readFileSync(join(uploaded, f))),
    );
    expect(differing).toEqual([]);
  });
});
