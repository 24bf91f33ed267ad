// Where the e2e tests find the built extension and leave their artifacts.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');
/** The built extension; EXTENSION_DIR points elsewhere (e.g. an older build, for "before" screenshots). */
export const EXTENSION_DIR = resolve(process.env.EXTENSION_DIR ?? resolve(ROOT, '.output/chrome-mv3'));
export const ARTIFACTS_DIR = resolve(ROOT, 'test-results/e2e');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium on a machine with no network but loopback: no background traffic, no first-run UI. */
export const QUIET_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The built extension, loaded unpacked and alone. */
export const EXTENSION_ARGS = [
  `--disable-extensions-except=${EXTENSION_DIR}`,
  `--load-extension=${EXTENSION_DIR}`,
  ...QUIET_CHROMIUM_ARGS,
];

/** The e2e project runs after `npm run build` (`npm run test:e2e`); say so instead of failing obscurely. */
export function assertBuilt(): void {
  if (!existsSync(resolve(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No built extension at ${EXTENSION_DIR}: run \`npm run test:e2e\` (it builds first).`);
  }
}
