// The Insights and Activity month lists offer the months from the agency's start to now, no earlier (an
// outside review found the list going back to January whatever the agency's age).
import { describe, expect, it } from 'vitest';
import { agencyMonths } from '../../../extension/ui/insights-section.tsx';

describe('the months a period list offers', () => {
  it('from the month the agency began to this month, the newest first, across a new year', () => {
    expect(agencyMonths(Date.UTC(2027, 1, 3), 'UTC', Date.UTC(2026, 10, 20))).toEqual([
      '2027-02',
      '2027-01',
      '2026-12',
      '2026-11',
    ]);
  });

  it('an agency created this month, or with no start known yet, offers this month alone', () => {
    expect(agencyMonths(Date.UTC(2026, 11, 2, 12), 'UTC', Date.UTC(2026, 11, 2, 9))).toEqual(['2026-12']);
    expect(agencyMonths(Date.UTC(2026, 11, 2, 12), 'UTC', null)).toEqual(['2026-12']);
  });

  it('months are the agency’s time zone’s: 1 Dec 02:00 UTC is still November in New York', () => {
    expect(agencyMonths(Date.UTC(2026, 11, 1, 2), 'America/New_York', Date.UTC(2026, 9, 31, 12))).toEqual([
      '2026-11',
      '2026-10',
    ]);
  });
});
