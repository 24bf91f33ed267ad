import { describe, expect, it } from 'vitest';
import { proposalsOnJob, whoProposed } from '../../../extension/overlay/teammates.ts';
import { northwind } from './support.ts';

const JOB = '~022001000000000000002';

describe('P5: teammates on this job', () => {
  it('P5: lists who proposed on the job, newest first, as the agency or independently, with the Connects spent', async () => {
    const fx = await northwind();
    await fx.propose('Ben', { job: JOB, title: 'RN app', connects: 12, boost: 4 });
    await fx.propose('Noor', { job: JOB, title: 'RN app', as: 'independent', connects: 12 });
    await fx.propose('Ana', { job: '~029999999999', title: 'Another job' });
    const list = proposalsOnJob(fx.derive().state, JOB, fx.id('Noor'));
    expect(list.map((p) => [p.name, p.you, p.as, p.cost])).toEqual([
      ['Noor', true, 'independent', 12],
      ['Ben', false, 'agency', 16],
    ]);
    expect(whoProposed(list)).toBe('You and Ben proposed on this job');
  });

  it('P5: a proposal a business manager recorded for a member names both', async () => {
    const fx = await northwind();
    await fx.propose('Ana', { job: JOB, member: fx.id('Dana Okafor') });
    const [p] = proposalsOnJob(fx.derive().state, JOB, null);
    expect(p).toMatchObject({ name: 'Dana Okafor', recordedBy: 'Ana' });
    expect(whoProposed(proposalsOnJob(fx.derive().state, JOB, null))).toBe(
      'Dana Okafor proposed on this job',
    );
  });

  it('names at most three, then counts the rest', () => {
    const p = (name: string, at: number) => ({
      id: name,
      member: name,
      name,
      you: false,
      as: 'agency' as const,
      cost: 1,
      at,
      recordedBy: null,
    });
    expect(whoProposed([p('A', 4), p('B', 3), p('C', 2), p('D', 1)])).toBe(
      'A, B and 2 others proposed on this job',
    );
    expect(whoProposed([p('A', 2), p('B', 1), p('A', 0)])).toBe('A and B proposed on this job');
    expect(whoProposed([])).toBe('');
  });
});
