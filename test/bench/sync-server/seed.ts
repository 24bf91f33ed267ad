// Agencies built offline with core (real keys, real signatures), as one encoded Yjs update each: seeded
// into both servers before a scenario (ours through its data file, the reference in memory).
import * as Y from 'yjs';
import {
  ACTIONS_ROOT,
  type Action,
  type ActionType,
  createAction,
  generateDeviceKey,
  makeSigner,
  type Payloads,
  type Signer,
  signJoinProof,
  toStored,
} from '../../../core/index.ts';

export interface SeededAgency {
  id: string;
  members: Signer[];
  update: Uint8Array;
  heads: string[];
}

let counter = 0;
export const agencyId = (prefix: string): string =>
  `${prefix}-${(counter++).toString(36).padStart(6, '0')}-bench`;
export const newSigner = async (): Promise<Signer> => makeSigner(await generateDeviceKey(crypto.subtle));

export class AgencyBuilder {
  readonly id: string;
  readonly members: Signer[] = [];
  readonly actions: Action[] = [];
  heads: string[] = [];
  private clock = Date.now() - 3_600_000;

  constructor(id: string) {
    this.id = id;
  }

  private tick(): number {
    this.clock += 1000;
    return this.clock;
  }

  async act<T extends ActionType>(signer: Signer, type: T, payload: Payloads[T]): Promise<Action> {
    const made = await createAction(this.id, signer, type, payload, this.heads, this.tick());
    if (!made.ok) throw new Error(made.message);
    this.actions.push(made.action);
    this.heads = [made.action.id];
    return made.action;
  }

  static async create(id: string, members: number): Promise<AgencyBuilder> {
    const b = new AgencyBuilder(id);
    const owner = await newSigner();
    b.members.push(owner);
    await b.act(owner, 'createAgency', { name: 'Bench Agency', memberName: 'Owner', balance: 100_000 });
    for (let i = 1; i < members; i++) {
      const invite = await newSigner();
      await b.act(owner, 'grantInvite', {
        invite: invite.publicKey,
        role: 'member',
        relationship: 'exclusive',
        expiresAt: Date.now() + 86_400_000,
      });
      const m = await newSigner();
      b.members.push(m);
      await b.act(m, 'joinAgency', {
        invite: invite.publicKey,
        proof: await signJoinProof(invite, id, m.publicKey),
        name: `Member ${i}`,
      });
    }
    return b;
  }

  /** A chain of proposals by `signer` on top of the current heads (not added to this builder's log). */
  async chain(signer: Signer, n: number, tag: string): Promise<Action[]> {
    const out: Action[] = [];
    let heads = this.heads;
    for (let i = 0; i < n; i++) {
      const made = await createAction(
        this.id,
        signer,
        'submitProposal',
        { job: `${tag}-${i}`, title: `Bench job ${tag} ${i}`, as: 'agency', connects: 1, boost: 0 },
        heads,
        this.tick(),
      );
      if (!made.ok) throw new Error(made.message);
      out.push(made.action);
      heads = [made.action.id];
    }
    return out;
  }

  seeded(): SeededAgency {
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const a of this.actions) doc.getMap(ACTIONS_ROOT).set(a.id, toStored(a));
    });
    return { id: this.id, members: this.members, update: Y.encodeStateAsUpdate(doc), heads: this.heads };
  }
}
