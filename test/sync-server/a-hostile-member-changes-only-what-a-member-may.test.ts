// The hostile-member fuzz (issue 8): seeded random schedules against the real server (a child process, its
// default limits, a fresh data folder), each with a new agency of honest members — stock y-websocket
// clients with core's AgencyLog, as the extension's replica — and one or two members who turn hostile. The
// hostile ones back-date (`at` in the past, or ahead), choose old dependencies, grind ids, replay others'
// actions (of this agency and of another), claim others' keys, write under a Yjs client id another member
// owns, announce themselves in presence as someone else or under someone else's id, and use their used
// invite again; they also do what a plain member may (record their own proposals and balances, on any
// dependencies, at any time).
// After each schedule:
//  - every honest replica derives exactly what core derives from the log *without* the hostile members'
//    illegitimate actions: whatever of them the server stored (none, if it refused them all) changes
//    nothing, and what remains of their influence is what a plain member may do;
//  - who is who (owner, members, roles, keys) is what the honest members made it;
//  - every honest write is stored (an ACK covers it, and a new connection reads it), no honest connection
//    was closed, presence says who each connection is, and the server is alive.
// Each comparison is shown to fail when it should: with one of the refused actions put back into the log,
// or with a promotion of the hostile member, the same comparison tells the difference.
// SOAK=1 runs many more schedules; HOSTILE_SEED=n replays one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ACTIONS_ROOT, type Action, type AgencyState, createAction, derive } from '../../core/index.ts';
import { stableText } from '../core/support/invariants.ts';
import { type ChildServer, kill, spawnServer } from './support/child.ts';
import { type Agency, createAgency, joinPayload, joinWith, newSigner, TestClient } from './support/client.ts';
import { between, Hostile, pick, type Random } from './support/hostile.ts';
import { rng, until } from './support/wait.ts';

const SOAK = process.env.SOAK === '1';
const ONE = process.env.HOSTILE_SEED ? Number(process.env.HOSTILE_SEED) : null;
const SCHEDULES = ONE !== null ? 1 : SOAK ? 200 : 20;
const STEPS = SOAK ? 30 : 16;
const FIRST_SEED = 0x4057;
const seeds = ONE !== null ? [ONE] : Array.from({ length: SCHEDULES }, (_, i) => FIRST_SEED + i);

let dir = '';
let server: ChildServer;
/** Another agency on the same server, whose actions the hostile members replay. */
let elsewhere: Agency;
const elsewhereActions: Action[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agency-sync-hostile-'));
  server = await spawnServer(['--port', '0', '--data', dir, '--log-level', 'warn']);
  elsewhere = await createAgency(server.url, { name: 'Elsewhere' });
  for (let i = 0; i < 3; i++) await elsewhere.owner.appendOk('observeBalance', { balance: 100 + i });
  await elsewhere.owner.appendOk('setAllowance', { member: elsewhere.owner.signer.keyId, monthly: 10 });
  elsewhereActions.push(...elsewhere.owner.log.ordered());
}, 60_000);

