// One Firefox profile with the store zip installed as a permanent add-on (toolchain: Debian's firefox-esr
// driven by puppeteer-core over WebDriver BiDi). Permanent, not temporary: a temporary add-on is removed
// when Firefox closes, so only a permanent one makes a restart what a member's restart is — the same
// add-on, its storage and its background coming back with the browser.
//
// BiDi refuses to navigate to moz-extension:// URLs, so every extension page here is one Firefox or the
// extension opened: the agency pages the extension opens on install, a page given on Firefox's command line
// at a restart, or one an extension page opens with tabs.create. Puppeteer reports such a page's url() as
// about:blank; it is found by asking the page for its location.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { assertZipped, FIREFOX, FIREFOX_ZIP } from './paths.ts';

const PREFS = {
  // Every host name resolves to loopback: www.upwork.com is the fake Upwork, and the content script runs
  // on its real match pattern (match patterns ignore the port).
  'network.dns.forceResolve': '127.0.0.1',
  // ESR installs an unsigned add-on permanently only with signature checks off; AMO signs the real one.
  'xpinstall.signatures.required': false,
};

const PAGE_TIMEOUT_MS = 30_000;

/** puppeteer-core's BiDi connection; `browser.installExtension` cannot ask for a permanent install. */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: { extension: string } }>;
}

export class FirefoxProfile {
  readonly name: string;
  readonly userDataDir: string;
  private browser: Browser | null = null;
  /** `moz-extension://<uuid>`: Firefox picks the uuid per profile at install and keeps it. */
  origin = '';

  private constructor(name: string, userDataDir: string) {
    this.name = name;
    this.userDataDir = userDataDir;
  }

  /** A new profile with the add-on installed; returns it with the agency pages the install opened. */
  static async fresh(name: string): Promise<{ profile: FirefoxProfile; welcome: Page }> {
    assertZipped();
    const dir = await mkdtemp(join(tmpdir(), `agency-e2e-firefox-${name.toLowerCase()}-`));
    const profile = new FirefoxProfile(name, dir);
    await profile.start([]);
    const connection = (profile.ctx as unknown as { connection: BidiConnection }).connection;
    await connection.send('webExtension.install', {
      extensionData: { type: 'archivePath', path: FIREFOX_ZIP },
      'moz:permanent': true,
    });
    const welcome = await profile.findPage((href) => href.startsWith('moz-extension://'));
    // Not URL.origin: WHATWG URL gives "null" as the origin of a moz-extension:// URL.
    profile.origin = `moz-extension://${new URL(await href(welcome)).host}`;
    return { profile, welcome };
  }

  private async start(args: string[]): Promise<void> {
    this.browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      userDataDir: this.userDataDir,
      acceptInsecureCerts: true,
      extraPrefsFirefox: PREFS,
      defaultViewport: { width: 1000, height: 900 },
      args,
      protocolTimeout: 120_000,
    });
  }

  get ctx(): Browser {
    if (!this.browser) throw new Error(`${this.name}'s Firefox is closed`);
    return this.browser;
  }

  url(path: string): string {
    return `${this.origin}/${path}`;
  }

  /**
   * Waits for an open tab whose location satisfies `match`, other than those in `except` (extension pages
   * report about:blank as url()).
   */
  async findPage(
    match: (href: string) => boolean,
    except: ReadonlySet<Page> = new Set(),
    timeout = PAGE_TIMEOUT_MS,
  ): Promise<Page> {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (const page of await this.ctx.pages()) {
        if (except.has(page)) continue;
        const at = await href(page).catch(() => '');
        if (match(at) && (await ready(page))) return page;
      }
      if (Date.now() > deadline) throw new Error(`${this.name}: no such page within ${timeout} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Opens one of the extension's pages the way the extension does (tabs.create from a page of its own). */
  async open(path: string, from: Page): Promise<Page> {
    const before = new Set(await this.ctx.pages());
    await from.evaluate(async (url) => {
      const ext = globalThis as unknown as {
        browser: { tabs: { create(o: { url: string }): Promise<unknown> } };
      };
      await ext.browser.tabs.create({ url });
    }, this.url(path));
    return this.findPage((at) => at === this.url(path), before);
  }

  /**
   * The address of every tab, as the extension sees it (tabs.query from one of its pages). A tab a link on an
   * extension page opens with target=_blank is there, though puppeteer-core does not list it among pages().
   */
  async tabUrls(from: Page): Promise<string[]> {
    return from.evaluate(async () => {
      const ext = globalThis as unknown as {
        browser: { tabs: { query(q: object): Promise<{ url?: string }[]> } };
      };
      return (await ext.browser.tabs.query({})).map((t) => t.url ?? '');
    });
  }

  /** A new tab at an Upwork address. */
  async openWeb(url: string): Promise<Page> {
    const page = await this.ctx.newPage();
    await page.goto(url);
    return page;
  }

  /** Closes every tab but one, left at about:blank: no page of the extension or of Upwork is open. */
  async closePages(): Promise<void> {
    const [first, ...rest] = await this.ctx.pages();
    await Promise.all(rest.map((p) => p.close()));
    await first?.goto('about:blank');
  }

  /** Quits Firefox and starts it again on the same profile, opening `path` of the extension at startup. */
  async restart(path = 'options.html'): Promise<Page> {
    await this.close();
    await this.start([this.url(path)]);
    return this.findPage((at) => at === this.url(path));
  }

  async version(): Promise<string> {
    return this.ctx.version();
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    await browser?.close();
  }

  async dispose(): Promise<void> {
    await this.close().catch(() => {});
    await rm(this.userDataDir, { recursive: true, force: true });
  }
}

const href = (page: Page): Promise<string> => page.evaluate(() => location.href);

/** Whether the page has parsed its document (an extension page mounts its app from a module script). */
const ready = (page: Page): Promise<boolean> =>
  page.evaluate(() => document.readyState !== 'loading').catch(() => false);
