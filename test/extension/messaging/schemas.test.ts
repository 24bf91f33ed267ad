import { describe, expect, it } from 'vitest';
import { parseRequest, UI_ACTION_TYPES } from '../../../extension/messaging/schemas.ts';

const agencyId = 'AAAAAAAAAAAAAAAAAAAAAA';
const member = 'B'.repeat(43);

describe('message protocol: requests are validated at the boundary', () => {
  it('accepts every well-formed request kind', () => {
    const good = [
      { kind: 'overview' },
      { kind: 'select', agencyId },
      {
        kind: 'createAgency',
        server: 'ws://localhost:1234',
        agencyName: 'Acme',
        memberName: 'Olga',
        balance: 120,
      },
      { kind: 'checkInvite', code: 'ao2.xyz' },
      { kind: 'joinAgency', code: 'ao2.xyz', name: 'Ann' },
      { kind: 'createInvite', agencyId, role: 'member', relationship: 'exclusive', expiresInDays: 7 },
      { kind: 'createDeviceInvite', agencyId, member, expiresInDays: 1, label: 'laptop' },
      { kind: 'revokeInvite', agencyId, invite: member },
      { kind: 'act', agencyId, type: 'recordPurchase', payload: { connects: 80 } },
      { kind: 'act', agencyId, type: 'changeRole', payload: { member, role: 'manager' } },
      { kind: 'exportLog', agencyId },
      { kind: 'removeAgency', agencyId },
      { kind: 'setServer', agencyId, server: 'wss://sync.example.com/rooms' },
      { kind: 'reconnect', agencyId },
    ];
    for (const request of good)
      expect(parseRequest(request), JSON.stringify(request)).toMatchObject({ ok: true });
  });

  it('refuses what is not a request with BAD_REQUEST and a reason, never an exception', () => {
    for (const input of [
      null,
      42,
      'overview',
      {},
      { kind: 'nope' },
      { kind: 'overview', extra: 1 },
      { kind: 'deviceKey' },
      { kind: 'joinAgency', code: 'ao2.xyz', memberName: 'Ann' },
      { kind: 'revokeInvite', agencyId, invite: 'not-a-key' },
    ]) {
      const parsed = parseRequest(input);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok)
        expect(parsed.response).toMatchObject({ ok: false, code: 'BAD_REQUEST', rule: 'REQUEST' });
    }
  });

  it('checks an act payload against core’s schema for that action type, in words about the field', () => {
    const parsed = parseRequest({ kind: 'act', agencyId, type: 'recordPurchase', payload: { connects: 0 } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.response).toMatchObject({
        message: 'The number of Connects must be at least 1 Connect.',
        field: 'connects',
      });
    const big = parseRequest({
      kind: 'act',
      agencyId,
      type: 'recordPurchase',
      payload: { connects: 2_000_000 },
    });
    if (!big.ok)
      expect(big.response).toMatchObject({
        message: 'The number of Connects can be at most 1,000,000 Connects.',
        field: 'connects',
      });
    expect(big.ok).toBe(false);
  });

  it('words a refused field for a member: no field path, no schema words', () => {
    const blank = parseRequest({
      kind: 'createAgency',
      server: 'ws://localhost:1234',
      agencyName: '   ',
      memberName: 'Nadia',
      balance: 10,
    });
    expect(blank.ok).toBe(false);
    if (!blank.ok)
      expect(blank.response).toMatchObject({
        message: "The agency's name is required.",
        field: 'agencyName',
      });
    const server = parseRequest({ kind: 'setServer', agencyId, server: 'http://localhost:1234' });
    if (!server.ok)
      expect(server.response).toMatchObject({
        message: 'The sync server address must start with ws:// or wss://, e.g. wss://sync.example.com.',
        field: 'server',
      });
    for (const response of [blank, server].flatMap((p) => (p.ok ? [] : [p.response])))
      expect(response.message).not.toMatch(/payload\.|agencyName|expected|<=|>=/);
  });

  it('keeps actions carrying bytes or keys to the background (creation, joins, invites, browser keys)', () => {
    for (const type of [
      'createAgency',
      'joinAgency',
      'grantInvite',
      'grantDeviceInvite',
      'revokeInvite',
      'removeDeviceKey',
      'addDeviceKey',
      // D15: only the background chooses what to re-seal, and to whom (replica-amounts.ts)
      'resealAmounts',
    ]) {
      expect(UI_ACTION_TYPES).not.toContain(type);
      expect(parseRequest({ kind: 'act', agencyId, type, payload: {} }).ok).toBe(false);
    }
    expect(UI_ACTION_TYPES).toContain('submitProposal');
  });

  it('refuses a server address that is not ws:// or wss://, and an agency id that is not a room id', () => {
    expect(parseRequest({ kind: 'setServer', agencyId, server: 'http://localhost:1234' }).ok).toBe(false);
    expect(parseRequest({ kind: 'select', agencyId: '../etc' }).ok).toBe(false);
  });
});
