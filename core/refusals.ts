// Every refusal (for intents) and flag (for facts) core can give, with its rule id and the sentence a member
// reads. Rule ids are domain.md's (R1–R11, P1–P6); LOG marks what keeps the log itself sound.

export const VERDICTS = {
  NOT_CREATED: { rule: 'LOG', message: 'The agency does not exist yet: its creation comes first.' },
  ALREADY_CREATED: { rule: 'LOG', message: 'The agency already exists; it is created only once.' },
  UNKNOWN_KEY: { rule: 'LOG', message: 'This action is signed by a key that is not a member of the agency.' },
  KEY_REVOKED: {
    rule: 'LOG',
    message: 'This browser key was removed from the member and can no longer act.',
  },
  MEMBER_GONE: { rule: 'P6', message: 'A member who left or was removed can no longer act for the agency.' },
  MEMBER_GONE_FACT: {
    rule: 'P6',
    message: 'Recorded by a member who had left or been removed: kept in the history and flagged.',
  },
  NOT_BUSINESS_MANAGER: {
    rule: 'P2',
    message:
      'Only business managers invite or remove members, change roles or relationships, set allowances and time zone, and record Connects.',
  },
  NOT_MANAGER_ACCEPT: {
    rule: 'R2',
    message: 'Only a business manager can accept or decline an offer made to the agency.',
  },
  NOT_MANAGER_TERMS: {
    rule: 'R3',
    message: 'Only a business manager can edit the terms of an agency contract.',
  },
  NOT_OWN_OFFER: { rule: 'R8', message: 'An independent offer is answered by the member it was made to.' },
  NOT_OWN_CONTRACT: {
    rule: 'R8',
    message: 'The terms of an independent contract are the member’s own to edit.',
  },
  LAST_MANAGER: {
    rule: 'P3',
    message: 'The agency always needs a business manager: the last one cannot be demoted or removed.',
  },
  SUCCESSOR_REQUIRED: {
    rule: 'P3',
    message: 'The last business manager must name an active member as successor before leaving.',
  },
  SENIORITY: {
    rule: 'P3',
    message:
      'Two managers demoted or removed each other at the same time: the one who became manager first wins.',
  },
  DEMOTED: {
    rule: 'P2',
    message: 'This manager was demoted at the same time: actions that need a business manager are refused.',
  },
  UNKNOWN_MEMBER: { rule: 'P2', message: 'There is no active member with that id.' },
  ALREADY_MEMBER: { rule: 'LOG', message: 'This key already belongs to an active member.' },
  INVITE_INVALID: { rule: 'P2', message: 'The invite is unknown, already used, or expired.' },
  INVITE_TAKEN: { rule: 'P2', message: 'An invite with this key already exists.' },
  NOT_OWN_SETTING: {
    rule: 'R9',
    message: 'Only the member sets their own default team (Settings › My Teams on Upwork).',
  },
  ALLOWANCE_OVER_BALANCE: {
    rule: 'P4',
    message: 'A manager cannot reserve more Connects in allowances than the unreserved balance holds.',
  },
  NOT_KEY_OWNER: {
    rule: 'P2',
    message: 'Browser keys are added or removed by their member or a business manager.',
  },
  KEY_TAKEN: { rule: 'LOG', message: 'This browser key already belongs to a member.' },
  KEY_NOT_FOUND: { rule: 'LOG', message: 'That browser key does not belong to this member.' },
  LAST_KEY: {
    rule: 'LOG',
    message: "A member's last browser key cannot be removed; remove the member instead.",
  },
  UNKNOWN_OFFER: { rule: 'R2', message: 'There is no open offer with that id.' },
  UNKNOWN_CONTRACT: { rule: 'R3', message: 'There is no contract with that id.' },
  NOT_FIXED_PRICE: { rule: 'R4', message: 'Milestones belong to fixed-price contracts.' },
  NOT_FREELANCER_OR_MANAGER: {
    rule: 'R4',
    message: 'Milestones are submitted by the freelancer working the contract or a business manager.',
  },
  NOT_HOURLY: { rule: 'R5', message: 'Time is logged on hourly contracts only.' },
  NOT_CONTRACT_FREELANCER: {
    rule: 'R5',
    message: 'Only the freelancer working an hourly contract logs its time.',
  },
  // flags on facts
  OVERDRAFT: {
    rule: 'P1',
    message: "This agency proposal took the agency's Connects balance below what was free to spend.",
  },
  OVERDRAFT_OBSERVED: {
    rule: 'P1',
    message:
      "Upwork's balance, with the agency proposals recorded after it, is below zero: those proposals overdrew the agency.",
  },
  ALLOWANCE_EXCEEDED: {
    rule: 'P4',
    message: "This agency proposal went beyond the member's monthly allowance.",
  },
  EXCLUSIVE_INDEPENDENT: {
    rule: 'R7',
    message:
      'An exclusive member proposed as an independent freelancer; every proposal should be as the agency.',
  },
  ALLOWANCE_SHRUNK: {
    rule: 'P4',
    message: 'Upwork showed a lower balance than the allowances reserve: the allowances were shrunk to fit.',
  },
  RECORDED_FOR_OTHER: {
    rule: 'P2',
    message: 'A member recorded a proposal for someone else; only business managers send for others.',
  },
  PAYOUT_UNKNOWN_CONTRACT: {
    rule: 'R6',
    message: 'A payout was recorded for a contract the agency has no record of.',
  },
} as const satisfies Record<string, { rule: string; message: string }>;

export type VerdictCode = keyof typeof VERDICTS;
