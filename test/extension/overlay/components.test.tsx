// @vitest-environment-options { "url": "https://www.upwork.com/" }
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readApplyPage } from '../../../extension/features/upwork-page/read-apply-page.ts';
import { ApplyOverlay, type ApplyOverlayProps } from '../../../extension/overlay/apply-overlay.tsx';
import { JobBadge } from '../../../extension/overlay/job-badge.tsx';
import { UnrecognisedForm } from '../../../extension/overlay/page-notice.tsx';
import type { ProposalPlan } from '../../../extension/overlay/proposal-plan.ts';
import { proposalsOnJob } from '../../../extension/overlay/teammates.ts';
import { warningsFor } from '../../../extension/overlay/warnings.ts';
import { applyPath, JOB_KEYS, loadPage } from '../upwork-page/fake-upwork.ts';
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
    sent: null,
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
    // A sentence about this form first; the rule only as a small detail after it.
    expect(warning.textContent).toBe(
      'This form is set to propose as a freelancer, but you are an exclusive member: every proposal goes as the agency.' +
        'Rule R7 · Exclusive members propose as the agency' +
        'Propose as Northwind Pixel Works',
    );
    fireEvent.click(within(warning).getByRole('button', { name: 'Propose as Northwind Pixel Works' }));
    expect(props.onFix).toHaveBeenCalledWith('agency');
  });

  it('P1 and P4 warnings say what they mean for this proposal, the rule never first', async () => {
    const fx = await northwind(20);
    await fx.act('Ana', 'setAllowance', { member: fx.id('Ben'), monthly: 10 });
    show(fx, planOf(fx, 'Ben', readingOf('boost')));
    const items = within(screen.getByRole('list', { name: 'Before you send' })).getAllByRole('listitem');
    expect(items.map((li) => li.dataset.rule)).toEqual(['P4', 'P1']);
    expect(items[0]?.textContent).toMatch(
      /^This proposal needs 24 Connects; 10 Connects are left of your monthly/,
    );
    expect(items[1]?.textContent).toMatch(
      /^This proposal needs 24 Connects, and 20 Connects are free for you/,
    );
    for (const item of items) expect(item.textContent).not.toMatch(/^[RP]\d/);
    // An exclusive member has no other way to propose: no fix button, only going back.
    expect(within(items[0]!).queryByRole('button')).toBeNull();
  });

  it('the held Send asks the member to decide: fix it, or send anyway', async () => {
    const fx = await northwind(20);
    const plan = planOf(fx, 'Noor', readingOf('boost'));
    const warnings = warningsFor(plan);
    const props = show(fx, plan, { hold: warnings });
    const dialog = screen.getByRole('alertdialog', { name: 'Before you send' });
    expect(dialog.textContent).toContain("the agency's balance would go below zero.");
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

  it('8: an exclusive member on "freelancer" reads what sending as the agency will cost, never "untouched"', async () => {
    const fx = await northwind(312);
    show(fx, planOf(fx, 'Ben', readingOf('exclusive-freelancer')));
    const panel = screen.getByRole('region', { name: 'Connects' });
    expect(panel.textContent).not.toMatch(/untouched/);
    expect(panel.textContent).toMatch(/→ \d[\d,]* after sending once the form proposes as the agency/);
    expect(screen.getByTestId('propose-as-exclusive').textContent).toBe(
      'As an exclusive member you propose as the agency only.',
    );
  });

  it('8: a business manager whose form has no freelancer chosen yet reads the caveat', async () => {
    const fx = await northwind(312);
    loadPage(applyPath(JOB_KEYS.manager));
    const chosen = document.querySelector('.up-fe-contractor-selector .air3-dropdown-toggle-label');
    chosen!.textContent = 'Select a freelancer';
    const reading = readApplyPage(document, window.location.href);
    if (!reading.ok) throw new Error(reading.missing.join());
    show(fx, planOf(fx, 'Ana', reading));
    expect(screen.getByTestId('propose-as-manager').textContent).toBe(
      'As Northwind Pixel Works: no freelancer is chosen yet in Upwork\'s "Freelancer" menu above. Choose who this proposal is for; until then it would be recorded as yours.',
    );
  });

  it('after a recorded send, shows the state after it and the flags the business managers will see', async () => {
    const fx = await northwind(312);
    show(fx, planOf(fx, 'Ben', readingOf('boost')), {
      sent: {
        as: 'agency',
        cost: 24,
        forName: null,
        status: 'recorded',
        counted: true,
        flags: [{ rule: 'P4', message: "This agency proposal went beyond the member's monthly allowance." }],
        reason: null,
      },
    });
    expect(screen.getByTestId('sent-headline').textContent).toBe(
      'Sent as the agency — 24 Connects; balance now 312.',
    );
    // No second projection of the same spend: no "after sending", no propose-as choice.
    expect(screen.queryByRole('region', { name: 'Connects' })).toBeNull();
    expect(screen.queryByRole('group', { name: 'Propose as' })).toBeNull();
    expect(screen.getByRole('list', { name: 'Flagged for the business managers' }).textContent).toBe(
      "Flagged for the business managers: This agency proposal went beyond the member's monthly allowance." +
        'Rule P4 · Monthly allowances',
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
