// D15 end to end: two real Chromium profiles with the built extension and the real sync server on loopback.
// A business manager records a fixed-price offer for a member, accepts it and records a payout on the agency
// pages' Contracts and earnings; the manager sees the figures, the member's agency pages have no such
// section, and nothing the member's browser stored (every IndexedDB row of its background) holds either
// amount in any encoding. Then the manager promotes the member: his browser publishes its seal key, hers
// re-seals the earlier amounts to it, and his Contracts and earnings shows the history. Screenshots under
// test-results/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amountFoundIn } from '../extension/replica/support/amount-encodings.ts';
import { screenshot } from './support/artifacts.ts';
import { Profile } from './support/browser.ts';
import { createAgency, createInvite, joinAgency, outcomeIn, UI_TIMEOUT } from './support/pages.ts';
import { waitForPersisted } from './support/replica.ts';
import { SyncServer } from './support/sync-server.ts';

const AGENCY = 'Acme Studio';
// Above 2^20 cents, so every binary encoding is at least 4 bytes (see amount-encodings.ts).
const PRICE = 4_736_291;
const PAYOUT = 2_718_282;
const dollars = (cents: number) => (cents / 100).toFixed(2);

let server: SyncServer;
let olga: Profile;
let bob: Profile;
let olgaOptions: Page;

/** Every row of every IndexedDB store of the profile's background: bytes as they are, anything else as JSON. */
async function storedBytes(profile: Profile): Promise<Uint8Array[]> {
  const worker = profile.worker() ?? (await profile.ctx.waitForEvent('serviceworker', { timeout: 60_000 }));
  const rows = await worker.evaluate(async () => {
    const req = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const out: number[][] = [];
    const text = (v: unknown) =>
      Array.from(
        new TextEncoder().encode(
          JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? Array.from(x) : x)) ?? '',
        ),
      );
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
        r.onupgradeneeded = () => r.transaction?.abort();
      }).catch(() => null);
      if (!db) continue;
      for (const store of Array.from(db.objectStoreNames)) {
        for (const v of await req(db.transaction(store, 'readonly').objectStore(store).getAll())) {
          if (v instanceof Uint8Array) out.push(Array.from(v));
          else if (v instanceof ArrayBuffer) out.push(Array.from(new Uint8Array(v)));
          else out.push(text(v));
        }
      }
      db.close();
    }
    return out;
  });
  return rows.map((r) => Uint8Array.from(r));
}

