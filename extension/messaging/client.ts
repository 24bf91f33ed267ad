// The UIs' side of the message protocol: popup, options and content scripts import this (zod-free, no
// replica). Requests go to the background with runtime.sendMessage; live state comes over a port.
import { browser } from 'wxt/browser';
import { type OverviewView, type Request, type Response, type ResponseValues, STATE_PORT } from './types.ts';

export type RequestKind = Request['kind'];
export type RequestOf<K extends RequestKind> = Extract<Request, { kind: K }>;

/** The parts of `browser.runtime` the client uses; tests pass their own. */
export interface RuntimeLike {
  sendMessage(message: unknown): Promise<unknown>;
  connect(info: { name: string }): PortLike;
}

export interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(fn: (message: unknown) => void): void };
  onDisconnect: { addListener(fn: () => void): void };
}

const runtime = (): RuntimeLike => browser.runtime as unknown as RuntimeLike;

function isResponse(value: unknown): value is Response {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/** Sends one request; never throws: a missing or broken background is a refusal the UI can show. */
export async function sendWith<K extends RequestKind>(
  rt: RuntimeLike,
  request: RequestOf<K>,
): Promise<Response<ResponseValues[K]>> {
  try {
    const answer = await rt.sendMessage(request);
    if (isResponse(answer)) return answer as Response<ResponseValues[K]>;
    return {
      ok: false,
      code: 'NO_ANSWER',
      rule: 'REQUEST',
      message: 'The extension did not answer; reload the page and try again.',
    };
  } catch (e) {
    return {
      ok: false,
      code: 'NO_BACKGROUND',
      rule: 'REQUEST',
      message: `The extension's background is not reachable (${e instanceof Error ? e.message : String(e)}).`,
    };
  }
}

export function send<K extends RequestKind>(request: RequestOf<K>): Promise<Response<ResponseValues[K]>> {
  return sendWith(runtime(), request);
}

export interface SubscribeOptions {
  /** Delay before reconnecting the port after the background stopped (MV3 workers stop when idle). */
  retryMs?: number;
}

/**
 * Calls `onView` with every OverviewView the background posts (one right after connecting, then one per
 * change). The port breaks when the worker is stopped; it is reopened, which wakes the worker again.
 * Returns the function that ends the subscription.
 */
export function subscribeWith(
  rt: RuntimeLike,
  onView: (view: OverviewView) => void,
  { retryMs = 250 }: SubscribeOptions = {},
): () => void {
  let closed = false;
  let port: PortLike | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const open = () => {
    timer = null;
    if (closed) return;
    try {
      port = rt.connect({ name: STATE_PORT });
    } catch {
      timer = setTimeout(open, retryMs);
      return;
    }
    port.onMessage.addListener((message) => {
      if (!closed && typeof message === 'object' && message !== null && 'agencies' in message)
        onView(message as OverviewView);
    });
    port.onDisconnect.addListener(() => {
      port = null;
      if (!closed) timer = setTimeout(open, retryMs);
    });
  };
  open();
  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    port?.disconnect();
    port = null;
  };
}

export function subscribe(onView: (view: OverviewView) => void, options?: SubscribeOptions): () => void {
  return subscribeWith(runtime(), onView, options);
}
