// Who may do what (domain.md) for the agency's membership: creation, invites, joining, removal, leaving,
// roles, relationships, default teams and browser keys.
import { describe, expect, it } from 'vitest';
import { AgencyFixture, codesOf, DAY, refused, rulesOf } from './support/agency.ts';

async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Ann');
  return f;
}

describe('creating the agency', () => {
  it('anyone creates the agency and becomes its owner and first business manager', async () => {
    const f = new AgencyFixture();
    const c = await f.create('Olga', 250);
    const d = f.derive();
    expect(codesOf(d, c)).toEqual([]);
    expect(d.state.name).toBe('Acme Studio');
    expect(d.state.ownerId).toBe(f.id('Olga'));
    expect(d.state.members[f.id('Olga')]).toMatchObject({
      name: 'Olga',
      role: 'manager',
      relationship: 'exclusive',
      status: 'active',
      keys: [f.id('Olga')],
    });
    expect(d.state.balance).toBe(250);
    expect(d.state.observation).toMatchObject({ value: 250, source: 'manager', drift: null });
  });

  it('the agency is created only once; a second creation is refused', async () => {
    const f = await agency();
    const again = await f.act('Ann', 'createAgency', { name: 'Takeover', memberName: 'Ann', balance: 0 });
    const d = f.derive();
    expect(codesOf(d, again)).toEqual(['ALREADY_CREATED']);
    expect(d.state.name).toBe('Acme Studio');
    expect(d.state.ownerId).toBe(f.id('Olga'));
  });

  it('nothing is applied before the agency exists', async () => {
    const f = new AgencyFixture();
    const early = await f.act('Eve', 'observeBalance', { balance: 5 });
    const d = f.derive();
    expect(codesOf(d, early)).toEqual(['NOT_CREATED']);
    expect(d.state.observation).toBeNull();
  });

  it('an action signed by a key that belongs to no member is refused', async () => {
    const f = await agency();
    const stranger = await f.act('Mallory', 'recordPurchase', { connects: 500 });
    const d = f.derive();
    expect(codesOf(d, stranger)).toEqual(['UNKNOWN_KEY']);
    expect(d.state.balance).toBe(100);
  });
});

