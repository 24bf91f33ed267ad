// Actions as the server keeps them in memory. The server verifies every action once, where it arrives
// (room.ts, with core's verifyAction), and only ever stores verified ones; reading its own data file back,
// it decodes them with core's decodeStored without checking signatures again (design.md §2: verify at the
// trust boundary, derive synchronously after).
import { type Action, type ActionType, decodeStored, type Payloads } from '../core/index.ts';

const NO_SIGNATURE = new Uint8Array(0);

/**
 * A copy that holds no view into a received message (byte fields are copied) and drops the signature,
 * which derive never reads: a room keeps only what its checks need (the 250 KB budget per idle agency).
 * `intern` maps actor and dep ids to one shared string each.
 */
export function slim(action: Action, intern: (s: string) => string = (s) => s): Action {
  const payload: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(action.payload as Record<string, unknown>)) {
    payload[k] = v instanceof Uint8Array ? v.slice() : v;
  }
  return {
    id: action.id,
    type: action.type,
    actor: intern(action.actor),
    payload: payload as unknown as Payloads[ActionType],
    deps: action.deps.map(intern),
    at: action.at,
    sig: NO_SIGNATURE,
  };
}

/**
 * Reads an entry the server itself verified and stored earlier, with core's one decoder (decodeStored:
 * every replica reads stored entries the same way), slimmed; null if it does not even parse.
 */
export function trustedAction(id: string, stored: unknown, intern?: (s: string) => string): Action | null {
  const action = decodeStored(id, stored);
  return action ? slim(action, intern) : null;
}
