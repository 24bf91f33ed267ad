// D9 through the real server: a member records refunds as often as they like — on new days, and from four
// more of their browsers, offline, so that no browser's refunds know another's — and every replica the
// server relays them to ends with the agency balance it had before the proposal was spent, never more. The
// refunds are facts: the server stores and relays them (flagged by core), it closes no one. (One browser's
// own actions that know nothing of each other are branches of its chain, flagged KEY_BRANCHED: these refunds
// come from several browsers instead.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../core/index.ts';
import { type Agency, createAgency, joinWith, newSigner, type TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { signed } from './support/updates.ts';
import { until } from './support/wait.ts';

let server: TestServer;
let agency: Agency;
let bob: TestClient;
const raws: RawClient[] = [];

beforeAll(async () => {
  server = await testServer();
  agency = await createAgency(server.url); // 500 Connects
  bob = await agency.join('Bob');
});

afterAll(async () => {
  for (const r of raws) r.close();
  agency.destroy();
  await server.dispose();
});

const day = (n: number) => `2026-0${1 + (n % 9)}-${String(1 + (n % 28)).padStart(2, '0')}`;

describe('D9: refunds through the server', () => {
  it('D9: thirty refunds on new days and twenty from four offline browsers restore one proposal’s Connects, in every replica', async () => {
    await bob.appendOk('submitProposal', {
      job: '~01srv',
      title: 'Job',
      as: 'agency',
      connects: 16,
      boost: 4,
    });
    // four more browsers of Bob's join, then go offline knowing only the proposal and the joins
    const browsers: { signer: TestClient['signer']; last: string }[] = [];
    for (let k = 0; k < 4; k++) {
      const invite = await newSigner();
      await bob.appendOk('grantDeviceInvite', {
        invite: invite.publicKey,
        member: bob.signer.keyId,
        expiresAt: Date.now() + 86_400_000,
      });
      const other = await joinWith(server.url, agency.id, invite, `Bob's browser ${k + 2}`);
      const join = other.log
        .ordered()
        .find((a) => a.type === 'joinAgency' && a.actor === other.signer.keyId)!;
      browsers.push({ signer: other.signer, last: join.id });
      other.destroy();
    }
    for (let i = 0; i < 30; i++)
      await bob.appendOk('refundConnects', { job: '~01srv', connects: 20, on: day(i) });
    // each offline browser writes five, each on its own last action: concurrent with every other browser's
    const concurrent: Action[] = [];
    for (const [k, b] of browsers.entries()) {
      const mine: Action[] = [];
      for (let i = 0; i < 5; i++) {
        const a = await signed(
          agency.id,
          b.signer,
          'refundConnects',
          { job: '~01srv', connects: 20, on: day(40 + k * 5 + i) },
          [b.last],
        );
        b.last = a.id;
        mine.push(a);
      }
      const raw = await RawClient.open(server.url, agency.id);
      raws.push(raw);
      expect(await raw.authenticate(b.signer, agency.id)).toBe('member');
      raw.sendActions(mine);
      concurrent.push(...mine);
    }
    for (const client of [agency.owner, bob]) {
      await until(() => concurrent.every((a) => client.log.has(a.id)), {
        what: 'the refunds to reach every replica',
      });
      expect(client.log.state.balance).toBe(500);
      const flagged = client.log.state.verdicts.filter((v) => v.code === 'REFUND_BEYOND_SPENT');
      expect(flagged.length).toBe(49);
    }
    for (const raw of raws) expect(raw.closed).toBeNull();
    expect(agency.owner.closes).toEqual([]);
  });
});
