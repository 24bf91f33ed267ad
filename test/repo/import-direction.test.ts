// The dependency direction of ARCHITECTURE.md, checked on every .ts/.tsx file of core/, extension/ and
// sync-server/: core imports only zod, yjs, lib0 and itself; the extension and the server never import each
// other and reach core only through its entry points; background code never imports UI code; content
// scripts never import zod, yjs or core/index.ts.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles, violations } from './imports.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

describe('import direction', () => {
  it('the repository follows the dependency direction', () => {
    const files = sourceFiles(root, ['core', 'extension', 'sync-server']);
    expect(files.filter((f) => f.path.startsWith('core/')).length).toBeGreaterThan(10);
    expect(violations(files)).toEqual([]);
  });

  it('reads every form of import, and ignores commented-out ones', () => {
    const source = `
      import { a } from './a.ts';
      import type { B } from "../b.ts";
      import * as Y from 'yjs';
      import {
        c,
        d,
      } from 'zod';
      import './side-effect.ts';
      export * from './lite.ts';
      export { e } from './e.ts';
      const lazy = await import('./lazy.ts');
      // import { nope } from 'commented';
      /* import { nope2 } from 'block-commented'; */
    `;
    expect(importsOf(source)).toEqual([
      './a.ts',
      '../b.ts',
      'yjs',
      'zod',
      './side-effect.ts',
      './lite.ts',
      './e.ts',
      './lazy.ts',
    ]);
  });

  it('catches each kind of violation', () => {
    const found = violations([
      { path: 'core/derive.ts', imports: ['preact', '../extension/x.ts', 'lib0/hash/sha256', './rules.ts'] },
      {
        path: 'extension/replica/replica.ts',
        imports: ['../../sync-server/db.ts', '../../core/rules.ts', '../ui/format.ts'],
      },
      {
        path: 'extension/entrypoints/background.ts',
        imports: ['./popup/popup-app.tsx', '../../core/index.ts'],
      },
      { path: 'sync-server/server.ts', imports: ['../extension/messaging/types.ts', '../core/protocol.ts'] },
      {
        path: 'extension/entrypoints/upwork.content/index.ts',
        imports: ['zod', '../../../core/index.ts', '../../core/lite.ts'],
      },
      { path: 'extension/features/upwork-page/dom.ts', imports: ['yjs', '../../../core/lite.ts'] },
      { path: 'extension/ui/format.ts', imports: ['zod', '../../core/index.ts'] },
    ]);
    expect(found).toEqual([
      'core/derive.ts → preact: core imports only zod, yjs and lib0',
      'core/derive.ts → ../extension/x.ts: core imports only its own files',
      'extension/replica/replica.ts → ../../sync-server/db.ts: the extension never imports the sync server',
      'extension/replica/replica.ts → ../../core/rules.ts: core is imported only through core/index.ts, core/lite.ts or core/protocol.ts',
      'extension/replica/replica.ts → ../ui/format.ts: background code never imports UI code',
      'extension/entrypoints/background.ts → ./popup/popup-app.tsx: background code never imports UI code',
      'sync-server/server.ts → ../extension/messaging/types.ts: the sync server never imports the extension',
      'extension/entrypoints/upwork.content/index.ts → zod: content scripts never import zod',
      'extension/entrypoints/upwork.content/index.ts → ../../../core/index.ts: content scripts import core/lite.ts, not core/index.ts',
      'extension/features/upwork-page/dom.ts → yjs: content scripts never import yjs',
    ]);
  });
});
