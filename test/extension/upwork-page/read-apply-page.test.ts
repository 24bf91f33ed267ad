// @vitest-environment-options { "url": "https://www.upwork.com/" }
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type ApplyPageFound,
  findApplyRoot,
  findSendButton,
  MISSING,
  readApplyPage,
} from '../../../extension/features/upwork-page/read-apply-page.ts';
import { $, AGENCY, applyPath, FIXTURE_JOBS, JOB_KEYS, loadPage, UPWORK } from './fake-upwork.ts';

function readVariant(variant: keyof typeof JOB_KEYS): ApplyPageFound {
  const path = applyPath(JOB_KEYS[variant]);
  loadPage(path);
  const reading = readApplyPage(document, UPWORK + path);
  if (!reading.ok) throw new Error(`not ok: ${reading.missing.join(', ')}`);
  return reading;
}

beforeEach(() => {
  document.body.replaceChildren();
});

describe('readApplyPage on each fake page', () => {
  it('R10: a non-exclusive member’s hourly form, freelancer pre-selected, reads both options and their balances', () => {
    const reading = readVariant('member-hourly');
    expect(reading).toMatchObject({
      ok: true,
      jobKey: '~021998744339961847531',
      jobUid: '1998744339961847531',
      jobTitle: 'Shopify storefront speed audit and fixes',
      connectsRequired: 16,
      boost: 0,
      totalConnects: 16,
      sendButtonConnects: 16,
      remainingAfter: 173,
      proposingAs: 'independent',
      agencyBalance: 312,
      contractKind: 'hourly',
      bidAmount: 45,
      milestones: [],
      profile: 'General profile',
      unread: [],
    });
    expect(reading.proposeAs).toEqual({
      kind: 'radios',
      options: [
        {
          value: 'true',
          label: 'As a freelancer (189 Connects available.)',
          agencyName: null,
          balance: 189,
          isAgency: false,
          checked: true,
        },
        {
          value: AGENCY.upworkId,
          label: `As an agency member under ${AGENCY.name} (312 Connects available.)`,
          agencyName: AGENCY.name,
          balance: 312,
          isAgency: true,
          checked: false,
        },
      ],
    });
  });

  it('P1: the agency balance comes from the agency option only, never from the freelancer option (even when it is the one selected)', () => {
    const reading = readVariant('member-hourly');
    expect(reading.proposingAs).toBe('independent');
    expect(reading.agencyBalance).toBe(312);
    expect(reading.agencyBalance).not.toBe(189);
  });

  it('R7: an exclusive member’s form with the agency pre-selected reads as an agency proposal; "1,204" parses', () => {
    const reading = readVariant('exclusive-agency');
    expect(reading).toMatchObject({
      jobKey: JOB_KEYS['exclusive-agency'],
      connectsRequired: 12,
      proposingAs: 'agency',
      agencyBalance: 1204,
      remainingAfter: 1192,
    });
    expect(reading.proposeAs.kind === 'radios' && reading.proposeAs.options.map((o) => o.balance)).toEqual([
      40, 1204,
    ]);
  });

  it('R7: an exclusive member switched to the freelancer option is read as independent, so the overlay can warn', () => {
    const reading = readVariant('exclusive-freelancer');
    expect(reading).toMatchObject({ connectsRequired: 14, proposingAs: 'independent', agencyBalance: 1204 });
  });

  it('a business manager’s form reads the team and member dropdowns instead of radios', () => {
    const reading = readVariant('manager');
    expect(reading.proposeAs).toEqual({
      kind: 'manager-dropdowns',
      team: AGENCY.name,
      member: 'Dana Okafor',
    });
    expect(reading).toMatchObject({
      connectsRequired: 10,
      proposingAs: null,
      agencyBalance: null,
      unread: [],
    });
  });

  it('a fixed-price form reads as fixed, with its milestones and their total as the bid', () => {
    const reading = readVariant('fixed-milestones');
    expect(reading).toMatchObject({ contractKind: 'fixed', bidAmount: 1600, connectsRequired: 8 });
    expect(reading.milestones).toEqual([
      { description: 'Content export and mapping', amount: 400 },
      { description: 'Astro theme and components', amount: 900 },
      { description: 'Redirects, QA and launch', amount: 300 },
    ]);
  });

  it('a fixed-price form paid by project reads the single bid and no milestones', () => {
    loadPage(applyPath(JOB_KEYS['fixed-milestones']));
    ($('#milestone-mode-default') as HTMLInputElement).checked = true;
    $('.fe-milestones').insertAdjacentHTML(
      'afterend',
      '<input id="charged-amount-id" data-test="currency-input" value="$1,450.00">',
    );
    const reading = readApplyPage(document, UPWORK + applyPath(JOB_KEYS['fixed-milestones']));
    expect(reading).toMatchObject({ ok: true, contractKind: 'fixed', bidAmount: 1450, milestones: [] });
  });

  it('a boosted proposal reads the bid, and the total is required + boost, as on the Send button', () => {
    const reading = readVariant('boost');
    expect(reading).toMatchObject({
      connectsRequired: 16,
      boost: 8,
      totalConnects: 24,
      sendButtonConnects: 24,
      remainingAfter: 288,
    });
  });

  it('a boost bid typed without the summary is read from the bid input', () => {
    loadPage(applyPath(JOB_KEYS.boost));
    $('.fake-boost-summary').remove();
    ($('#boost-bid-input') as HTMLInputElement).value = '5';
    const reading = readApplyPage(document, UPWORK + applyPath(JOB_KEYS.boost));
    expect(reading).toMatchObject({ ok: true, boost: 5, totalConnects: 21 });
  });

  it('every variant in the job table reads its own job key and Connects required', () => {
    for (const [key, job] of Object.entries(FIXTURE_JOBS)) {
      if (job.variant === 'broken') continue;
      loadPage(applyPath(key));
      expect(readApplyPage(document, UPWORK + applyPath(key))).toMatchObject({
        ok: true,
        jobKey: key,
        jobTitle: job.title,
        connectsRequired: job.connectsRequired,
      });
    }
  });
});

