// The agency both "Contracts on Upwork" tests read (core's workOnUpwork and its table): Olga manages, Ann
// (exclusive) and Bo (non-exclusive) each recorded one contract on Upwork, and Ann's hours were recorded for
// the given weeks once Olga turned recording on. T0 is Monday 2 November 2026.
import { type AgencyFixture, DAY, T0 } from './agency.ts';

export interface RecordedWeek {
  week: string;
  minutes: number;
  at: number;
}

export async function workAgency(
  f: AgencyFixture,
  annsWeeks: readonly RecordedWeek[],
): Promise<AgencyFixture> {
  await f.create('Olga', 100);
  await f.join('Ann');
  await f.join('Bo', { relationship: 'non-exclusive' });
  await f.act(
    'Ann',
    'observeContract',
    { contract: '41000001', title: 'Field app', kind: 'hourly', as: 'agency' },
    { at: T0 + DAY },
  );
  await f.act(
    'Bo',
    'observeContract',
    { contract: '41000002', title: 'Blog move', kind: 'fixed', as: 'independent' },
    { at: T0 + 2 * DAY },
  );
  if (annsWeeks.length) await f.act('Olga', 'setHoursRecording', { on: true }, { at: T0 + 3 * DAY });
  for (const { week, minutes, at } of annsWeeks)
    await f.act('Ann', 'recordOwnHours', { contract: '41000001', week, minutes }, { at });
  return f;
}
