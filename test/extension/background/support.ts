// Background test rig: each "browser" is an Agencies instance with its own fake IndexedDB, its own device
// key and in-memory settings, talking to a real sync server on loopback.
import { IDBFactory } from 'fake-indexeddb';
import { Agencies } from '../../../extension/background/agencies.ts';
import { Router, type StatePort } from '../../../extension/background/router.ts';
import { memorySettings, type Settings } from '../../../extension/background/settings.ts';
import type { OverviewView, Response } from '../../../extension/messaging/types.ts';
import { loadDeviceKey } from '../../../extension/replica/device-key.ts';

export class TestBrowser {
  readonly idb = new IDBFactory();
  readonly settings: Settings = memorySettings();
  agencies!: Agencies;
  router!: Router;

  constructor() {
    this.boot();
  }

  /** A worker start: new objects over the same IndexedDB and settings. */
  boot(): this {
    this.agencies = new Agencies({
      settings: this.settings,
      deviceKey: () => loadDeviceKey(this.idb),
      idb: this.idb,
      maxBackoffMs: 200,
    });
    this.router = new Router(this.agencies);
    return this;
  }

  /** The worker is stopped (Chrome after 30 s idle): everything in memory is gone. */
  async stop(): Promise<void> {
    await this.agencies.close();
  }

  send(message: unknown): Promise<Response> {
    return new Promise((resolve) => this.router.onMessage(message, {}, resolve));
  }

  async ok<T = unknown>(message: unknown): Promise<T> {
    const r = await this.send(message);
    if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
    return r.value as T;
  }

  /** Waits until the overview satisfies `predicate` (checked after every change). */
  until(predicate: (v: OverviewView) => boolean, ms = 10_000): Promise<OverviewView> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = this.agencies.overview();
        if (!predicate(v)) return false;
        clearTimeout(timer);
        off();
        resolve(v);
        return true;
      };
      const timer = setTimeout(() => {
        off();
        reject(
          new Error(`condition not met in ${ms} ms: ${JSON.stringify(this.agencies.overview().view?.sync)}`),
        );
      }, ms);
      const off = this.agencies.subscribe(check);
      check();
    });
  }
}

export class FakePort implements StatePort {
  readonly name: string;
  readonly posted: OverviewView[] = [];
  private onGone: (() => void)[] = [];
  constructor(name: string) {
    this.name = name;
  }
  postMessage(message: unknown): void {
    this.posted.push(message as OverviewView);
  }
  onDisconnect = { addListener: (fn: () => void) => this.onGone.push(fn) };
  disconnect(): void {
    for (const fn of this.onGone) fn();
  }
}
