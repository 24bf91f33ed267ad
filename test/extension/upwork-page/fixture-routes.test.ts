import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyUrl } from '../../../extension/features/upwork-page/urls.ts';
import {
  applyPath,
  FAKE_SCRIPT_PATH,
  FIXTURE_DIR,
  FIXTURE_JOBS,
  JOB_KEYS,
  jobPath,
  routeUpworkPath,
  VARIANT_FILES,
} from '../../fixtures/upwork/routes.ts';

const file = (pathname: string, search = ''): string | undefined =>
  routeUpworkPath(pathname, search)?.file.split('/').pop();

describe('routeUpworkPath: the static server maps real Upwork paths to the fake pages', () => {
  it('maps every apply page in the job table to its variant, current and legacy paths alike', () => {
    for (const [key, job] of Object.entries(FIXTURE_JOBS)) {
      expect(file(applyPath(key))).toBe(VARIANT_FILES[job.variant]);
      expect(file(`/ab/proposals/job/${key}/apply/`)).toBe(VARIANT_FILES[job.variant]);
      expect(classifyUrl(applyPath(key))).toMatchObject({ kind: 'apply', jobKey: key });
    }
    expect(file('/nx/proposals/job/~021998744339961847531/apply/')).toBe('apply-member-hourly.html');
  });

  it('lets ?variant= open any variant under any job id, and answers 404 for unknown ids otherwise', () => {
    expect(file('/nx/proposals/job/~029999999999999999999/apply/', '?variant=boost')).toBe(
      'apply-boost.html',
    );
    expect(file('/nx/proposals/job/~029999999999999999999/apply/')).toBeUndefined();
    expect(file(applyPath(JOB_KEYS.manager), '?variant=nonsense')).toBe('apply-manager.html');
  });

  it('maps job pages (all three URL shapes, any job id) to the job page', () => {
    expect(file(jobPath(JOB_KEYS['member-hourly']))).toBe('job.html');
    expect(file('/jobs/~029999999999999999999')).toBe('job.html');
    expect(file('/jobs/Migrate-a-WordPress-blog_~022001000000000000005/')).toBe('job.html');
    expect(file('/nx/find-work/best-matches/details/~022001000000000000005')).toBe('job.html');
  });

  it('maps the sent-proposal page, the shared script, and nothing else', () => {
    expect(file('/nx/proposals/1719987443399618475', '?success')).toBe('proposal-sent.html');
    expect(routeUpworkPath(FAKE_SCRIPT_PATH, '')?.contentType).toMatch(/javascript/);
    expect(routeUpworkPath('/', '')).toBeNull();
    expect(routeUpworkPath('/nx/find-work/best-matches', '')).toBeNull();
  });

  it('points at files that exist, each loading the shared script from the path it is served at', () => {
    for (const name of [...Object.values(VARIANT_FILES), 'job.html', 'proposal-sent.html']) {
      const html = readFileSync(join(FIXTURE_DIR, name), 'utf8');
      expect(html).toContain(`src="${FAKE_SCRIPT_PATH}"`);
      expect(html).toContain('<div id="app">');
    }
    expect(existsSync(routeUpworkPath(FAKE_SCRIPT_PATH, '')?.file ?? '')).toBe(true);
  });
});
