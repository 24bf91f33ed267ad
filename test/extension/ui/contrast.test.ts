// Readable contrast in both colour schemes: every text colour the pages use on every background it sits
// on reaches WCAG AA (4.5:1), read from the stylesheet's own custom properties.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(resolve(import.meta.dirname, '../../../extension/ui/styles.css'), 'utf8');

function palette(block: string): Record<string, string> {
  return Object.fromEntries(
    [...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]),
  );
}

const light = palette(css.slice(0, css.indexOf('@media (prefers-color-scheme: dark)')));
const dark = palette(css.slice(css.indexOf('@media (prefers-color-scheme: dark)')));

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const ratio = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

// [text, background] pairs as styles.css combines them.
const PAIRS: [string, string][] = [
  ['text', 'bg'],
  ['text', 'surface'],
  ['muted', 'bg'],
  ['muted', 'surface'],
  ['focus', 'bg'],
  ['focus', 'surface'],
  ['danger', 'surface'],
  ['danger', 'bg'],
  ['accent-text', 'accent'],
  ['bg', 'danger'],
  ['warn-text', 'warn-bg'],
];

describe('contrast', () => {
  for (const [scheme, colours] of [
    ['light', light],
    ['dark', dark],
  ] as const) {
    it(`every text colour reads at 4.5:1 or more in ${scheme} mode`, () => {
      expect(Object.keys(colours).length).toBeGreaterThanOrEqual(12);
      for (const [fg, bg] of PAIRS) {
        const r = ratio(colours[fg]!, colours[bg]!);
        expect(r, `${fg} on ${bg}: ${r.toFixed(2)}`).toBeGreaterThanOrEqual(4.5);
      }
    });
  }
});