describe('P2: invites and joining', () => {
  it('P2: a business manager invites; the invite names the role and relationship the joiner gets', async () => {
    const f = new AgencyFixture();
    await f.create();
    const { invite, grant } = await f.invite('Olga', { role: 'manager', relationship: 'non-exclusive' });
    const join = await f.joinWith('Max', invite);
    const d = f.derive();
    expect(codesOf(d, grant)).toEqual([]);
    expect(codesOf(d, join)).toEqual([]);
    expect(d.state.members[f.id('Max')]).toMatchObject({
      name: 'Max',
      role: 'manager',
      relationship: 'non-exclusive',
      status: 'active',
    });
    expect(d.state.members[f.id('Max')]?.managerSince).not.toBeNull();
    expect(Object.values(d.state.invites)[0]).toMatchObject({
      id: invite.keyId,
      kind: 'member',
      grantedBy: f.id('Olga'),
      usedBy: f.id('Max'),
    });
  });

  it('P2: a plain member cannot invite', async () => {
    const f = await agency();
    const { invite, grant } = await f.invite('Ann');
    const join = await f.joinWith('Bob', invite);
    const d = f.derive();
    expect(codesOf(d, grant)).toEqual(['NOT_BUSINESS_MANAGER']);
    expect(rulesOf(d, grant)).toEqual(['P2']);
    expect(refused(d, join)).toBe(true);
    expect(d.state.members[f.id('Bob')]).toBeUndefined();
  });

  it('an invite is single use: a second joiner holding the same invite key is refused', async () => {
    const f = new AgencyFixture();
    await f.create();
    const { invite } = await f.invite();
    const first = await f.joinWith('Ann', invite);
    const second = await f.joinWith('Bob', invite);
    const d = f.derive();
    expect(codesOf(d, first)).toEqual([]);
    expect(codesOf(d, second)).toEqual(['INVITE_INVALID']);
    expect(d.state.members[f.id('Bob')]).toBeUndefined();
  });

  it('an expired invite is refused; one used before it expires is accepted', async () => {
    const f = new AgencyFixture();
    await f.create();
    const expiresAt = f.now + DAY;
    const { invite: late } = await f.invite('Olga', { expiresAt });
    const { invite: inTime } = await f.invite('Olga', { expiresAt });
    const ok = await f.joinWith('Ann', inTime, { at: expiresAt });
    const tooLate = await f.joinWith('Bob', late, { at: expiresAt + 1 });
    const d = f.derive();
    expect(codesOf(d, ok)).toEqual([]);
    expect(codesOf(d, tooLate)).toEqual(['INVITE_INVALID']);
  });

  it('an invite key no manager granted admits nobody', async () => {
    const f = new AgencyFixture();
    await f.create();
    const join = await f.joinWith('Eve', f.inviteKey());
    expect(codesOf(f.derive(), join)).toEqual(['INVITE_INVALID']);
  });

  it('two invites with the same key cannot both exist', async () => {
    const f = new AgencyFixture();
    await f.create();
    await f.join('Max', { role: 'manager' });
    const key = f.inviteKey();
    const one = await f.act('Olga', 'grantInvite', {
      invite: key.publicKey,
      role: 'member',
      relationship: 'exclusive',
      expiresAt: f.now + DAY,
    });
    const two = await f.act('Max', 'grantInvite', {
      invite: key.publicKey,
      role: 'manager',
      relationship: 'exclusive',
      expiresAt: f.now + DAY,
    });
    const d = f.derive();
    expect(codesOf(d, one)).toEqual([]);
    expect(codesOf(d, two)).toEqual(['INVITE_TAKEN']);
  });

  it('a key that is already an active member cannot join again', async () => {
    const f = await agency();
    const { invite } = await f.invite();
    const again = await f.joinWith('Ann', invite, { label: 'Ann again' });
    const d = f.derive();
    expect(codesOf(d, again)).toEqual(['ALREADY_MEMBER']);
    expect(d.state.members[f.id('Ann')]?.name).toBe('Ann');
  });

  it('P2: a business manager revokes an unused invite, which then admits nobody; a plain member cannot', async () => {
    const f = await agency();
    const { invite: kept } = await f.invite();
    const { invite: dropped } = await f.invite();
    const byMember = await f.act('Ann', 'revokeInvite', { invite: kept.publicKey });
    const revoke = await f.act('Olga', 'revokeInvite', { invite: dropped.publicKey });
    const late = await f.joinWith('Bob', dropped);
    const ok = await f.joinWith('Cy', kept);
    const twice = await f.act('Olga', 'revokeInvite', { invite: dropped.publicKey });
    const used = await f.act('Olga', 'revokeInvite', { invite: kept.publicKey });
    const d = f.derive();
    expect(rulesOf(d, byMember)).toEqual(['P2']);
    expect(codesOf(d, revoke)).toEqual([]);
    expect(refused(d, late)).toBe(true);
    expect(codesOf(d, ok)).toEqual([]);
    expect(refused(d, twice)).toBe(true);
    expect(refused(d, used)).toBe(true);
    expect(d.state.invites[dropped.keyId]?.revoked).toBe(true);
    expect(d.state.members[f.id('Bob')]).toBeUndefined();
  });
});

