// Reads the import specifiers of TypeScript files with a regex (no parsing, no following) and checks them
// against the repository's dependency direction (ARCHITECTURE.md, design.md §1).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const PATTERNS = [
  /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, // import x from 'y', export * from 'y'
  /\bimport\s*['"]([^'"]+)['"]/g, // import 'y'
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, // import('y')
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g, // require('y')
];

/** Every module specifier a source text imports, in order of appearance. */
export function importsOf(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: { at: number; spec: string }[] = [];
  for (const re of PATTERNS) for (const m of text.matchAll(re)) found.push({ at: m.index, spec: m[1]! });
  return found.sort((a, b) => a.at - b.at).map((f) => f.spec);
}

export interface SourceFile {
  /** Repository-relative path with forward slashes, e.g. "extension/ui/format.ts". */
  path: string;
  imports: string[];
}

/** A specifier as a repository path (relative and WXT's @/ and ~/ aliases) or as a package name. */
export function target(from: string, spec: string): { path: string } | { pkg: string } {
  if (spec.startsWith('.')) return { path: normalize(join(dirname(from), spec)).replaceAll('\\', '/') };
  if (spec.startsWith('@/') || spec.startsWith('~/')) return { path: `extension/${spec.slice(2)}` };
  const parts = spec.split('/');
  return { pkg: spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]! };
}

const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);
const CORE_ENTRIES = ['core/index.ts', 'core/lite.ts', 'core/protocol.ts'];
const CORE_PACKAGES = new Set(['zod', 'yjs', 'lib0']);
const UI_DIRS = ['extension/entrypoints/popup', 'extension/entrypoints/options', 'extension/ui'];

const isBackground = (p: string) =>
  /^extension\/entrypoints\/background[^/]*(\/|$)/.test(p) ||
  under(p, 'extension/background') ||
  under(p, 'extension/replica');
/** Content scripts and what only they run: the overlay on Upwork's pages. */
const isContent = (p: string) =>
  /^extension\/entrypoints\/[^/]+\.content(\.tsx?$|\/)/.test(p) ||
  under(p, 'extension/features') ||
  under(p, 'extension/overlay');

/** Every import that breaks the dependency direction, as "file → specifier: why". */
export function violations(files: readonly SourceFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    for (const spec of f.imports) {
      const t = target(f.path, spec);
      const bad = (why: string) => out.push(`${f.path} → ${spec}: ${why}`);
      if (under(f.path, 'core')) {
        if ('pkg' in t && !CORE_PACKAGES.has(t.pkg)) bad('core imports only zod, yjs and lib0');
        if ('path' in t && !under(t.path, 'core')) bad('core imports only its own files');
        continue;
      }
      const inExtension = under(f.path, 'extension');
      const inServer = under(f.path, 'sync-server');
      if ('path' in t) {
        if (inExtension && under(t.path, 'sync-server')) bad('the extension never imports the sync server');
        if (inServer && under(t.path, 'extension')) bad('the sync server never imports the extension');
        if ((inExtension || inServer) && under(t.path, 'core') && !CORE_ENTRIES.includes(t.path)) {
          bad('core is imported only through core/index.ts, core/lite.ts or core/protocol.ts');
        }
        if (isBackground(f.path) && UI_DIRS.some((d) => under(t.path, d)))
          bad('background code never imports UI code');
        if (isContent(f.path) && t.path === 'core/index.ts')
          bad('content scripts import core/lite.ts, not core/index.ts');
      } else if (isContent(f.path) && (t.pkg === 'zod' || t.pkg === 'yjs')) {
        bad(`content scripts never import ${t.pkg}`);
      }
    }
  }
  return out;
}

const SKIP = new Set(['node_modules', '.output', '.wxt', 'test-results']);

/** Every .ts/.tsx file under the given top-level folders of the repository. */
export function sourceFiles(root: string, dirs: readonly string[]): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a part that does not exist yet
    }
    for (const e of entries) {
      if (SKIP.has(e.name)) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) {
        out.push({
          path: relative(root, full).replaceAll('\\', '/'),
          imports: importsOf(readFileSync(full, 'utf8')),
        });
      }
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out;
}
