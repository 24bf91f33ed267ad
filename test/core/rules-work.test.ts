// Offers, contracts, milestones, time and payouts (R2–R6, R8), and how a member's relationship shapes
// their proposals (R7, R8, R10).
import { describe, expect, it } from 'vitest';
import type { Payloads } from '../../core/index.ts';
import { AgencyFixture, codesOf, rulesOf } from './support/agency.ts';

type Terms = NonNullable<Payloads['receiveOffer']['terms']>;
const HOURLY: Terms = { kind: 'hourly', hourlyRate: 4500 };
const FIXED: Terms = { kind: 'fixed', amount: 120_000 };

async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Max', { role: 'manager' });
  await f.join('Ann');
  await f.join('Bob');
  await f.join('Nia', { relationship: 'non-exclusive' });
  return f;
}

/** Records an offer to `member` (a fact, seen on Upwork by them) and returns its id. */
async function offer(
  f: AgencyFixture,
  member: string,
  terms: Terms,
  as: 'agency' | 'independent' = 'agency',
) {
  const id = `offer-${f.actions.length}`;
  await f.act(member, 'receiveOffer', {
    offer: id,
    job: `~0${id}`,
    title: `Work ${id}`,
    as,
    member: f.id(member),
    terms,
  });
  return id;
}

/** An accepted agency contract for `member`. */
async function contract(f: AgencyFixture, member: string, terms: Terms) {
  const id = await offer(f, member, terms);
  await f.act('Olga', 'acceptOffer', { offer: id });
  return id;
}

describe('R2: offers on agency proposals', () => {
  it('R2: a business manager accepts an offer made on an agency proposal; the contract starts', async () => {
    const f = await agency();
    const id = await offer(f, 'Ann', HOURLY);
    expect(f.derive().state.offers[id]).toMatchObject({ status: 'open', member: f.id('Ann'), as: 'agency' });
    const accept = await f.act('Max', 'acceptOffer', { offer: id });
    const d = f.derive();
    expect(codesOf(d, accept)).toEqual([]);
    expect(d.state.offers[id]?.status).toBe('accepted');
    expect(d.state.contracts[id]).toMatchObject({ member: f.id('Ann'), kind: 'hourly', payee: 'agency' });
  });

  it('R2: the member the offer was made to cannot accept it themselves', async () => {
    const f = await agency();
    const id = await offer(f, 'Ann', HOURLY);
    const accept = await f.act('Ann', 'acceptOffer', { offer: id });
    const d = f.derive();
    expect(codesOf(d, accept)).toEqual(['NOT_MANAGER_ACCEPT']);
    expect(rulesOf(d, accept)).toEqual(['R2']);
    expect(d.state.offers[id]?.status).toBe('open');
    expect(d.state.contracts[id]).toBeUndefined();
  });

  it('R2: only a business manager declines an agency offer', async () => {
    const f = await agency();
    const id = await offer(f, 'Ann', HOURLY);
    const byMember = await f.act('Bob', 'declineOffer', { offer: id });
    const byManager = await f.act('Olga', 'declineOffer', { offer: id });
    const d = f.derive();
    expect(codesOf(d, byMember)).toEqual(['NOT_MANAGER_ACCEPT']);
    expect(codesOf(d, byManager)).toEqual([]);
    expect(d.state.offers[id]?.status).toBe('declined');
  });

  it('R2: an offer is answered once; an unknown or answered offer cannot be accepted', async () => {
    const f = await agency();
    const id = await offer(f, 'Ann', HOURLY);
    await f.act('Olga', 'declineOffer', { offer: id });
    const late = await f.act('Max', 'acceptOffer', { offer: id });
    const unknown = await f.act('Max', 'acceptOffer', { offer: 'no-such-offer' });
    const d = f.derive();
    expect(codesOf(d, late)).toEqual(['UNKNOWN_OFFER']);
    expect(codesOf(d, unknown)).toEqual(['UNKNOWN_OFFER']);
    expect(d.state.contracts).toEqual({});
  });

  it('the same offer seen twice is recorded once', async () => {
    const f = await agency();
    const id = await offer(f, 'Ann', HOURLY);
    const again = await f.act('Olga', 'receiveOffer', {
      offer: id,
      job: '~0other',
      title: 'Other',
      as: 'agency',
      member: f.id('Ann'),
      terms: FIXED,
    });
    const d = f.derive();
    expect(codesOf(d, again)).toEqual([]);
    expect(d.state.offers[id]).toMatchObject({ kind: 'hourly' });
    expect(d.state.offers[id]?.record).not.toBe(again.id);
  });
});

