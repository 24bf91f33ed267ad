// derive in steps (core/steps.ts): the sync server runs one agency's derive a slice at a time, so others are
// served in between (issue 8, item 12). Stepping must change nothing but when the work happens: the same
// state, order and ancestry as derive, whatever else is stepped in between, and a yield every few thousand
// actions of work, however the log arrives.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Action,
  admitBatch,
  admitBatchSteps,
  type Derivation,
  derive,
  deriveSteps,
  type Steps,
} from '../../core/index.ts';
import { STEP } from '../../core/steps.ts';
import { BENCH_AGENCY, generate } from '../bench/core/agency-log.ts';
import { stableText } from './support/invariants.ts';
import { shuffle } from './support/simulation.ts';

const N = 3000;
let log: Action[] = [];
beforeAll(async () => {
  // 20 members over months: proposals, observations, offers, contracts, role changes, small forks
  log = await generate(N);
}, 120_000);

/** Runs steps to the end, counting the yields. */
function counted<T>(steps: Steps<T>): { value: T; yields: number } {
  let yields = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return { value: r.value, yields };
    yields++;
  }
}

function same(actual: Derivation, expected: Derivation): void {
  expect(stableText(actual.state)).toBe(stableText(expected.state));
  expect(actual.order).toEqual(expected.order);
  expect(actual.cut).toEqual(expected.cut);
  expect([...actual.heads].sort()).toEqual([...expected.heads].sort());
  expect(stableText(actual.revocations)).toBe(stableText(expected.revocations));
}

// each test derives a 3,000-action log a few times: seconds on a loaded machine
const SLOW = 120_000;

describe('derive in steps', () => {
  it(
    'gives what derive gives, yielding at least once per pass over every STEP actions',
    () => {
      const { value, yields } = counted(deriveSteps(BENCH_AGENCY, log));
      same(value, derive(BENCH_AGENCY, log));
      // four passes over the log yield (resolving, placing, indexing, replaying; a log given as an array is
      // not read into another): at least one yield per STEP actions in each
      expect(yields).toBeGreaterThanOrEqual(4 * Math.floor(N / STEP));
    },
    SLOW,
  );

  it(
    'gives what derive gives when the log arrives out of causal order (the depth-first walk yields too)',
    () => {
      const shuffled = shuffle(log, 20261202);
      const { value, yields } = counted(deriveSteps(BENCH_AGENCY, shuffled));
      same(value, derive(BENCH_AGENCY, log));
      expect(value.state.counts.pending).toBe(0);
      expect(yields).toBeGreaterThanOrEqual(5 * Math.floor(N / STEP));
    },
    SLOW,
  );

  it(
    'two derives stepped in turn (two rooms of one server) each give what derive gives alone',
    () => {
      const a = deriveSteps(BENCH_AGENCY, log);
      const b = deriveSteps(BENCH_AGENCY, shuffle(log.slice(0, 2000), 7));
      let ra = a.next();
      let rb = b.next();
      while (!ra.done || !rb.done) {
        if (!ra.done) ra = a.next();
        if (!rb.done) rb = b.next();
      }
      same(ra.value, derive(BENCH_AGENCY, log));
      same(rb.value, derive(BENCH_AGENCY, log.slice(0, 2000)));
    },
    SLOW,
  );

  it(
    'admitBatch in steps: a batch that does not land at the end is derived in steps, with admitBatch’s result',
    () => {
      // a member offline for a while: the room holds the log without 10 of its actions; later ones wait on them
      const missing = log.slice(1500, 1510);
      const held = log.filter((a) => !missing.includes(a));
      const stepped = counted(admitBatchSteps(derive(BENCH_AGENCY, held), missing));
      const plain = admitBatch(derive(BENCH_AGENCY, held), missing);
      expect(stepped.value.ok).toBe(true);
      expect(plain.ok).toBe(true);
      same(stepped.value.derivation, plain.derivation);
      same(stepped.value.derivation, derive(BENCH_AGENCY, log));
      expect(stepped.yields).toBeGreaterThanOrEqual(5 * Math.floor(N / STEP));
    },
    SLOW,
  );
});
