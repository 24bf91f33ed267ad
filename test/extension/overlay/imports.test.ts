// The content script carries no yjs and no zod (≤ 25 KB gzipped, issue 5): everything it runs imports only
// core's zod-free entry point, the page readers, the zod-free messaging client and pure UI helpers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const OVERLAY = 'extension/overlay';
const ENTRY = 'extension/entrypoints/upwork.content';
const ENTRIES = 'extension/entrypoints';
const CONTENT = 'extension/content';

const sources = (dir: string): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((name) => /\.tsx?$/.test(name))
    .map((name) => join(dir, name));

const importsOf = (file: string): string[] =>
  Array.from(
    readFileSync(join(ROOT, file), 'utf8').matchAll(
      /^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|^import '([^']+)'/gm,
    ),
    (m) => m[1] ?? m[2] ?? '',
  );

const ALLOWED_FROM_OVERLAY = [
  /^\.\/[a-z-]+\.tsx?$/,
  /^\.\.\/features\/upwork-page\/[a-z-]+\.ts$/,
  /^\.\.\/\.\.\/core\/lite\.ts$/,
  /^\.\.\/messaging\/(?:client|types)\.ts$/,
  /^\.\.\/ui\/(?:client|format|former|rules)\.ts$/,
  /^\.\.\/ui\/rule-ref\.tsx$/,
  /^preact$/,
];

const ALLOWED_FROM_ENTRY = [
  /^\.\.\/\.\.\/overlay\/[a-z-]+\.(?:tsx?|css\?inline)$/,
  /^\.\.\/\.\.\/(?:messaging\/client|content\/[a-z-]+)\.ts$/,
  /^preact$/,
  /^wxt\/utils\/(?:define-content-script|content-script-context|content-script-ui\/shadow-root)$/,
];

/** A work page's script (entrypoints/<page>.content.ts): its page definition and content/'s wiring. */
const ALLOWED_FROM_PAGE_ENTRY = [
  /^\.\.\/overlay\/[a-z-]+-page\.tsx?$/,
  /^\.\.\/content\/[a-z-]+\.ts$/,
  // The work pages' URLs as match patterns, for the manifest (a zod-free table).
  /^\.\.\/features\/upwork-page\/work-urls\.ts$/,
  /^wxt\/utils\/define-content-script$/,
];

/** The wiring the content scripts share (content/): WXT's helpers, the overlay, the messaging client. */
const ALLOWED_FROM_CONTENT = [
  /^\.\/[a-z-]+\.ts$/,
  /^\.\.\/overlay\/[a-z-]+\.(?:tsx?|css\?inline)$/,
  /^\.\.\/messaging\/(?:client|start-work-pages)\.ts$/,
  /^preact$/,
  /^wxt\/browser$/,
  /^wxt\/utils\/(?:content-script-context|content-script-ui\/shadow-root)$/,
];

describe('what the content script may import', () => {
  it('the overlay imports only core/lite.ts, the page readers, the zod-free messaging client and preact', () => {
    const files = sources(OVERLAY);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      for (const source of importsOf(file)) {
        expect(
          ALLOWED_FROM_OVERLAY.some((re) => re.test(source)),
          `${file} imports ${source}`,
        ).toBe(true);
      }
    }
  });

  it('the entrypoint wires only the overlay, the messaging client and WXT’s content-script helpers', () => {
    for (const file of sources(ENTRY)) {
      for (const source of importsOf(file)) {
        expect(
          ALLOWED_FROM_ENTRY.some((re) => re.test(source)),
          `${file} imports ${source}`,
        ).toBe(true);
      }
    }
  });

  it('each work page’s script wires only its page definition through content/, and content/ only WXT, the overlay and the client', () => {
    const pageEntries = readdirSync(join(ROOT, ENTRIES))
      .filter((name) => /\.content\.ts$/.test(name))
      .map((name) => join(ENTRIES, name));
    expect(pageEntries.length).toBeGreaterThan(0);
    for (const [files, allowed] of [
      [pageEntries, ALLOWED_FROM_PAGE_ENTRY],
      [sources(CONTENT), ALLOWED_FROM_CONTENT],
    ] as const) {
      for (const file of files) {
        for (const source of importsOf(file)) {
          expect(
            allowed.some((re) => re.test(source)),
            `${file} imports ${source}`,
          ).toBe(true);
        }
      }
    }
  });

  it('neither reaches zod, yjs or the replica through the files they import', () => {
    for (const file of [
      'extension/messaging/client.ts',
      'extension/messaging/types.ts',
      'extension/ui/format.ts',
      'extension/ui/former.ts',
      'extension/ui/rules.ts',
      'extension/ui/rule-ref.tsx',
    ]) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(text, file).not.toMatch(/from '(?:zod|yjs|y-[a-z]+)'|core\/index\.ts|replica\//);
    }
  });
});