describe('R3: contract terms', () => {
  it('R3: a business manager edits the terms of an agency contract', async () => {
    const f = await agency();
    const id = await contract(f, 'Ann', HOURLY);
    const edit = await f.act('Max', 'editContractTerms', {
      contract: id,
      terms: { kind: 'hourly', hourlyRate: 5000 },
    });
    const d = f.derive();
    expect(codesOf(d, edit)).toEqual([]);
    // D15: the state names the action whose sealed amount the terms are, never the amount
    expect(d.state.contracts[id]?.termsBy).toBe(edit.id);
  });

  it('R3: the freelancer working an agency contract cannot edit its terms', async () => {
    const f = await agency();
    const id = await contract(f, 'Ann', HOURLY);
    const edit = await f.act('Ann', 'editContractTerms', {
      contract: id,
      terms: { kind: 'hourly', hourlyRate: 9000 },
    });
    const d = f.derive();
    expect(codesOf(d, edit)).toEqual(['NOT_MANAGER_TERMS']);
    expect(rulesOf(d, edit)).toEqual(['R3']);
    expect(d.state.contracts[id]?.termsBy).not.toBe(edit.id);
  });

  it('R3: terms of a contract that does not exist cannot be edited', async () => {
    const f = await agency();
    const edit = await f.act('Olga', 'editContractTerms', { contract: 'nope', terms: FIXED });
    expect(codesOf(f.derive(), edit)).toEqual(['UNKNOWN_CONTRACT']);
  });
});

describe('R4: milestones on fixed-price contracts', () => {
  it('R4: the freelancer working a fixed-price contract submits a milestone', async () => {
    const f = await agency();
    const id = await contract(f, 'Ann', FIXED);
    const m = await f.act('Ann', 'submitMilestone', {
      contract: id,
      milestone: 'm1',
      title: 'Sketches',
      amount: 40_000,
    });
    const d = f.derive();
    expect(codesOf(d, m)).toEqual([]);
    expect(d.state.contracts[id]?.milestones).toEqual([
      { id: 'm1', title: 'Sketches', by: f.id('Ann'), action: m.id },
    ]);
  });

  it('R4: a business manager submits a milestone on an agency fixed-price contract', async () => {
    const f = await agency();
    const id = await contract(f, 'Ann', FIXED);
    const m = await f.act('Max', 'submitMilestone', {
      contract: id,
      milestone: 'm1',
      title: 'Final',
      amount: 80_000,
    });
    expect(codesOf(f.derive(), m)).toEqual([]);
  });

  it('R4: another plain member cannot submit a milestone', async () => {
    const f = await agency();
    const id = await contract(f, 'Ann', FIXED);
    const m = await f.act('Bob', 'submitMilestone', {
      contract: id,
      milestone: 'm1',
      title: 'Mine',
      amount: 1,
    });
    const d = f.derive();
    expect(codesOf(d, m)).toEqual(['NOT_FREELANCER_OR_MANAGER']);
    expect(rulesOf(d, m)).toEqual(['R4']);
    expect(d.state.contracts[id]?.milestones).toEqual([]);
  });

  it('R4: milestones belong to fixed-price contracts only', async () => {
    const f = await agency();
    const id = await contract(f, 'Ann', HOURLY);
    const m = await f.act('Ann', 'submitMilestone', {
      contract: id,
      milestone: 'm1',
      title: 'Hours',
      amount: 1,
    });
    expect(codesOf(f.derive(), m)).toEqual(['NOT_FIXED_PRICE']);
  });
});

