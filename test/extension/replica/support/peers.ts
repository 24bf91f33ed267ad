// Test helpers: browsers as replicas, each with its own device key and its own IndexedDB (fake-indexeddb
// factories), talking to a real sync server over loopback sockets.
import { IDBFactory } from 'fake-indexeddb';
import { generateDeviceKey, makeSigner, type Signer } from '../../../../core/index.ts';
import { parseInviteCode } from '../../../../core/protocol.ts';
import { createAgency, createInvite, joinAgency } from '../../../../extension/replica/flows.ts';
import type { Replica } from '../../../../extension/replica/replica.ts';

export class Browser {
  readonly idb = new IDBFactory();
  readonly name: string;
  signer!: Signer;
  replicas: Replica[] = [];

  constructor(name: string) {
    this.name = name;
  }

  static async make(name: string): Promise<Browser> {
    const b = new Browser(name);
    b.signer = await makeSigner(await generateDeviceKey(crypto.subtle));
    return b;
  }

  get base() {
    return { signer: this.signer, idb: this.idb, maxBackoffMs: 200 };
  }

  track(r: Replica): Replica {
    this.replicas.push(r);
    return r;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.close()));
    this.replicas = [];
  }
}

export async function createdAgency(owner: Browser, server: string, opts: { creationToken?: string } = {}) {
  const r = await createAgency({
    ...owner.base,
    server,
    agencyName: 'Acme Studio',
    memberName: owner.name,
    balance: 100,
    ...opts,
  });
  if (!r.ok) throw new Error(r.message);
  return owner.track(r.replica);
}

export async function joined(
  manager: Replica,
  member: Browser,
  opts: { role?: 'manager' | 'member'; relationship?: 'exclusive' | 'non-exclusive' } = {},
) {
  const invite = await createInvite(manager, {
    role: opts.role ?? 'member',
    relationship: opts.relationship ?? 'exclusive',
    expiresInDays: 7,
  });
  if (!invite.ok) throw new Error(invite.message);
  const parsed = parseInviteCode(invite.code);
  if (!parsed.ok) throw new Error(parsed.message);
  const r = await joinAgency({ ...member.base, invite: parsed.invite, name: member.name });
  if (!r.ok) throw new Error(r.message);
  return member.track(r.replica);
}

/** Both replicas hold the same set of actions (and so derive the same state). */
export function converged(a: Replica, b: Replica): boolean {
  return a.log.size === b.log.size && a.log.heads().join() === b.log.heads().join();
}
