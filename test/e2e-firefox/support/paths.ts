// Where the Firefox e2e tests find Firefox and the store build, and leave their artifacts.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../../e2e/support/paths.ts';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const ARTIFACTS_DIR = resolve(ROOT, 'test-results/firefox');

const { version } = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string };

/** The zip `npm run zip` makes for addons.mozilla.org: the tests install exactly what is uploaded. */
export const FIREFOX_ZIP = resolve(ROOT, `.output/agency-overlay-${version}-firefox.zip`);

export function assertZipped(): void {
  if (!existsSync(FIREFOX_ZIP)) {
    throw new Error(`No Firefox store zip at ${FIREFOX_ZIP}: run \`npm run test:e2e\` (it zips first).`);
  }
}
