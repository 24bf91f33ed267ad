// "Find out why" (server-problem.tsx): asks the browser to let the extension see one sync server's address,
// so the background's webRequest listener (background/net-errors.ts) can read why a connection to it failed.
// An optional host permission for that host only, requested on the member's click (a user gesture).
import { browser } from 'wxt/browser';

/** The origins to ask for: the server's host over HTTP(S), which the probe fetches (ports are not part of it). */
export function originsOf(server: string): string[] {
  try {
    const url = new URL(server);
    const scheme = url.protocol === 'wss:' ? 'https' : 'http';
    return [`${scheme}://${url.hostname}/*`];
  } catch {
    return [];
  }
}

export async function askToSeeServer(server: string): Promise<boolean> {
  const origins = originsOf(server);
  if (!origins.length) return false;
  try {
    return await browser.permissions.request({ origins });
  } catch {
    return false;
  }
}
