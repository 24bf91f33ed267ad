// Before an agency is created or joined, a short, bounded look at its sync server address: is an Agency
// Overlay sync server there? It opens a WebSocket as the replica would and waits for the server's challenge
// (core/protocol.ts, the first thing our server sends on every connection). When that fails, one plain HTTP
// request to the same address tells "something else answers here" from "nothing answers".
//
// A browser hides why a connection failed from scripts (a name that does not resolve, a refused connection and
// an untrusted certificate all look alike: WebSocket close 1006, fetch "Failed to fetch"). The reason is known
// only where the platform says it: Node's fetch (`cause.code`), or the browser's webRequest API for an address
// this extension may see (background/net-errors.ts). Without it the probe says "nothing answered" and what
// that can mean; with it, which one it was.
import * as decoding from 'lib0/decoding';
import { MESSAGE_AGENCY, readAgencyMessage } from '../../core/protocol.ts';

export type ProbeFailure =
  /** The address is not a ws:// or wss:// URL. */
  | 'bad-address'
  /** The host name does not resolve. */
  | 'unresolved'
  /** The host refused the connection: nothing listens on that port. */
  | 'refused'
  /** The TLS handshake failed: an untrusted, expired or mismatched certificate, or no TLS on that port. */
  | 'tls'
  /** Something answers at the address, but not as an Agency Overlay sync server. */
  | 'not-agency-overlay'
  /** Nothing answered within the bound. */
  | 'timeout'
  /** Nothing answered, and the browser does not say why (one of unresolved, refused or tls). */
  | 'unreachable';

export type ProbeResult =
  | { ok: true; ms: number }
  | { ok: false; kind: ProbeFailure; ms: number; detail: string | null };

/** Where the browser says why a request failed (chrome.webRequest), when it may; null when it may not. */
export interface NetErrorSource {
  /** Starts watching requests to `url`; `reason()` is the browser's error for the last one that failed. */
  watch(url: string): { reason(): Promise<string | null>; stop(): void };
}

export interface ProbeOptions {
  WebSocketImpl?: typeof WebSocket;
  fetch?: typeof fetch;
  netErrors?: NetErrorSource | null;
  /** The whole probe's bound (joining must fail within 5 s). */
  timeoutMs?: number;
  now?: () => number;
}

export const PROBE_TIMEOUT_MS = 4_000;

