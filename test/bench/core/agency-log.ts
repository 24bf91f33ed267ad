// A realistic agency log for the core benchmark: 20 members over about a year — mostly agency proposals
// and balance observations, some refunds, offers and contract work, monthly allowances, and rare admin
// intents (roles, relationships, removals and rejoins) — mostly sequential, with a small fork of offline
// work now and then. Signed for real (seeded Ed25519 keys) and cached under os.tmpdir(), since signing
// 100k actions takes a while.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Action,
  type ActionId,
  type ActionType,
  createAction,
  fromBase64Url,
  type Payloads,
  type Signer,
  signJoinProof,
  toBase64Url,
} from '../../../core/index.ts';
import { seededSigner } from '../../core/support/keys.ts';

export const BENCH_AGENCY = 'agency-bench-0001';
const GENERATOR = 'v5';
const START = Date.UTC(2026, 0, 5, 9);

function prng(seed: number) {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sim {
  id: string;
  signer: Signer;
  role: 'manager' | 'member';
  relationship: 'exclusive' | 'non-exclusive';
  active: boolean;
}

export async function generate(n: number): Promise<Action[]> {
  const rnd = prng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const actions: Action[] = [];
  let heads: ActionId[] = [];
  let clock = START;
  let balance = 1000;
  let secrets = 0;
  const members: Sim[] = Array.from({ length: 20 }, (_, i) => {
    const signer = seededSigner(`bench:${i}`);
    return {
      id: signer.keyId,
      signer,
      role: i < 3 ? 'manager' : 'member',
      relationship: i >= 16 ? 'non-exclusive' : 'exclusive',
      active: i === 0,
    };
  });
  const owner = members[0]!;
  const offers: { id: string; member: Sim; hourly: boolean }[] = [];
  const contracts: { id: string; member: Sim; hourly: boolean }[] = [];

  const emit = async <T extends ActionType>(by: Sim, type: T, payload: Payloads[T], deps = heads) => {
    clock += 60_000 + Math.floor(rnd() * 600_000);
    const made = await createAction(BENCH_AGENCY, by.signer, type, payload, deps, clock);
    if (!made.ok) throw new Error(made.message);
    actions.push(made.action);
    return made.action;
  };
  const step = async <T extends ActionType>(by: Sim, type: T, payload: Payloads[T]) => {
    const a = await emit(by, type, payload);
    heads = [a.id];
  };
  const join = async (m: Sim) => {
    const invite = seededSigner(`bench-invite-${secrets++}`);
    await step(owner, 'grantInvite', {
      invite: invite.publicKey,
      role: m.role,
      relationship: m.relationship,
      expiresAt: clock + 7 * 86_400_000,
    });
    const proof = await signJoinProof(invite, BENCH_AGENCY, m.signer.publicKey);
    await step(m, 'joinAgency', { invite: invite.publicKey, proof, name: `Member ${members.indexOf(m)}` });
    m.active = true;
  };

  await step(owner, 'createAgency', { name: 'Bench Studio', memberName: 'Owner', balance });
  for (const m of members.slice(1)) await join(m);
  let month = -1;

  /** One member's ordinary action: what most of the log is made of. */
  const ordinary = async (by: Sim, deps?: ActionId[]): Promise<Action> => {
    const x = rnd();
    const job = `~0${Math.floor(rnd() * 5000)}`;
    if (x < 0.05 && by.relationship === 'non-exclusive') {
      return emit(
        by,
        'submitProposal',
        { job, title: `Job ${job}`, as: 'independent', connects: 8, boost: 0 },
        deps,
      );
    }
    if (x < 0.62) {
      const connects = 4 + Math.floor(rnd() * 20);
      const boost = rnd() < 0.2 ? Math.floor(rnd() * 10) : 0;
      balance -= connects + boost;
      return emit(by, 'submitProposal', { job, title: `Job ${job}`, as: 'agency', connects, boost }, deps);
    }
    if (x < 0.9) {
      const drift = rnd() < 0.1 ? Math.floor(rnd() * 7) - 3 : 0;
      balance = Math.max(0, balance + drift);
      return emit(by, 'observeBalance', { balance }, deps);
    }
    if (x < 0.93) {
      const connects = 4 + Math.floor(rnd() * 12);
      balance += connects;
      return emit(by, 'refundConnects', { job, connects }, deps);
    }
    if (x < 0.96) {
      const id = `offer-${actions.length}`;
      const hourly = rnd() < 0.5;
      offers.push({ id, member: by, hourly });
      const terms = hourly
        ? { kind: 'hourly' as const, hourlyRate: 4500 }
        : { kind: 'fixed' as const, amount: 90_000 };
      return emit(
        by,
        'receiveOffer',
        { offer: id, job, title: `Job ${job}`, as: 'agency', member: by.id, terms },
        deps,
      );
    }
    const c = contracts.length ? pick(contracts) : null;
    if (c && c.member === by) {
      return c.hourly
        ? emit(
            by,
            'logTime',
            { contract: c.id, minutes: 30 + Math.floor(rnd() * 300), day: '2026-03-02' },
            deps,
          )
        : emit(by, 'recordPayout', { contract: c.id, amount: 30_000 }, deps);
    }
    return emit(by, 'learnUpworkId', { upworkId: '1234567890' }, deps);
  };

  while (actions.length < n) {
    const m = new Date(clock).getUTCMonth();
    if (m !== month) {
      // A new month: the owner tops up the pool and gives five members an allowance.
      month = m;
      await step(owner, 'recordPurchase', { connects: 2000 });
      balance += 2000;
      for (const x of members.slice(3, 8))
        if (x.active) await step(owner, 'setAllowance', { member: x.id, monthly: 60 });
    }
    const active = members.filter((x) => x.active);
    const r = rnd();
    if (r < 0.0025) {
      // A small fork: two members work offline from the same heads, then someone merges.
      const base = heads;
      const a = pick(active);
      const b = pick(active.filter((x) => x !== a));
      const fork = [await ordinary(a, base), await ordinary(b, base)];
      const second = await ordinary(a, [fork[0]!.id]);
      heads = [second.id, fork[1]!.id].sort();
      continue;
    }
    if (r < 0.004 && offers.length) {
      const o = offers.shift()!;
      contracts.push(o);
      await step(members[1]!, 'acceptOffer', { offer: o.id });
      continue;
    }
    if (r < 0.0045) {
      const x = pick(members.slice(3));
      await step(owner, 'changeRole', { member: x.id, role: x.role === 'manager' ? 'member' : 'manager' });
      x.role = x.role === 'manager' ? 'member' : 'manager';
      continue;
    }
    if (r < 0.005) {
      const x = pick(members.slice(8, 16));
      if (x.active) {
        await step(owner, 'removeMember', { member: x.id });
        x.active = false;
      } else await join(x);
      continue;
    }
    if (r < 0.0055) {
      const x = pick(members.slice(3).filter((y) => y.active));
      x.relationship = x.relationship === 'exclusive' ? 'non-exclusive' : 'exclusive';
      await step(owner, 'changeRelationship', { member: x.id, relationship: x.relationship });
      continue;
    }
    if (balance < 300) {
      await step(owner, 'recordPurchase', { connects: 1000 });
      balance += 1000;
      continue;
    }
    const a = await ordinary(pick(active));
    heads = [a.id];
  }
  return actions.slice(0, n);
}

// Byte fields survive JSON as {"$b": base64url}.
// (A Buffer, which sha256 gives in Node, would reach a replacer already turned into {type, data}.)
function replacer(this: Record<string, unknown>, k: string, v: unknown) {
  const raw = this[k];
  return raw instanceof Uint8Array ? { $b: toBase64Url(raw) } : v;
}
const reviver = (_k: string, v: unknown) =>
  v && typeof v === 'object' && '$b' in v ? fromBase64Url((v as { $b: string }).$b) : v;

/** The log of `n` actions, from the cache when a previous run signed it. */
export async function benchLog(n: number): Promise<{ actions: Action[]; cached: boolean; ms: number }> {
  const file = join(tmpdir(), `agency-overlay-core-bench-${GENERATOR}-${n}.json`);
  const t = performance.now();
  if (existsSync(file)) {
    try {
      return {
        actions: JSON.parse(readFileSync(file, 'utf8'), reviver),
        cached: true,
        ms: performance.now() - t,
      };
    } catch {
      // a damaged cache is simply rebuilt
    }
  }
  const actions = await generate(n);
  writeFileSync(file, JSON.stringify(actions, replacer));
  return { actions, cached: false, ms: performance.now() - t };
}
