// The manifests of the packages uploaded to the stores ask for what docs/store/permissions.md justifies,
// nothing more, and declare what docs/store/data-use.md and PRIVACY.md say is collected.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertZipped, entry, listing, type Manifest, manifestOf, ROOT, ZIPS } from './zips.ts';

const UPWORK = 'https://www.upwork.com/*';

/** The backticked names in the first column of the first table after `heading` in a docs/store file. */
function tableNames(file: string, heading: string): string[] {
  const text = readFileSync(join(ROOT, 'docs/store', file), 'utf8');
  const lines = text.slice(text.indexOf(heading)).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
  return lines
    .slice(start, end)
    .map((l) => /^\| `([^`]+)`/.exec(l)?.[1])
    .filter((name): name is string => name !== undefined);
}

let chrome: Manifest;
let firefox: Manifest;

beforeAll(() => {
  assertZipped();
  chrome = manifestOf(ZIPS.chrome);
  firefox = manifestOf(ZIPS.firefox);
});

describe('the store manifests', () => {
  it('ask for exactly the permissions docs/store/permissions.md justifies, in both browsers', () => {
    const justified = tableNames('permissions.md', '# Permissions').sort();
    expect([...(chrome.permissions ?? []), ...(chrome.host_permissions ?? [])].sort()).toEqual(justified);
    expect([...(firefox.permissions ?? [])].sort()).toEqual(justified);
    const optional = tableNames('permissions.md', '## Asked for only when a member asks why').sort();
    expect(optional).toEqual(['http://*/*', 'https://*/*']);
    expect([...(chrome.optional_host_permissions ?? [])].sort()).toEqual(optional);
    expect(chrome.optional_permissions ?? []).toEqual([]);
    expect([...(firefox.optional_permissions ?? [])].sort()).toEqual(optional);
  });

  it('reach only Upwork: one host permission, content scripts on Upwork only, no sync-server address', () => {
    expect(chrome.host_permissions).toEqual([UPWORK]);
    expect(firefox.permissions?.filter((p) => p.includes('://'))).toEqual([UPWORK]);
    for (const m of [chrome, firefox]) {
      // The proposal form's script and the work pages' (issue 11), both on Upwork only: the form's on every
      // Upwork page, the work pages' on some of them.
      const matches = m.content_scripts?.flatMap((c) => c.matches) ?? [];
      expect(matches).toContain(UPWORK);
      for (const pattern of matches)
        expect(pattern.startsWith('https://www.upwork.com/'), pattern).toBe(true);
      const { optional_permissions: _o, optional_host_permissions: _h, ...granted } = m;
      expect(JSON.stringify(granted)).not.toMatch(/wss?:|localhost|127\.0\.0\.1|<all_urls>|\*:\/\/\*/);
    }
  });

  it('Chrome: needs 137, the first Chromium with Ed25519 in WebCrypto, which signs every action', () => {
    expect(chrome.minimum_chrome_version).toBe('137');
    expect(entry(ZIPS.chrome, 'background.js').toString()).toContain('Ed25519');
  });

  it("Firefox: a persistent background (MV2), since an MV3 event page is suspended ~30 s idle and drops the agency's socket", () => {
    expect(firefox.manifest_version).toBe(2);
    expect(firefox.background?.scripts).toEqual(['background.js']);
    expect(firefox.background?.persistent).not.toBe(false);
  });

  it("Firefox: declares the data sent to the agency's server, as docs/store/data-use.md lists it", () => {
    const gecko = firefox.browser_specific_settings?.gecko;
    const declared = tableNames('data-use.md', '## addons.mozilla.org');
    expect(gecko?.data_collection_permissions?.required).toEqual(declared);
    expect(declared).toEqual([
      'websiteContent',
      'websiteActivity',
      'personallyIdentifyingInfo',
      'financialAndPaymentInfo',
    ]);
    expect(gecko?.data_collection_permissions?.optional ?? []).toEqual([]);
    expect(gecko?.strict_min_version).toBe('140.0');
    expect(firefox.browser_specific_settings?.gecko_android?.strict_min_version).toBe('142.0');
  });

  it('both packages carry the privacy policy page, with PRIVACY.md in it', () => {
    const policy = readFileSync(join(ROOT, 'PRIVACY.md'), 'utf8');
    const sentence = 'Nothing goes to the makers of';
    expect(policy).toContain(sentence);
    for (const zip of [ZIPS.chrome, ZIPS.firefox]) {
      expect(entry(zip, 'privacy.html').toString()).toContain('privacy policy');
      const scripts = listing(zip).filter((f) => /^chunks\/privacy-.*\.js$/.test(f));
      expect(scripts).toHaveLength(1);
      expect(entry(zip, scripts[0]!).toString()).toContain(sentence);
    }
  });
});
