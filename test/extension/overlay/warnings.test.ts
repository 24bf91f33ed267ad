// @vitest-environment-options { "url": "https://www.upwork.com/" }
import { describe, expect, it } from 'vitest';
import { proposalsOnJob } from '../../../extension/overlay/teammates.ts';
import { warningsFor } from '../../../extension/overlay/warnings.ts';
import { JOB_KEYS } from '../upwork-page/fake-upwork.ts';
import { northwind, nowOf, planOf, readingOf } from './support.ts';

const codes = (ws: { rule: string }[]) => ws.map((w) => w.rule);

describe('warnings before Send', () => {
  it('R7: an exclusive member on the freelancer option reads what is wrong with this form, with a one-click fix to the agency', async () => {
    const fx = await northwind();
    const warnings = warningsFor(planOf(fx, 'Ben', readingOf('exclusive-freelancer')));
    expect(warnings).toEqual([
      {
        code: 'EXCLUSIVE_AS_FREELANCER',
        rule: 'R7',
        sentence:
          'This form is set to propose as a freelancer, but you are an exclusive member: every proposal goes as the agency.',
        fix: 'agency',
      },
    ]);
  });

  it('R7 does not apply to a non-exclusive member proposing independently (R8, R10)', async () => {
    const fx = await northwind();
    // The member-hourly page has the freelancer option pre-selected.
    expect(warningsFor(planOf(fx, 'Noor', readingOf('member-hourly')))).toEqual([]);
  });

  it('an agency proposal within the balance and without an allowance warns about nothing', async () => {
    const fx = await northwind(312);
    expect(warningsFor(planOf(fx, 'Ben', readingOf('exclusive-agency')))).toEqual([]);
  });

  it('P1: an agency proposal that would overdraw the shared balance says how much is free', async () => {
    const fx = await northwind(20);
    // boost page: 16 required + 8 boost = 24 > 20
    const warnings = warningsFor(planOf(fx, 'Ben', readingOf('boost')));
    expect(codes(warnings)).toEqual(['P1']);
    expect(warnings[0]?.sentence).toBe(
      "This proposal needs 24 Connects, and 20 Connects are free for you to spend: the agency's balance would go below zero.",
    );
    // An exclusive member has no independent way out (R7): going back is the fix.
    expect(warnings[0]?.fix).toBeNull();
  });

  it('P1: a non-exclusive member may fix an overdraft by proposing independently', async () => {
    const fx = await northwind(10);
    const reading = readingOf('boost');
    const warnings = warningsFor(planOf(fx, 'Noor', reading));
    expect(codes(warnings)).toEqual(['P1']);
    expect(warnings[0]?.fix).toBe('independent');
  });

  it('P4: an agency proposal beyond the monthly allowance names what is left of it', async () => {
    const fx = await northwind(312);
    await fx.act('Ana', 'setAllowance', { member: fx.id('Ben'), monthly: 20 });
    const warnings = warningsFor(planOf(fx, 'Ben', readingOf('boost')));
    expect(codes(warnings)).toEqual(['P4']);
    expect(warnings[0]?.sentence).toBe(
      'This proposal needs 24 Connects; 20 Connects are left of your monthly allowance of 20. Sent anyway, it is flagged for the business managers.',
    );
  });

  it('P4 and P1 together when the allowance is spent and the rest of the pool is reserved', async () => {
    const fx = await northwind(40);
    await fx.act('Ana', 'setAllowance', { member: fx.id('Ben'), monthly: 10 });
    await fx.act('Ana', 'setAllowance', { member: fx.id('Noor'), monthly: 30 });
    // Ben: 10 of his own + 0 unreserved = 10 spendable, the proposal costs 24.
    expect(codes(warningsFor(planOf(fx, 'Ben', readingOf('boost'))))).toEqual(['P4', 'P1']);
  });

  it('P4: a business manager sending for a member is warned about that member’s allowance', async () => {
    const fx = await northwind(312);
    await fx.act('Ana', 'setAllowance', { member: fx.id('Dana Okafor'), monthly: 5 });
    const plan = planOf(fx, 'Ana', readingOf('manager'));
    expect(plan.proposer?.name).toBe('Dana Okafor');
    const warnings = warningsFor(plan);
    expect(codes(warnings)).toEqual(['P4']);
    expect(warnings[0]?.sentence).toContain("left of Dana Okafor's monthly allowance of 5");
  });

  it('P5: a teammate’s agency proposal on this job holds the Send, saying who and when', async () => {
    const fx = await northwind(312);
    await fx.propose('Ana', { job: JOB_KEYS.boost });
    const plan = planOf(fx, 'Ben', readingOf('boost'));
    const teammates = proposalsOnJob(fx.derive().state, plan.jobKey, plan.me?.id ?? null);
    const later = nowOf(fx) + 2 * 3_600_000 + 60_000;
    expect(warningsFor(plan, teammates, later)).toEqual([
      {
        code: 'TEAMMATE_PROPOSED',
        rule: 'P5',
        sentence: 'Ana proposed on this job 2 hours ago as the agency.',
        fix: null,
      },
    ]);
  });

  it('P5: the proposer’s own earlier proposal, or a teammate’s independent one, holds nothing', async () => {
    const fx = await northwind(312);
    await fx.propose('Ben', { job: JOB_KEYS.boost });
    await fx.propose('Noor', { job: JOB_KEYS.boost, as: 'independent' });
    const plan = planOf(fx, 'Ben', readingOf('boost'));
    const teammates = proposalsOnJob(fx.derive().state, plan.jobKey, plan.me?.id ?? null);
    expect(teammates).toHaveLength(2);
    expect(warningsFor(plan, teammates, nowOf(fx))).toEqual([]);
  });

  it('an independent proposal never warns about the agency’s Connects', async () => {
    const fx = await northwind(0);
    expect(warningsFor(planOf(fx, 'Noor', readingOf('member-hourly')))).toEqual([]);
  });

  it('P6: a member who left is not warned (nothing of the form is recorded for the agency)', async () => {
    const fx = await northwind(0);
    await fx.act('Ben', 'leaveAgency', {});
    expect(warningsFor(planOf(fx, 'Ben', readingOf('exclusive-freelancer')))).toEqual([]);
  });
});

describe('D2: no screen offers Connects the agency does not have', () => {
  it('in a new month, renewed allowances are capped by the balance: the warning offers nothing the agency lacks', async () => {
    const fx = await northwind(100);
    await fx.act('Ana', 'setAllowance', { member: fx.id('Ben'), monthly: 60 });
    await fx.act('Ana', 'setAllowance', { member: fx.id('Noor'), monthly: 40 });
    await fx.propose('Ben', { connects: 60 });
    await fx.propose('Noor', { connects: 40 });
    // December: the grants renew (60 and 40), the balance is still 0
    fx.setClock(Date.UTC(2026, 11, 1, 9, 0, 0));
    await fx.act('Ana', 'observeBalance', { balance: 0 });
    const plan = planOf(fx, 'Ben', readingOf('exclusive-agency'));
    expect(plan.summary.allowanceLeft).toBe(0);
    expect(plan.summary.spendable).toBe(0);
    const warnings = warningsFor(plan);
    expect(codes(warnings).sort()).toEqual(['P1', 'P4']);
    for (const w of warnings) expect(w.sentence).not.toMatch(/\b(60|40|100) Connects (is|are) (free|left)/);
    expect(warnings.find((w) => w.rule === 'P1')?.sentence).toMatch(/0 Connects are free for you to spend/);
  });
});
