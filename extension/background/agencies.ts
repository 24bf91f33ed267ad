// The background's model: one replica per agency this browser belongs to, opened once per worker start
// (start() is idempotent: the MV3 worker is stopped after ~30 s idle and restarted by any event), and the
// answer to every request of the message protocol. Requests arrive here already validated (router.ts).
import { parseInviteCode } from '../../core/protocol.ts';
import type { AgencyView, OverviewView, Request, Response, ResponseValues } from '../messaging/types.ts';
import { checkInvite } from '../replica/check-invite.ts';
import type { DeviceKey } from '../replica/device-key.ts';
import { exportFileName, exportLog, exportStored } from '../replica/export-log.ts';
import { createAgency, joinAgency } from '../replica/flows.ts';
import type { KeepArea } from '../replica/keep.ts';
import { type NetErrorSource, probeCode, probeSentence, probeServer } from '../replica/probe-server.ts';
import { cachedView, OLD_ACTION_FORMAT, Replica } from '../replica/replica.ts';
import { activityRequest } from './activity-request.ts';
import { inviteRequest } from './invite-requests.ts';
import type { AgencyEntry, Settings } from './settings.ts';

export interface AgenciesDeps {
  settings: Settings;
  deviceKey: () => Promise<DeviceKey>;
  idb?: IDBFactory;
  /** Where each replica keeps its record outside IndexedDB (browser.storage.local; replica/keep.ts). */
  keep?: KeepArea | null;
  WebSocketImpl?: typeof WebSocket;
  now?: () => number;
  maxBackoffMs?: number;
  /** Why a request to a server failed, where the browser says (background/net-errors.ts). */
  netErrors?: NetErrorSource | null;
  /** The server probe's bound (probe-server.ts). */
  probeTimeoutMs?: number;
}

type Refusal = Extract<Response, { ok: false }>;
type Answer<K extends Request['kind']> = Response<ResponseValues[K]>;

const refuse = (code: string, message: string, rule = 'REQUEST'): Refusal => ({
  ok: false,
  code,
  rule,
  message,
});
const unknownAgency = () => refuse('UNKNOWN_AGENCY', 'This browser is not part of that agency.');

export class Agencies {
  readonly replicas = new Map<string, Replica>();
  private readonly deps: AgenciesDeps;
  private entries: AgencyEntry[] = [];
  private selected: string | null = null;
  private starting: Promise<void> | null = null;
  private peeking: Promise<void> | null = null;
  /** Views read from storage at start, shown until each replica is open. */
  private cached = new Map<string, AgencyView>();
  private listeners = new Set<() => void>();
  private unsubscribers = new Map<string, () => void>();
  private key: DeviceKey | null = null;

  constructor(deps: AgenciesDeps) {
    this.deps = deps;
  }

  /** Opens every agency's replica and connects; safe to call on every wake-up and every request. */
  start(): Promise<void> {
    if (!this.starting) {
      let peeked = () => {};
      this.peeking = new Promise<void>((resolve) => {
        peeked = resolve;
      });
      this.starting = this.doStart(peeked)
        .catch((e) => {
          this.starting = null;
          throw e;
        })
        .finally(peeked);
    }
    return this.starting;
  }

  /**
   * Resolves once an overview can be answered: from the open replicas, or, while they open, from the
   * derived state each one persisted (a woken worker answers the popup without waiting for the docs).
   */
  async ready(): Promise<void> {
    const started = this.start();
    await this.peeking;
    // A start that failed is reported here rather than answered with an empty overview.
    await Promise.race([started, Promise.resolve()]);
  }

  private async doStart(peeked: () => void): Promise<void> {
    this.key = await this.deps.deviceKey();
    this.entries = await this.deps.settings.agencies();
    this.selected = await this.deps.settings.selected();
    const keyId = this.key.signer.keyId;
    await Promise.all(
      this.entries.map(async (e) => {
        if (this.replicas.has(e.agencyId)) return;
        const view = await cachedView(e.agencyId, e.server, keyId, this.now(), this.deps.idb).catch(
          () => null,
        );
        if (view && !this.replicas.has(e.agencyId)) this.cached.set(e.agencyId, view);
      }),
    );
    peeked();
    this.emit();
    await Promise.all(
      this.entries.map(async (e) => {
        if (this.replicas.has(e.agencyId)) return;
        try {
          this.register(
            await Replica.open({ ...this.replicaBase(), agencyId: e.agencyId, server: e.server }),
          );
        } catch (err) {
          console.error(`agency ${e.agencyId}: cannot open its replica`, err);
        }
      }),
    );
    this.cached.clear();
    this.emit();
  }