describe('readApplyPage when pieces are missing', () => {
  it('a page without the Connects widget (and no count on its Send button) says what is missing', () => {
    const path = applyPath(JOB_KEYS.broken);
    loadPage(path);
    expect(readApplyPage(document, UPWORK + path)).toEqual({
      ok: false,
      missing: [MISSING.connectsRequired],
    });
  });

  it('names every missing piece in plain words: no form, no Send button', () => {
    document.body.innerHTML = '<main><h2>Find work</h2></main>';
    const reading = readApplyPage(document, `${UPWORK}/nx/find-work/best-matches`);
    expect(reading).toEqual({
      ok: false,
      missing: ['the proposal form', 'the job key', 'the Connects required', 'the Send button'],
    });
  });

  it('reports the Send button missing when only the footer is gone', () => {
    const path = applyPath(JOB_KEYS['member-hourly']);
    loadPage(path);
    $('.fe-apply-footer-controls').remove();
    expect(readApplyPage(document, UPWORK + path)).toEqual({ ok: false, missing: ['the Send button'] });
  });

  it('falls back to the Send button’s count for the Connects required when the widget is gone and nothing is boosted', () => {
    const path = applyPath(JOB_KEYS['member-hourly']);
    loadPage(path);
    $('.fe-job-proposals-connects-widget').remove();
    expect(readApplyPage(document, UPWORK + path)).toMatchObject({
      ok: true,
      connectsRequired: 16,
      remainingAfter: null,
    });
  });

  it('lists optional pieces it could not read in `unread`, and still reads the rest', () => {
    const path = applyPath(JOB_KEYS['member-hourly']);
    loadPage(path);
    $('[data-test="job-title"]').remove();
    $('.fe-proposal-settings-propose-as').remove();
    $('.fe-proposal-job-terms').remove();
    const reading = readApplyPage(document, UPWORK + path);
    expect(reading).toMatchObject({
      ok: true,
      jobTitle: null,
      proposeAs: { kind: 'none' },
      proposingAs: null,
      agencyBalance: null,
      contractKind: null,
      unread: [MISSING.jobTitle, MISSING.proposeAs, MISSING.terms],
    });
  });
});

describe('readApplyPage fallbacks when Upwork renames things', () => {
  it('finds the form by its heading when the fe-* classes and data-fetch-key are gone', () => {
    const path = applyPath(JOB_KEYS['member-hourly']);
    loadPage(path);
    const form = $('.fe-job-apply');
    form.className = 'x1';
    form.parentElement?.removeAttribute('data-fetch-key');
    expect(findApplyRoot(document)).toBe($('main'));
    expect(readApplyPage(document, UPWORK + path)).toMatchObject({ ok: true, connectsRequired: 16 });
  });

  it('finds the radios by their labels when their name changes, and the title after "Job details"', () => {
    const path = applyPath(JOB_KEYS['member-hourly']);
    loadPage(path);
    for (const radio of document.querySelectorAll('input[name="contractor-selector"]')) {
      radio.setAttribute('name', 'propose-as-v2');
    }
    $('.fe-proposal-settings-propose-as').removeAttribute('aria-labelledby');
    const title = $('[data-test="job-title"]');
    title.removeAttribute('data-test');
    title.parentElement?.classList.remove('fe-job-details');
    const reading = readApplyPage(document, UPWORK + path);
    expect(reading).toMatchObject({
      ok: true,
      jobTitle: 'Shopify storefront speed audit and fixes',
      proposingAs: 'independent',
      agencyBalance: 312,
    });
  });

  it('finds the Send button by its text when its classes change', () => {
    loadPage(applyPath(JOB_KEYS['member-hourly']));
    const button = $('.fe-apply-footer-controls .air3-btn-primary');
    button.className = 'renamed';
    $('.fe-apply-footer-controls').className = 'renamed-footer';
    expect(findSendButton(document)).toBe(button);
  });

  it('reads labels split over lines and elements, with thousands separators', () => {
    const path = applyPath(JOB_KEYS['member-hourly']);
    loadPage(path);
    $('label[for="contractor-selector-1"]').innerHTML =
      '<span>As an agency member under</span>\n  <b> Northwind   Pixel Works </b>\n<span>(1,204\nConnects available.)</span>';
    const reading = readApplyPage(document, UPWORK + path);
    expect(reading.ok && reading.proposeAs.kind === 'radios' && reading.proposeAs.options[1]).toMatchObject({
      agencyName: AGENCY.name,
      balance: 1204,
      isAgency: true,
    });
  });

  it('reads the form when given the form’s own element as the root', () => {
    const path = applyPath(JOB_KEYS.boost);
    loadPage(path);
    expect(readApplyPage($('.fe-job-apply'), UPWORK + path)).toMatchObject({
      ok: true,
      jobKey: JOB_KEYS.boost,
      jobUid: '2001000000000000006',
      totalConnects: 24,
    });
  });

  it('takes the job key from data-ev-job-uid when the URL does not carry it', () => {
    loadPage(applyPath(JOB_KEYS.manager));
    expect(readApplyPage(document, `${UPWORK}/somewhere/else`)).toMatchObject({
      ok: true,
      jobKey: JOB_KEYS.manager,
    });
  });
});
