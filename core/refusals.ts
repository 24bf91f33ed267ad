// Every refusal (for intents) and flag (for facts) core can give, with the id of the rule it enforces and
// the sentence a member reads (D14). Rule ids are domain.md's (R1–R11, P1–P6, D1–D15); LOG marks what
// keeps the log itself sound.

export const VERDICTS = {
  NOT_CREATED: { rule: 'LOG', message: 'The agency does not exist yet: its creation comes first.' },
  ALREADY_CREATED: { rule: 'LOG', message: 'The agency already exists; it is created only once.' },
  UNKNOWN_KEY: { rule: 'LOG', message: 'This action is signed by a key that is not a member of the agency.' },
  KEY_FORKED: {
    rule: 'LOG',
    message:
      "Written beside four other branches of this browser's own actions it did not build on (only a modified client does that), so it is not applied.",
  },
  KEY_BRANCHED: {
    rule: 'LOG',
    message:
      'Written beside another action of the same browser that it did not build on (a copy of the agency restored from a backup, or one the browser lost): both are kept and counted.',
  },
  ALREADY_MEMBER: { rule: 'LOG', message: 'This browser key already belongs to a member.' },
  KEY_REVOKED: {
    rule: 'D6',
    message:
      'This browser key was removed from its member and can no longer act (it may be a lost or stolen browser).',
  },
  KEY_REVOKED_FACT: {
    rule: 'P6',
    message: 'Recorded from a browser that was being removed at the same time: kept, counted and flagged.',
  },
  MEMBER_GONE: { rule: 'P6', message: 'A member who left or was removed can no longer act for the agency.' },
  MEMBER_GONE_FACT: {
    rule: 'P6',
    message:
      'Recorded by a member who had left or been removed: kept in the history and flagged, without changing the agency’s numbers.',
  },
  NOT_BUSINESS_MANAGER: {
    rule: 'P2',
    message:
      'Only business managers invite or remove members, change roles or relationships, set allowances and time zone, record Connects, and decide whose a disputed contract is.',
  },
  DEMOTED: {
    rule: 'D5',
    message:
      'This business manager was demoted or removed at the same time: what needed a business manager is refused.',
  },
  SENIORITY: {
    rule: 'P3',
    message:
      'Two business managers demoted or removed each other at the same time: the one who became a manager first wins.',
  },
  OWNER_PROTECTED: {
    rule: 'D4',
    message:
      'The owner is always a business manager: no one demotes or removes them; they leave by naming a successor.',
  },
  SUCCESSOR_REQUIRED: {
    rule: 'P3',
    message: 'The owner must name an active member as successor before leaving.',
  },
  UNKNOWN_SUCCESSOR: { rule: 'P3', message: 'The successor must be another active member of the agency.' },
  SUCCESSOR_GONE: {
    rule: 'P3',
    message:
      'The successor left or was removed at the same time, so this departure did not happen: name another.',
  },
  UNKNOWN_MEMBER: { rule: 'P2', message: 'There is no active member with that id.' },
  INVITE_INVALID: { rule: 'P2', message: 'The invite is unknown, already used, revoked or expired.' },
  INVITE_ISSUER_GONE: {
    rule: 'D7',
    message: 'The invite was granted by someone who is no longer a business manager of the agency.',
  },
  INVITE_TAKEN: { rule: 'P2', message: 'An invite with this key already exists.' },
  NOT_KEY_OWNER: {
    rule: 'P2',
    message: 'Browsers are added or removed by their member or a business manager.',
  },
  KEY_NOT_FOUND: { rule: 'LOG', message: 'That browser key does not belong to this member.' },
  LAST_KEY: {
    rule: 'LOG',
    message: "A member's last browser cannot be removed; remove the member instead.",
  },
  NOT_OWN_SETTING: {
    rule: 'R9',
    message: 'Only the member sets their own default team (Settings › My Teams on Upwork).',
  },
  ALLOWANCE_OVER_BALANCE: {
    rule: 'P4',
    message: 'A manager cannot reserve more Connects in allowances than the unreserved balance holds.',
  },
  NOT_MANAGER_ACCEPT: {
    rule: 'R2',
    message: 'Only a business manager can accept or decline an offer made to the agency.',
  },
  UNKNOWN_OFFER: { rule: 'R2', message: 'There is no open offer with that id.' },
  NOT_OWN_OFFER: { rule: 'R8', message: 'An independent offer is answered by the member it was made to.' },
  NOT_MANAGER_TERMS: {
    rule: 'R3',
    message: 'Only a business manager can edit the terms of an agency contract.',
  },
  NOT_OWN_CONTRACT: {
    rule: 'R8',
    message: 'The terms of an independent contract are the member’s own to edit.',
  },
  UNKNOWN_CONTRACT: { rule: 'R3', message: 'There is no contract with that id to edit.' },
  CONTRACT_KIND_FIXED: {
    rule: 'D10',
    message: 'A contract stays hourly or fixed-price; Upwork ends it and makes a new one to change that.',
  },
  UNKNOWN_CONTRACT_MILESTONE: {
    rule: 'R4',
    message: 'There is no contract with that id to add a milestone to.',
  },
  NOT_FIXED_PRICE: { rule: 'R4', message: 'Milestones belong to fixed-price contracts.' },
  NOT_FREELANCER_OR_MANAGER: {
    rule: 'R4',
    message: 'Milestones are submitted by the freelancer working the contract or a business manager.',
  },
  UNKNOWN_CONTRACT_TIME: { rule: 'R5', message: 'There is no contract with that id to log time on.' },
  NOT_HOURLY: { rule: 'R5', message: 'Time is logged on hourly contracts only.' },
  NOT_CONTRACT_FREELANCER: {
    rule: 'R5',
    message: 'Only the freelancer working an hourly contract logs its time.',
  },
  // flags on facts
  OVERDRAFT: {
    rule: 'P1',
    message: "This agency proposal took more of the agency's Connects than was free to spend.",
  },
  OVERDRAFT_OBSERVED: {
    rule: 'P1',
    message:
      "Upwork's balance, with the agency proposals recorded after it, is below zero: those proposals overdrew the agency.",
  },
  ALLOWANCE_EXCEEDED: {
    rule: 'P4',
    message: "This agency proposal went beyond what was left of the member's monthly allowance.",
  },
  ALLOWANCE_SHRUNK: {
    rule: 'P4',
    message:
      "Upwork showed a lower balance than the monthly allowances reserve: this month's reservations shrink to fit.",
  },
  EXCLUSIVE_INDEPENDENT: {
    rule: 'R7',
    message:
      'An exclusive member proposed as an independent freelancer; every proposal should be as the agency.',
  },
  OFFER_EXCLUSIVE: {
    rule: 'R7',
    message: "An exclusive member's offer or contract was recorded as independent; it is the agency's.",
  },
  OFFER_AGENCY_JOB: {
    rule: 'R8',
    message: 'This offer is on a job the member proposed to as the agency, so it is the agency’s offer.',
  },
  RECORDED_FOR_OTHER: {
    rule: 'P2',
    message:
      'A member recorded a proposal for someone else; only business managers send for others. Booked as their own.',
  },
  FOR_NON_MEMBER: {
    rule: 'D12',
    message: 'Recorded for someone who is not an active member: kept as the recorder’s own and flagged.',
  },
  OFFER_CONFLICT: {
    rule: 'LOG',
    message:
      'Two members recorded this offer differently at the same time: neither record counts until it is recorded again.',
  },
  AMOUNT_IN_THE_CLEAR: {
    rule: 'D15',
    message:
      'An amount (a rate, a milestone amount or a payout) was recorded in the clear after the agency began sealing amounts to its business managers: it is not counted.',
  },
  RESEAL_NOT_MANAGER: {
    rule: 'D15',
    message:
      'Only a business manager’s browser lets another business manager’s browser read earlier amounts.',
  },
  RESEAL_NOT_MANAGER_KEY: {
    rule: 'D15',
    message:
      'Earlier amounts are re-sealed only to the key a business manager’s active browser published: not to a plain member, a demoted manager or an old key.',
  },
  RESEAL_NOT_SEALED: {
    rule: 'D15',
    message: 'Only an amount sealed in an action this one knew can be re-sealed.',
  },
  RESEAL_REPEATED: {
    rule: 'D15',
    message: 'That browser could already read this amount: each amount is re-sealed to a browser once.',
  },
  CONTRACT_TAKEN: {
    rule: 'D8',
    message:
      'A teammate had already recorded this contract as theirs, and a contract belongs to one freelancer: it is disputed until a business manager decides, and once one has, a record of it by anyone else changes nothing.',
  },
  CONTRACT_DISPUTED: {
    rule: 'D8',
    message:
      'Two members recorded this contract as their own: no one holds it until a business manager decides.',
  },
  REFUND_BEYOND_SPENT: {
    rule: 'D9',
    message:
      'This refund would give back more Connects than the agency spent on the job, less the refunds already counted: only what was spent comes back.',
  },
  REFUND_DAY_AHEAD: {
    rule: 'D9',
    message:
      'This refund is dated after the day it was recorded, so it is no row of Upwork’s history: not counted.',
  },
  PAYOUT_UNKNOWN_CONTRACT: {
    rule: 'R6',
    message: 'A payout was recorded for a contract the agency has no record of.',
  },
  HOURS_NOT_ON: {
    // D11 keeps time logs so a week's hours can be shown; recording one's own is the agency's choice
    rule: 'D11',
    message:
      'Hours recorded while the agency does not record members’ own hours (a business manager’s setting): kept in the log, not counted.',
  },
  HOURS_NOT_OWN_CONTRACT: {
    rule: 'R5',
    message:
      'Hours recorded on a contract the agency’s log does not have as the recorder’s own: only its freelancer logs time on it. Kept in the log, not counted.',
  },
  HOURS_WEEK_AHEAD: {
    rule: 'D11',
    message:
      'Hours recorded for a week that had not begun on the day they were recorded: kept in the log, not counted.',
  },
  BOOST_NOT_OWN: {
    rule: 'R1',
    message:
      'A proposal’s boost outcome is recorded by the member who sent the proposal (its first recorder); a record by anyone else changes nothing.',
  },
  NAME_TAKEN: {
    // Identity: a member is shown by the name given when joining, so two active members need two names
    rule: 'LOG',
    message:
      'An active member of the agency already has this name (names that read the same are one name, whatever their case, spaces or invisible characters): join with another name, for instance with your last name or initial.',
  },
  OFFER_FOR_OTHER: {
    // D12: only a business manager records for someone else; an offer shows on Upwork to its freelancer and
    // the managers alone, so a plain member's record of a teammate's offer is no observation of theirs
    rule: 'D12',
    message:
      'A member recorded an offer for someone else; only business managers record for others. Kept in the log, it records nothing.',
  },
  AMOUNT_NOT_BY_MANAGER: {
    rule: 'D15',
    message:
      'An amount (a rate, a milestone amount or a payout) recorded by someone who was not a business manager: Upwork shows amounts to business managers only, so it is not counted.',
  },
  PAYOUT_NOT_SEEN: {
    rule: 'D15',
    message:
      'A payout recorded by a member Upwork does not show it to (only business managers, and the freelancer of an independent contract, see earnings): kept in the log, not counted.',
  },
} as const satisfies Record<string, { rule: string; message: string }>;

export type VerdictCode = keyof typeof VERDICTS;
