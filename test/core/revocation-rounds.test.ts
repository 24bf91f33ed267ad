// derive settles revocations in rounds: replay, compute what the applied power events take, replay again.
// A replay records only what it applied, so an action a revocation refused used to vanish from the next
// round's reckoning — neither the authority it needed nor the power it would take — and the rounds
// alternated; after a few fresh rounds derive merges what rounds decide, and so kept a verdict caused by a
// round whose premise the final round had refused (found by the authority oracle, seed 19).
// Expected outcomes below are read from domain.md, not from the code.
import { describe, expect, it } from 'vitest';
import { AgencyFixture, codesOf, DAY, refused } from './support/agency.ts';

describe('revocations settle on one answer (D5, R11, P2, D7)', () => {
  it('D5: a promotion made by a manager demoted concurrently promotes nobody, and nothing that followed from it stands', async () => {
    const f = new AgencyFixture();
    await f.create('Olga', 100);
    await f.join('Mia', { role: 'manager' });
    await f.join('Ann');
    await f.join('Bob');
    await f.join('Carl');
    const base = f.heads();
    // Mia promotes Ann; Olga demotes Mia; neither knew the other (D5: the promotion needed Mia's authority)
    const promote = await f.act(
      'Mia',
      'changeRole',
      { member: f.id('Ann'), role: 'manager' },
      { deps: base },
    );
    const demote = await f.act('Olga', 'changeRole', { member: f.id('Mia'), role: 'member' }, { deps: base });
    // Ann, believing herself a manager, leaves naming Bob (a manager leaving promotes the successor);
    // Bob, believing himself promoted, removes Carl
    const leave = await f.act('Ann', 'leaveAgency', { successor: f.id('Bob') }, { deps: [promote.id] });
    const removal = await f.act('Bob', 'removeMember', { member: f.id('Carl') }, { deps: [leave.id] });
    // meanwhile Olga, knowing only her demotion of Mia, lets Carl add a browser
    const invite = f.inviteKey();
    const grant = await f.act(
      'Olga',
      'grantDeviceInvite',
      { invite: invite.publicKey, member: f.id('Carl'), expiresAt: f.now + 7 * DAY },
      { deps: [demote.id] },
    );
    const browser = await f.joinWith('Carl', invite, {
      signer: f.deviceKey('Carl', 'laptop'),
      label: 'laptop',
      deps: [grant.id],
    });

    for (const d of [f.derive(), f.deriveReversed()]) {
      expect(codesOf(d, promote)).toEqual(['DEMOTED']);
      expect(refused(d, demote)).toBe(false);
      expect(refused(d, leave)).toBe(false); // R11: a member may always leave
      expect(d.state.members[f.id('Bob')]?.role).toBe('member'); // Ann was never a manager
      expect(codesOf(d, removal)).toEqual(['NOT_BUSINESS_MANAGER']);
      expect(d.state.members[f.id('Carl')]?.status).toBe('active');
      expect(refused(d, browser)).toBe(false);
    }
  });
});