describe('P2, P3, P6: removing a member', () => {
  it('P2: a business manager removes a member', async () => {
    const f = await agency();
    const rm = await f.act('Olga', 'removeMember', { member: f.id('Ann') });
    const d = f.derive();
    expect(codesOf(d, rm)).toEqual([]);
    expect(d.state.members[f.id('Ann')]).toMatchObject({ status: 'removed', leftAt: rm.at });
  });

  it('P2: a plain member cannot remove anyone', async () => {
    const f = await agency();
    await f.join('Bob');
    const rm = await f.act('Ann', 'removeMember', { member: f.id('Bob') });
    const d = f.derive();
    expect(codesOf(d, rm)).toEqual(['NOT_BUSINESS_MANAGER']);
    expect(d.state.members[f.id('Bob')]?.status).toBe('active');
  });

  it('P3, D4: the last business manager — the owner — cannot be removed, not even by a second manager; another manager can be', async () => {
    const f = await agency();
    const self = await f.act('Olga', 'removeMember', { member: f.id('Olga') });
    await f.join('Max', { role: 'manager' });
    const byJunior = await f.act('Max', 'removeMember', { member: f.id('Olga') });
    const other = await f.act('Olga', 'removeMember', { member: f.id('Max') });
    const d = f.derive();
    expect(refused(d, self)).toBe(true);
    expect(['P3', 'D4']).toContain(rulesOf(d, self)[0]);
    expect(refused(d, byJunior)).toBe(true);
    expect(rulesOf(d, byJunior)).toEqual(['D4']);
    expect(codesOf(d, other)).toEqual([]);
    expect(d.state.members[f.id('Olga')]).toMatchObject({ status: 'active', role: 'manager' });
    expect(d.state.ownerId).toBe(f.id('Olga'));
    expect(d.state.members[f.id('Max')]?.status).toBe('removed');
  });

  it('P6: a removed member can no longer take intents, and their facts are kept but flagged', async () => {
    const f = await agency();
    await f.join('Bob');
    const before = await f.propose('Ann', { connects: 10 });
    await f.act('Olga', 'removeMember', { member: f.id('Ann') });
    const intent = await f.act('Ann', 'setDefaultTeam', { member: f.id('Ann'), team: 'agency' });
    const fact = await f.propose('Ann', { connects: 6 });
    const d = f.derive();
    expect(codesOf(d, intent)).toEqual(['MEMBER_GONE']);
    expect(rulesOf(d, intent)).toEqual(['P6']);
    expect(codesOf(d, fact)).toEqual(['MEMBER_GONE_FACT']);
    expect(rulesOf(d, fact)).toEqual(['P6']);
    expect(d.state.proposals.map((p) => [p.id, p.member])).toEqual([
      [before.id, f.id('Ann')],
      [fact.id, f.id('Ann')],
    ]);
    // D13: a fact recorded after its author's removal is history, not state: it moves no agency number.
    expect(d.state.balance).toBe(90);
    expect(d.state.members[f.id('Ann')]?.defaultTeam).toBeNull();
  });

  it('P6: a member still active acts normally (allowed case)', async () => {
    const f = await agency();
    const intent = await f.act('Ann', 'setDefaultTeam', { member: f.id('Ann'), team: 'agency' });
    const fact = await f.propose('Ann');
    const d = f.derive();
    expect(codesOf(d, intent)).toEqual([]);
    expect(codesOf(d, fact)).toEqual([]);
  });

  it('removing someone who is not an active member is refused', async () => {
    const f = await agency();
    await f.act('Olga', 'removeMember', { member: f.id('Ann') });
    const twice = await f.act('Olga', 'removeMember', { member: f.id('Ann') });
    const stranger = await f.act('Olga', 'removeMember', { member: f.id('Nobody') });
    const d = f.derive();
    expect(codesOf(d, twice)).toEqual(['UNKNOWN_MEMBER']);
    expect(codesOf(d, stranger)).toEqual(['UNKNOWN_MEMBER']);
  });
});

describe('R11, P3: leaving', () => {
  it('R11: a member can leave at any time and keeps their work history from their time in the agency', async () => {
    const f = await agency();
    const p = await f.propose('Ann', { job: '~01abc', title: 'Logo' });
    const leave = await f.act('Ann', 'leaveAgency', {});
    const d = f.derive();
    expect(codesOf(d, leave)).toEqual([]);
    expect(d.state.members[f.id('Ann')]).toMatchObject({ status: 'left', name: 'Ann', leftAt: leave.at });
    expect(d.state.proposals).toEqual([
      expect.objectContaining({ id: p.id, member: f.id('Ann'), title: 'Logo' }),
    ]);
    expect(d.state.activity.map((a) => a.text)).toContain('Ann left the agency');
  });

  it('R11: a member who left may come back with a new invite, under the same member id', async () => {
    const f = await agency();
    await f.act('Ann', 'leaveAgency', {});
    const back = await f.join('Ann');
    const d = f.derive();
    expect(codesOf(d, back)).toEqual([]);
    expect(d.state.members[f.id('Ann')]).toMatchObject({ status: 'active', leftAt: null });
  });

  it('P3: the last business manager cannot leave without naming a successor', async () => {
    const f = await agency();
    const alone = await f.act('Olga', 'leaveAgency', {});
    const d = f.derive();
    expect(codesOf(d, alone)).toEqual(['SUCCESSOR_REQUIRED']);
    expect(rulesOf(d, alone)).toEqual(['P3']);
    expect(d.state.members[f.id('Olga')]?.status).toBe('active');
  });

  it('P3, D4: the last business manager leaves by naming a successor, who becomes a business manager and the owner', async () => {
    const f = await agency();
    const leave = await f.act('Olga', 'leaveAgency', { successor: f.id('Ann') });
    const d = f.derive();
    expect(codesOf(d, leave)).toEqual([]);
    expect(d.state.members[f.id('Olga')]?.status).toBe('left');
    expect(d.state.members[f.id('Ann')]).toMatchObject({ role: 'manager', status: 'active' });
    expect(d.state.ownerId).toBe(f.id('Ann'));
  });

  it('P3: a successor must be another active member', async () => {
    const f = await agency();
    const self = await f.act('Olga', 'leaveAgency', { successor: f.id('Olga') });
    const stranger = await f.act('Olga', 'leaveAgency', { successor: f.id('Nobody') });
    const d = f.derive();
    // D14: a bad successor is refused under P3, whatever the code is called.
    expect(refused(d, self)).toBe(true);
    expect(rulesOf(d, self)).toEqual(['P3']);
    expect(refused(d, stranger)).toBe(true);
    expect(rulesOf(d, stranger)).toEqual(['P3']);
    expect(d.state.members[f.id('Olga')]?.status).toBe('active');
  });

  it('P3: one of two business managers (not the owner) leaves without a successor', async () => {
    const f = await agency();
    await f.join('Max', { role: 'manager' });
    const leave = await f.act('Max', 'leaveAgency', {});
    const d = f.derive();
    expect(codesOf(d, leave)).toEqual([]);
    expect(
      Object.values(d.state.members).filter((m) => m.role === 'manager' && m.status === 'active'),
    ).toHaveLength(1);
  });
});

