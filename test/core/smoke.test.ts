import { describe, expect, it } from 'vitest';
import { AgencyFixture, codesOf } from './support/agency.ts';

describe('agency basics', () => {
  it('R1: a member proposal as the agency draws on the agency balance', async () => {
    const f = new AgencyFixture();
    await f.create('Olga', 100);
    await f.join('Ann');
    const p = await f.act('Ann', 'submitProposal', { job: '~021', title: 'Logo', as: 'agency', connects: 16, boost: 0 });
    const d = f.derive();
    expect(d.state.balance).toBe(84);
    expect(codesOf(d, p)).toEqual([]);
    expect(d.state.activity.at(-1)?.text).toBe("Ann proposed as the agency on 'Logo' — 16 Connects");
  });
});
