// D9: one row of Upwork's Connects history is one refund. A row is known by its job, its day and its
// Connects; a second record of the same row (the page seen again, or by a teammate at the same time) is a
// repeat and moves nothing. Shared by the rule and by the overlay, which records each row once.

/** The key of a refund row, or null for a refund recorded without its day (counted each time, as before). */
export const refundKey = (p: { job: string; connects: number; on?: string }): string | null =>
  p.on === undefined ? null : `${p.job}|${p.on}|${p.connects}`;
