// @vitest-environment-options { "url": "https://www.upwork.com/" }
import { describe, expect, it } from 'vitest';
import { matchAgency } from '../../../extension/overlay/agency-match.ts';
import {
  balanceObservation,
  defaultTeamToRecord,
  proposalFact,
  upworkIdToLearn,
} from '../../../extension/overlay/page-facts.ts';
import { AGENCY, JOB_KEYS } from '../upwork-page/fake-upwork.ts';
import { northwind, overviewOf, planOf, readingOf, viewOf } from './support.ts';

async function matched(name: string, variant: Parameters<typeof readingOf>[0], balance = 312) {
  const fx = await northwind(balance);
  const view = viewOf(fx, name);
  const match = matchAgency(readingOf(variant), overviewOf(view));
  if (match.kind !== 'matched') throw new Error('no match');
  return { fx, view, match };
}

describe('facts the overlay records from the page', () => {
  it('records the agency option’s balance as an observation when it differs from the shared state', async () => {
    const { view, match } = await matched('Ben', 'exclusive-agency', 1000);
    // The exclusive member's pages show 1,204 for the agency and 40 for the freelancer.
    expect(balanceObservation(view, match.option)).toEqual({
      kind: 'act',
      agencyId: view.agencyId,
      type: 'observeBalance',
      payload: { balance: 1204 },
    });
  });

  it('records no observation when the page agrees with the shared state', async () => {
    const { view, match } = await matched('Ben', 'exclusive-agency', 1204);
    expect(balanceObservation(view, match.option)).toBeNull();
  });

  it('never records the freelancer option’s number, which is the member’s own balance', async () => {
    const { view, match } = await matched('Ben', 'exclusive-agency', 1000);
    const freelancer = readingOf('exclusive-agency').proposeAs;
    if (freelancer.kind !== 'radios') throw new Error('radios expected');
    const own = freelancer.options.find((o) => !o.isAgency)!;
    expect(own.balance).toBe(40);
    expect(balanceObservation(view, own)).toBeNull();
    expect(balanceObservation(view, match.option)?.payload).toEqual({ balance: 1204 });
  });

  it('learns the agency’s Upwork id from the option found by name, once', async () => {
    const { fx, view, match } = await matched('Ben', 'exclusive-agency');
    const learn = upworkIdToLearn(view, match.option, match.matchedBy);
    expect(learn?.payload).toEqual({ upworkId: AGENCY.upworkId });
    await fx.act('Ben', 'learnUpworkId', { upworkId: AGENCY.upworkId });
    const later = viewOf(fx, 'Ben');
    const again = matchAgency(readingOf('exclusive-agency'), overviewOf(later));
    if (again.kind !== 'matched') throw new Error('no match');
    expect(again.matchedBy).toBe('id');
    expect(upworkIdToLearn(later, again.option, again.matchedBy)).toBeNull();
  });

  it('R9: records the option Upwork pre-selected as a non-exclusive member’s default team', async () => {
    const fx = await northwind();
    const plan = planOf(fx, 'Noor', readingOf('member-hourly'));
    expect(plan.preselected).toBe('independent');
    expect(defaultTeamToRecord(viewOf(fx, 'Noor'), plan)?.payload).toEqual({
      member: fx.id('Noor'),
      team: 'independent',
    });
    await fx.act('Noor', 'setDefaultTeam', { member: fx.id('Noor'), team: 'independent' });
    expect(
      defaultTeamToRecord(viewOf(fx, 'Noor'), planOf(fx, 'Noor', readingOf('member-hourly'))),
    ).toBeNull();
  });

  it('R9: an exclusive member has no default team to record (R7: always the agency)', async () => {
    const fx = await northwind();
    expect(
      defaultTeamToRecord(viewOf(fx, 'Ben'), planOf(fx, 'Ben', readingOf('exclusive-agency'))),
    ).toBeNull();
  });

  it('a proposal fact carries job, title, which way, Connects and boost', async () => {
    const fx = await northwind();
    expect(proposalFact(planOf(fx, 'Ben', readingOf('boost')))?.payload).toEqual({
      job: JOB_KEYS.boost,
      title: 'Technical SEO audit for a B2B SaaS site',
      as: 'agency',
      connects: 16,
      boost: 8,
    });
  });

  it('on a business manager’s form the proposal is the chosen member’s (the manager recorded it)', async () => {
    const fx = await northwind();
    expect(proposalFact(planOf(fx, 'Ana', readingOf('manager')))?.payload).toEqual({
      job: JOB_KEYS.manager,
      title: 'Brand identity for a specialty coffee roaster',
      as: 'agency',
      connects: 10,
      boost: 0,
      member: fx.id('Dana Okafor'),
    });
  });

  it('a form without a job title is recorded under the job key', async () => {
    const fx = await northwind();
    const reading = readingOf('member-hourly');
    const plan = { ...planOf(fx, 'Noor', reading), jobTitle: null };
    expect((proposalFact(plan)?.payload as { title?: string } | undefined)?.title).toBe(
      `Job ${JOB_KEYS['member-hourly']}`,
    );
  });

  it('P6: nothing is recorded for a member who left', async () => {
    const fx = await northwind();
    await fx.act('Ben', 'leaveAgency', {});
    const plan = planOf(fx, 'Ben', readingOf('exclusive-agency'));
    expect(proposalFact(plan)).toBeNull();
    const view = viewOf(fx, 'Ben');
    expect(balanceObservation(view, plan.agencyOption)).toBeNull();
  });
});