  private replicaBase() {
    return {
      signer: this.key!.signer,
      sealKey: this.key!.seal ?? undefined,
      idb: this.deps.idb,
      keep: this.deps.keep ?? null,
      WebSocketImpl: this.deps.WebSocketImpl,
      now: this.deps.now,
      maxBackoffMs: this.deps.maxBackoffMs,
    };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The alarm's job: bring every link back after an outage, without waiting for a UI to open. */
  async wake(): Promise<void> {
    await this.start();
    for (const r of this.replicas.values()) r.ensureConnected();
  }

  overview(): OverviewView {
    const known = (id: string) => this.replicas.has(id) || this.cached.has(id);
    const selected =
      this.selected && known(this.selected) ? this.selected : (this.entries[0]?.agencyId ?? null);
    return {
      agencies: this.entries.map((e) => ({
        agencyId: e.agencyId,
        name: this.replicas.get(e.agencyId)?.log.state.name || e.name,
      })),
      selected,
      view: selected ? (this.replicas.get(selected)?.view() ?? this.cached.get(selected) ?? null) : null,
    };
  }

  async handle(request: Request): Promise<Response> {
    if (request.kind === 'overview') {
      await this.ready();
      return { ok: true, value: this.overview() } satisfies Answer<'overview'>;
    }
    await this.start();
    switch (request.kind) {
      case 'select':
        if (!this.replicas.has(request.agencyId)) return unknownAgency();
        await this.select(request.agencyId);
        return { ok: true, value: this.overview() } satisfies Answer<'select'>;
      case 'createAgency':
        return this.createAgency(request);
      case 'joinAgency':
        return this.joinAgency(request);
      case 'checkInvite':
        return this.checkInvite(request);
      case 'createInvite':
      case 'createDeviceInvite':
      case 'revokeInvite': {
        const r = this.replicas.get(request.agencyId);
        if (!r) return unknownAgency();
        return inviteRequest(r, request, this.now());
      }
      case 'act': {
        const r = this.replicas.get(request.agencyId);
        if (!r) return unknownAgency();
        // The payload was checked against core's schema for this type at the boundary (schemas.ts).
        const result = await r.act(request.type, request.payload as never);
        if (!result.ok) return result;
        return {
          ok: true,
          value: { id: result.id, status: 'saved', flags: result.flags },
        } satisfies Answer<'act'>;
      }
      case 'amounts': {
        const r = this.replicas.get(request.agencyId);
        if (!r) return unknownAgency();
        // D15: only what this browser's key opens; a plain member's browser opens nothing.
        return { ok: true, value: await r.amountsView() } satisfies Answer<'amounts'>;
      }
      case 'activity': {
        const r = this.replicas.get(request.agencyId);
        if (!r) return unknownAgency();
        return activityRequest(r, request);
      }
      case 'exportLog': {
        const r = this.replicas.get(request.agencyId);
        if (!r) return unknownAgency();
        await r.log.settled();
        const now = this.now();
        const name = r.log.state.name || this.entryName(r.agencyId);
        // A log this version cannot verify is exported as stored, for the agency's records.
        const file = r.oldFormat
          ? exportStored(r.agencyId, name, [...r.log.actions.entries()], now, OLD_ACTION_FORMAT)
          : exportLog(r.agencyId, name, r.log.ordered(), now);
        return {
          ok: true,
          value: { fileName: exportFileName(name, now), json: JSON.stringify(file, null, 1) },
        } satisfies Answer<'exportLog'>;
      }
      case 'removeAgency': {
        if (!this.entries.some((e) => e.agencyId === request.agencyId)) return unknownAgency();
        await this.forget(request.agencyId, true);
        if (this.selected === request.agencyId) await this.select(this.entries[0]?.agencyId ?? null);
        this.emit();
        return { ok: true, value: null } satisfies Answer<'removeAgency'>;
      }
      case 'setServer': {
        const r = this.replicas.get(request.agencyId);
        if (!r) return unknownAgency();
        r.setServer(request.server);
        await this.saveEntry(request.agencyId, { server: request.server });
        this.emit();
        return { ok: true, value: null } satisfies Answer<'setServer'>;
      }
      case 'reconnect': {
        const r = this.replicas.get(request.agencyId);
        if (!r) return unknownAgency();
        r.reconnect();
        return { ok: true, value: null } satisfies Answer<'reconnect'>;
      }
      case 'dismissRecovery': {
        const r = this.replicas.get(request.agencyId);
        if (!r) return unknownAgency();
        r.dismissRecovery();
        return { ok: true, value: null } satisfies Answer<'dismissRecovery'>;
      }
    }
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Is an Agency Overlay sync server at `server`? The refusal to give when it is not, else null. */
  private async probe(server: string, from: 'create' | 'join'): Promise<Refusal | null> {
    const result = await probeServer(server, {
      WebSocketImpl: this.deps.WebSocketImpl,
      netErrors: this.deps.netErrors,
      timeoutMs: this.deps.probeTimeoutMs,
    });
    if (result.ok) return null;
    return {
      ok: false,
      code: probeCode(result.kind),
      rule: 'SERVER',
      message: probeSentence(server, result, from),
      ...(from === 'create' ? { field: 'server' } : {}),
    };
  }

  private async createAgency(request: Extract<Request, { kind: 'createAgency' }>): Promise<Response> {
    // Creating must reach the server first, unless the member chose to create offline anyway.
    if (!request.offline) {
      const unreachable = await this.probe(request.server, 'create');
      if (unreachable) return unreachable;
    }
    const result = await createAgency({
      ...this.replicaBase(),
      server: request.server,
      creationToken: request.creationToken || undefined,
      agencyName: request.agencyName,
      memberName: request.memberName,
      balance: request.balance,
      timeZone: request.timeZone,
    });
    if (!result.ok) return result;
    await this.adopt(result.replica);
    return { ok: true, value: { agencyId: result.replica.agencyId } } satisfies Answer<'createAgency'>;
  }

  private async checkInvite(request: Extract<Request, { kind: 'checkInvite' }>): Promise<Response> {
    const parsed = parseInviteCode(request.code);
    if (!parsed.ok) return refuse('BAD_INVITE', parsed.message, 'INVITE');
    const existing = this.replicas.get(parsed.invite.agency);
    if (existing?.isMember)
      return refuse('ALREADY_MEMBER', `This browser is already part of ${existing.log.state.name}.`, 'LOG');
    // The invite lives in the agency's log on its server: a server that is not there fails in seconds.
    const unreachable = await this.probe(parsed.invite.server, 'join');
    if (unreachable) return unreachable;
    const result = await checkInvite({
      signer: this.key!.signer,
      invite: parsed.invite,
      WebSocketImpl: this.deps.WebSocketImpl,
      now: this.deps.now,
    });
    if (!result.ok) return result;
    return { ok: true, value: result.check } satisfies Answer<'checkInvite'>;
  }

  private async joinAgency(request: Extract<Request, { kind: 'joinAgency' }>): Promise<Response> {
    const parsed = parseInviteCode(request.code);
    if (!parsed.ok) return refuse('BAD_INVITE', parsed.message, 'INVITE');
    const existing = this.replicas.get(parsed.invite.agency);
    if (existing?.isMember) {
      await this.select(existing.agencyId);
      return { ok: true, value: { agencyId: existing.agencyId } } satisfies Answer<'joinAgency'>;
    }
    const unreachable = await this.probe(parsed.invite.server, 'join');
    if (unreachable) return unreachable;
    if (existing) await this.forget(existing.agencyId, true);
    const result = await joinAgency({ ...this.replicaBase(), invite: parsed.invite, name: request.name });
    if (!result.ok) return result;
    await this.adopt(result.replica);
    return { ok: true, value: { agencyId: result.replica.agencyId } } satisfies Answer<'joinAgency'>;
  }

  private async adopt(replica: Replica): Promise<void> {
    this.register(replica);
    const entry: AgencyEntry = {
      agencyId: replica.agencyId,
      name: replica.log.state.name,
      server: replica.server,
      addedAt: this.now(),
    };
    this.entries = [...this.entries.filter((e) => e.agencyId !== entry.agencyId), entry];
    await this.deps.settings.setAgencies(this.entries);
    await this.select(replica.agencyId);
  }

  private async forget(agencyId: string, deleteData: boolean): Promise<void> {
    const r = this.replicas.get(agencyId);
    this.unsubscribers.get(agencyId)?.();
    this.unsubscribers.delete(agencyId);
    this.replicas.delete(agencyId);
    if (r) await (deleteData ? r.destroyData() : r.close());
    this.entries = this.entries.filter((e) => e.agencyId !== agencyId);
    await this.deps.settings.setAgencies(this.entries);
  }

  private entryName(agencyId: string): string {
    return this.entries.find((e) => e.agencyId === agencyId)?.name ?? '';
  }

  private async select(agencyId: string | null): Promise<void> {
    this.selected = agencyId;
    await this.deps.settings.setSelected(agencyId);
    this.emit();
  }

  private async saveEntry(agencyId: string, patch: Partial<AgencyEntry>): Promise<void> {
    this.entries = this.entries.map((e) => (e.agencyId === agencyId ? { ...e, ...patch } : e));
    await this.deps.settings.setAgencies(this.entries);
  }

  private register(replica: Replica): void {
    this.replicas.set(replica.agencyId, replica);
    let lastName = replica.log.state.name;
    this.unsubscribers.set(
      replica.agencyId,
      replica.subscribe(() => {
        const name = replica.log.state.name;
        if (name && name !== lastName) {
          lastName = name;
          void this.saveEntry(replica.agencyId, { name });
        }
        this.emit();
      }),
    );
  }

  /** Closes every replica (tests; a worker being stopped gets no such chance, which is why writes are awaited). */
  async close(): Promise<void> {
    for (const off of this.unsubscribers.values()) off();
    this.unsubscribers.clear();
    await Promise.all([...this.replicas.values()].map((r) => r.close()));
    this.replicas.clear();
    this.starting = null;
    this.peeking = null;
  }

  private emit(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch (e) {
        console.error('agencies listener failed', e);
      }
    }
  }
}
