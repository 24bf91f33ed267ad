// `npm start`: builds the extension, then runs the sync server with its embedded defaults, and says where
// both are. Stop with Ctrl+C.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const port = process.env.PORT ?? '1234';
const dataDir = resolve(root, process.env.DATA_DIR ?? 'data');

console.log('Building the extension (wxt build)…');
const build = spawnSync('npx', ['wxt', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const extensionDir = resolve(root, '.output/chrome-mv3');
console.log(`
Agency Overlay is built: ${extensionDir}
Load it in Chrome or Chromium: open chrome://extensions, switch on "Developer mode", click "Load unpacked"
and choose that folder. (Firefox: npm run build:firefox, then about:debugging › Load Temporary Add-on.)
Then open the extension's agency pages to create your agency with the sync server ws://localhost:${port}.

Starting the sync server on port ${port}, keeping data in ${dataDir} …
`);
const server = spawn(process.execPath, ['sync-server/main.ts', '--port', port, '--data', dataDir], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
