// Passes a WebSocket upgrade on to the instance that holds the agency (lease.ts), byte for byte: the holder
// does the handshake, every check and every close, so a member connected through any instance is served by
// the one that validates the agency's writes, and a removal closes its sockets wherever they came in.
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Marks an upgrade already passed on once: it is never passed on again (no loops between instances). */
export const HOP_HEADER = 'x-agency-overlay-hop';

/** Opens a TCP connection to `address` (host:port); rejects when nothing answers within `timeoutMs`. */
export function dial(address: string, timeoutMs = 1_000): Promise<Socket> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(at + 1));
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${address}`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * Sends the upgrade request to `upstream` as it came (with the client's address in X-Forwarded-For, and
 * the hop mark), then pipes both ways until either side ends.
 */
export function pipeUpgrade(
  req: IncomingMessage,
  client: Duplex,
  head: Buffer,
  upstream: Socket,
  clientAddress: string,
): void {
  const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
  let forwarded = '';
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (lower === HOP_HEADER) continue;
    if (lower === 'x-forwarded-for') {
      forwarded = forwarded ? `${forwarded}, ${req.rawHeaders[i + 1]}` : req.rawHeaders[i + 1]!;
      continue;
    }
    lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
  }
  // the holder, trusting its proxies, takes the last address: the one this instance determined
  lines.push(`X-Forwarded-For: ${forwarded ? `${forwarded}, ` : ''}${clientAddress}`, `${HOP_HEADER}: 1`);
  upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (head.length) upstream.write(head);
  // the holder's last bytes (a close frame) are flushed to the client before it ends; a reset is passed on
  upstream.on('error', () => client.destroy()).on('close', () => client.end());
  client.on('error', () => upstream.destroy()).on('close', () => upstream.destroy());
  client.pipe(upstream);
  upstream.pipe(client);
}
