// The background's side of the message protocol: every runtime message is validated (schemas.ts) before
// it reaches the agencies, every answer is a Response (never an exception), and every port named
// STATE_PORT gets the OverviewView at once and again after each change.
import { badRequest, parseRequest } from '../messaging/schemas.ts';
import { type ActValue, type OverviewView, type Response, STATE_PORT } from '../messaging/types.ts';
import type { Agencies } from './agencies.ts';
import { contentScriptRefusal, isContentScript, type SenderLike } from './content-scripts.ts';
import { AMOUNT_NOT_RECORDED, carriesPageAmount, screenPageAmount } from './page-amounts.ts';
import { isStartWorkPages, type StarterSender } from './work-pages-starter.ts';

export type { SenderLike };

/** The parts of a runtime.Port the router uses. */
export interface StatePort {
  name: string;
  postMessage(message: unknown): void;
  onDisconnect: { addListener(fn: () => void): void };
}

/** Changes within this many ms reach the ports as one post (a sync burst is many changes). */
export const POST_COALESCE_MS = 16;

export class Router {
  private readonly agencies: Agencies;
  private readonly extensionOrigin: string | null;
  private readonly ports = new Set<StatePort>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly startWorkPages: ((message: unknown, sender?: StarterSender) => Promise<Response>) | null;

  /**
   * `extensionOrigin` (runtime.getURL('')) tells the extension's own pages from content scripts;
   * `startWorkPages` answers a content script's request to start the work pages' script in its tab
   * (work-pages-starter.ts).
   */
  constructor(
    agencies: Agencies,
    opts: {
      extensionOrigin?: string;
      startWorkPages?: (message: unknown, sender?: StarterSender) => Promise<Response>;
    } = {},
  ) {
    this.agencies = agencies;
    this.extensionOrigin = opts.extensionOrigin ?? null;
    this.startWorkPages = opts.startWorkPages ?? null;
    agencies.subscribe(() => this.schedulePost());
  }

  /** Answers one message; never throws. */
  async dispatch(message: unknown, sender?: SenderLike): Promise<Response> {
    // Outside the typed protocol, and only from a content script: it touches no agency.
    if (this.startWorkPages && isStartWorkPages(message) && isContentScript(sender, this.extensionOrigin))
      return this.startWorkPages(message, sender as StarterSender).catch((e) => ({
        ok: false,
        code: 'NOT_STARTED',
        rule: 'REQUEST',
        message: `The overlay could not start on this page (${e instanceof Error ? e.message : String(e)}).`,
      }));
    // A content script's request is screened first, by kind and action type alone (content-scripts.ts).
    const screened = isContentScript(sender, this.extensionOrigin) ? contentScriptRefusal(message) : null;
    if (screened) return screened;
    const parsed = parseRequest(message);
    if (!parsed.ok) return parsed.response;
    try {
      if (isContentScript(sender, this.extensionOrigin) && carriesPageAmount(parsed.request))
        return await this.pageAmount(parsed.request);
      return await this.agencies.handle(parsed.request);
    } catch (e) {
      console.error('background: request failed', parsed.request.kind, e);
      return {
        ok: false,
        code: 'INTERNAL',
        rule: 'BUG',
        message: `Something went wrong in the extension: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
  }

  /**
   * D15: a contract's terms from a page are recorded only from a business manager's browser, as the agency's
   * log derives this browser's member (page-amounts.ts); otherwise the contract is recorded without them.
   */
  private async pageAmount(request: Parameters<typeof screenPageAmount>[0]): Promise<Response> {
    await this.agencies.start();
    const replica = this.agencies.replicas.get(request.agencyId);
    await replica?.log.settled();
    const screened = screenPageAmount(request, replica?.log.state ?? null, replica?.me ?? null);
    const answer = await this.agencies.handle(screened.request);
    if (!answer.ok || !screened.dropped) return answer;
    const value = answer.value as ActValue;
    return { ok: true, value: { ...value, flags: [...value.flags, AMOUNT_NOT_RECORDED] } };
  }

  /** runtime.onMessage listener: answers through sendResponse (returning true keeps the channel open). */
  readonly onMessage = (message: unknown, sender: unknown, sendResponse: (r: Response) => void): true => {
    void this.dispatch(message, sender as SenderLike).then(sendResponse, (e) =>
      sendResponse(badRequest(String(e))),
    );
    return true;
  };

  /** runtime.onConnect listener. */
  readonly onConnect = (port: StatePort): void => {
    if (port.name !== STATE_PORT) return;
    this.ports.add(port);
    port.onDisconnect.addListener(() => this.ports.delete(port));
    void this.agencies.ready().then(
      () => this.postTo(port, this.agencies.overview()),
      (e) => console.error('background: start failed', e),
    );
  };

  get subscribers(): number {
    return this.ports.size;
  }

  private schedulePost(): void {
    if (this.timer || !this.ports.size) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const view = this.agencies.overview();
      for (const p of this.ports) this.postTo(p, view);
    }, POST_COALESCE_MS);
  }

  private postTo(port: StatePort, view: OverviewView): void {
    if (!this.ports.has(port)) return;
    try {
      port.postMessage(view);
    } catch {
      // The page went away between the change and the post.
      this.ports.delete(port);
    }
  }
}
