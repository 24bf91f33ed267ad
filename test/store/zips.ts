// The store packages `npm run zip` leaves in .output/, read with Debian's unzip (in the machine image).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

export const ZIPS = {
  chrome: join(ROOT, `.output/agency-overlay-${version}-chrome.zip`),
  firefox: join(ROOT, `.output/agency-overlay-${version}-firefox.zip`),
  sources: join(ROOT, `.output/agency-overlay-${version}-sources.zip`),
} as const;

export function assertZipped(): void {
  const missing = Object.values(ZIPS).filter((z) => !existsSync(z));
  if (missing.length) throw new Error(`Missing ${missing.join(', ')}: run \`npm run zip\` first.`);
}

export const unzip = (zip: string, into: string): void => {
  execFileSync('unzip', ['-q', zip, '-d', into]);
};

/** One file of a zip, as bytes. */
export const entry = (zip: string, name: string): Buffer =>
  execFileSync('unzip', ['-p', zip, name], { maxBuffer: 64 * 2 ** 20 });

/** The names of a zip's files. */
export const listing = (zip: string): string[] =>
  execFileSync('unzip', ['-Z1', zip]).toString().trim().split('\n');

export interface Manifest {
  manifest_version: number;
  permissions?: string[];
  host_permissions?: string[];
  optional_permissions?: string[];
  optional_host_permissions?: string[];
  minimum_chrome_version?: string;
  background?: { service_worker?: string; scripts?: string[]; persistent?: boolean };
  content_scripts?: { matches: string[] }[];
  browser_specific_settings?: {
    gecko?: {
      strict_min_version?: string;
      data_collection_permissions?: { required?: string[]; optional?: string[] };
    };
    gecko_android?: { strict_min_version?: string };
  };
}

export const manifestOf = (zip: string): Manifest => JSON.parse(entry(zip, 'manifest.json').toString('utf8'));

/** Every file under `dir`, as paths relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
