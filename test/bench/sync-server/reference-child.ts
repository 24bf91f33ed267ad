// The reference server for the benchmark: @y/websocket-server@0.1.1 (the yjs-13 line), its own
// setupWSConnection on a plain http server, in memory (no YPERSISTENCE), in its own process. It answers
// the bench's IPC questions (memory, CPU, rooms) like ours-child.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { docs, getYDoc, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { answer } from './ipc.ts';

const wss = new WebSocketServer({ noServer: true });
const http = createServer((_req, res) => res.writeHead(200).end('okay'));
wss.on('connection', setupWSConnection);
http.on('upgrade', (req, socket, head) =>
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
);
// Seeding (setup, not measured): the same content ours reads from its data file.
process.on('message', (m: { seed?: [string, string][] }) => {
  if (!m.seed) return;
  for (const [room, update] of m.seed) Y.applyUpdate(getYDoc(room), Buffer.from(update, 'base64'));
  process.send!({ seeded: m.seed.length });
});
http.listen(0, '127.0.0.1', () => {
  answer(() => docs.size);
  process.send!({ ready: (http.address() as AddressInfo).port });
});
