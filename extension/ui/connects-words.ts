// The names of the Connects figures, one wording wherever a figure appears (popup, Insights, CSV headers
// aside): an outside review found "Connects spent" meaning two things on two screens.

/** Connects the agency's balance lost to proposals: a boost is Connects spent, so boosts are in it. */
export const SPENT_LABEL = 'Connects spent (boosts included)';

/** This month's unspent allowances, held back from the team's pool (P4, D2). */
export const RESERVED_LABEL = 'Reserved for allowances this month';
