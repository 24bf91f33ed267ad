// What Upwork's My proposals said of a member's boosts (issue 11 records it, issue 12 counts it): one line
// under the member's boosted count, only when their browser recorded any.
import type { BoostOutcomes } from '../../core/lite.ts';

export function BoostOutcomesLine({ outcomes }: { outcomes: BoostOutcomes }) {
  const { boosted, outbid, notBoosted } = outcomes;
  if (boosted + outbid + notBoosted === 0) return null;
  return (
    <span class="boost-outcomes">
      Upwork showed {boosted} boosted, {outbid} outbid, {notBoosted} not boosted
    </span>
  );
}
