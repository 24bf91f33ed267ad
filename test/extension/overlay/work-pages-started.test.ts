// The mark the work pages' script leaves in the extension's world, read by the proposal form's script before
// it asks the background to start them on an in-app navigation.
import { afterEach, describe, expect, it } from 'vitest';
import { markWorkPagesStarted, workPagesStarted } from '../../../extension/content/work-pages-started.ts';

const global = globalThis as Record<string, unknown>;
afterEach(() => {
  delete global.__aoWorkPages;
});

describe('the work pages started mark', () => {
  it('is set by the work pages’ script and read by the proposal form’s', () => {
    expect(workPagesStarted()).toBe(false);
    markWorkPagesStarted();
    expect(workPagesStarted()).toBe(true);
  });

  it('is not faked by an element of Upwork’s page whose id is the mark (a named property of window)', () => {
    global.__aoWorkPages = document.createElement('div');
    expect(workPagesStarted()).toBe(false);
  });
});