describe('R5: time on hourly contracts', () => {
  it('R5: the freelancer working an hourly contract logs time', async () => {
    const f = await agency();
    const id = await contract(f, 'Ann', HOURLY);
    const log = await f.act('Ann', 'logTime', { contract: id, minutes: 90, day: '2026-11-03' });
    const d = f.derive();
    expect(codesOf(d, log)).toEqual([]);
    expect(d.state.contracts[id]?.minutesLogged).toBe(90);
  });

  it('R5: only the freelancer logs time on an hourly contract — not a business manager, not a teammate', async () => {
    const f = await agency();
    const id = await contract(f, 'Ann', HOURLY);
    const byManager = await f.act('Olga', 'logTime', { contract: id, minutes: 60, day: '2026-11-03' });
    const byTeammate = await f.act('Bob', 'logTime', { contract: id, minutes: 60, day: '2026-11-03' });
    const d = f.derive();
    expect(codesOf(d, byManager)).toEqual(['NOT_CONTRACT_FREELANCER']);
    expect(codesOf(d, byTeammate)).toEqual(['NOT_CONTRACT_FREELANCER']);
    expect(rulesOf(d, byManager)).toEqual(['R5']);
    expect(d.state.contracts[id]?.minutesLogged).toBe(0);
  });

  it('R5: time is not logged on a fixed-price contract', async () => {
    const f = await agency();
    const id = await contract(f, 'Ann', FIXED);
    const log = await f.act('Ann', 'logTime', { contract: id, minutes: 30, day: '2026-11-03' });
    expect(codesOf(f.derive(), log)).toEqual(['NOT_HOURLY']);
  });
});

describe('R6, R8: payouts', () => {
  it('R6: an agency contract is paid into the agency’s account', async () => {
    const f = await agency();
    const id = await contract(f, 'Ann', FIXED);
    const pay = await f.act('Olga', 'recordPayout', { contract: id, amount: 40_000 });
    const d = f.derive();
    expect(codesOf(d, pay)).toEqual([]);
    expect(d.state.payouts).toEqual([{ id: pay.id, contract: id, payee: 'agency', at: pay.at }]);
  });

  it('D15: a plain member’s payout on an agency contract (Upwork shows her no earnings) is flagged and counts nowhere', async () => {
    const f = await agency();
    const id = await contract(f, 'Ann', FIXED);
    const pay = await f.act('Ann', 'recordPayout', { contract: id, amount: 99_999_900 });
    const d = f.derive();
    expect(codesOf(d, pay)).toEqual(['PAYOUT_NOT_SEEN']);
    expect(rulesOf(d, pay)).toEqual(['D15']);
    expect(d.state.payouts).toEqual([]);
  });

  it('R6: a payout for a contract the agency has no record of is kept and flagged', async () => {
    const f = await agency();
    const pay = await f.act('Ann', 'recordPayout', { contract: 'unknown-contract', amount: 100 });
    const d = f.derive();
    expect(codesOf(d, pay)).toEqual(['PAYOUT_UNKNOWN_CONTRACT']);
    expect(rulesOf(d, pay)).toEqual(['R6']);
    expect(d.state.payouts).toHaveLength(1);
  });

  it('R8: a non-exclusive member’s independent contract pays the member', async () => {
    const f = await agency();
    const id = await offer(f, 'Nia', HOURLY, 'independent');
    const accept = await f.act('Nia', 'acceptOffer', { offer: id });
    const pay = await f.act('Nia', 'recordPayout', { contract: id, amount: 9000 });
    const d = f.derive();
    expect(codesOf(d, accept)).toEqual([]);
    expect(d.state.contracts[id]).toMatchObject({ as: 'independent', payee: f.id('Nia') });
    expect(d.state.payouts.at(-1)).toMatchObject({ id: pay.id, payee: f.id('Nia') });
  });

  it('R8: a non-exclusive member’s agency contract still pays the agency', async () => {
    const f = await agency();
    const id = await contract(f, 'Nia', HOURLY);
    await f.act('Olga', 'recordPayout', { contract: id, amount: 9000 });
    expect(f.derive().state.payouts.at(-1)?.payee).toBe('agency');
  });

  it('R8: an independent offer is the member’s own to answer, and its terms theirs to edit', async () => {
    const f = await agency();
    const id = await offer(f, 'Nia', FIXED, 'independent');
    const byManager = await f.act('Olga', 'acceptOffer', { offer: id });
    await f.act('Nia', 'acceptOffer', { offer: id });
    // D10: the kind stays fixed-price; the amount is what is edited.
    const terms = { kind: 'fixed', amount: 150_000 } as const;
    const managerEdit = await f.act('Olga', 'editContractTerms', { contract: id, terms });
    const ownEdit = await f.act('Nia', 'editContractTerms', { contract: id, terms });
    const d = f.derive();
    expect(codesOf(d, byManager)).toEqual(['NOT_OWN_OFFER']);
    expect(rulesOf(d, byManager)).toEqual(['R8']);
    expect(codesOf(d, managerEdit)).toEqual(['NOT_OWN_CONTRACT']);
    expect(codesOf(d, ownEdit)).toEqual([]);
    expect(d.state.contracts[id]?.termsBy).toBe(ownEdit.id);
  });
});

