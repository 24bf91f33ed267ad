import { describe, expect, it } from 'vitest';
import {
  applyUrlFor,
  classifyUrl,
  isApplyUrl,
  isSameApplyPage,
  jobKeyFromUid,
  jobKeyOf,
} from '../../../extension/features/upwork-page/urls.ts';

const KEY = '~021998744339961847531';

describe('classifyUrl', () => {
  it('recognises the current apply page and takes the ciphertext as the job key', () => {
    expect(classifyUrl(`https://www.upwork.com/nx/proposals/job/${KEY}/apply/`)).toEqual({
      kind: 'apply',
      jobKey: KEY,
      legacy: false,
    });
  });

  it('recognises the apply page with a "#/" suffix, a query string, or no trailing slash', () => {
    for (const url of [
      `https://www.upwork.com/nx/proposals/job/${KEY}/apply/#/`,
      `https://www.upwork.com/nx/proposals/job/${KEY}/apply/?fail=pending`,
      `https://www.upwork.com/nx/proposals/job/${KEY}/apply`,
    ]) {
      expect(classifyUrl(url)).toMatchObject({ kind: 'apply', jobKey: KEY });
    }
  });

  it('recognises the legacy /ab/ apply page', () => {
    expect(classifyUrl(`https://www.upwork.com/ab/proposals/job/${KEY}/apply/`)).toEqual({
      kind: 'apply',
      jobKey: KEY,
      legacy: true,
    });
  });

  it('recognises job pages: /jobs/~id, /jobs/<slug>_~id/, and the find-work slide-over', () => {
    expect(classifyUrl(`https://www.upwork.com/jobs/${KEY}`)).toEqual({
      kind: 'job',
      jobKey: KEY,
      slideOver: false,
    });
    expect(
      classifyUrl(`https://www.upwork.com/jobs/Shopify-storefront-speed-audit-and-fixes_${KEY}/?referrer=x`),
    ).toEqual({ kind: 'job', jobKey: KEY, slideOver: false });
    expect(classifyUrl(`https://www.upwork.com/nx/find-work/best-matches/details/${KEY}`)).toEqual({
      kind: 'job',
      jobKey: KEY,
      slideOver: true,
    });
    expect(
      classifyUrl(`https://www.upwork.com/nx/find-work/most-recent/details/${KEY}?pageTitle=Job`),
    ).toEqual({
      kind: 'job',
      jobKey: KEY,
      slideOver: true,
    });
  });

  it('reads older hex ciphertexts and an escaped tilde, and lower-cases the key so one job has one key', () => {
    expect(jobKeyOf('https://www.upwork.com/jobs/~01A2B3C4D5E6F7A8B9')).toBe('~01a2b3c4d5e6f7a8b9');
    expect(jobKeyOf(`https://www.upwork.com/nx/proposals/job/%7E${KEY.slice(1)}/apply/`)).toBe(KEY);
  });

  it('recognises the page a sent proposal lands on', () => {
    expect(classifyUrl('https://www.upwork.com/nx/proposals/1719987443399618475?success')).toEqual({
      kind: 'proposal',
      proposalId: '1719987443399618475',
    });
  });

  it('resolves paths against upwork.com', () => {
    expect(classifyUrl(`/nx/proposals/job/${KEY}/apply/`)).toMatchObject({ kind: 'apply', jobKey: KEY });
  });

  it('calls everything else "other": other Upwork pages, other sites, garbage', () => {
    for (const url of [
      'https://www.upwork.com/nx/find-work/best-matches',
      'https://www.upwork.com/nx/proposals/',
      'https://www.upwork.com/jobs/',
      'https://www.upwork.com/freelancers/~01abcdef0123456789',
      `https://www.upwork.com/nx/proposals/job/${KEY}/`,
      `https://evil.example/nx/proposals/job/${KEY}/apply/`,
      `https://www.upwork.com.evil.example/jobs/${KEY}`,
      'http://[::1',
    ]) {
      expect(classifyUrl(url)).toEqual({ kind: 'other' });
    }
  });
});

describe('job keys', () => {
  it('isApplyUrl and isSameApplyPage ignore query, hash and the legacy prefix', () => {
    const apply = `https://www.upwork.com/nx/proposals/job/${KEY}/apply/`;
    expect(isApplyUrl(apply)).toBe(true);
    expect(isApplyUrl(`https://www.upwork.com/jobs/${KEY}`)).toBe(false);
    expect(isSameApplyPage(apply, `${apply}#/`)).toBe(true);
    expect(isSameApplyPage(apply, `https://www.upwork.com/ab/proposals/job/${KEY}/apply/?x=1`)).toBe(true);
    expect(
      isSameApplyPage(apply, 'https://www.upwork.com/nx/proposals/job/~022001000000000000002/apply/'),
    ).toBe(false);
    expect(isSameApplyPage(apply, `https://www.upwork.com/jobs/${KEY}`)).toBe(false);
  });

  it('turns data-ev-job-uid (the digits without "~02") back into the job key', () => {
    expect(jobKeyFromUid('1998744339961847531')).toBe(KEY);
    expect(jobKeyFromUid(' 1998744339961847531 ')).toBe(KEY);
    expect(jobKeyFromUid('')).toBeNull();
    expect(jobKeyFromUid(null)).toBeNull();
    expect(jobKeyFromUid('abc')).toBeNull();
  });

  it('builds the current apply URL of a job', () => {
    expect(classifyUrl(applyUrlFor(KEY))).toEqual({ kind: 'apply', jobKey: KEY, legacy: false });
  });
});
