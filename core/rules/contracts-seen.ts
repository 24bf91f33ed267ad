// A contract as its member's Upwork contracts page lists it (issue 11): its id, title, kind and whether it is
// the agency's — never its rate or amount (D15). A fact, flagged never refused. The member is the recorder:
// Upwork's contracts page lists a freelancer's own contracts, and a contract belongs to one freelancer.
//
// Who holds it is settled from what each record knew, never from the log's order or a signer-chosen time
// (an outside review took over a teammate's contract by stamping a concurrent record 1 ms earlier):
//  - a record that knew no record of the contract is a first record (a claim);
//  - when the claims are one member's, that member holds it; when they are two members' (concurrent, neither
//    knowing the other's), no one holds it — it is disputed — until a business manager decides
//    (assignContract, an intent: P2's managers decide; concurrent decisions settle to the smaller member id);
//  - a record that knew the contract as someone else's by their claim alone is a counter-claim: it disputes
//    the contract as a concurrent claim does (an outside review claimed teammates' contracts before them, with
//    an honest clock, from guessed ids; Upwork lists a contract on one freelancer's page, so two members
//    recording it means a business manager must look);
//  - a record that knew a business manager's decision for someone else is flagged CONTRACT_TAKEN and changes
//    nothing; one that knew a dispute no manager had decided is flagged CONTRACT_DISPUTED and changes nothing;
//  - of the holder's own records, the latest by time (then id) gives the title, and the kind is the earliest's
//    (D10, CONTRACT_KIND_FIXED on the others) — a canonical order over the holder's own records, not the log's.
// R7/D8: an exclusive member's contract is the agency's, judged by the relationship the record knew.
// A record concurrent with another record of its contract is contested: its flag is read from the settled
// contract (revoke.ts), so it is the same in every order.
import { contest, known, knownActive, knownMember, type ReplayContext, write } from '../knowledge.ts';
import type { VerdictCode } from '../refusals.ts';
import type { MemberId, SeenContract, SeenContractRecord } from '../types.ts';
import { isManager, nameOf, type Rules } from './rule.ts';

export const contractContest = (id: string): string => `contract:${id}`;

const byTime = (x: SeenContractRecord, y: SeenContractRecord): number =>
  x.at - y.at || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

/** A first record, or a counter-claim: both stake the recorder's claim to the contract. */
const isClaim = (r: SeenContractRecord): boolean => r.how === 'claim' || r.how === 'counter';

const claimants = (records: readonly SeenContractRecord[]): MemberId[] =>
  [...new Set(records.filter(isClaim).map((r) => r.member))].sort();

/** Works out who holds the contract and what it shows from its records and a manager's decision. */
function settle(seen: SeenContract): void {
  const claims = claimants(seen.records);
  const holder = seen.assigned ?? (claims.length === 1 ? claims[0]! : null);
  seen.member = holder;
  if (holder === null) seen.disputed = claims;
  else delete seen.disputed;
  // While disputed, the first claimant (by member id) gives the title shown: no one's record changes it.
  const shown = holder ?? claims[0]!;
  let from = seen.records.filter((r) => r.member === shown && (isClaim(r) || r.how === 'own'));
  if (!from.length) from = seen.records.filter(isClaim);
  from.sort(byTime);
  const first = from[0]!;
  const last = from[from.length - 1]!;
  seen.kind = first.kind;
  seen.first = first.id;
  seen.since = first.at;
  seen.title = last.title;
  seen.as = last.as;
  seen.by = last.id;
  seen.at = last.at;
}

/** The flag a record of the settled contract carries (D8, D10), or null. */
function flagOf(seen: SeenContract, r: SeenContractRecord): VerdictCode | null {
  if (r.how === 'taken' || r.how === 'counter') return 'CONTRACT_TAKEN';
  if (r.how === 'disputed') return 'CONTRACT_DISPUTED';
  if (r.how === 'claim' && claimants(seen.records).length > 1) return 'CONTRACT_DISPUTED';
  if (r.member === seen.member && r.kind !== seen.kind) return 'CONTRACT_KIND_FIXED';
  return null;
}

