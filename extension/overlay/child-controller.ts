// An AbortController that also aborts when `parent` does, and unhooks itself from `parent` when it aborts
// first: a page view's controller must not leave a listener on the script's signal for every navigation.
export function childController(parent: AbortSignal): AbortController {
  const child = new AbortController();
  if (parent.aborted) {
    child.abort(parent.reason);
    return child;
  }
  const follow = (): void => child.abort(parent.reason);
  parent.addEventListener('abort', follow, { once: true });
  child.signal.addEventListener('abort', () => parent.removeEventListener('abort', follow), { once: true });
  return child;
}
