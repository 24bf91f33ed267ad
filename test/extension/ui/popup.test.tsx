import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PopupApp } from '../../../extension/entrypoints/popup/popup-app.tsx';
import { MY_TEAMS_URL } from '../../../extension/ui/default-team.tsx';
import { FakeBackground, nowOf, olgaAndBob, overviewOf, viewOf } from './support/views.ts';

afterEach(cleanup);

async function renderPopup(
  name = 'Bob',
  extra: Parameters<typeof viewOf>[2] = {},
  setup?: (fx: Awaited<ReturnType<typeof olgaAndBob>>) => Promise<void>,
) {
  const fx = await olgaAndBob();
  await setup?.(fx);
  const view = viewOf(fx, name, extra);
  const bg = new FakeBackground(overviewOf(view));
  const openAgencyPages = vi.fn();
  render(
    <PopupApp client={bg} openAgencyPages={openAgencyPages} initial={overviewOf(view)} now={nowOf(fx)} />,
  );
  return { fx, view, bg, openAgencyPages };
}

describe('popup', () => {
  it('shows the shared balance large, where it comes from, what the team may spend and my allowance', async () => {
    await renderPopup('Bob', {}, async (fx) => {
      await fx.act('Olga', 'recordPurchase', { connects: 50 });
      await fx.act('Bob', 'submitProposal', {
        job: '~021',
        title: 'Logo',
        as: 'agency',
        connects: 16,
        boost: 0,
      });
      await fx.act('Olga', 'setAllowance', { member: fx.id('Bob'), monthly: 40 });
    });
    expect(screen.getByTestId('balance').textContent).toBe('134');
    expect(screen.getByText(/A business manager entered 100 Connects on/)).toBeTruthy();
    expect(screen.getByText(/−16 spent, \+0 refunded, \+50\s+purchased/)).toBeTruthy();
    // P4: Bob's 16 this month count against his 40; the 24 left are reserved out of the pool.
    expect(screen.getByTestId('available').textContent).toBe('110 Connects');
    expect(screen.getByTestId('reserved').textContent).toBe('24 Connects');
    // One reserved figure in the popup, named once (an outside review found two).
    expect(screen.getAllByText(/reserved/i).map((e) => e.textContent)).toEqual([
      'Reserved for allowances this month',
    ]);
    expect(screen.getByTestId('allowance').textContent).toBe('24 Connects left of 40');
  });

  it('P4: a member without an allowance reads that they draw on the team pool', async () => {
    await renderPopup('Bob');
    expect(screen.getByTestId('allowance').textContent).toMatch(/No monthly allowance/);
  });

  it('shows sync status: synced with the last time, offline with the actions waiting, stopped with why', async () => {
    const { fx } = await renderPopup('Bob');
    expect(screen.getByTestId('sync-status').textContent).toBe('Synced · last synced 1 minute ago');
    cleanup();
    const offline = viewOf(fx, 'Bob', { sync: { status: 'offline', waiting: 3 } });
    render(
      <PopupApp
        client={new FakeBackground(overviewOf(offline))}
        openAgencyPages={() => {}}
        initial={overviewOf(offline)}
        now={nowOf(fx)}
      />,
    );
    expect(screen.getByTestId('sync-status').textContent).toBe(
      'Offline — 3 actions waiting · last synced 1 minute ago',
    );
    cleanup();
    const stopped = viewOf(fx, 'Bob', {
      sync: { status: 'stopped', stoppedReason: 'You were removed from the agency.' },
    });
    render(
      <PopupApp
        client={new FakeBackground(overviewOf(stopped))}
        openAgencyPages={() => {}}
        initial={overviewOf(stopped)}
        now={nowOf(fx)}
      />,
    );
    expect(screen.getByTestId('sync-status').textContent).toBe(
      'Not syncing: You were removed from the agency.',
    );
  });

  it('asks the background to reconnect when offline and the member clicks "Reconnect now"', async () => {
    const { bg, view } = await renderPopup('Bob', { sync: { status: 'offline', waiting: 1 } });
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect now' }));
    expect(bg.sent('reconnect')).toEqual([{ kind: 'reconnect', agencyId: view.agencyId }]);
  });

  it('lists the team with role, relationship and who I am', async () => {
    await renderPopup('Bob');
    const team = within(screen.getByRole('list', { name: 'Team members' }));
    expect(team.getByText('Olga').closest('li')!.textContent).toContain('Business manager · Exclusive');
    expect(team.getByText('Bob (you)').closest('li')!.textContent).toContain('Member · Exclusive');
  });

  it('shows recent activity newest first', async () => {
    await renderPopup('Bob', {}, async (fx) => {
      await fx.act('Bob', 'submitProposal', {
        job: '~021',
        title: 'Logo',
        as: 'agency',
        connects: 16,
        boost: 0,
      });
    });
    const items = within(screen.getByRole('list', { name: 'Recent activity' })).getAllByRole('listitem');
    expect(items[0]!.textContent).toContain("Bob proposed as the agency on 'Logo' — 16 Connects");
    expect(items.at(-1)!.textContent).toContain('Olga created the agency Acme Studio');
  });

  it('R9: shows the default team as Upwork shows it and links to Settings › My Teams, with nothing to change it', async () => {
    await renderPopup('Bob', {}, async (fx) => {
      await fx.act('Olga', 'changeRelationship', { member: fx.id('Bob'), relationship: 'non-exclusive' });
      await fx.act('Bob', 'setDefaultTeam', { member: fx.id('Bob'), team: 'agency' });
    });
    const line = screen.getByTestId('default-team');
    expect(line.textContent).toContain('Your default team on Upwork: the agency');
    expect(within(line).getByRole('link', { name: 'Settings › My Teams' }).getAttribute('href')).toBe(
      MY_TEAMS_URL,
    );
    expect(within(line).queryByRole('button')).toBeNull();
    expect(screen.queryByRole('combobox')).toBeNull();
  });

  it('R7: an exclusive member reads that they always propose as the agency', async () => {
    await renderPopup('Bob');
    expect(screen.getByTestId('default-team').textContent).toBe(
      'As an exclusive member you propose as the agency on every proposal.',
    );
  });

  it('P1: an overdraft is flagged to the member who made it and to managers, not to other members', async () => {
    const overdraw = async (fx: Awaited<ReturnType<typeof olgaAndBob>>) => {
      await fx.join('Cid');
      await fx.act('Bob', 'submitProposal', {
        job: '~022',
        title: 'Site',
        as: 'agency',
        connects: 100,
        boost: 20,
      });
    };
    await renderPopup('Bob', {}, overdraw);
    expect(
      within(screen.getByRole('list', { name: 'Flags' })).getByText(
        /more of the agency.s Connects than was free to spend/,
      ),
    ).toBeTruthy();
    cleanup();
    await renderPopup('Olga', {}, overdraw);
    expect(within(screen.getByRole('list', { name: 'Flags' })).getByText(/P1/)).toBeTruthy();
    cleanup();
    await renderPopup('Cid', {}, overdraw);
    expect(screen.queryByRole('list', { name: 'Flags' })).toBeNull();
  });

  it("shows per action of mine whether it is saved here, synced, or refused with the rule's sentence", async () => {
    const { fx } = await renderPopup('Bob', {
      recent: [
        { id: 'a1', type: 'submitProposal', at: 1, status: 'synced' },
        { id: 'a2', type: 'recordPurchase', at: 2, status: 'saved' },
        {
          id: null,
          type: 'changeRole',
          at: 3,
          status: 'refused',
          rule: 'P2',
          message: 'Only business managers …',
        },
      ],
    });
    const items = within(screen.getByRole('list', { name: 'Your recent actions' })).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.badge')!.textContent)).toEqual([
      'Refused: Only business managers …',
      'Saved in this browser, not synced yet',
      'Synced with the server',
    ]);
    expect(fx).toBeTruthy();
  });

  it('P6: a removed member reads when they were removed, that their history stays, and how to join again', async () => {
    let opened = 0;
    const fx = await olgaAndBob();
    await fx.act('Olga', 'removeMember', { member: fx.id('Bob') });
    const view = viewOf(fx, 'Bob', {
      sync: { status: 'stopped', stoppedBy: 'MEMBER_GONE', stoppedReason: 'You are no longer a member.' },
    });
    render(
      <PopupApp
        client={new FakeBackground(overviewOf(view))}
        openAgencyPages={() => opened++}
        initial={overviewOf(view)}
        now={nowOf(fx)}
      />,
    );
    const notice = screen.getByTestId('former-member');
    expect(within(notice).getByRole('heading').textContent).toMatch(
      /^You were removed from Acme Studio on \d+ \w+\.$/,
    );
    expect(notice.textContent).toContain('Your past actions stay in its history, attributed to you.');
    // Nothing of the agency's present is shown as theirs: no balance, allowance, sync retry or team choice.
    expect(screen.queryByText(/Reconnect now/)).toBeNull();
    expect(screen.queryByTestId('default-team')).toBeNull();
    expect(screen.queryByTestId('sync-status')).toBeNull();
    expect(screen.queryByText(/left of/)).toBeNull();
    fireEvent.click(within(notice).getByRole('button', { name: 'Join again with a new invite' }));
    expect(opened).toBe(1);
  });

  it('names each recent action of mine with the agency’s own sentence; the page’s bookkeeping stays out', async () => {
    const fx = await olgaAndBob();
    await fx.act('Olga', 'setAllowance', { member: fx.id('Bob'), monthly: 20 });
    await fx.act('Olga', 'setAllowance', { member: fx.id('Bob'), monthly: 25 });
    await fx.act('Olga', 'learnUpworkId', { upworkId: '1234567' });
    const recent = fx.actions
      .filter((a) => a.type === 'setAllowance' || a.type === 'learnUpworkId')
      .map((a) => ({ id: a.id, type: a.type, at: a.at, status: 'synced' as const }));
    const view = viewOf(fx, 'Olga', { recent });
    render(
      <PopupApp
        client={new FakeBackground(overviewOf(view))}
        openAgencyPages={() => {}}
        initial={overviewOf(view)}
        now={nowOf(fx)}
      />,
    );
    const items = within(screen.getByRole('list', { name: 'Your recent actions' })).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('span')?.textContent)).toEqual([
      'You gave Bob a monthly allowance of 25 Connects',
      'You gave Bob a monthly allowance of 20 Connects',
    ]);
  });

  it('a browser whose key was removed reads that it can no longer act, and what it may do', async () => {
    const fx = await olgaAndBob();
    const { signer } = await fx.addBrowser('Bob', 'Laptop');
    await fx.act('Olga', 'removeDeviceKey', { member: fx.id('Bob'), key: signer.publicKey });
    const view = viewOf(fx, 'Bob', { browserKey: signer.keyId });
    render(
      <PopupApp
        client={new FakeBackground(overviewOf(view))}
        openAgencyPages={() => {}}
        initial={overviewOf(view)}
        now={nowOf(fx)}
      />,
    );
    expect(screen.getByRole('alert').textContent).toMatch(
      /This browser was removed from Bob's browsers: it can no longer act for Acme Studio\. Its past actions stay in the history\. You can remove Acme Studio from this browser/,
    );
  });

  it('an agency made with Agency Overlay 0.1: the plain message, and export and remove that work', async () => {
    const fx = await olgaAndBob();
    const view = viewOf(fx, 'Olga', { oldFormat: true });
    const overview = { ...overviewOf(view), agencies: [{ agencyId: view.agencyId, name: 'Old Studio' }] };
    const bg = new FakeBackground(overview, {
      exportLog: () => ({ ok: true, value: { fileName: 'old-studio-log.json', json: '{"actions":[]}' } }),
      removeAgency: () => ({ ok: true, value: null }),
    });
    const download = vi.fn();
    render(
      <PopupApp
        client={bg}
        openAgencyPages={() => {}}
        initial={overview}
        now={nowOf(fx)}
        download={download}
      />,
    );
    expect(screen.getByRole('alert').textContent).toBe(
      'This agency was created with Agency Overlay 0.1, whose log format this version cannot read. Export it for your records, remove it from this browser, and create the agency again; then re-invite members.',
    );
    expect(screen.queryByTestId('balance')).toBeNull();
    expect(screen.queryByRole('list', { name: 'Team members' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: "Export the agency's log" }));
    await waitFor(() => expect(download).toHaveBeenCalledWith('old-studio-log.json', '{"actions":[]}'));
    fireEvent.click(screen.getByRole('button', { name: 'Remove Old Studio from this browser' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, remove Old Studio from this browser' }));
    await waitFor(() =>
      expect(bg.sent('removeAgency')).toEqual([{ kind: 'removeAgency', agencyId: view.agencyId }]),
    );
  });

  it('with no agency yet, calls the member to the agency pages', async () => {
    const openAgencyPages = vi.fn();
    render(<PopupApp client={new FakeBackground(overviewOf(null))} openAgencyPages={openAgencyPages} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Open the agency pages' }));
    expect(openAgencyPages).toHaveBeenCalledOnce();
  });

  it('draws the data it was given at once, without waiting for the background (no spinner)', async () => {
    const fx = await olgaAndBob();
    const view = viewOf(fx, 'Bob');
    const silent = new FakeBackground(overviewOf(view));
    silent.send = () => new Promise(() => {}); // the background has not answered yet
    render(
      <PopupApp client={silent} openAgencyPages={() => {}} initial={overviewOf(view)} now={nowOf(fx)} />,
    );
    expect(screen.getByTestId('balance').textContent).toBe('100');
    expect(document.querySelector('[aria-busy="true"]')).toBeNull();
  });

  it('follows the live subscription: a change posted by the background replaces what is shown', async () => {
    const { fx, bg } = await renderPopup('Bob');
    await fx.act('Olga', 'recordPurchase', { connects: 25 });
    bg.push(overviewOf(viewOf(fx, 'Bob')));
    await waitFor(() => expect(screen.getByTestId('balance').textContent).toBe('125'));
  });

  it('says "As of <time>, updating…" while the figures come from the snapshot, and drops it once the doc is read', async () => {
    const fx = await olgaAndBob();
    const now = nowOf(fx);
    // A restarted worker's first answer: the derived snapshot, written 5 minutes ago, before the doc is read.
    const fromSnapshot = { ...viewOf(fx, 'Bob'), cached: { at: now - 5 * 60_000 } };
    const bg = new FakeBackground(overviewOf(fromSnapshot));
    render(<PopupApp client={bg} openAgencyPages={() => {}} initial={overviewOf(fromSnapshot)} now={now} />);
    const asOf = new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: fromSnapshot.state.timeZone,
    }).format(now - 5 * 60_000);
    expect(screen.getByTestId('as-of').textContent).toBe(`As of ${asOf}, updating…`);
    // The replica opened: its view has no `cached`.
    bg.push(overviewOf(viewOf(fx, 'Bob')));
    await waitFor(() => expect(screen.queryByTestId('as-of')).toBeNull());
    expect(screen.getByTestId('balance').textContent).toBe('100');
  });

  it("shows the background's refusal when it cannot answer at all", async () => {
    const bg = new FakeBackground(overviewOf(null));
    bg.send = async () =>
      ({ ok: false, code: 'NO_BACKGROUND', rule: 'REQUEST', message: 'not reachable' }) as never;
    render(<PopupApp client={bg} openAgencyPages={() => {}} />);
    expect((await screen.findByRole('alert')).textContent).toContain('not reachable');
  });
});