describe('D15: rates and earnings reach only business managers (two real browsers)', () => {
  beforeAll(async () => {
    server = await SyncServer.start();
    [olga, bob] = await Promise.all([Profile.fresh('Olga'), Profile.fresh('Bob')]);
  });

  afterAll(async () => {
    await Promise.allSettled([olga?.dispose(), bob?.dispose()]);
    await server?.dispose();
  });

  it('D15: the manager records an offer, accepts it and records a payout, and sees the figures', async () => {
    olgaOptions = await olga.options();
    await createAgency(olgaOptions, {
      agencyName: AGENCY,
      memberName: 'Olga',
      balance: 100,
      server: server.url,
    });
    const code = await createInvite(olgaOptions, { role: 'member', relationship: 'exclusive' });
    const bobOptions = await bob.options();
    await joinAgency(bobOptions, code, 'Bob', AGENCY);

    const section = olgaOptions.getByRole('region', { name: 'Contracts and earnings' });
    await section.getByText('Record an offer').click();
    const offer = section.getByRole('form', { name: 'Record an offer' });
    // Bob's join reaches Olga's page before she can pick him.
    await offer
      .getByLabel('For')
      .locator('option', { hasText: 'Bob' })
      .waitFor({ state: 'attached', timeout: UI_TIMEOUT });
    await offer.getByLabel('Offer id').fill('offer-logo');
    await offer.getByLabel('Job id').fill('~01logo');
    await offer.getByLabel('Title').fill('Logo for a bakery');
    await offer.getByLabel('For').selectOption({ label: 'Bob' });
    await offer.getByLabel('Kind').selectOption('fixed');
    await offer.getByLabel('Rate or price ($)').fill(dollars(PRICE));
    await offer.getByRole('button', { name: 'Record offer' }).click();
    expect(await outcomeIn(section, "Offer for 'Logo for a bakery' recorded")).toMatch(/recorded/);
    await section.getByTestId('earnings-offers').getByText('$47,362.91').waitFor({ timeout: UI_TIMEOUT });
    await section.getByRole('button', { name: 'Accept' }).click();
    expect(await outcomeIn(section, 'accepted')).toMatch(/accepted/);
    const payout = section.getByRole('form', { name: 'Record a payout' });
    await payout.getByLabel('Payout ($)').fill(dollars(PAYOUT));
    await payout.getByRole('button', { name: 'Record payout' }).click();
    expect(await outcomeIn(section, 'Payout of $27,182.82 recorded')).toMatch(/recorded/);
    const row = section.getByRole('row', { name: /Logo for a bakery/ });
    await row.filter({ hasText: '$27,182.82' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await row.textContent()).toContain('$47,362.91');
    await screenshot(olgaOptions, 'options-manager-earnings');
  });

  it('D15: the member’s browser holds the contract but no amount anywhere it stored, and shows none', async () => {
    // The payout (the last of them) is in Bob's persisted replica: everything before it is too.
    const entries = await waitForPersisted(bob, (e) => e.some((x) => x.type === 'recordPayout'));
    const offer = entries.find((e) => e.type === 'receiveOffer');
    expect(offer?.payload).toMatchObject({ offer: 'offer-logo', kind: 'fixed' });
    expect(offer?.payload).not.toHaveProperty('terms');
    const leaks = (await storedBytes(bob)).flatMap((bytes) =>
      [PRICE, PAYOUT].flatMap((n) => amountFoundIn(bytes, n).map((how) => `${n}: ${how}`)),
    );
    expect(leaks).toEqual([]);
    // The oracle is not blind: Olga's page shows the price, in the form the search looks for.
    expect(amountFoundIn(new TextEncoder().encode((await olgaOptions.content()) ?? ''), PRICE)).toContain(
      'dollars with separators',
    );
    const bobOptions = bob.ctx.pages().find((p) => p.url().endsWith('/options.html'))!;
    await bobOptions.reload();
    await bobOptions.getByRole('heading', { level: 1, name: AGENCY }).waitFor({ timeout: UI_TIMEOUT });
    expect(await bobOptions.getByRole('region', { name: 'Contracts and earnings' }).count()).toBe(0);
    expect(await bobOptions.getByText('$47,362.91').count()).toBe(0);
    await screenshot(bobOptions, 'options-member-no-earnings');
  });

  it('D15: promoted to business manager, the member sees the rates and earnings recorded before, re-sealed to his browser by hers', async () => {
    const bobOptions = bob.ctx.pages().find((p) => p.url().endsWith('/options.html'))!;
    await olgaOptions
      .getByRole('region', { name: 'Members' })
      .getByLabel('Role of Bob')
      .selectOption('manager');
    const section = bobOptions.getByRole('region', { name: 'Contracts and earnings' });
    await section.waitFor({ timeout: UI_TIMEOUT });
    // The contract's price and the payout were sealed to Olga's browser only; they reach Bob's re-sealed.
    const row = section.getByRole('row', { name: /Logo for a bakery/ });
    await row.filter({ hasText: '$27,182.82' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await row.textContent()).toContain('$47,362.91');
    expect(await section.getByText(/not readable/).count()).toBe(0);
    await screenshot(bobOptions, 'options-promoted-manager-earnings');
    // What his browser received is a re-seal signed by Olga's, naming his browser, and no amount in the clear.
    const entries = await waitForPersisted(bob, (e) => e.some((x) => x.type === 'resealAmounts'));
    const reseal = entries.find((e) => e.type === 'resealAmounts');
    expect(reseal?.payload).toHaveProperty('boxes');
    await bobOptions
      .getByRole('region', { name: 'Activity' })
      .getByText('Olga let Bob’s browser read 2 earlier amounts')
      .waitFor({ timeout: UI_TIMEOUT });
  });
});
