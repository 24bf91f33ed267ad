import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

// One project per part of the product, so each can be run alone (`vitest run --project core`).
// Time-outs only guard against a hang: a test's own assertions decide, so they are generous (a CI machine
// shared with other work ran tests 5–10× slower than a quiet one, and a 5 s default failed tests that were right).
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'core', include: ['test/core/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
      },
      {
        test: {
          name: 'sync-server',
          include: ['test/sync-server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [preact()],
        test: {
          name: 'extension',
          include: ['test/extension/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          testTimeout: 60_000,
        },
      },
      {
        test: { name: 'repo', include: ['test/repo/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
      },
      {
        // The packages `npm run zip` made for the stores (run by `npm run test:e2e`, after the zip).
        test: {
          name: 'store',
          include: ['test/store/**/*.test.ts'],
          environment: 'node',
          testTimeout: process.env.SOAK === '1' ? 600_000 : 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e-firefox',
          include: ['test/e2e-firefox/**/*.test.ts'],
          environment: 'node',
          // The idle step runs 45 s (5 min 15 s under SOAK=1) on top of the browsers' own steps.
          testTimeout: 600_000, // the idle test waits 5¼ minutes
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
