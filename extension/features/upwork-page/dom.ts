// Small DOM helpers shared by the readers. No selectors here: those live in selectors.ts.

export type SelectorList = readonly string[];

/** A window with its constructors (MutationObserver, Event…), as the content script's `window` is. */
export type PageWindow = Window & typeof globalThis;

/** Collapses runs of whitespace: Upwork splits one sentence over several inline elements and lines. */
export const squash = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

export const textOf = (node: Node | null | undefined): string => squash(node?.textContent);

/** "1,204" → 1204; null when there is no whole number. */
export function parseCount(text: string | null | undefined): number | null {
  const digits = (text ?? '').replace(/[,\s\u00a0\u202f]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

/** "$1,250.50" → 1250.5; null when empty or not a number. */
export function parseMoney(text: string | null | undefined): number | null {
  const cleaned = (text ?? '').replace(/[^\d.]/g, '');
  if (!/\d/.test(cleaned)) return null;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : null;
}

/** The first capture group of `pattern` in `text`, as a count. */
export function matchCount(text: string, pattern: RegExp): number | null {
  const m = pattern.exec(text);
  return m ? parseCount(m[1]) : null;
}

function safeQueryAll(root: ParentNode, selector: string): Element[] {
  try {
    return Array.from(root.querySelectorAll(selector));
  } catch {
    // A selector the engine does not understand must not take the whole reader down.
    return [];
  }
}

/** Does `root` itself match? (querySelector never returns the root.) */
function selfMatches(root: ParentNode, selector: string): boolean {
  if (!('matches' in root)) return false;
  try {
    return (root as Element).matches(selector);
  } catch {
    return false;
  }
}

/** The first element found by the first selector of the list that finds any, `root` itself included. */
export function queryFirst<E extends Element = Element>(root: ParentNode, selectors: SelectorList): E | null {
  for (const selector of selectors) {
    if (selfMatches(root, selector)) return root as unknown as E;
    const found = safeQueryAll(root, selector)[0];
    if (found) return found as E;
  }
  return null;
}

/** All elements of the first selector in the list that finds any. */
export function queryAllFirst<E extends Element = Element>(root: ParentNode, selectors: SelectorList): E[] {
  for (const selector of selectors) {
    const found = safeQueryAll(root, selector);
    if (found.length > 0) return found as E[];
  }
  return [];
}

/** Every element of every selector in the list, once each, in list order. */
export function queryAllOf<E extends Element = Element>(root: ParentNode, selectors: SelectorList): E[] {
  const seen = new Set<Element>();
  for (const selector of selectors) for (const el of safeQueryAll(root, selector)) seen.add(el);
  return Array.from(seen) as E[];
}

/** The first element matching `selector` whose squashed text matches `pattern`. */
export function findByText<E extends Element = Element>(
  root: ParentNode,
  selector: string,
  pattern: RegExp,
): E | null {
  for (const el of safeQueryAll(root, selector)) if (pattern.test(textOf(el))) return el as E;
  return null;
}

export function matchesAny(el: Element, selectors: SelectorList): boolean {
  return selectors.some((selector) => selfMatches(el, selector));
}

export function closestOf(el: Element | null, selectors: SelectorList): Element | null {
  if (!el) return null;
  for (const selector of selectors) {
    try {
      const found = el.closest(selector);
      if (found) return found;
    } catch {
      // see safeQueryAll
    }
  }
  return null;
}

/** Hidden by the usual means a single-page app uses to keep a component mounted but out of sight. */
export function isShown(el: Element): boolean {
  if (!el.isConnected) return false;
  if (el.closest('[hidden], [aria-hidden="true"]')) return false;
  if (el.tagName === 'DIALOG' && !el.hasAttribute('open')) return false;
  for (let node: Element | null = el; node; node = node.parentElement) {
    if ((node as HTMLElement).style?.display === 'none') return false;
  }
  return true;
}

/** What a screen reader would call a form control: aria-labelledby, then <label>s, then aria-label. */
export function accessibleLabel(control: Element): string {
  const doc = control.ownerDocument;
  const labelledBy = control.getAttribute('aria-labelledby');
  if (labelledBy) {
    const text = squash(
      labelledBy
        .split(/\s+/)
        .map((id) => textOf(doc.getElementById(id)))
        .join(' '),
    );
    if (text) return text;
  }
  const parts: string[] = [];
  const wrapping = control.closest('label');
  if (wrapping) parts.push(textOf(wrapping));
  if (control.id) {
    for (const label of Array.from(doc.querySelectorAll('label[for]'))) {
      if (label.getAttribute('for') === control.id && label !== wrapping) parts.push(textOf(label));
    }
  }
  const text = squash(parts.join(' '));
  if (text) return text;
  return squash(control.getAttribute('aria-label'));
}

/** A button's visible text, or its aria-label when it has none (icon buttons). */
export function controlText(control: Element): string {
  const text = textOf(control);
  if (text) return text;
  if (control.tagName === 'INPUT') return squash((control as HTMLInputElement).value);
  return squash(control.getAttribute('aria-label'));
}
