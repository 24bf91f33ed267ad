// How the overlay's UI gets into the page: the content script passes WXT's createShadowRootUi (host element
// <agency-overlay>, open shadow root); component tests pass mountInShadowRoot below. Either way the UI goes
// when the request's signal aborts.
import type { Anchor } from '../features/upwork-page/find-anchor.ts';

export interface MountedUi {
  /** The `<agency-overlay>` element in the page. */
  host: HTMLElement;
  /** Inside the shadow root: where Preact renders. */
  container: HTMLElement;
  /** Puts the host back beside its anchor after the page's own re-render removed it. */
  remount(): void;
}

export interface MountRequest {
  name: string;
  /** Looked up again on every (re)mount, since the page may have replaced the element. */
  anchor: () => Anchor;
  signal: AbortSignal;
}

export type MountUi = (request: MountRequest) => Promise<MountedUi>;

/** Inserts `el` beside `anchor` as WXT's `append` modes do. */
export function insertAt(anchor: Anchor, el: Element): void {
  const { element, append } = anchor;
  if (append === 'after') element.after(el);
  else if (append === 'before') element.before(el);
  else if (append === 'first') element.prepend(el);
  else element.append(el);
}

/** A plain open shadow root with `css` in it; what createShadowRootUi does, without the extension APIs. */
export function mountInShadowRoot(css = ''): MountUi {
  return async ({ name, anchor, signal }) => {
    const host = document.createElement(name);
    const shadow = host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = css;
    const container = document.createElement('div');
    shadow.append(style, container);
    const remount = () => {
      if (!signal.aborted) insertAt(anchor(), host);
    };
    remount();
    signal.addEventListener('abort', () => host.remove(), { once: true });
    return { host, container, remount };
  };
}
