// @vitest-environment-options { "url": "https://www.upwork.com/" }
import { beforeEach, describe, expect, it } from 'vitest';
import { readApplyPage } from '../../../extension/features/upwork-page/read-apply-page.ts';
import { checkRadio, setProposeAs } from '../../../extension/features/upwork-page/set-propose-as.ts';
import { $, AGENCY, applyPath, JOB_KEYS, loadApp, UPWORK } from './fake-upwork.ts';

const radio = (value: string): HTMLInputElement =>
  $(`input[name="contractor-selector"][value="${value}"]`) as HTMLInputElement;

function recordEvents(target: EventTarget): string[] {
  const events: string[] = [];
  for (const type of ['click', 'input', 'change']) target.addEventListener(type, () => events.push(type));
  return events;
}

describe('setProposeAs', () => {
  beforeEach(() => {
    loadApp(applyPath(JOB_KEYS['member-hourly']));
  });

  it('R10: switches a non-exclusive member’s proposal to the agency so Vue sees it (click, input and change fire)', () => {
    const events = recordEvents(radio(AGENCY.upworkId));
    expect($('.fe-job-apply').dataset.proposeAs).toBe('true');

    expect(setProposeAs(document, AGENCY.upworkId)).toBe(true);

    expect(radio(AGENCY.upworkId).checked).toBe(true);
    expect(radio('true').checked).toBe(false);
    expect(events).toEqual(['click', 'input', 'change']);
    // The fake's "Vue model" only moves on a change event.
    expect($('.fe-job-apply').dataset.proposeAs).toBe(AGENCY.upworkId);
    expect($('.fe-job-apply').dataset.proposeAsChanges).toBe('1');
    expect(readApplyPage(document, UPWORK + applyPath(JOB_KEYS['member-hourly']))).toMatchObject({
      ok: true,
      proposingAs: 'agency',
      remainingAfter: 312 - 16,
    });
  });

  it('R10: switches back to the freelancer option the same way', () => {
    setProposeAs(document, AGENCY.upworkId);
    expect(setProposeAs(document, 'true')).toBe(true);
    expect($('.fe-job-apply').dataset.proposeAs).toBe('true');
    expect($('.fe-job-apply').dataset.proposeAsChanges).toBe('2');
  });

  it('does nothing to an option that is already checked (no event, no change to Vue’s model)', () => {
    const events = recordEvents(radio('true'));
    expect(setProposeAs(document, 'true')).toBe(true);
    expect(events).toEqual([]);
    expect($('.fe-job-apply').dataset.proposeAsChanges).toBeUndefined();
  });

  it('returns false for an option the page does not have, and changes nothing', () => {
    expect(setProposeAs(document, '42')).toBe(false);
    expect(radio('true').checked).toBe(true);
  });

  it('returns false for a disabled option', () => {
    radio(AGENCY.upworkId).disabled = true;
    expect(setProposeAs(document, AGENCY.upworkId)).toBe(false);
    expect(radio('true').checked).toBe(true);
  });

  it('still checks the radio and tells Vue when a wrapper swallows the click', () => {
    const target = radio(AGENCY.upworkId);
    target.addEventListener('click', (event) => event.preventDefault());
    const events = recordEvents(target);
    expect(checkRadio(target)).toBe(true);
    expect(target.checked).toBe(true);
    expect(events.filter((e) => e !== 'click')).toEqual(['input', 'change']);
    expect($('.fe-job-apply').dataset.proposeAs).toBe(AGENCY.upworkId);
  });
});
