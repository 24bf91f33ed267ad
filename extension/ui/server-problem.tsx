// What a member can do when the sync server address does not answer as an Agency Overlay server (the
// background's probe, replica/probe-server.ts): find out why, where the browser can say it, and, when
// creating, create the agency offline anyway as an explicit choice.
//
// A browser tells an extension why a connection failed (the name does not resolve, the connection was refused,
// the certificate is not trusted) only for addresses it may see; "Find out why" asks the member to allow this
// one address (Chrome's own prompt), then the page tries again and the sentence names the reason.
import type { Refusal } from './client.ts';

/** Probe failures: the background's codes PROBE_UNREACHABLE, PROBE_REFUSED… (probe-server.ts probeCode). */
export const isProbeFailure = (refusal: Refusal): boolean =>
  refusal.code.startsWith('PROBE_') && refusal.code !== 'PROBE_BAD_ADDRESS';

/** Asks the browser to let the extension see why connections to `server` fail; true when allowed. */
export type AskToSeeServer = (server: string) => Promise<boolean>;

export interface ServerProblemProps {
  refusal: Refusal;
  server: string;
  busy: boolean;
  askToSee?: AskToSeeServer;
  /** Tries the same request again (after the member allowed the address). */
  retry: () => void;
  /** Creating only: the same request, without waiting for the server. */
  offlineAnyway?: () => void;
}

export function ServerProblem({ refusal, server, busy, askToSee, retry, offlineAnyway }: ServerProblemProps) {
  if (!isProbeFailure(refusal)) return null;
  // Only "nothing answered, and the browser did not say why" gains from asking.
  const canAsk = askToSee && refusal.code === 'PROBE_UNREACHABLE';
  return (
    <div class="stack" data-testid="server-problem">
      {canAsk ? (
        <p class="muted">
          Your browser says why a connection failed only for addresses you allow Agency Overlay to see.{' '}
          <button
            type="button"
            class="link"
            disabled={busy}
            onClick={() => void askToSee(server).then((allowed) => allowed && retry())}
          >
            Find out why
          </button>
        </p>
      ) : null}
      {offlineAnyway ? (
        <div class="row">
          <button type="button" class="secondary" disabled={busy} onClick={offlineAnyway}>
            Create it offline anyway
          </button>
          <span class="hint">
            It works in this browser only until {server} answers; nobody can join it before then.
          </span>
        </div>
      ) : null}
    </div>
  );
}
