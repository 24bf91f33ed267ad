// What a room needs from a connection (connection.ts implements it; tests may fake it).
import type { CloseName, Standing } from '../core/protocol.ts';
import type { TokenBucket } from './limits.ts';

export interface Waiting {
  /** The connection's updates that could not be integrated yet, merged into one. */
  update: Uint8Array;
  /** Whether any of them came as a sync step 2 (see room.ts on other members' actions). */
  step2: boolean;
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
  /** Awareness client ids this connection announced. */
  readonly clients: Set<number>;
  send(frame: Uint8Array): void;
  refuse(close: CloseName, message: string): void;
}
