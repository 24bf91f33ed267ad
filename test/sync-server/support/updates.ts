// Signed actions and the Yjs updates that carry them, built byte by byte: any Yjs client id, any clock
// positions, any signer, as an attacker would.
import {
  type Action,
  type ActionId,
  type ActionType,
  createAction,
  type Payloads,
  type Signer,
  toStored,
} from '../../../core/index.ts';
import { encodeEntry, encodeRuns } from '../../../sync-server/codec.ts';
import { encodeSyncStep2, encodeUpdate } from '../../../sync-server/wire.ts';

export async function signed<T extends ActionType>(
  agencyId: string,
  signer: Signer,
  type: T,
  payload: Payloads[T],
  deps: readonly ActionId[],
  at = Date.now(),
): Promise<Action<T>> {
  const made = await createAction(agencyId, signer, type, payload, deps, at);
  if (!made.ok) throw new Error(made.message);
  return made.action;
}

/** A chain of `n` observeBalance facts by `signer`, each on the one before. */
export async function chain(
  agencyId: string,
  signer: Signer,
  n: number,
  deps: readonly ActionId[],
  at = Date.now(),
): Promise<Action[]> {
  const out: Action[] = [];
  let heads = [...deps];
  for (let i = 0; i < n; i++) {
    const a = await signed(agencyId, signer, 'observeBalance', { balance: 1000 + i }, heads, at);
    out.push(a);
    heads = [a.id];
  }
  return out;
}

/** A V1 update putting `actions` at consecutive clock positions of Yjs client `client`, from `clock`. */
export function entriesAt(client: number, clock: number, actions: readonly Action[]): Uint8Array {
  return encodeRuns([
    { client, clock, length: actions.length, parts: actions.map((a) => encodeEntry(a.id, toStored(a))) },
  ]);
}

export const updateFrame = encodeUpdate;
export const step2Frame = encodeSyncStep2;
