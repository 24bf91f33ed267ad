// The fake Upwork pages (test/fixtures/upwork) served over HTTPS on 127.0.0.1:0 with the throwaway
// certificate for www.upwork.com, so Chromium (with --host-resolver-rules and --ignore-certificate-errors)
// loads them at their real address and the content script runs on its real match pattern.
//
// Like Upwork, the pages show the agency's balance in the agency option's label; set `agencyBalance` to what
// "Upwork" holds now (e.g. after a proposal was sent) and every page served afterwards shows it.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AGENCY, routeUpworkPath } from '../../fixtures/upwork/routes.ts';
import { ROOT } from './paths.ts';

const TLS_DIR = join(ROOT, 'test/fixtures/tls');

export const UPWORK_ORIGIN = 'https://www.upwork.com';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Shows `balance` in the agency option of an apply page (its label and the fake app's model) and as the agency Connects history's balance. */
export function withAgencyBalance(html: string, balance: number): string {
  const shown = balance.toLocaleString('en-US');
  return html
    .replace(
      new RegExp(`(value="${escapeRegExp(AGENCY.upworkId)}"[^>]*?data-fake-balance=")[\\d,]+(")`, 'g'),
      `$1${balance}$2`,
    )
    .replace(
      new RegExp(
        `(As an agency member under ${escapeRegExp(AGENCY.name)}\\s*<span[^>]*>\\()[\\d,]+(\\s+Connects available)`,
        'g',
      ),
      `$1${shown}$2`,
    )
    .replace(/(data-fake-agency-balance>)[\d,]+(<)/g, `$1${shown}$2`);
}

export class UpworkServer {
  port = 0;
  /** The agency balance every page shows from now on; null keeps each page's own number. */
  agencyBalance: number | null = null;
  /** Paths requested, for checks that the overlay never calls Upwork itself. */
  readonly requests: string[] = [];
  private readonly server: Server;

  private constructor(server: Server) {
    this.server = server;
  }

  static async start(): Promise<UpworkServer> {
    const [key, cert] = await Promise.all([
      readFile(join(TLS_DIR, 'www.upwork.com.key')),
      readFile(join(TLS_DIR, 'www.upwork.com.crt')),
    ]);
    let self: UpworkServer | null = null;
    const server = createServer({ key, cert }, (req, res) => {
      void self?.answer(req.url ?? '/', res);
    });
    self = new UpworkServer(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    self.port = (server.address() as AddressInfo).port;
    return self;
  }

  /** Chromium flags that send www.upwork.com to this server and accept its self-signed certificate. */
  get chromiumArgs(): string[] {
    return [`--host-resolver-rules=MAP www.upwork.com 127.0.0.1:${this.port}`, '--ignore-certificate-errors'];
  }

  private async answer(rawUrl: string, res: import('node:http').ServerResponse): Promise<void> {
    const url = new URL(rawUrl, UPWORK_ORIGIN);
    this.requests.push(url.pathname + url.search);
    const route = routeUpworkPath(url.pathname, url.search);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      let body = await readFile(route.file, 'utf8');
      if (this.agencyBalance !== null && route.contentType.startsWith('text/html')) {
        body = withAgencyBalance(body, this.agencyBalance);
      }
      res.writeHead(200, { 'content-type': route.contentType, 'cache-control': 'no-store' }).end(body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
