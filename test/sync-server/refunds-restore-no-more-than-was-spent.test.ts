// D9 through the real server: a member records refunds as often as they like — on new days, and as a batch
// written on an old past so that none knows the others — and every replica the server relays them to ends
// with the agency balance it had before the proposal was spent, never more. The refunds are facts: the
// server stores and relays them (flagged by core), it closes no one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../core/index.ts';
import { type Agency, createAgency, type TestClient } from './support/client.ts';
import { RawClient } from './support/raw.ts';
import { type TestServer, testServer } from './support/server.ts';
import { signed } from './support/updates.ts';
import { until } from './support/wait.ts';

let server: TestServer;
let agency: Agency;
let bob: TestClient;
let raw: RawClient | null = null;

beforeAll(async () => {
  server = await testServer();
  agency = await createAgency(server.url); // 500 Connects
  bob = await agency.join('Bob');
});

afterAll(async () => {
  raw?.close();
  agency.destroy();
  await server.dispose();
});

const day = (n: number) => `2026-0${1 + (n % 9)}-${String(1 + (n % 28)).padStart(2, '0')}`;

describe('D9: refunds through the server', () => {
  it('D9: thirty refunds on new days and twenty on an old past restore one proposal’s Connects, in every replica', async () => {
    await bob.appendOk('submitProposal', {
      job: '~01srv',
      title: 'Job',
      as: 'agency',
      connects: 16,
      boost: 4,
    });
    const past = bob.log.heads();
    for (let i = 0; i < 30; i++)
      await bob.appendOk('refundConnects', { job: '~01srv', connects: 20, on: day(i) });
    // twenty more, each on the past right after the proposal: concurrent with every other refund
    const concurrent: Action[] = [];
    for (let i = 0; i < 20; i++) {
      concurrent.push(
        await signed(
          agency.id,
          bob.signer,
          'refundConnects',
          { job: '~01srv', connects: 20, on: day(40 + i) },
          past,
        ),
      );
    }
    raw = await RawClient.open(server.url, agency.id);
    expect(await raw.authenticate(bob.signer, agency.id)).toBe('member');
    raw.sendActions(concurrent);
    for (const client of [agency.owner, bob]) {
      await until(() => concurrent.every((a) => client.log.has(a.id)), {
        what: 'the refunds to reach every replica',
      });
      expect(client.log.state.balance).toBe(500);
      const flagged = client.log.state.verdicts.filter((v) => v.code === 'REFUND_BEYOND_SPENT');
      expect(flagged.length).toBe(49);
    }
    expect(raw.closed).toBeNull();
    expect(agency.owner.closes).toEqual([]);
  });
});
