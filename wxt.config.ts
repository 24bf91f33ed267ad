import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { stripDynamicCode } from './scripts/strip-dynamic-code.ts';

// WXT builds the extension from extension/ (entrypoints/, features/, replica/).
export default defineConfig({
  srcDir: 'extension',
  outDir: '.output',
  imports: false,
  manifest: ({ browser }) => ({
    name: 'Agency Overlay',
    description: "Your Upwork agency's shared Connects, team and rules, on the proposal form.",
    // webRequest: only to read why a connection to the agency's sync server failed, for an address the
    // member allowed when asking "why?" (background/net-errors.ts); it blocks or changes nothing.
    permissions: ['storage', 'alarms', 'unlimitedStorage', 'webRequest'],
    host_permissions: ['https://www.upwork.com/*'],
    ...(browser === 'firefox'
      ? { optional_permissions: ['http://*/*', 'https://*/*'] }
      : { optional_host_permissions: ['http://*/*', 'https://*/*'] }),
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'agency-overlay@agency-overlay.dev',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
  vite: () => ({
    plugins: [preact(), stripDynamicCode()],
  }),
});
