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
  T0,
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
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';
const CHECKED = {
  agencyId: 'agency-new-001',
  agencyName: 'Acme Studio',
  expiresAt: Date.UTC(2026, 10, 9, 9),
  grantedBy: 'Olga',
};

const saved = (id = 'act-1') => ({ ok: true as const, value: { id, status: 'saved' as const, flags: [] } });

describe('agency pages: a plain member', () => {
  it('P2: sees the team and who manages it, and none of the business managers’ controls', async () => {
    await renderOptions('Bob');
    // No manager control, disabled or not, and no rule banner repeated under each.
    expect(screen.queryByRole('button', { name: 'Create invite' })).toBeNull();
    expect(screen.queryByLabelText('Role of Olga')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Record purchase' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Remove Olga/ })).toBeNull();
    expect(screen.queryByText(/Only business managers|\(P2\)/)).toBeNull();
    const members = within(screen.getByRole('region', { name: 'Members' }));
    expect(members.getByTestId('managers-note').textContent).toBe(
      "Olga is the agency's business manager: ask them to invite someone, change a role or an allowance, or record Connects.",
    );
    expect(members.getByRole('rowheader', { name: 'Bob (you)' }).closest('tr')?.textContent).toBe(
      'Bob (you)MemberExclusiveNone (draws on the team’s pool)',
    );
    // What a plain member can do is there: add a browser, export, leave.
    expect(button('Make a code')).toBeTruthy();
    expect(button("Export the agency's log")).toBeTruthy();
    expect(button('Leave Acme Studio')).toBeTruthy();
    expect(screen.getByTestId('my-standing').textContent).toBe('You are Bob: member, exclusive.');
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

describe('agency pages: the owner', () => {
  it('P3: cannot leave without naming a successor; with one, the successor is sent', async () => {
    const { bg, fx } = await renderOptions('Olga', { act: () => saved() });
    const leave = button('Leave Acme Studio');
    expect(leave.disabled).toBe(true);
    expect(screen.getByText('You own the agency: choose who takes it over before you leave.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Successor/), { target: { value: fx.id('Bob') } });
    expect(button('Leave Acme Studio').disabled).toBe(false);
    fireEvent.click(button('Leave Acme Studio'));
    fireEvent.click(button('Yes, leave Acme Studio'));
    await waitFor(() => expect(bg.sent('act')[0]?.payload).toEqual({ successor: fx.id('Bob') }));
  });

  it('D4: the owner cannot be demoted or removed, and reads why', async () => {
    await renderOptions('Olga');
    expect((screen.getByLabelText('Role of Olga') as HTMLSelectElement).disabled).toBe(true);
    const described = screen.getByLabelText('Role of Olga').getAttribute('aria-describedby')!;
    expect(document.getElementById(described)!.textContent).toBe(
      'You own the agency: the owner stays a business manager and cannot be removed.',
    );
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
    // The sentence first; the rule only as a small detail after it.
    expect(alert.textContent).toBe(
      `${VERDICTS.SENIORITY.message}Rule P3 · The agency always keeps a business manager`,
    );
  });

  it('P4: a refused allowance says it cannot reserve more than the unreserved balance', async () => {
    const { bg, fx } = await renderOptions('Olga', {
      act: () => ({ ok: false, code: 'ALLOWANCE_OVER_BALANCE', ...VERDICTS.ALLOWANCE_OVER_BALANCE }),
    });
    fireEvent.input(field('Monthly allowance of Bob'), { target: { value: '500' } });
    fireEvent.click(button('Set allowance of Bob'));
    await waitFor(() => expect(bg.sent('act')[0]?.payload).toEqual({ member: fx.id('Bob'), monthly: 500 }));
    const alert = await within(screen.getByRole('region', { name: 'Members' })).findByRole('alert');
    expect(alert.textContent).toBe(`${VERDICTS.ALLOWANCE_OVER_BALANCE.message}Rule P4 · Monthly allowances`);
  });

  it('4: a refused allowance about its field marks that member’s field only, with the sentence', async () => {
    await renderOptions('Olga', {
      act: () => ({
        ok: false,
        code: 'BAD_REQUEST',
        rule: 'REQUEST',
        field: 'monthly',
        message: 'The monthly allowance can be at most 1,000,000 Connects.',
      }),
    });
    fireEvent.input(field('Monthly allowance of Bob'), { target: { value: '2000000' } });
    fireEvent.click(button('Set allowance of Bob'));
    const alert = await within(screen.getByRole('region', { name: 'Members' })).findByRole('alert');
    expect(alert.textContent).toBe('The monthly allowance can be at most 1,000,000 Connects.');
    expect(field('Monthly allowance of Bob').getAttribute('aria-invalid')).toBe('true');
    expect(field('Monthly allowance of Bob').getAttribute('aria-describedby')).toBe('members-result');
    expect(field('Monthly allowance of Olga').getAttribute('aria-invalid')).toBeNull();
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
      createInvite: () => ({
        ok: true,
        value: { id: 'grant-1', invite: 'inv-1', code: 'ao2.abc', expiresAt },
      }),
    });
    fireEvent.change(field('Role'), { target: { value: 'member' } });
    fireEvent.change(field('Relationship'), { target: { value: 'non-exclusive' } });
    fireEvent.input(field('Expires in (days)'), { target: { value: '3' } });
    fireEvent.click(button('Create invite'));
    expect(((await screen.findByTestId('invite-code')) as HTMLTextAreaElement).value).toBe('ao2.abc');
    // The grant's own status, live: saved here, then synced once the server acknowledged it.
    const section = within(screen.getByRole('region', { name: 'Invite a member' }));
    expect(section.getByRole('status').textContent).toBe('Invite created — saved in this browser.');
    bg.push(
      overviewOf({ ...view, recent: [{ id: 'grant-1', type: 'grantInvite', at: 1, status: 'synced' }] }),
    );
    await waitFor(() =>
      expect(section.getByRole('status').textContent).toBe('Invite created — synced with the server.'),
    );
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

  it('7: the invite names who it is for; a new attempt clears the last code, even when it is refused', async () => {
    let refuse = false;
    await renderOptions('Olga', {
      createInvite: () =>
        refuse
          ? {
              ok: false,
              code: 'BAD_REQUEST',
              rule: 'REQUEST',
              field: 'expiresInDays',
              message: 'The number of days can be at most 365.',
            }
          : {
              ok: true,
              value: { id: 'grant-1', invite: 'inv-1', code: 'ao2.abc', expiresAt: Date.UTC(2026, 10, 9, 9) },
            },
    });
    fireEvent.input(field(/Who it is for/), { target: { value: 'Leo' } });
    fireEvent.click(button('Create invite'));
    const code = (await screen.findByLabelText('Invite code to send to Leo')) as HTMLTextAreaElement;
    expect(code.value).toBe('ao2.abc');
    const section = within(screen.getByRole('region', { name: 'Invite a member' }));
    expect(section.getByRole('status').textContent).toBe('Invite for Leo created — saved in this browser.');
    refuse = true;
    fireEvent.click(button('Create invite'));
    expect((await section.findByRole('alert')).textContent).toBe('The number of days can be at most 365.');
    expect(screen.queryByTestId('invite-code')).toBeNull();
    expect(section.queryByRole('status')).toBeNull();
    expect(field('Expires in (days)').getAttribute('aria-invalid')).toBe('true');
  });

  it('7: a code revoked since it was made is not offered any more', async () => {
    const { bg, view } = await renderOptions('Olga', {
      createInvite: () => ({
        ok: true,
        value: { id: 'grant-1', invite: 'inv-1', code: 'ao2.abc', expiresAt: Date.UTC(2026, 10, 9, 9) },
      }),
    });
    fireEvent.click(button('Create invite'));
    await screen.findByTestId('invite-code');
    const revoked = {
      id: 'inv-1',
      kind: 'member' as const,
      grantedBy: view.me,
      role: 'member' as const,
      relationship: 'exclusive' as const,
      member: null,
      expiresAt: Date.UTC(2026, 10, 9, 9),
      label: null,
      usedBy: null,
      revoked: true,
    };
    bg.push(
      overviewOf({ ...view, state: { ...view.state, invites: { ...view.state.invites, 'inv-1': revoked } } }),
    );
    expect((await screen.findByTestId('invite-spent')).textContent).toBe(
      'This invite was revoked: its code admits nobody.',
    );
    expect(screen.queryByTestId('invite-code')).toBeNull();
  });

  it('2: an invite made while the agency never reached its server says it cannot be used until then', async () => {
    const fx = await olgaAndBob();
    const view = viewOf(fx, 'Olga', {
      sync: { status: 'offline', lastSyncedAt: null, server: 'wss://no-such-host.invalid', waiting: 3 },
    });
    const bg = new FakeBackground(overviewOf(view), {
      createInvite: () => ({
        ok: true,
        value: { id: 'grant-1', invite: 'inv-1', code: 'ao2.abc', expiresAt: T0 },
      }),
    });
    render(<OptionsApp client={bg} initial={overviewOf(view)} now={nowOf(fx)} />);
    fireEvent.click(button('Create invite'));
    expect((await screen.findByTestId('invite-unusable')).textContent).toBe(
      'This invite cannot be used until the agency reaches its sync server (wss://no-such-host.invalid): nobody can join with the code before then. Check the address under Sync and export.',
    );
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

  it('an address typed without ws:// is read as the member meant it, and the field shows what was used', async () => {
    const { bg, view } = await renderOptions('Olga', { setServer: () => ({ ok: true, value: null }) });
    const typed = [
      'localhost:1234',
      'https://sync.example.com/agency',
      'sync.example.com',
      'WS://10.0.0.5:1234',
    ];
    for (const value of typed) {
      fireEvent.input(field('Sync server address'), { target: { value } });
      fireEvent.click(button('Save server'));
      await waitFor(() => expect(bg.sent('setServer')).toHaveLength(typed.indexOf(value) + 1));
    }
    expect(bg.sent('setServer').map((r) => r.server)).toEqual([
      'ws://localhost:1234',
      'wss://sync.example.com/agency',
      'wss://sync.example.com',
      'ws://10.0.0.5:1234',
    ]);
    expect((field('Sync server address') as HTMLInputElement).value).toBe('ws://10.0.0.5:1234');
    expect(bg.sent('setServer').every((r) => r.agencyId === view.agencyId)).toBe(true);
  });
});

describe('agency pages: no agency yet', () => {
  function renderFresh(
    answers: Answers = {},
    userAgent?: string,
    askToSee?: (server: string) => Promise<boolean>,
  ) {
    const bg = new FakeBackground(overviewOf(null), answers);
    render(
      <OptionsApp
        client={bg}
        defaultServer="ws://localhost:1234"
        userAgent={userAgent}
        askToSee={askToSee}
      />,
    );
    return bg;
  }

  const fillCreate = async () => {
    fireEvent.input(await screen.findByLabelText('Agency name'), { target: { value: 'Acme Studio' } });
    fireEvent.input(screen.getAllByLabelText('Your name')[0]!, { target: { value: 'Olga' } });
    fireEvent.input(screen.getByLabelText(/Agency Connects balance/), { target: { value: '312' } });
    fireEvent.input(screen.getByLabelText(/Sync server address/), {
      target: { value: 'wss://no-such-host.invalid' },
    });
  };

  it('2: an address where no sync server answers is said plainly, and creating offline is an explicit choice', async () => {
    const unreachable = {
      ok: false as const,
      code: 'PROBE_UNREACHABLE',
      rule: 'SERVER',
      field: 'server',
      message:
        'Nothing answered at wss://no-such-host.invalid: the name may not exist, nothing may be listening on port 443, or its certificate may not be trusted.',
    };
    const bg = renderFresh({
      createAgency: (r) => (r.offline ? { ok: true, value: { agencyId: 'agency-new-001' } } : unreachable),
    });
    await fillCreate();
    fireEvent.click(button('Create the agency'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(unreachable.message);
    // The field is marked and described by the sentence.
    const field = screen.getByLabelText(/Sync server address/);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(field.getAttribute('aria-describedby')!)).toBe(alert);
    // No permission to ask for here: no "Find out why".
    expect(screen.queryByRole('button', { name: 'Find out why' })).toBeNull();
    fireEvent.click(button('Create it offline anyway'));
    await waitFor(() => expect(bg.sent('createAgency').at(-1)).toMatchObject({ offline: true }));
    expect((await screen.findByRole('status')).textContent).toBe(
      'Agency created in this browser: it syncs once wss://no-such-host.invalid answers.',
    );
  });

  it('2: "Find out why" asks the browser to show this address, then tries again and names the reason', async () => {
    let asked = '';
    const bg = renderFresh(
      {
        createAgency: () =>
          asked
            ? {
                ok: false,
                code: 'PROBE_UNRESOLVED',
                rule: 'SERVER',
                message:
                  'The name no-such-host.invalid does not resolve: no such host is known. Check the address for a typo.',
              }
            : { ok: false, code: 'PROBE_UNREACHABLE', rule: 'SERVER', message: 'Nothing answered at …' },
      },
      undefined,
      async (server) => {
        asked = server;
        return true;
      },
    );
    await fillCreate();
    fireEvent.click(button('Create the agency'));
    await screen.findByRole('alert');
    fireEvent.click(button('Find out why'));
    await waitFor(() => expect(bg.sent('createAgency')).toHaveLength(2));
    expect(asked).toBe('wss://no-such-host.invalid');
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toMatch(
        /^The name no-such-host.invalid does not resolve/,
      ),
    );
    // A known reason needs no second look.
    expect(screen.queryByRole('button', { name: 'Find out why' })).toBeNull();
  });

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
    fireEvent.click(button('Continue'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/That is not an invite code/);
    expect(bg.sent('checkInvite')).toEqual([]);
    expect(bg.sent('joinAgency')).toEqual([]);
  });

  it('checks a member invite first, then asks for the name and joins', async () => {
    const bg = renderFresh({
      checkInvite: () => ({
        ok: true,
        value: { ...CHECKED, kind: 'member', role: 'member', relationship: 'exclusive' },
      }),
      joinAgency: () => ({ ok: true, value: { agencyId: CHECKED.agencyId } }),
    });
    fireEvent.input(await screen.findByLabelText(/Invite code/), { target: { value: ' ao2.eyJ9 ' } });
    expect(screen.getAllByLabelText('Your name')).toHaveLength(1); // only the creation form's, for now
    fireEvent.click(button('Continue'));
    const step = within(await screen.findByTestId('join-step'));
    expect(bg.sent('checkInvite')).toEqual([{ kind: 'checkInvite', code: 'ao2.eyJ9' }]);
    expect(step.getByText(/Olga invites you to Acme Studio as an exclusive member\./)).toBeTruthy();
    expect(step.queryByLabelText(/Name of this browser/)).toBeNull();
    fireEvent.input(step.getByLabelText(/Your name/), { target: { value: ' Bob ' } });
    fireEvent.click(step.getByRole('button', { name: 'Join the agency' }));
    await waitFor(() =>
      expect(bg.sent('joinAgency')).toEqual([{ kind: 'joinAgency', code: 'ao2.eyJ9', name: 'Bob' }]),
    );
    expect((await step.findByRole('status')).textContent).toContain('You joined Acme Studio');
  });

  it('F4: a name an active member has is refused at the join step, saying why, and the name can be changed', async () => {
    const bg = renderFresh({
      checkInvite: () => ({
        ok: true,
        value: { ...CHECKED, kind: 'member', role: 'member', relationship: 'exclusive' },
      }),
      joinAgency: (m) =>
        (m as { name: string }).name === 'bob'
          ? { ok: false, code: 'NAME_TAKEN', ...VERDICTS.NAME_TAKEN }
          : { ok: true, value: { agencyId: CHECKED.agencyId } },
    });
    fireEvent.input(await screen.findByLabelText(/Invite code/), { target: { value: 'ao2.eyJ9' } });
    fireEvent.click(button('Continue'));
    const step = within(await screen.findByTestId('join-step'));
    fireEvent.input(step.getByLabelText(/Your name/), { target: { value: 'bob' } });
    fireEvent.click(step.getByRole('button', { name: 'Join the agency' }));
    expect((await step.findByRole('alert')).textContent).toContain(
      'An active member of the agency already has this name',
    );
    fireEvent.input(step.getByLabelText(/Your name/), { target: { value: 'Bob Lee' } });
    fireEvent.click(step.getByRole('button', { name: 'Join the agency' }));
    await waitFor(() => expect(step.getByRole('status').textContent).toContain('You joined Acme Studio'));
    expect(bg.sent('joinAgency').map((m) => (m as { name: string }).name)).toEqual(['bob', 'Bob Lee']);
  });

  it('a code for another browser asks for no name: it suggests one from the browser, editable', async () => {
    const bg = renderFresh(
      {
        checkInvite: () => ({
          ok: true,
          value: { ...CHECKED, kind: 'device', member: { id: 'o'.repeat(43), name: 'Olga' } },
        }),
        joinAgency: () => ({ ok: true, value: { agencyId: CHECKED.agencyId } }),
      },
      FIREFOX_LINUX,
    );
    fireEvent.input(await screen.findByLabelText(/Invite code/), { target: { value: 'ao2.eyJ9' } });
    fireEvent.click(button('Continue'));
    const step = within(await screen.findByTestId('join-step'));
    expect(step.getByText(/adds this browser to Olga's membership in Acme Studio/)).toBeTruthy();
    expect(step.queryByLabelText(/Your name/)).toBeNull();
    const label = step.getByLabelText(/Name of this browser/) as HTMLInputElement;
    expect(label.value).toBe('Firefox on Linux');
    fireEvent.click(step.getByRole('button', { name: 'Add this browser' }));
    await waitFor(() =>
      expect(bg.sent('joinAgency')).toEqual([
        { kind: 'joinAgency', code: 'ao2.eyJ9', name: 'Firefox on Linux' },
      ]),
    );
    expect((await step.findByRole('status')).textContent).toContain('This browser was added to Olga');
  });

  it("shows the background's refusal of a used invite, and joins nothing", async () => {
    const bg = renderFresh({
      checkInvite: () => ({
        ok: false,
        code: 'SERVER_REFUSED',
        rule: 'SERVER',
        message: 'The invite is unknown, already used or expired.',
      }),
    });
    fireEvent.input(await screen.findByLabelText(/Invite code/), { target: { value: 'ao2.eyJ9' } });
    fireEvent.click(button('Continue'));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The invite is unknown, already used or expired.',
    );
    expect(screen.queryByTestId('join-step')).toBeNull();
    expect(bg.sent('joinAgency')).toEqual([]);
  });

  it('tells a member already in another browser where to make a code for this one', async () => {
    renderFresh();
    const region = within(
      await screen.findByRole('region', { name: 'Already a member in another browser?' }),
    );
    expect(region.getByText(/Add another browser/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /browser's key/ })).toBeNull();
  });
});

/** Olga invites someone who has not joined yet, and Bob makes a code for a browser of his own. */
async function withOpenCodes(fx: AgencyFixture): Promise<void> {
  await fx.invite('Olga', { role: 'manager', relationship: 'non-exclusive' });
  await fx.act('Bob', 'grantDeviceInvite', {
    invite: fx.inviteKey().publicKey,
    member: fx.id('Bob'),
    expiresAt: fx.now + 86_400_000,
    label: 'laptop',
  });
}

const rowOf = (what: RegExp) =>
  screen.getAllByRole('row').find((r) => what.test(r.textContent ?? '')) as HTMLTableRowElement;

describe('agency pages: add another browser', () => {
  it('a member makes a code for a browser of their own (no choice of member), shown once to copy', async () => {
    const copy = vi.fn(async () => {});
    const fx = await olgaAndBob();
    const view = viewOf(fx, 'Bob');
    const bg = new FakeBackground(overviewOf(view), {
      createDeviceInvite: () => ({
        ok: true,
        value: { id: 'grant-2', invite: 'inv-2', code: 'ao2.device', expiresAt: Date.UTC(2026, 10, 3, 9) },
      }),
    });
    render(<OptionsApp client={bg} initial={overviewOf(view)} now={nowOf(fx)} copy={copy} />);
    const section = within(screen.getByRole('region', { name: 'Browsers' }));
    expect(section.getByRole('list', { name: 'Your browsers' }).textContent).toContain(
      'The browser you joined with (this browser)',
    );
    expect(section.queryByLabelText('For')).toBeNull();
    fireEvent.input(section.getByLabelText(/Note/), { target: { value: 'laptop' } });
    fireEvent.click(section.getByRole('button', { name: 'Make a code' }));
    const code = (await section.findByTestId('device-code')) as HTMLTextAreaElement;
    expect(code.value).toBe('ao2.device');
    expect(bg.sent('createDeviceInvite')).toEqual([
      {
        kind: 'createDeviceInvite',
        agencyId: view.agencyId,
        member: fx.id('Bob'),
        expiresInDays: 1,
        label: 'laptop',
      },
    ]);
    fireEvent.click(section.getByRole('button', { name: 'Copy the code' }));
    await waitFor(() => expect(copy).toHaveBeenCalledWith('ao2.device'));
    expect(section.queryByRole('textbox', { name: /key/ })).toBeNull();
  });

  it('a business manager may make one for any active member', async () => {
    const { bg, fx, view } = await renderOptions('Olga', {
      createDeviceInvite: () => ({
        ok: true,
        value: { id: 'grant-3', invite: 'inv-3', code: 'ao2.forbob', expiresAt: T0 },
      }),
    });
    const section = within(screen.getByRole('region', { name: 'Browsers' }));
    const select = section.getByLabelText('For') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Olga (you)', 'Bob']);
    fireEvent.change(select, { target: { value: fx.id('Bob') } });
    fireEvent.click(section.getByRole('button', { name: 'Make a code' }));
    expect(((await section.findByTestId('device-code')) as HTMLTextAreaElement).value).toBe('ao2.forbob');
    expect(bg.sent('createDeviceInvite')[0]).toMatchObject({ agencyId: view.agencyId, member: fx.id('Bob') });
    expect(section.getByText("Code for Bob's new browser")).toBeTruthy();
  });

  it('a browser whose key was removed says so plainly and cannot make codes', async () => {
    const fx = await olgaAndBob();
    const { signer } = await fx.addBrowser('Bob', 'Laptop');
    await fx.act('Bob', 'removeDeviceKey', { member: fx.id('Bob'), key: signer.publicKey });
    const view = viewOf(fx, 'Bob', { browserKey: signer.keyId });
    render(
      <OptionsApp client={new FakeBackground(overviewOf(view))} initial={overviewOf(view)} now={nowOf(fx)} />,
    );
    expect(screen.getByTestId('standing-notice').textContent).toMatch(
      /This browser was removed from Bob's browsers: it can no longer act for Acme Studio/,
    );
    const section = within(screen.getByRole('region', { name: 'Browsers' }));
    expect(section.getByRole('list', { name: 'Your browsers' }).textContent).toContain(
      'Laptop (this browser) removed: it can no longer act',
    );
    expect((section.getByRole('button', { name: 'Make a code' }) as HTMLButtonElement).disabled).toBe(true);
    expect(
      section.getByText(
        'This browser was removed from your membership, so it can no longer act for the agency.',
      ),
    ).toBeTruthy();
  });
});

describe('agency pages: unused invites and codes', () => {
  it('a business manager sees who made each, what it admits and until when, and revokes any', async () => {
    const { bg, fx, view } = await renderOptions(
      'Olga',
      { revokeInvite: () => saved('revoke-1') },
      withOpenCodes,
    );
    const section = within(screen.getByRole('region', { name: 'Unused invites and codes' }));
    const invite = rowOf(/Invite \(business manager, non-exclusive\)/);
    expect(invite.textContent).toContain('a new member');
    expect(invite.textContent).toContain('Olga');
    const code = rowOf(/Browser code/);
    expect(code.textContent).toContain('Bob · laptop');
    fireEvent.click(within(code).getByRole('button', { name: /Revoke/ }));
    const id = Object.values(fx.derive().state.invites).find((i) => i.kind === 'device')!.id;
    await waitFor(() =>
      expect(bg.sent('revokeInvite')).toEqual([
        { kind: 'revokeInvite', agencyId: view.agencyId, invite: id },
      ]),
    );
    expect((await section.findByRole('status')).textContent).toBe(
      'Browser code revoked — saved in this browser.',
    );
    expect((within(invite).getByRole('button', { name: /Revoke/ }) as HTMLButtonElement).disabled).toBe(
      false,
    );
  });

  it('a plain member sees only the codes that add a browser to them, and may revoke those (P2)', async () => {
    await renderOptions('Bob', {}, withOpenCodes);
    const section = within(screen.getByRole('region', { name: 'Your unused browser codes' }));
    expect(section.queryByText(/Invite \(/)).toBeNull();
    const own = within(rowOf(/Browser code/)).getByRole('button', { name: /Revoke/ }) as HTMLButtonElement;
    expect(own.disabled).toBe(false);
  });

  it('lists nothing once the codes are used, revoked or expired', async () => {
    await renderOptions('Olga', {}, async (fx) => {
      const { invite } = await fx.invite('Olga');
      await fx.act('Olga', 'revokeInvite', { invite: invite.publicKey });
    });
    expect(
      screen.getByText(/None: every invite and browser code was used, revoked or has expired/),
    ).toBeTruthy();
  });
});

describe('agency pages: an agency made with Agency Overlay 0.1', () => {
  it('says plainly what to do, and its export and remove buttons work', async () => {
    const fx = await olgaAndBob();
    const view = { ...viewOf(fx, 'Olga', { oldFormat: true, sync: { status: 'stopped' } }) };
    const overview = { ...overviewOf(view), agencies: [{ agencyId: view.agencyId, name: 'Old Studio' }] };
    const bg = new FakeBackground(overview, {
      exportLog: () => ({ ok: true, value: { fileName: 'old-studio-log.json', json: '{}' } }),
      removeAgency: () => ({ ok: true, value: null }),
    });
    const download = vi.fn();
    render(<OptionsApp client={bg} initial={overview} now={nowOf(fx)} download={download} />);
    expect(screen.getByRole('heading', { level: 1, name: 'Old Studio' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'This agency was created with Agency Overlay 0.1, whose log format this version cannot read. Export it for your records, remove it from this browser, and create the agency again; then re-invite members.',
    );
    // Nothing of the old agency's state is offered: no members, no invites.
    expect(screen.queryByRole('region', { name: 'Members' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Create invite' })).toBeNull();
    fireEvent.click(button("Export the agency's log"));
    await waitFor(() => expect(download).toHaveBeenCalledWith('old-studio-log.json', '{}'));
    fireEvent.click(button('Remove Old Studio from this browser'));
    expect(bg.sent('removeAgency')).toEqual([]);
    fireEvent.click(button('Yes, remove Old Studio from this browser'));
    await waitFor(() =>
      expect(bg.sent('removeAgency')).toEqual([{ kind: 'removeAgency', agencyId: view.agencyId }]),
    );
    // Creating the agency again is right there.
    expect(button('Create the agency')).toBeTruthy();
  });
});
