import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VERDICTS } from '../../../core/lite.ts';
import { OptionsApp } from '../../../extension/entrypoints/options/options-app.tsx';
import {
  type AgencyFixture,
  type Answers,
  FakeBackground,
  nowOf,
  olgaAndBob,
  overviewOf,
  viewOf,
} from './support/views.ts';

afterEach(cleanup);

async function renderOptions(
  name: string,
  answers: Answers = {},
  setup?: (fx: AgencyFixture) => Promise<void>,
) {
  const fx = await olgaAndBob();
  await setup?.(fx);
  const view = viewOf(fx, name);
  const bg = new FakeBackground(overviewOf(view), answers);
  const download = vi.fn();
  render(<OptionsApp client={bg} initial={overviewOf(view)} now={nowOf(fx)} download={download} />);
  return { fx, view, bg, download };
}

const button = (name: string | RegExp) => screen.getByRole('button', { name }) as HTMLButtonElement;
const field = (label: string | RegExp) => screen.getByLabelText(label) as HTMLInputElement;
const saved = (id = 'act-1') => ({ ok: true as const, value: { id, status: 'saved' as const, flags: [] } });

describe('agency pages: a plain member', () => {
  it('P2: sees invite, member management and Connects controls disabled, with the reason', async () => {
    await renderOptions('Bob');
    const reason = `(P2) ${VERDICTS.NOT_BUSINESS_MANAGER.message}`;
    expect(screen.getAllByText(reason).length).toBe(3);
    expect(button('Create invite').disabled).toBe(true);
    expect((screen.getByLabelText('Role of Olga') as HTMLSelectElement).disabled).toBe(true);
    expect((screen.getByLabelText('Relationship of Bob') as HTMLSelectElement).disabled).toBe(true);
    expect(field('Monthly allowance of Bob').disabled).toBe(true);
    expect(button('Remove Olga').disabled).toBe(true);
    expect(button('Record purchase').disabled).toBe(true);
    expect(field('Balance as Upwork shows it').disabled).toBe(true);
    // The reason is the controls' description, so a screen reader says why they are disabled.
    const described = screen.getByLabelText('Role of Olga').getAttribute('aria-describedby')!;
    expect(document.getElementById(described)!.textContent).toBe(reason);
  });

  it('R11: reads plainly what stays when they leave, and leaves after confirming', async () => {
    const { bg, view } = await renderOptions('Bob', { act: () => saved('leave-1') });
    const section = within(screen.getByRole('region', { name: 'Leave the agency' }));
    expect(
      section.getByText(
        /You keep your Upwork profile and your work history; your past actions stay\s+in the agency's history/,
      ),
    ).toBeTruthy();
    expect(section.queryByLabelText(/Successor/)).toBeNull();
    fireEvent.click(button('Leave Acme Studio'));
    fireEvent.click(button('Yes, leave Acme Studio'));
    await waitFor(() =>
      expect(bg.sent('act')).toEqual([
        { kind: 'act', agencyId: view.agencyId, type: 'leaveAgency', payload: {} },
      ]),
    );
    expect((await section.findByRole('status')).textContent).toContain(
      'You left Acme Studio — saved in this browser.',
    );
  });
});

describe('agency pages: the last business manager', () => {
  it('P3: cannot leave without naming a successor; with one, the successor is sent', async () => {
    const { bg, fx } = await renderOptions('Olga', { act: () => saved() });
    const leave = button('Leave Acme Studio');
    expect(leave.disabled).toBe(true);
    expect(screen.getByText(`(P3) ${VERDICTS.SUCCESSOR_REQUIRED.message}`)).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Successor/), { target: { value: fx.id('Bob') } });
    expect(button('Leave Acme Studio').disabled).toBe(false);
    fireEvent.click(button('Leave Acme Studio'));
    fireEvent.click(button('Yes, leave Acme Studio'));
    await waitFor(() => expect(bg.sent('act')[0]?.payload).toEqual({ successor: fx.id('Bob') }));
  });

  it('P3: cannot be demoted or removed, and reads why', async () => {
    await renderOptions('Olga');
    expect((screen.getByLabelText('Role of Olga') as HTMLSelectElement).disabled).toBe(true);
    const described = screen.getByLabelText('Role of Olga').getAttribute('aria-describedby')!;
    expect(document.getElementById(described)!.textContent).toBe(`(P3) ${VERDICTS.LAST_MANAGER.message}`);
    // Bob is not a manager: his controls stay usable.
    expect((screen.getByLabelText('Role of Bob') as HTMLSelectElement).disabled).toBe(false);
  });
});

