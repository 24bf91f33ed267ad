// Agencies for the attack bench, signed offline with node:crypto keys (exportable, so the probe process can
// sign as the members): the creation, one invite and join per member, then a history of facts. The same
// agencies are seeded into each scenario's fresh data file, so every scenario starts from the same logs.
import * as Y from 'yjs';
import {
  ACTIONS_ROOT,
  type Action,
  type ActionType,
  createAction,
  type Payloads,
  type Signer,
  signJoinProof,
  toStored,
} from '../../../core/index.ts';
import { fastSigner } from '../../sync-server/support/attack.ts';

export type Member = Signer & { pkcs8: Uint8Array; name: string };

export class BenchAgency {
  readonly id: string;
  readonly owner: Member;
  readonly members = new Map<string, Member>();
  readonly actions: Action[] = [];
  heads: string[] = [];
  private clock: number;

  private constructor(id: string, owner: Member, start: number) {
    this.id = id;
    this.owner = owner;
    this.clock = start;
  }

  private async act<T extends ActionType>(signer: Signer, type: T, payload: Payloads[T]): Promise<Action> {
    this.clock += 100;
    const made = await createAction(this.id, signer, type, payload, this.heads, this.clock);
    if (!made.ok) throw new Error(made.message);
    this.actions.push(made.action);
    this.heads = [made.action.id];
    return made.action;
  }

  /** The agency `id` with `members` (plain members) and `history` facts by its owner after them. */
  static async build(id: string, members: readonly string[], history: number): Promise<BenchAgency> {
    const owner = { ...fastSigner(), name: 'Owner' };
    // a log written over the last hours: nothing in it is stamped ahead of the server's clock
    const b = new BenchAgency(id, owner, Date.now() - 3 * 3_600_000);
    b.members.set(owner.name, owner);
    await b.act(owner, 'createAgency', { name: `Bench ${id}`, memberName: owner.name, balance: 100_000 });
    for (const name of members) {
      const invite = fastSigner();
      await b.act(owner, 'grantInvite', {
        invite: invite.publicKey,
        role: 'member',
        relationship: 'exclusive',
        expiresAt: Date.now() + 86_400_000,
      });
      const m = { ...fastSigner(), name };
      b.members.set(name, m);
      await b.act(m, 'joinAgency', {
        invite: invite.publicKey,
        proof: await signJoinProof(invite, id, m.publicKey),
        name,
      });
    }
    for (let i = 0; i < history; i++)
      await b.act(owner, 'submitProposal', {
        job: `history-${i}`,
        title: `A job the agency proposed to, number ${i}`,
        as: 'independent',
        connects: 0,
        boost: 0,
      });
    return b;
  }

  member(name: string): Member {
    const m = this.members.get(name);
    if (!m) throw new Error(`no member ${name}`);
    return m;
  }

  /** The whole log as one Yjs update (what the data file is seeded with). */
  update(): Uint8Array {
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const a of this.actions) doc.getMap(ACTIONS_ROOT).set(a.id, toStored(a));
    });
    return Y.encodeStateAsUpdate(doc);
  }
}