describe('P2, P3: roles', () => {
  it('P2: a business manager makes a member a business manager', async () => {
    const f = await agency();
    const up = await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'manager' });
    const d = f.derive();
    expect(codesOf(d, up)).toEqual([]);
    expect(d.state.members[f.id('Ann')]).toMatchObject({ role: 'manager', managerSince: up.id });
    // P3 seniority: Olga became a business manager first.
    expect(d.order.indexOf(d.state.members[f.id('Olga')]!.managerSince!)).toBeLessThan(
      d.order.indexOf(up.id),
    );
  });

  it('P2: a plain member cannot change anyone’s role, not even their own', async () => {
    const f = await agency();
    const self = await f.act('Ann', 'changeRole', { member: f.id('Ann'), role: 'manager' });
    const other = await f.act('Ann', 'changeRole', { member: f.id('Olga'), role: 'member' });
    const d = f.derive();
    expect(codesOf(d, self)).toEqual(['NOT_BUSINESS_MANAGER']);
    expect(codesOf(d, other)).toEqual(['NOT_BUSINESS_MANAGER']);
    expect(d.state.members[f.id('Ann')]?.role).toBe('member');
  });

  it('P3, D4: the last business manager cannot be demoted; of two, the owner cannot be, the other can', async () => {
    const f = await agency();
    const last = await f.act('Olga', 'changeRole', { member: f.id('Olga'), role: 'member' });
    await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'manager' });
    const owner = await f.act('Ann', 'changeRole', { member: f.id('Olga'), role: 'member' });
    const ok = await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'member' });
    const d = f.derive();
    expect(refused(d, last)).toBe(true);
    expect(['P3', 'D4']).toContain(rulesOf(d, last)[0]);
    expect(refused(d, owner)).toBe(true);
    expect(rulesOf(d, owner)).toEqual(['D4']);
    expect(codesOf(d, ok)).toEqual([]);
    expect(d.state.members[f.id('Olga')]).toMatchObject({ role: 'manager' });
    expect(d.state.members[f.id('Ann')]).toMatchObject({ role: 'member', managerSince: null });
  });

  it('a demoted manager can no longer take manager-only intents', async () => {
    const f = await agency();
    await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'manager' });
    await f.act('Olga', 'changeRole', { member: f.id('Ann'), role: 'member' });
    const purchase = await f.act('Ann', 'recordPurchase', { connects: 80 });
    const d = f.derive();
    expect(codesOf(d, purchase)).toEqual(['NOT_BUSINESS_MANAGER']);
    expect(d.state.balance).toBe(100);
  });
});