/** A room id nobody uses: the server sends its challenge on any connection before anything of a room. */
const probeRoom = (): string =>
  `probe-${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

/** The HTTP(S) address of the same host and port (ws → http, wss → https). */
export function httpUrlOf(server: string): string | null {
  try {
    const url = new URL(server);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return null;
    url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
    url.pathname = '/healthz';
    url.search = '';
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}

type SocketOutcome = 'agency' | 'other' | 'failed' | 'timeout';

/** Opens a WebSocket and reads the first message: our challenge, something else, or nothing. */
function trySocket(
  url: string,
  Impl: typeof WebSocket,
  deadline: number,
  now: () => number,
): Promise<SocketOutcome> {
  return new Promise((resolve) => {
    let ws: WebSocket;
    try {
      ws = new Impl(url);
    } catch {
      resolve('failed');
      return;
    }
    ws.binaryType = 'arraybuffer';
    let settled = false;
    const done = (outcome: SocketOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        ws.close();
      } catch {
        // closing a socket that never opened
      }
      resolve(outcome);
    };
    const timer = setTimeout(() => done('timeout'), Math.max(0, deadline - now()));
    ws.onmessage = (event) => {
      const data = event.data;
      if (!(data instanceof ArrayBuffer)) return done('other');
      const decoder = decoding.createDecoder(new Uint8Array(data));
      try {
        if (decoding.readVarUint(decoder) !== MESSAGE_AGENCY) return done('other');
      } catch {
        return done('other');
      }
      done(readAgencyMessage(decoder)?.kind === 'challenge' ? 'agency' : 'other');
    };
    // An open socket that says nothing (or a server that speaks first something else) is not ours: ours
    // sends its challenge at once. Give it until the deadline all the same.
    ws.onclose = () => done('failed');
    ws.onerror = () => done('failed');
  });
}

/** The failure the platform names, from a `net::ERR_…` (Chromium), an NS/SEC error (Firefox) or a Node code. */
export function failureOf(reason: string): ProbeFailure | null {
  if (/NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|UNKNOWN_HOST|ENOTFOUND|EAI_AGAIN|EAI_NONAME/i.test(reason))
    return 'unresolved';
  if (/CONNECTION_REFUSED|ECONNREFUSED/i.test(reason)) return 'refused';
  if (/CERT|SSL|TLS|SEC_ERROR|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|EPROTO/i.test(reason))
    return 'tls';
  if (/TIMED_OUT|ETIMEDOUT|NET_TIMEOUT/i.test(reason)) return 'timeout';
  if (/EMPTY_RESPONSE|INVALID_HTTP_RESPONSE|ECONNRESET|CONNECTION_RESET|CONNECTION_CLOSED/i.test(reason))
    return 'not-agency-overlay';
  if (/ADDRESS_UNREACHABLE|EHOSTUNREACH|ENETUNREACH|INTERNET_DISCONNECTED/i.test(reason))
    return 'unreachable';
  return null;
}

/** A failed fetch's own reason, where the runtime gives one (Node: `cause.code`; browsers give none). */
function causeOf(error: unknown, depth = 0): string | null {
  if (depth > 4 || !error || typeof error !== 'object') return null;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  // Node tries every address of a name (happy eyeballs) and reports them together (AggregateError).
  if (Array.isArray(errors))
    for (const e of errors) {
      const found = causeOf(e, depth + 1);
      if (found) return found;
    }
  return causeOf(cause, depth + 1);
}

type HttpOutcome = { answered: true } | { answered: false; reason: string | null; timedOut: boolean };

async function tryHttp(
  url: string,
  fetchImpl: typeof fetch,
  netErrors: NetErrorSource | null,
  deadline: number,
  now: () => number,
): Promise<HttpOutcome> {
  const watch = netErrors?.watch(url) ?? null;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(0, deadline - now()));
  try {
    // no-cors: whatever answers, answers; the body is of no interest (and not ours to read). Redirects are
    // followed: Chromium fails a no-cors request whose redirect mode is "manual" before sending it.
    await fetchImpl(url, { mode: 'no-cors', signal: abort.signal, cache: 'no-store' });
    return { answered: true };
  } catch (error) {
    if (abort.signal.aborted) return { answered: false, reason: null, timedOut: true };
    return { answered: false, reason: causeOf(error) ?? (await watch?.reason()) ?? null, timedOut: false };
  } finally {
    clearTimeout(timer);
    watch?.stop();
  }
}

/** Is an Agency Overlay sync server at `server`? Bounded by `timeoutMs` (default 4 s) in every case. */
export async function probeServer(server: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const deadline = started + (opts.timeoutMs ?? PROBE_TIMEOUT_MS);
  const fail = (kind: ProbeFailure, detail: string | null = null): ProbeResult => ({
    ok: false,
    kind,
    ms: now() - started,
    detail,
  });
  const http = httpUrlOf(server);
  if (!http) return fail('bad-address');
  const Impl = opts.WebSocketImpl ?? globalThis.WebSocket;
  const socket = await trySocket(`${server.replace(/\/+$/, '')}/${probeRoom()}`, Impl, deadline, now);
  if (socket === 'agency') return { ok: true, ms: now() - started };
  if (socket === 'other') return fail('not-agency-overlay');
  if (socket === 'timeout') return fail('timeout');
  const answer = await tryHttp(
    http,
    opts.fetch ?? globalThis.fetch.bind(globalThis),
    opts.netErrors ?? null,
    deadline,
    now,
  );
  if (answer.answered) return fail('not-agency-overlay');
  if (answer.timedOut) return fail('timeout');
  const kind = answer.reason ? failureOf(answer.reason) : null;
  return fail(kind ?? 'unreachable', answer.reason);
}

/**
 * The probe's failure as a member reads it. `from`: a business manager typing the address (create) can fix it;
 * a member holding a code (join) can only tell whoever sent it.
 */
export function probeSentence(
  server: string,
  result: Extract<ProbeResult, { ok: false }>,
  from: 'create' | 'join',
): string {
  let host = server;
  let port = '';
  try {
    const url = new URL(server);
    host = url.hostname;
    port = url.port || (url.protocol === 'wss:' ? '443' : '80');
  } catch {
    // bad-address below
  }
  const seconds = Math.max(1, Math.round(result.ms / 1000));
  const what: Record<ProbeFailure, string> = {
    'bad-address': 'The sync server address must start with ws:// or wss://, e.g. wss://sync.example.com.',
    unresolved: `The name ${host} does not resolve: no such host is known. Check the address for a typo.`,
    refused: `${host} refused the connection on port ${port}: no server is listening there. Check the port, and that the sync server is running.`,
    tls: `The secure connection to ${host} failed: its certificate is not trusted (self-signed, expired or for another name), or there is no TLS on port ${port}. Fix the server's certificate, or use ws:// for a server without TLS.`,
    'not-agency-overlay': `Something answers at ${server}, but it is not an Agency Overlay sync server. Check the address and its port.`,
    timeout: `Nothing answered at ${server} within ${seconds} s. Check the address, and that the server can be reached from this computer.`,
    unreachable: `Nothing answered at ${server}: the name may not exist, nothing may be listening on port ${port}, or its certificate may not be trusted.`,
  };
  const tail =
    from === 'join' && result.kind !== 'bad-address'
      ? ' This address comes from the invite code: tell the business manager who sent it.'
      : '';
  return `${what[result.kind]}${tail}`;
}

/** The refusal code for a failed probe: PROBE_UNRESOLVED, PROBE_REFUSED, … (the pages offer what fits). */
export const probeCode = (kind: ProbeFailure): string => `PROBE_${kind.toUpperCase().replace(/-/g, '_')}`;
