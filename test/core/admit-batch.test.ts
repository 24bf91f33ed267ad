// The server's admission of a writer's batch (core's admitBatch): a refusal caused by a concurrent action is
// kept (every replica refuses it the same way), one caused by the action's own causal past refuses the whole
// batch, and a late batch is derived once.
import { describe, expect, it } from 'vitest';
import { admitBatch, derive } from '../../core/index.ts';
import { AgencyFixture, codesOf } from './support/agency.ts';

async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Max', { role: 'manager' });
  await f.join('Ann');
  return f;
}

describe('admitBatch', () => {
  it('keeps an intent that lost a race (D5): a demoted manager’s back-dated removal is stored, and refused by derive', async () => {
    const f = await agency();
    const base = f.heads();
    await f.act('Olga', 'changeRole', { member: f.id('Max'), role: 'member' }, { deps: base });
    const room = f.derive();
    const removal = await f.act('Max', 'removeMember', { member: f.id('Ann') }, { deps: base, keep: false });
    const r = admitBatch(room, [removal]);
    expect(r.ok).toBe(true);
    expect(codesOf(r.derivation, removal)).toEqual(['DEMOTED']);
    expect(r.derivation.state.verdicts.find((v) => v.id === removal.id)?.race).toBe(true);
    expect(r.derivation.state.members[f.id('Ann')]?.status).toBe('active');
  });

  it('refuses the whole batch when one action is refused by its own causal past, and keeps none of it', async () => {
    const f = await agency();
    const room = f.derive();
    const size = room.actions.size;
    const fact = await f.propose('Ann', { connects: 4 }, { keep: false });
    const forged = await f.act(
      'Ann',
      'changeRole',
      { member: f.id('Ann'), role: 'manager' },
      { deps: [fact.id], keep: false },
    );
    const r = admitBatch(room, [fact, forged]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.id).toBe(forged.id);
    expect(r.rule).toBe('P2');
    expect(r.derivation.actions.size).toBe(size);
    expect(r.derivation.actions.has(fact.id)).toBe(false);
  });

  it('admits a late batch of facts with old dependencies as the full derive would', async () => {
    const f = await agency();
    const old = f.heads();
    for (let i = 0; i < 30; i++) await f.propose('Olga', { connects: 1 });
    const room = f.derive();
    const late = [];
    let deps = old;
    for (let i = 0; i < 20; i++) {
      const a = await f.propose('Ann', { connects: 1, job: `~late${i}` }, { deps, keep: false });
      late.push(a);
      deps = [a.id];
    }
    const r = admitBatch(room, late);
    expect(r.ok).toBe(true);
    const oracle = derive(f.agencyId, [...f.actions, ...late]);
    expect(r.derivation.state.balance).toBe(oracle.state.balance);
    expect(r.derivation.order).toEqual(oracle.order);
  });
});