describe('R7, R8, R10: proposing as the agency or independently', () => {
  it('R7: an exclusive member proposes as the agency', async () => {
    const f = await agency();
    const p = await f.propose('Ann');
    expect(codesOf(f.derive(), p)).toEqual([]);
  });

  it('R7: an exclusive member’s independent proposal is kept, counted and flagged', async () => {
    const f = await agency();
    const p = await f.propose('Ann', { as: 'independent' });
    const d = f.derive();
    expect(codesOf(d, p)).toEqual(['EXCLUSIVE_INDEPENDENT']);
    expect(rulesOf(d, p)).toEqual(['R7']);
    expect(d.state.proposals.map((x) => x.id)).toContain(p.id);
    expect(d.state.balance).toBe(100);
  });

  it('R7, R8: a member made non-exclusive by a manager may then propose independently', async () => {
    const f = await agency();
    await f.act('Olga', 'changeRelationship', { member: f.id('Ann'), relationship: 'non-exclusive' });
    const p = await f.propose('Ann', { as: 'independent' });
    expect(codesOf(f.derive(), p)).toEqual([]);
  });

  it('R7: a member made exclusive again is flagged for an independent proposal again', async () => {
    const f = await agency();
    await f.act('Olga', 'changeRelationship', { member: f.id('Nia'), relationship: 'exclusive' });
    const p = await f.propose('Nia', { as: 'independent' });
    expect(codesOf(f.derive(), p)).toEqual(['EXCLUSIVE_INDEPENDENT']);
  });

  it('R10: a non-exclusive member chooses on every proposal; both choices stand, only the agency one draws', async () => {
    const f = await agency();
    await f.act('Nia', 'setDefaultTeam', { member: f.id('Nia'), team: 'independent' });
    const asAgency = await f.propose('Nia', { as: 'agency', connects: 12 });
    const independent = await f.propose('Nia', { as: 'independent', connects: 12 });
    const d = f.derive();
    expect(codesOf(d, asAgency)).toEqual([]);
    expect(codesOf(d, independent)).toEqual([]);
    expect(d.state.balance).toBe(88);
    expect(d.state.members[f.id('Nia')]?.defaultTeam).toBe('independent');
  });
});
