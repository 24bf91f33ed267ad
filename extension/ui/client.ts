// What a page needs from the background: one request/response call and a live subscription to the derived
// state (extension/messaging/client.ts's `send` and `subscribe`). The popup and the options page take this
// as a prop, so component tests drive them with a fake background.
import type { RequestKind, RequestOf } from '../messaging/client.ts';
import type { OverviewView, Response, ResponseValues } from '../messaging/types.ts';

export type Send = <K extends RequestKind>(request: RequestOf<K>) => Promise<Response<ResponseValues[K]>>;

export interface UiClient {
  send: Send;
  /** Calls `onView` with every OverviewView the background posts; returns the unsubscribe function. */
  subscribe(onView: (view: OverviewView) => void): () => void;
}

/** A refused request as the UI shows it: the sentence a member reads, the rule id behind it, the field. */
export interface Refusal {
  code: string;
  rule: string;
  message: string;
  field?: string;
}