afterAll(async () => {
  elsewhere?.destroy();
  if (server) await kill(server);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Who is who: the owner, each member's standing, each key's member and status. */
function authority(s: AgencyState): unknown {
  return {
    owner: s.ownerId,
    members: Object.fromEntries(
      Object.entries(s.members).map(([id, m]) => [id, [m.status, m.role, m.relationship]]),
    ),
    keys: Object.fromEntries(Object.entries(s.keys).map(([k, v]) => [k, [v.member, v.active]])),
  };
}

interface Schedule {
  seed: number;
  agency: Agency;
  honest: TestClient[];
  hostiles: Hostile[];
  /** Ids each honest member wrote (appends that were not refused). */
  written: Map<TestClient, string[]>;
  /** Members the owner removed (hostile ones). */
  removed: Set<string>;
}

async function setUp(seed: number, next: Random): Promise<Schedule> {
  const agency = await createAgency(server.url, { name: `Hostile ${seed}` });
  const bea = await agency.join('Bea');
  const cal = await agency.join('Cal', { role: 'manager' });
  const honest = [agency.owner, bea, cal];
  const hostiles: Hostile[] = [];
  for (const name of next() < 0.5 ? ['Eve'] : ['Eve', 'Mallory']) {
    const invite = await agency.invite();
    const replica = await joinWith(server.url, agency.id, invite, name);
    hostiles.push(new Hostile(server.port, agency.id, replica, invite));
  }
  for (const c of honest) c.provider.awareness.setLocalStateField('user', { color: '#0a0' });
  return { seed, agency, honest, hostiles, written: new Map(honest.map((c) => [c, []])), removed: new Set() };
}

/** One honest member acts: facts, and the owner's intents (allowances, and now and then a removal). */
async function honestStep(s: Schedule, next: Random): Promise<void> {
  const c = pick(next, s.honest);
  const me = c.signer.keyId;
  const r = next();
  let result: Awaited<ReturnType<TestClient['append']>>;
  if (r < 0.4) result = await c.append('observeBalance', { balance: between(next, 0, 900) });
  else if (r < 0.8)
    result = await c.append('submitProposal', {
      job: `job-${s.seed}-${between(next, 0, 1e9)}`,
      title: 'An honest proposal',
      as: next() < 0.5 ? 'agency' : 'independent',
      connects: between(next, 0, 4),
      boost: 0,
    });
  else if (r < 0.95 || c !== s.agency.owner)
    result = await c.append('setAllowance', {
      member: pick(next, [...s.honest.map((h) => h.signer.keyId), me]),
      monthly: between(next, 0, 50),
    });
  else {
    const target = pick(next, s.hostiles);
    result = await c.append('removeMember', { member: target.id });
    if (result.ok) s.removed.add(target.id);
  }
  if (result.ok) s.written.get(c)!.push(result.action.id);
}

/** One hostile member attacks (or does what a plain member may). */
async function hostileStep(s: Schedule, h: Hostile, next: Random): Promise<void> {
  const view = h.replica.log;
  const heads = view.heads();
  const ordered = view.ordered();
  const joinPos = ordered.findIndex((a) => a.type === 'joinAgency' && a.actor === h.id);
  /** An old dependency: anything from its own join on (a plain member's past), or from before it. */
  const oldDep = (): string[] => {
    const from = next() < 0.8 && joinPos >= 0 ? joinPos : 0;
    return [ordered[between(next, from, ordered.length - 1)]!.id];
  };
  const deps = () => (next() < 0.5 ? heads : oldDep());
  const at = () => {
    const r = next();
    if (r < 0.4) return Date.now() - between(next, 60_000, 30 * 86_400_000); // back-dated
    if (r < 0.5) return Date.now() + between(next, 1_000, 200_000); // a little ahead: allowed
    if (r < 0.55) return Date.now() + 10 * 60_000; // too far ahead
    return Date.now();
  };
  const victim = pick(next, s.honest);
  const owner = s.agency.owner.signer.keyId;
  const catchUp = next() < 0.5;
  const fact = (n: number, d: string[], t: number) =>
    next() < 0.5
      ? h.sign('observeBalance', { balance: between(next, 0, 5000) }, d, t)
      : h.sign(
          'submitProposal',
          {
            job: `hostile-${h.id.slice(0, 6)}-${n}`,
            title: `Recorded by a hostile member ${n}`,
            as: 'independent',
            connects: between(next, 0, 3),
            boost: 0,
          },
          d,
          t,
        );
  /** Intents a plain member may not make. */
  const intent = async (d: string[], t: number): Promise<Action> => {
    const newKey = await newSigner();
    switch (between(next, 0, 5)) {
      case 0:
        return h.sign('changeRole', { member: h.id, role: 'manager' }, d, t);
      case 1:
        return h.sign('removeMember', { member: pick(next, [owner, victim.signer.keyId]) }, d, t);
      case 2:
        return h.sign('setAllowance', { member: h.id, monthly: 5000 }, d, t);
      case 3:
        return h.sign(
          'grantInvite',
          { invite: newKey.publicKey, role: 'manager', relationship: 'exclusive', expiresAt: t + 86_400_000 },
          d,
          t,
        );
      case 4:
        // a browser key for someone else: only their member or a manager may grant it
        return h.sign(
          'grantDeviceInvite',
          { invite: newKey.publicKey, member: victim.signer.keyId, expiresAt: t + 86_400_000 },
          d,
          t,
        );
      default:
        return h.sign('removeDeviceKey', { member: victim.signer.keyId, key: victim.signer.publicKey }, d, t);
    }
  };
  const t = at();
  const tooFar = t > Date.now() + 5 * 60_000;
  switch (between(next, 0, 9)) {
    case 0: {
      // back-dated or old dependencies: a manager's intent
      const a = await intent(deps(), t);
      await h.write({ kind: 'intent', action: a, legit: false }, [a], { catchUp });
      return;
    }
    case 1:
    case 2: {
      // what a plain member may do: its own facts, on any dependencies, at any time up to 5 minutes ahead
      const a = await fact(h.fresh(), deps(), t);
      await h.write({ kind: 'fact', action: a, legit: !tooFar }, [a], { catchUp });
      return;
    }
    case 3: {
      // ground ids: an intent or a fact whose id sorts ahead of the honest actions of its depth
      const d = deps();
      const asIntent = next() < 0.5;
      const a = await h.grind((n) => (asIntent ? intent(d, t) : fact(n, d, t)));
      await h.write({ kind: 'ground', action: a, legit: !asIntent && !tooFar }, [a], { catchUp });
      return;
    }
    case 4: {
      // replay: another member's action of this agency, under its own Yjs client id
      const others = ordered.filter((a) => a.actor !== h.id);
      await h.write({ kind: 'replay', legit: false }, [pick(next, others)], { catchUp });
      return;
    }
    case 5: {
      // replay: another agency's action
      const a = pick(next, elsewhereActions);
      await h.write({ kind: 'replay-elsewhere', action: a, legit: false }, [a], { catchUp: true });
      return;
    }
    case 6: {
      // someone else's key: a join signed as if by the victim's key (the signature cannot be the victim's)
      const forged = await h.sign('joinAgency', await reusedJoinPayload(h), heads, Date.now());
      const a = { ...forged, actor: victim.signer.keyId } as Action;
      await h.write({ kind: 'claim-key', action: a, legit: false }, [a], { catchUp: true });
      return;
    }
    case 7: {
      // a Yjs client id another member owns: its own fact at the victim's next clock position
      const a = await fact(h.fresh(), heads, Date.now());
      const client = victim.doc.clientID;
      const clock = Y.decodeStateVector(Y.encodeStateVector(victim.doc)).get(client) ?? 0;
      await h.write({ kind: 'yjs-client-id', action: a, legit: false }, [a], { client, clock, catchUp });
      return;
    }
    case 8: {
      // presence: as the owner, under its own id or the victim's; then checked as the others see it
      const own = next() < 0.5;
      const clientId = own
        ? ((h.replica.doc.clientID + 1 + h.fresh()) % 0x7fffffff) + 1
        : victim.doc.clientID;
      const c = await h.presence(own ? 'presence-as-owner' : 'presence-of-another', clientId, 1_000_000, {
        user: { member: owner, name: 'Olga', role: 'manager', standing: 'member' },
      });
      if (!c) return;
      const witness = s.honest.find((x) => x !== victim) ?? s.honest[0]!;
      if (own) {
        const seen = await until(() => witness.provider.awareness.getStates().get(clientId), {
          what: 'the hostile presence to reach a member',
          timeout: 5_000,
        });
        expect(seen.user, `seed ${s.seed}: presence is stamped with its own member`).toMatchObject({
          member: h.id,
        });
      } else {
        await new Promise((r) => setTimeout(r, 50));
        const seen = witness.provider.awareness.getStates().get(clientId);
        expect(seen?.user?.member, `seed ${s.seed}: another's presence is untouched`).toBe(
          victim.signer.keyId,
        );
      }
      c.destroy();
      return;
    }
    default: {
      // its used invite again: at the handshake, and as a join in a catch-up
      expect(await h.reuseInviteHandshake(), `seed ${s.seed}: a used invite admits no one`).toBeNull();
      const a = await h.reusedInviteJoin(heads);
      await h.write({ kind: 'reuse-invite', action: a, legit: false }, [a], { catchUp: true });
    }
  }
}

/** A join payload for a new key with the hostile member's used invite. */
async function reusedJoinPayload(h: Hostile) {
  return joinPayload(h.replica.room, h.usedInvite, await newSigner(), 'Taken');
}

/** Whether an ACK the member got covers everything it wrote itself (under its doc's Yjs client id). */
function ownWritesAcked(c: TestClient): boolean {
  const own = Y.decodeStateVector(Y.encodeStateVector(c.doc)).get(c.doc.clientID) ?? 0;
  return c.acks.some((ack) => (ack.get(c.doc.clientID) ?? 0) >= own);
}

/** What each member holds and got, and what the hostile ones tried (for a failure's message). */
function summary(s: Schedule): string {
  const honest = s.honest.map(
    (c) =>
      `${c.signer.keyId.slice(0, 6)}: ${c.ids().length} actions, acked ${ownWritesAcked(c)}, closes ${JSON.stringify(c.closes)}, wrote ${s.written.get(c)!.length}`,
  );
  const tried = s.hostiles.flatMap((h) =>
    h.attempts.map((x) => `${h.id.slice(0, 6)} ${x.kind} ${x.legit ? 'legit' : 'illegit'} → ${x.close}`),
  );
  return [...honest, ...tried].join('\n');
}

async function runSchedule(seed: number): Promise<{ stored: number; refused: number; attempts: number }> {
  const next = rng(seed);
  const s = await setUp(seed, next);
  try {
    for (let step = 0; step < STEPS; step++) {
      if (next() < 0.55) await honestStep(s, next);
      else await hostileStep(s, pick(next, s.hostiles), next);
      if (next() < 0.3) await new Promise((r) => setTimeout(r, between(next, 0, 40)));
    }
    // every honest member has every honest write stored, and they all hold the same log
    await until(
      () => {
        const ids = s.honest.map((c) => c.ids().join());
        return s.honest.every(ownWritesAcked) && ids.every((x) => x === ids[0]);
      },
      { what: `seed ${seed}: the honest members to converge, every write acknowledged`, timeout: 30_000 },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${summary(s)}`);
    });
    for (const c of s.honest) await c.log.settled();
    for (const c of s.honest)
      expect(
        c.closes.filter((x) => x.code >= 4000),
        `seed ${seed}: no honest connection is closed`,
      ).toEqual([]);
    const attempts = s.hostiles.flatMap((h) => h.attempts);
    const illegitimate = new Set(attempts.filter((x) => !x.legit && x.action).map((x) => x.action!.id));
    // what the server holds, read by a new connection: every honest write, and none of the illegitimate
    const reader = await TestClient.open({
      url: server.url,
      room: s.agency.id,
      signer: s.agency.owner.signer,
    });
    try {
      await reader.whenSynced();
      const stored = new Set(reader.doc.getMap(ACTIONS_ROOT).keys());
      for (const [c, ids] of s.written)
        for (const id of ids)
          expect(stored.has(id), `seed ${seed}: ${c.signer.keyId.slice(0, 6)}'s write ${id} is stored`).toBe(
            true,
          );
      const kinds = attempts.filter(
        (x) => x.action && illegitimate.has(x.action.id) && stored.has(x.action.id),
      );
      expect(
        kinds.map((x) => x.kind),
        `seed ${seed}: no illegitimate action is stored`,
      ).toEqual([]);
    } finally {
      reader.destroy();
    }

    // what the honest members derive is what core derives without the hostile members' illegitimate actions
    const log = [...s.honest[0]!.log.derived.actions.values()];
    const reference = derive(
      s.agency.id,
      log.filter((a) => !illegitimate.has(a.id)),
    );
    const expected = stableText(reference.state);
    for (const c of s.honest)
      expect(
        stableText(c.log.state),
        `seed ${seed}: ${c.signer.keyId.slice(0, 6)} derives the reference`,
      ).toBe(expected);

    // who is who is what the honest members made it
    const want = {
      owner: s.agency.owner.signer.keyId,
      members: Object.fromEntries([
        [s.agency.owner.signer.keyId, ['active', 'manager', 'exclusive']],
        [s.honest[1]!.signer.keyId, ['active', 'member', 'exclusive']],
        [s.honest[2]!.signer.keyId, ['active', 'manager', 'exclusive']],
        ...s.hostiles.map((h) => [h.id, [s.removed.has(h.id) ? 'removed' : 'active', 'member', 'exclusive']]),
      ]),
      keys: Object.fromEntries(
        [...s.honest.map((c) => c.signer.keyId), ...s.hostiles.map((h) => h.id)].map((k) => [k, [k, true]]),
      ),
    };
    const got = authority(s.honest[0]!.log.state);
    expect(stableText(got), `seed ${seed}: no one took a seat or a key`).toBe(stableText(want));

    // each comparison tells the difference when it should (so the ones above can fail)
    const refused = attempts.find(
      (x) =>
        !x.legit && x.action && x.close !== null && x.action.deps.every((d) => log.some((a) => a.id === d)),
    );
    if (refused) {
      const withIt = derive(s.agency.id, [...log.filter((a) => !illegitimate.has(a.id)), refused.action!]);
      expect(stableText(withIt.state), `seed ${seed}: a stored ${refused.kind} would be seen`).not.toBe(
        expected,
      );
    }
    const eve = s.hostiles[0]!;
    if (!s.removed.has(eve.id)) {
      const made = await createAction(
        s.agency.id,
        s.agency.owner.signer,
        'changeRole',
        { member: eve.id, role: 'manager' },
        reference.heads.size ? [...reference.heads].sort() : [],
        Date.now(),
      );
      if (!made.ok) throw new Error(made.message);
      const promoted = derive(s.agency.id, [...log, made.action]);
      expect(stableText(authority(promoted.state)), `seed ${seed}: a promotion would be seen`).not.toBe(
        stableText(want),
      );
    }

    expect(server.child.exitCode, `seed ${seed}: the server is alive`).toBeNull();
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(health.status).toBe(200);
    const storedIds = new Set(log.map((a) => a.id));
    return {
      stored: attempts.filter((x) => x.action && storedIds.has(x.action.id)).length,
      refused: attempts.filter((x) => x.close !== null).length,
      attempts: attempts.length,
    };
  } finally {
    for (const h of s.hostiles) h.replica.destroy();
    s.agency.destroy();
  }
}

describe('a hostile member changes only what a member may', () => {
  it(
    `${SCHEDULES} seeded schedules of honest and hostile members against the real server`,
    async () => {
      const totals = { stored: 0, refused: 0, attempts: 0 };
      for (const seed of seeds) {
        let r: Awaited<ReturnType<typeof runSchedule>>;
        try {
          r = await runSchedule(seed);
        } catch (e) {
          throw new Error(
            `hostile schedule failed — replay it with HOSTILE_SEED=${seed}: ${(e as Error).message}`,
            {
              cause: e,
            },
          );
        }
        totals.stored += r.stored;
        totals.refused += r.refused;
        totals.attempts += r.attempts;
      }
      console.info(JSON.stringify({ scenario: 'hostile members', schedules: seeds.length, ...totals }));
      expect(totals.refused).toBeGreaterThan(0);
    },
    (SOAK ? 60 : 3) * 60_000,
  );
});
