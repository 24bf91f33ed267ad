// Why a request to a sync server failed, as the browser says it (net::ERR_NAME_NOT_RESOLVED,
// net::ERR_CONNECTION_REFUSED, net::ERR_CERT_AUTHORITY_INVALID…): chrome.webRequest reports it only for
// addresses this extension may see, i.e. the ones the member allowed when asking "why?" on the agency pages
// (optional host permissions, wxt.config.ts). Elsewhere nothing is reported and the probe says "nothing
// answered" with what that can mean (replica/probe-server.ts).
import type { NetErrorSource } from '../replica/probe-server.ts';

interface ErrorDetails {
  url: string;
  error: string;
}

export interface WebRequestLike {
  onErrorOccurred: {
    addListener(fn: (details: ErrorDetails) => void, filter: { urls: string[] }): void;
    removeListener(fn: (details: ErrorDetails) => void): void;
  };
}

/** How long after a failed fetch its webRequest error may still be on its way (the two travel apart). */
export const NET_ERROR_GRACE_MS = 500;

export function webRequestNetErrors(webRequest: WebRequestLike | undefined): NetErrorSource | null {
  if (!webRequest?.onErrorOccurred) return null;
  return {
    watch(url) {
      let error: string | null = null;
      let arrived: (() => void) | null = null;
      const listener = (details: ErrorDetails) => {
        if (details.url !== url) return;
        error = details.error;
        arrived?.();
      };
      let host = '';
      try {
        host = new URL(url).hostname;
      } catch {
        return { reason: async () => null, stop: () => {} };
      }
      webRequest.onErrorOccurred.addListener(listener, { urls: [`*://${host}/*`] });
      return {
        async reason() {
          if (error === null) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, NET_ERROR_GRACE_MS);
              arrived = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
          return error;
        },
        stop: () => webRequest.onErrorOccurred.removeListener(listener),
      };
    },
  };
}
