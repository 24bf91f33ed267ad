// What each agency rule is about, in a few words (domain.md's rules R1–R11, P1–P6 and decisions D1–D15),
// for the small "rule" detail under a sentence. Core decides; this only names the rule a verdict cites.
// The rules the overlay cites most are apart, so it carries only those (content-script budget).

/** The rules a proposal form's warnings before Send and a recorded proposal's flags cite. */
const FORM_RULES: Record<string, string> = {
  R7: 'Exclusive members propose as the agency',
  P1: "The agency's balance should not go below zero",
  P4: 'Monthly allowances',
  P5: 'Teammates on the same job',
};

const OTHER_RULES: Record<string, string> = {
  R1: "Agency proposals draw on the agency's Connects",
  R2: 'Only business managers accept agency offers',
  R3: 'Only business managers edit agency contract terms',
  R4: 'Milestones come from the freelancer or a business manager',
  R5: 'Only the freelancer logs time on an hourly contract',
  R6: "Agency contracts pay into the agency's account",
  R8: 'Non-exclusive members may also work independently',
  R9: 'Each member sets their own default team on Upwork',
  R10: 'Non-exclusive members choose on every proposal',
  R11: 'Anyone may leave the agency at any time',
  P2: 'Business managers manage members and Connects',
  P3: 'The agency always keeps a business manager',
  P6: 'Former members can no longer act for the agency',
};

const DECISION = /^D(?:[1-9]|1[0-5])$/;
const DECISION_TITLE = 'How the agency settles actions taken at the same time';

/** A proposal form's rule in a few words, or null (the overlay shows no detail for the rarer others). */
export function formRuleTitle(rule: string): string | null {
  return FORM_RULES[rule] ?? null;
}

/** The rule's few words, or null for an id that names no agency rule (the extension's own refusals). */
export function ruleTitle(rule: string): string | null {
  return FORM_RULES[rule] ?? OTHER_RULES[rule] ?? (DECISION.test(rule) ? DECISION_TITLE : null);
}
