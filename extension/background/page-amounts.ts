// D15 at the background's boundary, for the one amount a page may carry: the rate or price of a business
// manager's own contract, read from their own Upwork contracts page (issue 11). Whether this browser may
// record it is decided here, by the role the agency's log derives for this browser's member — never by the
// page or the content script, which anything inside Upwork's page could speak through. A plain member's
// (or a former member's) request is recorded without the amount, which never reaches the replica; the answer
// says so. The replica then seals what remains to the managers' browsers before signing.
import type { AgencyState, MemberId } from '../../core/lite.ts';
import type { ActValue, Request } from '../messaging/types.ts';

type Act = Extract<Request, { kind: 'act' }>;

export const AMOUNT_NOT_RECORDED: ActValue['flags'][number] = {
  code: 'AMOUNT_NOT_RECORDED',
  rule: 'D15',
  message:
    'Recorded without its rate or price: only a business manager’s browser records them, sealed to the business managers.',
};

/** Whether a page's request carries the one amount a page may: an observed contract's terms. */
export const carriesPageAmount = (r: Request): r is Act =>
  r.kind === 'act' && r.type === 'observeContract' && r.payload.terms !== undefined;

/** The request as this browser may record it: unchanged for an active business manager, else without terms. */
export function screenPageAmount(
  request: Act,
  state: AgencyState | null,
  me: MemberId | null,
): { request: Act; dropped: boolean } {
  const member = state && me ? state.members[me] : undefined;
  if (member?.status === 'active' && member.role === 'manager') return { request, dropped: false };
  const { terms: _dropped, ...payload } = request.payload;
  return { request: { ...request, payload }, dropped: true };
}
