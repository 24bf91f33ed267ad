// @vitest-environment-options { "url": "https://www.upwork.com/" }
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApplyOverlay, type ApplyOverlayProps } from '../../../extension/overlay/apply-overlay.tsx';
import { JobBadge } from '../../../extension/overlay/job-badge.tsx';
import { UnrecognisedForm } from '../../../extension/overlay/page-notice.tsx';
import type { ProposalPlan } from '../../../extension/overlay/proposal-plan.ts';
import { proposalsOnJob } from '../../../extension/overlay/teammates.ts';
import { RULE_SENTENCES, warningsFor } from '../../../extension/overlay/warnings.ts';
import { JOB_KEYS } from '../upwork-page/fake-upwork.ts';
import { type AgencyFixture, northwind, nowOf, planOf, readingOf } from './support.ts';

afterEach(cleanup);

function show(fx: AgencyFixture, plan: ProposalPlan, extra: Partial<ApplyOverlayProps> = {}) {
  const props: ApplyOverlayProps = {
    plan,
    warnings: warningsFor(plan),
    teammates: proposalsOnJob(fx.derive().state, plan.jobKey, plan.me?.id ?? null),
    now: nowOf(fx),
    hold: null,
    note: null,
    unread: [],
    onChoose: vi.fn(),
    onFix: vi.fn(),
    onSendAnyway: vi.fn(),
    ...extra,
  };
  render(<ApplyOverlay {...props} />);
  return props;
}

describe('the overlay’s panels', () => {
  it('a non-exclusive member sees both choices with what each means for the agency’s Connects', async () => {
    const fx = await northwind(312);
    const props = show(fx, planOf(fx, 'Noor', readingOf('member-hourly')));
    const group = screen.getByRole('group', { name: 'Propose as' });
    const agency = within(group).getByRole('radio', { name: /Northwind Pixel Works/ });
    const independent = within(group).getByRole('radio', { name: /Independent freelancer/ });
    expect(independent).toHaveProperty('checked', true);
    expect(agency.closest('label')?.textContent).toContain("16 Connects from the agency's 312");
    expect(independent.closest('label')?.textContent).toContain(
      "From your own Connects (189 available); the agency's balance is untouched",
    );
    fireEvent.click(agency);
    expect(props.onChoose).toHaveBeenCalledWith('agency');
  });

  it('R7: an exclusive member sees the agency as the only choice, and the warning with its fix', async () => {
    const fx = await northwind(312);
    const props = show(fx, planOf(fx, 'Ben', readingOf('exclusive-freelancer')));
    expect(within(screen.getByRole('group', { name: 'Propose as' })).getAllByRole('radio')).toHaveLength(1);
    const warning = screen.getByRole('list', { name: 'Before you send' });
    expect(warning.textContent).toContain(`R7 ${RULE_SENTENCES.R7}`);
    fireEvent.click(within(warning).getByRole('button', { name: 'Propose as Northwind Pixel Works' }));
    expect(props.onFix).toHaveBeenCalledWith('agency');
  });

  it('P1 and P4 warnings carry their rule’s sentence', async () => {
    const fx = await northwind(20);
    await fx.act('Ana', 'setAllowance', { member: fx.id('Ben'), monthly: 10 });
    show(fx, planOf(fx, 'Ben', readingOf('boost')));
    const items = within(screen.getByRole('list', { name: 'Before you send' })).getAllByRole('listitem');
    expect(items.map((li) => li.textContent?.slice(0, 2))).toEqual(['P4', 'P1']);
    expect(items[0]?.textContent).toContain(RULE_SENTENCES.P4);
    expect(items[1]?.textContent).toContain(RULE_SENTENCES.P1);
    // An exclusive member has no other way to propose: no fix button, only going back.
    expect(within(items[0]!).queryByRole('button')).toBeNull();
  });

  it('the held Send asks the member to decide: fix it, or send anyway', async () => {
    const fx = await northwind(20);
    const plan = planOf(fx, 'Noor', readingOf('boost'));
    const warnings = warningsFor(plan);
    const props = show(fx, plan, { hold: warnings });
    const dialog = screen.getByRole('alertdialog', { name: 'Before you send' });
    expect(dialog.textContent).toContain(RULE_SENTENCES.P1);
    expect(document.activeElement?.textContent).toBe('Fix it: propose independently instead');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send anyway' }));
    expect(props.onSendAnyway).toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: /^Fix it/ }));
    expect(props.onFix).toHaveBeenCalledWith('independent');
  });

  it('shows the Connects: cost with boost, the balance before and after, the allowance', async () => {
    const fx = await northwind(312);
    await fx.act('Ana', 'setAllowance', { member: fx.id('Ben'), monthly: 30 });
    show(fx, planOf(fx, 'Ben', readingOf('boost')));
    const panel = screen.getByRole('region', { name: 'Connects' });
    expect(panel.textContent).toContain('24 Connects (16 + 8 boost)');
    expect(panel.textContent).toContain('312 → 288 after sending');
    expect(panel.textContent).toContain('30 left of 30 this month → 6 after');
  });

  it('after a recorded send, shows the flags the business managers will see', async () => {
    const fx = await northwind(312);
    show(fx, planOf(fx, 'Ben', readingOf('boost')), {
      note: {
        kind: 'recorded',
        text: 'Recorded for the agency: you proposed as the agency — 24 Connects.',
        flags: [{ rule: 'P4', message: "This agency proposal went beyond the member's monthly allowance." }],
      },
    });
    expect(screen.getByRole('list', { name: 'Flagged for the business managers' }).textContent).toBe(
      "P4 Flagged for the business managers: This agency proposal went beyond the member's monthly allowance.",
    );
  });
});

describe('notices and the job badge', () => {
  it('the unrecognised form names what was not found', () => {
    render(<UnrecognisedForm missing={['the Connects required', 'the Send button']} />);
    expect(screen.getByRole('note').textContent).toBe(
      'Agency Overlay: this does not look like a proposal form it knows, so it stays out of the way. Not found: the Connects required and the Send button. Nothing is read or recorded from this page.',
    );
  });

  it('P5: the job badge says who proposed, and nothing when no one did', async () => {
    const fx = await northwind(312);
    const key = JOB_KEYS.boost;
    const { container } = render(<JobBadge agencyName="N" proposals={[]} now={nowOf(fx)} />);
    expect(container.textContent).toBe('');
    await fx.propose('Ana', { job: key });
    cleanup();
    render(
      <JobBadge agencyName="N" proposals={proposalsOnJob(fx.derive().state, key, null)} now={nowOf(fx)} />,
    );
    expect(screen.getByRole('status').textContent).toBe('Ana proposed on this job · as the agency, just now');
  });
});