describe('agency pages: a business manager', () => {
  it("changes a member's role and relationship through core, and sees saved then synced", async () => {
    const { bg, fx, view } = await renderOptions('Olga', { act: () => saved('role-1') });
    fireEvent.change(screen.getByLabelText('Role of Bob'), { target: { value: 'manager' } });
    await waitFor(() =>
      expect(bg.sent('act')).toEqual([
        {
          kind: 'act',
          agencyId: view.agencyId,
          type: 'changeRole',
          payload: { member: fx.id('Bob'), role: 'manager' },
        },
      ]),
    );
    const members = within(screen.getByRole('region', { name: 'Members' }));
    expect((await members.findByRole('status')).textContent).toBe(
      'Bob is now business manager — saved in this browser.',
    );
    bg.push(overviewOf({ ...view, recent: [{ id: 'role-1', type: 'changeRole', at: 1, status: 'synced' }] }));
    await waitFor(() =>
      expect(members.getByRole('status').textContent).toBe(
        'Bob is now business manager — synced with the server.',
      ),
    );
    fireEvent.change(screen.getByLabelText('Relationship of Bob'), { target: { value: 'non-exclusive' } });
    await waitFor(() =>
      expect(bg.sent('act')[1]?.payload).toEqual({ member: fx.id('Bob'), relationship: 'non-exclusive' }),
    );
  });

  it("shows a refused request's rule and message (P3 seniority race)", async () => {
    const { code: _c, ...seniority } = { code: 'SENIORITY', ...VERDICTS.SENIORITY };
    await renderOptions('Olga', { act: () => ({ ok: false, code: 'SENIORITY', ...seniority }) });
    fireEvent.change(screen.getByLabelText('Role of Bob'), { target: { value: 'manager' } });
    const alert = await within(screen.getByRole('region', { name: 'Members' })).findByRole('alert');
    expect(alert.textContent).toBe(`Refused (P3): ${VERDICTS.SENIORITY.message}`);
  });

  it('P4: a refused allowance says it cannot reserve more than the unreserved balance', async () => {
    const { bg, fx } = await renderOptions('Olga', {
      act: () => ({ ok: false, code: 'ALLOWANCE_OVER_BALANCE', ...VERDICTS.ALLOWANCE_OVER_BALANCE }),
    });
    fireEvent.input(field('Monthly allowance of Bob'), { target: { value: '500' } });
    fireEvent.click(button('Set allowance of Bob'));
    await waitFor(() => expect(bg.sent('act')[0]?.payload).toEqual({ member: fx.id('Bob'), monthly: 500 }));
    const alert = await within(screen.getByRole('region', { name: 'Members' })).findByRole('alert');
    expect(alert.textContent).toBe(`Refused (P4): ${VERDICTS.ALLOWANCE_OVER_BALANCE.message}`);
  });

  it('removes a member only after confirming, saying their history stays (P6)', async () => {
    const { bg, fx } = await renderOptions('Olga', { act: () => saved() });
    fireEvent.click(button('Remove Bob'));
    expect(screen.getByText(/Their past actions stay in the agency's history/)).toBeTruthy();
    expect(bg.sent('act')).toEqual([]);
    fireEvent.click(button('Confirm removing Bob'));
    await waitFor(() =>
      expect(bg.sent('act')[0]).toMatchObject({ type: 'removeMember', payload: { member: fx.id('Bob') } }),
    );
  });

  it('records a Connects purchase and enters the balance as Upwork shows it', async () => {
    const { bg } = await renderOptions('Olga', { act: () => saved() });
    fireEvent.input(field('Connects bought'), { target: { value: '80' } });
    fireEvent.click(button('Record purchase'));
    await waitFor(() =>
      expect(bg.sent('act')[0]).toMatchObject({ type: 'recordPurchase', payload: { connects: 80 } }),
    );
    fireEvent.input(field('Balance as Upwork shows it'), { target: { value: '312' } });
    fireEvent.click(button('Enter balance'));
    await waitFor(() =>
      expect(bg.sent('act')[1]).toMatchObject({ type: 'enterBalance', payload: { balance: 312 } }),
    );
    fireEvent.input(field(/Agency time zone/), { target: { value: 'Europe/Berlin' } });
    fireEvent.click(button('Set time zone'));
    await waitFor(() =>
      expect(bg.sent('act')[2]).toMatchObject({
        type: 'setTimeZone',
        payload: { timeZone: 'Europe/Berlin' },
      }),
    );
  });

  it('creates a single-use invite and shows the code to send', async () => {
    const expiresAt = Date.UTC(2026, 10, 9, 9);
    const { bg, view } = await renderOptions('Olga', {
      createInvite: () => ({ ok: true, value: { code: 'ao1.abc', expiresAt } }),
    });
    fireEvent.change(field('Role'), { target: { value: 'member' } });
    fireEvent.change(field('Relationship'), { target: { value: 'non-exclusive' } });
    fireEvent.input(field('Expires in (days)'), { target: { value: '3' } });
    fireEvent.click(button('Create invite'));
    expect(((await screen.findByTestId('invite-code')) as HTMLTextAreaElement).value).toBe('ao1.abc');
    expect(screen.getByText(/Single use: the first person who joins with it uses it up/)).toBeTruthy();
    expect(bg.sent('createInvite')).toEqual([
      {
        kind: 'createInvite',
        agencyId: view.agencyId,
        role: 'member',
        relationship: 'non-exclusive',
        expiresInDays: 3,
      },
    ]);
  });

  it("exports the agency's log as a file", async () => {
    const { download } = await renderOptions('Olga', {
      exportLog: () => ({ ok: true, value: { fileName: 'acme-log.json', json: '{"actions":[]}' } }),
    });
    fireEvent.click(button("Export the agency's log"));
    await waitFor(() => expect(download).toHaveBeenCalledWith('acme-log.json', '{"actions":[]}'));
  });

  it('sets the sync server address', async () => {
    const { bg, view } = await renderOptions('Olga', { setServer: () => ({ ok: true, value: null }) });
    fireEvent.input(field('Sync server address'), { target: { value: 'wss://sync.example.com' } });
    fireEvent.click(button('Save server'));
    await waitFor(() =>
      expect(bg.sent('setServer')).toEqual([
        { kind: 'setServer', agencyId: view.agencyId, server: 'wss://sync.example.com' },
      ]),
    );
  });
});

describe('agency pages: no agency yet', () => {
  function renderFresh(answers: Answers = {}) {
    const bg = new FakeBackground(overviewOf(null), answers);
    render(<OptionsApp client={bg} defaultServer="ws://localhost:1234" />);
    return bg;
  }

  it('creates an agency with trimmed names, the balance as a number and the default server', async () => {
    const bg = renderFresh({ createAgency: () => ({ ok: true, value: { agencyId: 'agency-new-001' } }) });
    fireEvent.input(await screen.findByLabelText('Agency name'), { target: { value: ' Acme Studio ' } });
    fireEvent.input(screen.getAllByLabelText('Your name')[0]!, { target: { value: 'Olga' } });
    fireEvent.input(screen.getByLabelText(/Agency Connects balance/), { target: { value: '312' } });
    fireEvent.click(button('Create the agency'));
    await waitFor(() =>
      expect(bg.sent('createAgency')).toEqual([
        {
          kind: 'createAgency',
          server: 'ws://localhost:1234',
          agencyName: 'Acme Studio',
          memberName: 'Olga',
          balance: 312,
        },
      ]),
    );
    expect((await screen.findByRole('status')).textContent).toContain('you are its first business manager');
  });

  it('refuses a pasted text that is not an invite code without asking the background', async () => {
    const bg = renderFresh();
    fireEvent.input(await screen.findByLabelText(/Invite code/), {
      target: { value: 'chrome-extension://abc/options.html' },
    });
    fireEvent.input(screen.getAllByLabelText('Your name')[1]!, { target: { value: 'Bob' } });
    fireEvent.click(button('Join the agency'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/That is not an invite code/);
    expect(bg.sent('joinAgency')).toEqual([]);
  });

  it("joins with a code, and shows the background's refusal of a used invite", async () => {
    const bg = renderFresh({
      joinAgency: () => ({ ok: false, code: 'INVITE_INVALID', ...VERDICTS.INVITE_INVALID }),
    });
    fireEvent.input(await screen.findByLabelText(/Invite code/), { target: { value: 'ao1.eyJ9' } });
    fireEvent.input(screen.getAllByLabelText('Your name')[1]!, { target: { value: 'Bob' } });
    fireEvent.click(button('Join the agency'));
    expect((await screen.findByRole('alert')).textContent).toBe(
      `Refused (P2): ${VERDICTS.INVITE_INVALID.message}`,
    );
    expect(bg.sent('joinAgency')).toEqual([{ kind: 'joinAgency', code: 'ao1.eyJ9', memberName: 'Bob' }]);
  });

  it("shows this browser's key so a member can add it from another browser", async () => {
    renderFresh({ deviceKey: () => ({ ok: true, value: { publicKey: 'k'.repeat(43) } }) });
    fireEvent.click(await screen.findByRole('button', { name: "Show this browser's key" }));
    expect(((await screen.findByLabelText("This browser's key")) as HTMLInputElement).value).toBe(
      'k'.repeat(43),
    );
  });
});
