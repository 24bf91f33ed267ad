// The CSV exports (issue 12): RFC 4180 read back by a real CSV parser (csv-parse), ISO dates with the
// agency's offset, UTF-8 with a byte order mark, no amounts, and the Insights view's visibility.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  csvText,
  isoInZone,
  movementsCsv,
  observedBalances,
  offersCsv,
  proposalsCsv,
} from '../../core/index.ts';
import { AgencyFixture } from './support/agency.ts';

const at = (day: number, hour = 10) => Date.UTC(2026, 10, day, hour);
const NOV = { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) };
const read = (text: string): string[][] => parse(text, { bom: true, relax_column_count: false });

async function story() {
  const f = new AgencyFixture();
  await f.create('Olga', 100, { at: at(2, 9) });
  await f.act('Olga', 'setTimeZone', { timeZone: 'Europe/Paris' }, { at: at(2, 9) + 1 });
  await f.join('Zoë "Z", Park');
  await f.join('Bob', { relationship: 'non-exclusive' });
  const title = 'Shopify, "quick"\nand clean';
  await f.propose('Zoë "Z", Park', { job: '~A', title, connects: 16, boost: 4 }, { at: at(3, 13) });
  await f.propose('Bob', { job: '~A', title, connects: 12 }, { at: at(4) });
  await f.propose(
    'Bob',
    { job: '~B', title: '=HYPERLINK("x")', as: 'independent', connects: 8 },
    { at: at(5) },
  );
  await f.act('Olga', 'observeBalance', { balance: 70 }, { at: at(6) });
  await f.act('Olga', 'recordPurchase', { connects: 50 }, { at: at(7) });
  await f.act(
    'Bob',
    'receiveOffer',
    {
      offer: 'o-2',
      job: '~B',
      title: '=HYPERLINK("x")',
      as: 'independent',
      member: f.id('Bob'),
      terms: { kind: 'hourly', hourlyRate: 4200 },
    },
    { at: at(8) },
  );
  return { f, d: f.derive(), title };
}

describe('CSV', () => {
  it('RFC 4180: quotes, commas and line breaks survive a real parser; CRLF; a byte order mark', () => {
    const text = csvText(
      ['a', 'b'],
      [
        ['x, "y"\r\nz', 3],
        [null, 'é'],
      ],
    );
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(read(text)).toEqual([
      ['a', 'b'],
      ['x, "y"\r\nz', '3'],
      ['', 'é'],
    ]);
  });

  it('text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers', () => {
    expect(read(csvText(['t'], [['=1+1'], ['+x'], ['-x'], ['@x'], [-16]]))).toEqual([
      ['t'],
      ["'=1+1"],
      ["'+x"],
      ["'-x"],
      ["'@x"],
      ['-16'],
    ]);
  });

  it('ISO 8601 dates carry the agency’s offset', () => {
    const t = Date.UTC(2026, 10, 3, 13, 5, 9);
    expect(isoInZone(t, 'UTC')).toBe('2026-11-03T13:05:09Z');
    expect(isoInZone(t, 'Europe/Paris')).toBe('2026-11-03T14:05:09+01:00');
    expect(isoInZone(t, 'Asia/Kolkata')).toBe('2026-11-03T18:35:09+05:30');
    expect(isoInZone(t, 'America/New_York')).toBe('2026-11-03T08:05:09-05:00');
    expect(isoInZone(Date.UTC(2026, 6, 1, 0, 0, 0), 'Europe/Paris')).toBe('2026-07-01T02:00:00+02:00');
  });
});

describe('CSV exports of the Insights view', () => {
  it('proposals: every field read back; independent proposals without their Connects; duplicates marked', async () => {
    const { f, d, title } = await story();
    const rows = read(proposalsCsv(d.state, NOV, f.id('Olga')));
    expect(rows).toEqual([
      [
        'date (Europe/Paris)',
        'member',
        'proposed as',
        'job',
        'title',
        'connects',
        'boost',
        'total connects',
        'duplicate',
      ],
      ['2026-11-03T14:00:00+01:00', 'Zoë "Z", Park', 'agency', '~A', title, '16', '4', '20', 'no'],
      ['2026-11-04T11:00:00+01:00', 'Bob', 'agency', '~A', title, '12', '0', '12', 'yes'],
      ['2026-11-05T11:00:00+01:00', 'Bob', 'independent', '~B', `'=HYPERLINK("x")`, '', '', '', ''],
    ]);
  });

  it('proposals: a plain member’s file holds only their own', async () => {
    const { f, d } = await story();
    const rows = read(proposalsCsv(d.state, NOV, f.id('Bob')));
    expect(rows.slice(1).map((r) => r[1])).toEqual(['Bob', 'Bob']);
  });

  it('Connects movements: each with the balance after it, observations included', async () => {
    const { d, title } = await story();
    const rows = read(movementsCsv(d.state, observedBalances(d.book.observations), NOV));
    expect(rows).toEqual([
      ['date (Europe/Paris)', 'movement', 'connects', 'balance after', 'member', 'job title'],
      ['2026-11-01T01:00:00+01:00', 'balance at the start', '', '0', '', ''],
      [expect.stringMatching(/^2026-11-02T10:0/), 'balance seen', '100', '100', '', ''],
      ['2026-11-03T14:00:00+01:00', 'agency proposal', '-20', '80', 'Zoë "Z", Park', title],
      ['2026-11-04T11:00:00+01:00', 'agency proposal', '-12', '68', 'Bob', title],
      ['2026-11-06T11:00:00+01:00', 'balance seen', '2', '70', '', ''],
      ['2026-11-07T11:00:00+01:00', 'purchase', '50', '120', '', ''],
    ]);
  });

  it('offers: counts, never amounts (D15); a plain member sees their own', async () => {
    const { f, d } = await story();
    const text = offersCsv(d.state, f.id('Olga'));
    expect(text).not.toContain('4200');
    expect(read(text)).toEqual([
      ['proposed on (Europe/Paris)', 'member', 'offer to', 'job', 'title', 'status', 'offer'],
      ['2026-11-05T11:00:00+01:00', 'Bob', 'independent', '~B', `'=HYPERLINK("x")`, 'open', 'o-2'],
    ]);
    expect(read(offersCsv(d.state, f.id('Zoë "Z", Park')))).toHaveLength(1);
  });
});