describe('R7, R9, P2: relationships and default teams', () => {
  it('R7: membership is exclusive by default', async () => {
    const f = await agency();
    expect(f.derive().state.members[f.id('Ann')]?.relationship).toBe('exclusive');
  });

  it('P2: a business manager changes a member’s relationship; the member cannot change their own', async () => {
    const f = await agency();
    const own = await f.act('Ann', 'changeRelationship', {
      member: f.id('Ann'),
      relationship: 'non-exclusive',
    });
    const d1 = f.derive();
    expect(codesOf(d1, own)).toEqual(['NOT_BUSINESS_MANAGER']);
    expect(d1.state.members[f.id('Ann')]?.relationship).toBe('exclusive');
    const byManager = await f.act('Olga', 'changeRelationship', {
      member: f.id('Ann'),
      relationship: 'non-exclusive',
    });
    const d2 = f.derive();
    expect(codesOf(d2, byManager)).toEqual([]);
    expect(d2.state.members[f.id('Ann')]?.relationship).toBe('non-exclusive');
  });

  it('R9: a member records their own default team as Upwork shows it', async () => {
    const f = new AgencyFixture();
    await f.create();
    await f.join('Nia', { relationship: 'non-exclusive' });
    const set = await f.act('Nia', 'setDefaultTeam', { member: f.id('Nia'), team: 'agency' });
    const d = f.derive();
    expect(codesOf(d, set)).toEqual([]);
    expect(d.state.members[f.id('Nia')]?.defaultTeam).toBe('agency');
  });

  it('R9: only the member sets their own default team — not even a business manager sets it for them', async () => {
    const f = new AgencyFixture();
    await f.create();
    await f.join('Nia', { relationship: 'non-exclusive' });
    const byManager = await f.act('Olga', 'setDefaultTeam', { member: f.id('Nia'), team: 'agency' });
    const d = f.derive();
    expect(codesOf(d, byManager)).toEqual(['NOT_OWN_SETTING']);
    expect(rulesOf(d, byManager)).toEqual(['R9']);
    expect(d.state.members[f.id('Nia')]?.defaultTeam).toBeNull();
  });
});

