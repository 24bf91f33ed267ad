import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { stripDynamicCode } from './scripts/strip-dynamic-code.ts';

// WXT builds the extension from extension/ (entrypoints/, features/, replica/). Every permission and
// setting below is justified for the stores in docs/store/permissions.md; test/store/ checks that the two
// agree, so a new permission cannot ship without its sentence.
export default defineConfig({
  srcDir: 'extension',
  outDir: '.output',
  imports: false,
  manifest: ({ browser }) => ({
    name: 'Agency Overlay',
    description: "Your Upwork agency's shared Connects, team and rules, on the proposal form.",
    // webRequest: only to read why a connection to the agency's sync server failed, for an address the
    // member allowed when asking "why?" (background/net-errors.ts); it blocks or changes nothing.
    // scripting: only to start the work pages' own packaged script when Upwork's app reaches one of them
    // without a page load (background/work-pages-starter.ts); the manifest injects it on a page load.
    permissions: ['storage', 'alarms', 'unlimitedStorage', 'webRequest', 'scripting'],
    // Upwork's pages only. The agency's sync server is reached by WebSocket, which needs no host permission,
    // so a self-hosted address never widens what the extension may read; the optional origins below are
    // asked for one address at a time, only when a member asks why their server does not answer.
    host_permissions: ['https://www.upwork.com/*'],
    ...(browser === 'firefox'
      ? { optional_permissions: ['http://*/*', 'https://*/*'] }
      : { optional_host_permissions: ['http://*/*', 'https://*/*'] }),
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'agency-overlay@agency-overlay.dev',
              // 140: the first Firefox that asks for data_collection_permissions at install (and ESR 140's).
              strict_min_version: '140.0',
              // Sent to the agency's own sync server (Firefox's consent dialog lists these): what the overlay
              // reads on Upwork's pages (a job's title, the Connects it costs, the balance shown), what the
              // member did there (a proposal sent), the names members give themselves, and the contract amounts a
              // business manager records (sent encrypted to the managers' browsers, D15).
              data_collection_permissions: {
                required: [
                  'websiteContent',
                  'websiteActivity',
                  'personallyIdentifyingInfo',
                  'financialAndPaymentInfo',
                ],
              },
            },
            // Firefox for Android reads data_collection_permissions from 142 on.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {
          // Ed25519 in WebCrypto (every action is signed with it) ships from Chrome 137; it also covers
          // Chrome 116's WebSocket keep-alive of the service worker, which the sync relies on.
          minimum_chrome_version: '137',
        }),
  }),
  zip: {
    // The sources AMO reviewers rebuild from (`npm ci && npm run build:firefox`): what the build reads, and
    // nothing else (no tests, no local data). test/store/sources-zip.test.ts rebuilds from it.
    includeSources: [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'wxt.config.ts',
      'scripts/strip-dynamic-code.ts',
      'core/**',
      'extension/**',
      'PRIVACY.md',
      'docs/store/firefox-sources.md',
    ],
  },
  vite: () => ({
    plugins: [preact(), stripDynamicCode()],
  }),
});
