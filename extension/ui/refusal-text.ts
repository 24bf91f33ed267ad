// A refusal as the member reads it: a sentence about their situation ("Only a business manager can set
// monthly allowances."), not the rule's general statement. Core's own sentence (VERDICTS) is used whenever
// it already speaks to the member; the rule id stays a secondary detail (rule-ref.tsx).
import type { Refusal } from './client.ts';

export function refusalSentence(refusal: Pick<Refusal, 'code' | 'message'>, doing?: string): string {
  switch (refusal.code) {
    case 'NOT_BUSINESS_MANAGER':
      return doing ? `Only a business manager can ${doing}.` : 'Only a business manager can do this.';
    case 'MEMBER_GONE':
      return 'You are no longer a member of this agency, so you can no longer act for it.';
    case 'KEY_REVOKED':
      return 'This browser was removed from your membership, so it can no longer act for the agency.';
    case 'SUCCESSOR_REQUIRED':
      return 'You own the agency: choose who takes it over before you leave.';
    case 'OWNER_PROTECTED':
      return 'The owner stays a business manager: nobody can demote or remove them.';
    default:
      return refusal.message;
  }
}