describe('browser keys', () => {
  it('a member adds a browser with a device invite; the new key signs its own joining and acts as the same member', async () => {
    const f = await agency();
    const { grant, join, signer: laptop } = await f.addBrowser('Ann', 'laptop');
    const p = await f.propose('Ann', {}, { signer: laptop });
    const d = f.derive();
    expect(codesOf(d, grant)).toEqual([]);
    expect(codesOf(d, join)).toEqual([]);
    expect(codesOf(d, p)).toEqual([]);
    expect(d.state.keys[laptop.keyId]).toEqual({ member: f.id('Ann'), active: true, label: 'laptop' });
    expect(d.state.members[f.id('Ann')]?.keys).toEqual([f.id('Ann'), laptop.keyId]);
    expect(d.state.members[f.id('Ann')]?.name).toBe('Ann');
    expect(d.state.proposals.at(-1)?.member).toBe(f.id('Ann'));
  });

  it('a business manager adds a browser for a member who lost theirs (recovery) and removes the lost one', async () => {
    const f = await agency();
    const { grant, join, signer: fresh } = await f.addBrowser('Ann', 'new-phone', { by: 'Olga' });
    const remove = await f.act('Olga', 'removeDeviceKey', {
      member: f.id('Ann'),
      key: f.key('Ann').publicKey,
    });
    const old = await f.act('Ann', 'setDefaultTeam', { member: f.id('Ann'), team: 'agency' });
    const viaNew = await f.act(
      'Ann',
      'setDefaultTeam',
      { member: f.id('Ann'), team: 'independent' },
      { signer: fresh },
    );
    const d = f.derive();
    expect(codesOf(d, grant)).toEqual([]);
    expect(codesOf(d, join)).toEqual([]);
    expect(codesOf(d, remove)).toEqual([]);
    expect(refused(d, old)).toBe(true);
    expect(codesOf(d, viaNew)).toEqual([]);
    expect(d.state.keys[f.id('Ann')]?.active).toBe(false);
    expect(d.state.members[f.id('Ann')]?.defaultTeam).toBe('independent');
  });

  it('P2: another plain member cannot add or remove someone’s browser key', async () => {
    const f = await agency();
    await f.join('Bob');
    const invite = f.inviteKey();
    const grant = await f.act('Bob', 'grantDeviceInvite', {
      invite: invite.publicKey,
      member: f.id('Ann'),
      expiresAt: f.now + DAY,
    });
    const evil = f.deviceKey('Bob', 'evil');
    const join = await f.joinWith('Bob', invite, { signer: evil, label: 'evil' });
    const remove = await f.act('Bob', 'removeDeviceKey', {
      member: f.id('Ann'),
      key: f.key('Ann').publicKey,
    });
    const d = f.derive();
    expect(codesOf(d, grant)).toEqual(['NOT_KEY_OWNER']);
    expect(rulesOf(d, grant)).toEqual(['P2']);
    expect(refused(d, join)).toBe(true);
    expect(codesOf(d, remove)).toEqual(['NOT_KEY_OWNER']);
    expect(d.state.keys[evil.keyId]).toBeUndefined();
  });

  it('a key already held by a member cannot be added again, and a member keeps at least one key', async () => {
    const f = await agency();
    const invite = f.inviteKey();
    await f.act('Ann', 'grantDeviceInvite', {
      invite: invite.publicKey,
      member: f.id('Ann'),
      expiresAt: f.now + DAY,
    });
    const taken = await f.joinWith('Olga', invite, { label: 'Olga’s own key' });
    const last = await f.act('Ann', 'removeDeviceKey', { member: f.id('Ann'), key: f.key('Ann').publicKey });
    const notHers = await f.act('Olga', 'removeDeviceKey', {
      member: f.id('Ann'),
      key: f.key('Olga').publicKey,
    });
    const d = f.derive();
    expect(refused(d, taken)).toBe(true);
    expect(d.state.keys[f.id('Olga')]?.member).toBe(f.id('Olga'));
    expect(codesOf(d, last)).toEqual(['LAST_KEY']);
    expect(codesOf(d, notHers)).toEqual(['KEY_NOT_FOUND']);
  });

  it('a device invite admits one browser once, and a member revokes her own unused one', async () => {
    const f = await agency();
    const invite = f.inviteKey();
    const grant = await f.act('Ann', 'grantDeviceInvite', {
      invite: invite.publicKey,
      member: f.id('Ann'),
      expiresAt: f.now + DAY,
    });
    const laptop = f.deviceKey('Ann', 'laptop');
    await f.joinWith('Ann', invite, { signer: laptop, label: 'laptop' });
    const again = await f.joinWith('Ann', invite, { signer: f.deviceKey('Ann', 'tablet'), label: 'tablet' });
    const spare = f.inviteKey();
    await f.act('Ann', 'grantDeviceInvite', {
      invite: spare.publicKey,
      member: f.id('Ann'),
      expiresAt: f.now + DAY,
    });
    const revoke = await f.act('Ann', 'revokeInvite', { invite: spare.publicKey });
    const late = await f.joinWith('Ann', spare, { signer: f.deviceKey('Ann', 'phone') });
    const d = f.derive();
    expect(codesOf(d, grant)).toEqual([]);
    expect(refused(d, again)).toBe(true);
    expect(codesOf(d, revoke)).toEqual([]);
    expect(refused(d, late)).toBe(true);
    expect(d.state.members[f.id('Ann')]?.keys).toEqual([f.id('Ann'), laptop.keyId]);
  });
});

describe('P2: agency settings', () => {
  it('P2: a business manager sets the agency’s time zone; a member cannot', async () => {
    const f = await agency();
    const byMember = await f.act('Ann', 'setTimeZone', { timeZone: 'Asia/Tokyo' });
    const byManager = await f.act('Olga', 'setTimeZone', { timeZone: 'Europe/Berlin' });
    const d = f.derive();
    expect(codesOf(d, byMember)).toEqual(['NOT_BUSINESS_MANAGER']);
    expect(codesOf(d, byManager)).toEqual([]);
    expect(d.state.timeZone).toBe('Europe/Berlin');
  });

  it('the agency’s Upwork id is learned from the page by any member', async () => {
    const f = await agency();
    const learn = await f.act('Ann', 'learnUpworkId', { upworkId: '1234567890' });
    const d = f.derive();
    expect(codesOf(d, learn)).toEqual([]);
    expect(d.state.upworkId).toBe('1234567890');
  });

  it('every refusal is counted and reads as a sentence naming its rule', async () => {
    const f = await agency();
    const bad = await f.act('Ann', 'recordPurchase', { connects: 5 });
    const d = f.derive();
    expect(refused(d, bad)).toBe(true);
    expect(d.state.counts).toMatchObject({ refused: 1 });
    const v = d.state.verdicts.find((x) => x.id === bad.id)!;
    expect(v).toMatchObject({ kind: 'refused', rule: 'P2', actor: f.id('Ann'), type: 'recordPurchase' });
    expect(v.message).toMatch(/^Only business managers .*\.$/);
  });
});
