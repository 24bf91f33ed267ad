// Members' own weekly hours (issue 11): recorded from a member's own timesheet only when the agency turned
// that on, on a contract the record knew as its member's own, for a week (a Monday) begun by its day. The setting is a business manager's (setHoursRecording, an intent: a plain member's is refused by
// every replica and by the server, which runs the same check) and off by default; of two concurrent settings
// off holds (knowledge.ts, register 'hr'). An hours record is a fact: one made while recording was off, as
// its own causal past knew the setting, is kept, flagged and counts nowhere. Of several records of one
// member's week on one contract, the latest by time stands; at the same millisecond the smaller action id.
import { known, type ReplayContext, write } from '../knowledge.ts';
import { contractHolderKnown } from './contracts-seen.ts';
import { isManager, type Rules } from './rule.ts';

/** Time zones run at most 14 hours ahead of UTC: a week begun on the recording's day there has begun. */
const AHEAD_MS = 14 * 3_600_000;
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Whether hours were being recorded, as the current action knew it (a register with no write: off). */
const recordingKnown = (ctx: ReplayContext): boolean => known<boolean>(ctx, 'hr', '') ?? false;

const hoursText = (minutes: number): string =>
  `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')} hrs`;

export const ownHoursRules: Rules = {
  setHoursRecording: {
    check: (_ctx, _a, actor) => (isManager(actor) ? null : 'NOT_BUSINESS_MANAGER'),
    apply(ctx, a, actor) {
      ctx.state.hoursRecording = write(ctx, 'hr', '', a.payload.on) as boolean;
      return {
        text: a.payload.on
          ? `${actor.record.name} turned on recording of members' own weekly hours`
          : `${actor.record.name} turned off recording of members' own weekly hours`,
      };
    },
  },

  recordOwnHours: {
    apply(ctx, a, actor) {
      if (ctx.historyOnly) return { text: null };
      const p = a.payload;
      // The week is a real Monday (schema), and must have begun by the day it was recorded (its effective
      // time, never earlier than its past; + 14 h for time zones): a week in 2099 is no timesheet's. Its member
      // is the recorder, so the contract must be theirs as the record knew it (R5: only its freelancer logs time).
      if (p.week > dayOf(ctx.eff + AHEAD_MS)) return { text: null, flags: ['HOURS_WEEK_AHEAD'] };
      if (contractHolderKnown(ctx, p.contract) !== actor.id)
        return { text: null, flags: ['HOURS_NOT_OWN_CONTRACT'] };
      if (!recordingKnown(ctx)) return { text: null, flags: ['HOURS_NOT_ON'] };
      // A state restored from a snapshot older than this fact has no such map yet.
      ctx.state.ownHours ??= {};
      const key = `${actor.id}|${p.contract}|${p.week}`;
      const before = ctx.state.ownHours[key];
      if (before && (before.at > ctx.eff || (before.at === ctx.eff && before.by < a.id)))
        return { text: null };
      ctx.state.ownHours[key] = {
        member: actor.id,
        contract: p.contract,
        week: p.week,
        minutes: p.minutes,
        by: a.id,
        at: ctx.eff,
      };
      if (before?.minutes === p.minutes) return { text: null };
      return { text: `${actor.record.name} worked ${hoursText(p.minutes)} in the week of ${p.week}` };
    },
  },
};
