// @vitest-environment node
// Issue 12: the agency pages' activity search reaches the whole log, not only the latest 200 sentences the
// derived state keeps. A log of 10,203 signed actions (three joins and 10,200 proposals over two months):
// every figure below is counted from how the log was written, not by the code under test.

import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ACTIONS_ROOT, type Action, AgencyLog, toStored } from '../../../core/index.ts';
import { ActivityArchive } from '../../../extension/replica/activity-archive.ts';
import { AgencyFixture } from '../../core/support/agency.ts';

const PROPOSALS = 10_200;
const IN_NOVEMBER = 5_000;
const NOV = Date.UTC(2026, 10, 2);
const DEC = Date.UTC(2026, 11, 1);
const title = (i: number) => `alpha-${String(i).padStart(5, '0')}`;

let f: AgencyFixture;
let log: AgencyLog;
let archive: ActivityArchive;
let pauses = 0;

beforeAll(async () => {
  f = new AgencyFixture();
  await f.create('Olga', 1_000_000, { at: NOV - 3_600_000 });
  await f.join('Ann');
  await f.join('Bob');
  let last: Action = f.actions.at(-1)!;
  for (let i = 0; i < PROPOSALS; i++) {
    // Ann the even ones, Bob the odd ones; 5,000 in November, the rest in December; one minute apart.
    const at = i < IN_NOVEMBER ? NOV + i * 60_000 : DEC + (i - IN_NOVEMBER) * 60_000;
    last = await f.propose(
      i % 2 ? 'Bob' : 'Ann',
      { job: `~job${i}`, title: title(i), connects: 1 },
      { at, deps: [last.id] },
    );
  }
  const doc = new Y.Doc();
  const map = doc.getMap(ACTIONS_ROOT);
  doc.transact(() => {
    for (const a of f.actions) map.set(a.id, toStored(a));
  });
  log = await AgencyLog.open(doc, f.agencyId);
  archive = new ActivityArchive(log, {
    pause: async () => {
      pauses++;
    },
  });
}, 300_000);

describe('issue 12: searching the whole activity log', () => {
  it('the derived state keeps only the latest sentences; a search pages through all of them', async () => {
    expect(f.actions.length).toBeGreaterThanOrEqual(10_000);
    expect(log.state.activity.length).toBeLessThan(1_000);
    const all = await archive.page({ kind: 'proposals' }, 0, 20);
    expect(all.total).toBe(PROPOSALS);
    expect(all.pages).toBe(PROPOSALS / 20);
    expect(all.entries[0]!.text).toBe(`Bob proposed as the agency on '${title(PROPOSALS - 1)}' — 1 Connect`);
    // The oldest page ends with the first proposal, thousands of entries past what the state keeps.
    const oldest = await archive.page({ kind: 'proposals' }, all.pages - 1, 20);
    expect(oldest.entries.at(-1)!.text).toBe(`Ann proposed as the agency on '${title(0)}' — 1 Connect`);
    // The rebuild ran in slices, letting other work run between them.
    expect(pauses).toBeGreaterThan(5);
  });

  it('finds an old entry by its words, and filters by member and month', async () => {
    const found = await archive.page({ text: 'ALPHA-00017' }, 0, 20);
    expect(found.total).toBe(1);
    expect(found.entries[0]!.text).toBe(`Bob proposed as the agency on '${title(17)}' — 1 Connect`);
    const ann = await archive.page({ member: f.id('Ann'), kind: 'proposals' }, 0, 20);
    expect(ann.total).toBe(PROPOSALS / 2);
    const november = await archive.page({ month: '2026-11', kind: 'proposals' }, 0, 20);
    expect(november.total).toBe(IN_NOVEMBER);
    const annInDecember = await archive.page({ member: f.id('Ann'), month: '2026-12' }, 0, 20);
    expect(annInDecember.total).toBe((PROPOSALS - IN_NOVEMBER) / 2);
    // The creation, two invites and two joins are the team's.
    expect((await archive.page({ kind: 'team' }, 0, 20)).total).toBe(5);
  });

  it('a page holds at most 100 entries, whatever size is asked', async () => {
    const big = await archive.page({}, 0, 1_000_000);
    expect(big.entries).toHaveLength(100);
    expect(big.pages).toBe(Math.ceil(big.total / 100));
  });

  it('actions that arrive after the archive was built are found without deriving the log again', async () => {
    const before = archive.rebuilds;
    const r = await log.append(
      f.key('Olga'),
      'submitProposal',
      { job: '~late', title: 'omega late arrival', as: 'agency', connects: 2, boost: 0 },
      DEC + PROPOSALS * 60_000,
    );
    expect(r.ok).toBe(true);
    const late = await archive.page({ text: 'omega' }, 0, 20);
    expect(late.entries.map((e) => e.text)).toEqual([
      "Olga proposed as the agency on 'omega late arrival' — 2 Connects",
    ]);
    expect((await archive.page({ kind: 'proposals' }, 0, 20)).total).toBe(PROPOSALS + 1);
    expect(archive.rebuilds).toBe(before);
    archive.dispose();
  });
});
