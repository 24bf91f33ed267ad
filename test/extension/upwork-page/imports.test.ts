import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(process.cwd(), 'extension/features/upwork-page');
const files = readdirSync(DIR).filter((name) => name.endsWith('.ts'));
const importsOf = (name: string): string[] =>
  Array.from(
    readFileSync(join(DIR, name), 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm),
    (m) => m[1] ?? '',
  );

describe('the upwork-page modules stay small enough for the content script', () => {
  it('import only each other and core/lite.ts (no zod, no yjs, no browser APIs)', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const name of files) {
      for (const source of importsOf(name)) {
        expect([source, name]).toSatisfy(
          ([s]: string[]) => /^\.\/[a-z-]+\.ts$/.test(s ?? '') || s === '../../../core/lite.ts',
        );
      }
    }
  });

  it('only import core/lite.ts as types', () => {
    for (const name of files) {
      const text = readFileSync(join(DIR, name), 'utf8');
      for (const line of text.split('\n').filter((l) => l.includes('core/lite.ts'))) {
        expect(line).toMatch(/^import type /);
      }
      expect(text).not.toMatch(/\b(?:browser|chrome)\.(?:runtime|storage|tabs)\b/);
    }
  });
});
