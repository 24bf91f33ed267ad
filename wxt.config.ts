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
    permissions: ['storage', 'alarms', 'unlimitedStorage'],
    host_permissions: ['https://www.upwork.com/*'],
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