/** The flag of record `id` of `contract` in the settled state (revoke.ts settles contested records with it). */
export function contractRecordFlag(
  s: { contractsSeen?: Record<string, SeenContract> },
  contract: string,
  id: string,
): VerdictCode | null {
  const seen = s.contractsSeen?.[contract];
  const r = seen?.records.find((x) => x.id === id);
  return seen && r ? flagOf(seen, r) : null;
}

/** Who the current action knew holds the contract: a member, null for a dispute, undefined for no record. */
function holderKnown(ctx: ReplayContext, seen: SeenContract | undefined): MemberId | null | undefined {
  if (!seen) return undefined;
  const knows = (id: string) => ctx.knows(ctx.d.position.get(id)!);
  const claims = claimants(seen.records.filter((r) => isClaim(r) && knows(r.id)));
  if (!claims.length) return undefined;
  const assigned = known<MemberId>(ctx, 'ca', seen.id);
  if (assigned !== undefined) return assigned;
  return claims.length === 1 ? claims[0]! : null;
}

/** Whose contract the current action knew it to be (a member, null: disputed, undefined: unknown). */
export function contractHolderKnown(ctx: ReplayContext, contract: string): MemberId | null | undefined {
  return holderKnown(ctx, ctx.state.contractsSeen?.[contract]);
}

export const contractsSeenRules: Rules = {
  observeContract: {
    apply(ctx, a, actor) {
      if (ctx.historyOnly) return { text: null };
      const p = a.payload;
      const flags: VerdictCode[] = [];
      let as = p.as;
      const relationship = knownMember(ctx, actor.id)?.relationship ?? 'exclusive';
      if (as === 'independent' && relationship !== 'non-exclusive') {
        flags.push('OFFER_EXCLUSIVE');
        as = 'agency';
      }
      const all = ctx.state.contractsSeen;
      const prior = all[p.contract];
      const holder = holderKnown(ctx, prior);
      const decided = prior !== undefined && known<MemberId>(ctx, 'ca', p.contract) !== undefined;
      const how: SeenContractRecord['how'] =
        holder === undefined
          ? 'claim'
          : holder === actor.id
            ? 'own'
            : holder === null
              ? 'disputed'
              : decided
                ? 'taken'
                : 'counter';
      const record: SeenContractRecord = {
        id: a.id,
        member: actor.id,
        at: ctx.eff,
        title: p.title,
        kind: p.kind,
        as,
        how,
      };
      const seen: SeenContract = prior ?? {
        id: p.contract,
        title: p.title,
        kind: p.kind,
        as,
        member: actor.id,
        by: a.id,
        at: ctx.eff,
        first: a.id,
        since: ctx.eff,
        records: [],
      };
      all[p.contract] = seen;
      // Records it did not know are concurrent with it: together they are settled from the final state.
      const unknown = seen.records.filter((r) => !ctx.knows(ctx.d.position.get(r.id)!)).map((r) => r.id);
      seen.records.push(record);
      settle(seen);
      const name = contractContest(p.contract);
      if (unknown.length) contest(ctx, name, 'CONTRACT_TAKEN', [...unknown, a.id]);
      const flag = ctx.book.contested.get(name)?.ids.has(a.id) ? null : flagOf(seen, record);
      if (flag) flags.push(flag);
      const text =
        how === 'claim'
          ? `${actor.record.name}'s contract '${p.title}' (${p.kind === 'hourly' ? 'hourly' : 'fixed-price'}${as === 'agency' ? ', the agency’s' : ', independent'})`
          : null;
      return { text, flags };
    },
  },

  assignContract: {
    check(ctx, a, actor) {
      if (!isManager(actor)) return 'NOT_BUSINESS_MANAGER';
      if (holderKnown(ctx, ctx.state.contractsSeen?.[a.payload.contract]) === undefined)
        return 'UNKNOWN_CONTRACT';
      return knownActive(ctx, a.payload.member) ? null : 'UNKNOWN_MEMBER';
    },
    apply(ctx, a, actor) {
      const p = a.payload;
      const seen = ctx.state.contractsSeen[p.contract]!;
      seen.assigned = write(ctx, 'ca', p.contract, p.member) as MemberId;
      settle(seen);
      return {
        text: `${actor.record.name} decided that '${seen.title}' is ${nameOf(ctx, p.member)}'s contract`,
      };
    },
  },
};
