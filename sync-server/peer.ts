// What a room needs from a connection (connection.ts implements it; tests may fake it).
import type { CloseName, Standing } from '../core/protocol.ts';
import type { Inbound, Needs } from './intake.ts';
import type { TokenBucket } from './limits.ts';

export interface Waiting {
  /** The connection's updates that could not be admitted yet, each with what it waits for. */
  items: { item: Inbound; needs: Needs }[];
  bytes: number;
  /** When the oldest of them arrived. */
  since: number;
}

export interface Peer {
  readonly id: number;
  readonly keyId: string;
  standing: Standing;
  role: 'manager' | 'member' | null;
  /** The invite a joiner proved it holds (base64url of the invite's public key). */
  readonly inviteId: string | null;
  /** Welcomed and not closed: may receive the room and send updates. */
  readonly open: boolean;
  waiting: Waiting | null;
  readonly actions: TokenBucket;
  /** Awareness client ids this connection owns. */
  readonly clients: Set<number>;
  /** New Yjs client ids this connection used outside its catch-up. */
  clientIdsClaimed: number;
  /** Per Yjs client, a position from which this connection's entries differ from the stored ones: its ACKs stop there. */
  readonly ackCaps: Map<number, number>;
  send(frame: Uint8Array): void;
  refuse(close: CloseName, message: string): void;
}
