import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { blocks, Markdown } from '../../../extension/ui/markdown.tsx';

afterEach(cleanup);

const POLICY = readFileSync(resolve(import.meta.dirname, '../../../PRIVACY.md'), 'utf8');

describe('the privacy policy page', () => {
  it('reads headings, paragraphs joined across lines, and list items with their continuation lines', () => {
    expect(blocks('# Title\n\nOne\ntwo.\n\n- first\n  still first\n- second\nAfter.')).toEqual([
      { kind: 'heading', level: 1, text: 'Title' },
      { kind: 'paragraph', text: 'One two.' },
      { kind: 'list', items: ['first still first', 'second'] },
      { kind: 'paragraph', text: 'After.' },
    ]);
  });

  it('shows PRIVACY.md whole: every section as a heading, no Markdown marks left in the text', () => {
    render(<Markdown source={POLICY} />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Privacy policy');
    const sections = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(sections).toEqual([
      'What it reads on Upwork',
      'What it keeps in your browser',
      'What it sends, and to whom',
      'How to delete it',
      'Changes',
    ]);
    const text = document.body.textContent ?? '';
    expect(text).not.toMatch(/\*\*|`|^#/m);
    expect(text).toContain('Nothing goes to the makers of the extension or to anyone else');
  });

  it('keeps markup in the text as text, and links only web addresses', () => {
    render(
      <Markdown
        source={
          '<img src=x onerror=alert(1)> [site](https://example.org) [file](README.md) [js](javascript:alert(1))'
        }
      />,
    );
    expect(document.querySelector('img')).toBeNull();
    expect(Array.from(document.querySelectorAll('a')).map((a) => a.getAttribute('href'))).toEqual([
      'https://example.org',
    ]);
    expect(document.body.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
