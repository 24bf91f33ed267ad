// Driving the extension's pages in Firefox by what a member reads: a control by its label's own text, a
// button by its name, a region by its heading (the Chromium tests' getByLabel/getByRole, which puppeteer's
// ARIA queries do not offer over WebDriver BiDi). Each helper runs in the page, inside `scope` (a CSS
// selector) when given.
import type { Page } from 'puppeteer-core';

/** Generous: a change crosses two backgrounds and a server; the measured figure is printed apart. */
export const UI_TIMEOUT = 30_000;

interface Pattern {
  source: string;
  flags: string;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A string names the whole (trimmed) text; a RegExp is used as it is. */
const pattern = (text: string | RegExp): Pattern =>
  typeof text === 'string'
    ? { source: `^${escapeRegExp(text)}$`, flags: '' }
    : { source: text.source, flags: text.flags };

/** Sets a labelled input, textarea or select and fires what a member's typing fires (input, change). */
export async function fill(page: Page, label: string | RegExp, value: string, scope = 'body'): Promise<void> {
  await page.waitForFunction(
    (p: Pattern, value: string, scope: string) => {
      const re = new RegExp(p.source, p.flags);
      const ownText = (el: Element) =>
        Array.from(el.childNodes)
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent)
          .join('')
          .trim();
      const labels = Array.from(document.querySelector(scope)?.querySelectorAll('label') ?? []);
      const control = labels.find((l) => re.test(ownText(l)))?.control as
        | HTMLInputElement
        | HTMLTextAreaElement
        | HTMLSelectElement
        | null
        | undefined;
      if (!control || (control as HTMLInputElement).disabled) return false;
      // The prototype's setter, as a member's input would: Preact reads the value in its input handler.
      const proto = Object.getPrototypeOf(control) as object;
      Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(control, value);
      control.dispatchEvent(new Event('input', { bubbles: true }));
      control.dispatchEvent(new Event('change', { bubbles: true }));
      return true;
    },
    { timeout: UI_TIMEOUT, polling: 100 },
    pattern(label),
    value,
    scope,
  );
}

/** Clicks the enabled button named `name`, once it is there. */
export async function click(page: Page, name: string | RegExp, scope = 'body'): Promise<void> {
  await page.waitForFunction(
    (p: Pattern, scope: string) => {
      const re = new RegExp(p.source, p.flags);
      const button = Array.from(
        document.querySelector(scope)?.querySelectorAll<HTMLButtonElement>('button') ?? [],
      ).find((b) => re.test((b.getAttribute('aria-label') ?? b.textContent ?? '').trim()) && !b.disabled);
      button?.click();
      return Boolean(button);
    },
    { timeout: UI_TIMEOUT, polling: 100 },
    pattern(name),
    scope,
  );
}

/** Waits until an element matching `selector` holds `text` (a substring, or a pattern), and returns its text. */
export async function waitForText(
  page: Page,
  selector: string,
  text: string | RegExp,
  timeout = UI_TIMEOUT,
): Promise<string> {
  const contains = typeof text === 'string' ? { source: escapeRegExp(text), flags: '' } : pattern(text);
  const handle = await page.waitForFunction(
    (selector: string, p: Pattern) => {
      const re = new RegExp(p.source, p.flags);
      const hit = Array.from(document.querySelectorAll(selector)).find((el) => re.test(el.textContent ?? ''));
      return hit ? (hit.textContent ?? '').trim() : false;
    },
    { timeout, polling: 100 },
    selector,
    contains,
  );
  return (await handle.jsonValue()) as string;
}

/** The value of a form control, once it has one other than `except`. */
export async function controlValue(page: Page, selector: string, except = ''): Promise<string> {
  const handle = await page.waitForFunction(
    (selector: string, except: string) => {
      const value = (document.querySelector(selector) as HTMLTextAreaElement | null)?.value;
      return value && value !== except ? value : false;
    },
    { timeout: UI_TIMEOUT, polling: 100 },
    selector,
    except,
  );
  return (await handle.jsonValue()) as string;
}
