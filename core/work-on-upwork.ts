// What the agency's log knows of its members' work on Upwork, for the agency pages (issue 11): the contracts
// members' browsers saw on Upwork's contracts page, each with the latest week of hours recorded from its
// freelancer's own timesheet (D11: "so a week's hours can be shown"). No amount is among these facts (D15).
// A business manager is shown everyone's, a plain member their own, as Upwork's own pages show them. Pure.
import type { AgencyState, MemberId, OwnHours, SeenContract } from './types.ts';

export interface WorkRow {
  contract: SeenContract;
  /** The freelancer's name, or null for a member the log no longer has or while the contract is disputed. */
  memberName: string | null;
  /** While two members' first records dispute it (D8): their names, until a business manager decides. */
  disputedBy: string[];
  /** The latest week recorded from the freelancer's own timesheet, if any. */
  latest: OwnHours | null;
}

/** The contracts `me` is shown, newest first (by when first seen), each with its latest recorded week. */
export function workOnUpwork(state: AgencyState, me: MemberId): WorkRow[] {
  const manager = state.members[me]?.role === 'manager';
  const latest = new Map<string, OwnHours>();
  for (const h of Object.values(state.ownHours ?? {})) {
    const key = `${h.member}|${h.contract}`;
    const had = latest.get(key);
    if (!had || h.week > had.week) latest.set(key, h);
  }
  const nameOf = (id: MemberId) => state.members[id]?.name ?? null;
  return Object.values(state.contractsSeen ?? {})
    .filter((c) => manager || c.member === me || (c.member === null && c.disputed?.includes(me)))
    .sort((a, b) => b.since - a.since || (a.id < b.id ? -1 : 1))
    .map((contract) => ({
      contract,
      memberName: contract.member === null ? null : nameOf(contract.member),
      disputedBy:
        contract.member === null
          ? (contract.disputed ?? []).map((id) => nameOf(id) ?? 'a former member')
          : [],
      latest: contract.member === null ? null : (latest.get(`${contract.member}|${contract.id}`) ?? null),
    }));
}
