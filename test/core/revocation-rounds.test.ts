// derive settles revocations in rounds: replay, compute what the applied power events take, replay again.
// A replay records only what it applied, so an action a revocation refused used to vanish from the next
// round's reckoning — neither the authority it needed nor the power it would take — and the rounds
// alternated; after a few fresh rounds derive merges what rounds decide, and so kept a verdict caused by a
// round whose premise the final round had refused (found by the authority oracle, seed 19).
// Expected outcomes below are read from domain.md, not from the code.
import { describe, expect, it } from 'vitest';
import { applyActions, derive } from '../../core/index.ts';
import { AgencyFixture, codesOf, DAY, refused } from './support/agency.ts';
import { stableText } from './support/invariants.ts';

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

describe('a refused power event contends with where its actor stands now (P3)', () => {
  it('P3: a senior manager whose removal fell stays senior: a junior’s concurrent demotion of them is refused, theirs stands', async () => {
    const f = new AgencyFixture();
    await f.create('Olga', 100);
    await f.join('Max', { role: 'manager' });
    await f.join('Kim', { role: 'manager' });
    await f.join('Zed', { role: 'manager' });
    const base = f.heads();
    // Kim and Max remove each other; Max became a manager first, so Kim's removal of him falls (P3)
    const kimRemovesMax = await f.act('Kim', 'removeMember', { member: f.id('Max') }, { deps: base });
    const maxRemovesKim = await f.act('Max', 'removeMember', { member: f.id('Kim') }, { deps: base });
    // Zed, having seen only Kim's removal of Max, invites Max back as a manager; Max joins with it
    const { invite, grant } = await f.invite('Zed', { role: 'manager', deps: [kimRemovesMax.id] });
    const back = await f.joinWith('Max', invite, { deps: [grant.id, maxRemovesKim.id] });
    // Max and Zed, both having seen Max's return, demote each other
    const maxDemotesZed = await f.act(
      'Max',
      'changeRole',
      { member: f.id('Zed'), role: 'member' },
      { deps: [back.id] },
    );
    const zedDemotesMax = await f.act(
      'Zed',
      'changeRole',
      { member: f.id('Max'), role: 'member' },
      { deps: [back.id] },
    );
    for (const d of [f.derive(), f.deriveReversed()]) {
      expect(refused(d, kimRemovesMax)).toBe(true);
      expect(refused(d, maxRemovesKim)).toBe(false);
      expect(codesOf(d, back)).toEqual(['ALREADY_MEMBER']); // Max never left: his first standing holds
      expect(refused(d, maxDemotesZed)).toBe(false);
      expect(codesOf(d, zedDemotesMax)).toEqual(['SENIORITY']);
    }
  });
});

describe('offer records contest by what each holds in the last round (D12, D13, D7)', () => {
  /** Olga (owner) and Mia (business manager), Ann a plain member. */
  async function agency() {
    const f = new AgencyFixture();
    await f.create('Olga', 100);
    await f.join('Mia', { role: 'manager' });
    await f.join('Ann');
    return f;
  }
  const offer = (f: AgencyFixture, member: string, job: string) => ({
    offer: 'o1',
    job,
    title: 'Logo',
    as: 'agency' as const,
    member: f.id(member),
    kind: 'fixed' as const,
  });

  it('D13: a record by a member removed at the same time is history and contradicts nothing: the other record holds the offer', async () => {
    const f = await agency();
    const base = f.heads();
    const removal = await f.act('Olga', 'removeMember', { member: f.id('Mia') }, { deps: base });
    const mias = await f.act('Mia', 'receiveOffer', offer(f, 'Mia', '~01'), { deps: base });
    const olgas = await f.act('Olga', 'receiveOffer', offer(f, 'Olga', '~02'), { deps: [removal.id] });
    for (const d of [f.derive(), f.deriveReversed()]) {
      expect(codesOf(d, mias)).toEqual(['MEMBER_GONE_FACT']);
      expect(codesOf(d, olgas)).toEqual([]);
      expect(d.state.offers.o1?.record).toBe(olgas.id);
    }
  });

  it('a record concurrent with records already voided contradicts them too, whichever order a replica received them in', async () => {
    const f = await agency();
    const base = f.heads();
    const first = await f.act('Olga', 'receiveOffer', offer(f, 'Olga', '~01'), { deps: base });
    const anns = await f.act('Ann', 'receiveOffer', offer(f, 'Ann', '~01'), { deps: base });
    // Olga records it again, knowing her first record but not Ann's, and saying something else
    const again = await f.act('Olga', 'receiveOffer', offer(f, 'Olga', '~02'), { deps: [first.id] });
    const full = f.derive();
    for (const a of [first, anns, again]) expect(codesOf(full, a)).toEqual(['OFFER_CONFLICT']);
    expect(full.state.offers.o1).toBeUndefined();
    // a replica that had the two first records, then received the third
    const replica = applyActions(derive(f.agencyId, [...f.actions.slice(0, -1)]), [again]);
    expect(stableText(replica.state)).toBe(stableText(full.state));
  });

  it('D7: a join refused because its invite’s issuer left at the same time stays refused, and what its browser recorded contradicts nothing', async () => {
    const f = await agency();
    const invite = f.inviteKey();
    const grant = await f.act('Mia', 'grantDeviceInvite', {
      invite: invite.publicKey,
      member: f.id('Olga'),
      expiresAt: f.now + 7 * DAY,
    });
    const mias = await f.act('Mia', 'receiveOffer', offer(f, 'Mia', '~01'), { deps: [grant.id] });
    const leave = await f.act('Mia', 'leaveAgency', {}, { deps: [mias.id] });
    const laptop = f.deviceKey('Olga', 'laptop');
    const join = await f.joinWith('Olga', invite, { signer: laptop, label: 'laptop', deps: [grant.id] });
    const fromLaptop = await f.act('Olga', 'receiveOffer', offer(f, 'Olga', '~02'), {
      signer: laptop,
      deps: [join.id],
    });
    for (const d of [f.derive(), f.deriveReversed()]) {
      expect(refused(d, leave)).toBe(false);
      expect(codesOf(d, join)).toEqual(['INVITE_ISSUER_GONE']);
      expect(refused(d, fromLaptop)).toBe(true);
      expect(codesOf(d, mias)).toEqual([]);
      expect(d.state.offers.o1?.record).toBe(mias.id);
    }
  });

  it('an answer to an offer whose only record it knew was voided, by a manager demoted at the same time, is refused for the same reason in either order', async () => {
    const f = await agency();
    await f.join('Kim', { role: 'manager' });
    const base = f.heads();
    const mias = await f.act('Mia', 'receiveOffer', offer(f, 'Mia', '~01'), { deps: base });
    await f.act('Ann', 'receiveOffer', offer(f, 'Ann', '~02'), { deps: base });
    const accept = await f.act('Mia', 'acceptOffer', { offer: 'o1' }, { deps: [mias.id] });
    await f.act('Kim', 'changeRole', { member: f.id('Mia'), role: 'member' }, { deps: base });
    // the offer it knew is void (two records disagree) whatever the demotion: that is its reason
    expect(codesOf(f.derive(), accept)).toEqual(['UNKNOWN_OFFER']);
    expect(codesOf(f.deriveReversed(), accept)).toEqual(['UNKNOWN_OFFER']);
  });
});
