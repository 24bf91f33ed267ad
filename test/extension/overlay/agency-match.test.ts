// @vitest-environment-options { "url": "https://www.upwork.com/" }
import { describe, expect, it } from 'vitest';
import { matchAgency } from '../../../extension/overlay/agency-match.ts';
import { AGENCY } from '../upwork-page/fake-upwork.ts';
import { AgencyFixture, northwind, overviewOf, readingOf, viewOf } from './support.ts';

describe('which agency the form is about', () => {
  it('recognises the agency option by its name while the agency’s Upwork id is not known yet', async () => {
    const fx = await northwind();
    const match = matchAgency(readingOf('exclusive-agency'), overviewOf(viewOf(fx, 'Ben')));
    expect(match).toMatchObject({ kind: 'matched', matchedBy: 'name', option: { value: AGENCY.upworkId } });
  });

  it('recognises it by the Upwork id once learned, even after a rename on Upwork', async () => {
    const fx = await northwind();
    await fx.act('Ben', 'learnUpworkId', { upworkId: AGENCY.upworkId });
    const view = viewOf(fx, 'Ben');
    view.state.name = 'Northwind (old name)';
    const match = matchAgency(readingOf('exclusive-agency'), overviewOf(view));
    expect(match).toMatchObject({ kind: 'matched', matchedBy: 'id' });
  });

  it('a member of several agencies is switched to the one whose option the page offers', async () => {
    const other = new AgencyFixture('agency-overlay-test-02');
    await other.create('Ben', 50); // "Acme Studio"
    const view = viewOf(other, 'Ben');
    const overview = overviewOf(view, [{ agencyId: 'agency-northwind', name: AGENCY.name }]);
    expect(matchAgency(readingOf('exclusive-agency'), overview)).toEqual({
      kind: 'switch',
      agencyId: 'agency-northwind',
      name: AGENCY.name,
    });
  });

  it('says so when the page offers none of this browser’s agencies', async () => {
    const other = new AgencyFixture('agency-overlay-test-03');
    await other.create('Ben', 50);
    expect(matchAgency(readingOf('exclusive-agency'), overviewOf(viewOf(other, 'Ben')))).toEqual({
      kind: 'none',
      reason: 'not-offered',
      offered: [AGENCY.name],
    });
  });

  it('waits for the background, and tells a browser in no agency apart', () => {
    const reading = readingOf('exclusive-agency');
    expect(matchAgency(reading, null)).toMatchObject({ kind: 'none', reason: 'loading' });
    expect(matchAgency(reading, overviewOf(null))).toMatchObject({ kind: 'none', reason: 'no-agency' });
  });

  it('a business manager’s form is matched by its team dropdown, with no radio option', async () => {
    const fx = await northwind();
    expect(matchAgency(readingOf('manager'), overviewOf(viewOf(fx, 'Ana')))).toMatchObject({
      kind: 'matched',
      option: null,
    });
  });
});
