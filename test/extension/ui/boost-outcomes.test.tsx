// The boost outcomes Upwork showed a member, under their boosted count in Insights (issue 12).
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { BoostOutcomesLine } from '../../../extension/ui/boost-outcomes.tsx';

afterEach(cleanup);

describe('the boost outcomes line', () => {
  it('reads as a sentence with each of Upwork’s three outcomes', () => {
    const { container } = render(<BoostOutcomesLine outcomes={{ boosted: 2, outbid: 1, notBoosted: 0 }} />);
    expect(container.textContent).toBe('Upwork showed 2 boosted, 1 outbid, 0 not boosted');
  });

  it('says nothing when the member’s browser recorded no outcome', () => {
    const { container } = render(<BoostOutcomesLine outcomes={{ boosted: 0, outbid: 0, notBoosted: 0 }} />);
    expect(container.textContent).toBe('');
  });
});
