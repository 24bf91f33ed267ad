// A synchronous SHA-256 (lib0 ships with yjs), so ids and invite checks work inside the synchronous derive.
import { digest } from 'lib0/hash/sha256';

export const sha256 = (data: Uint8Array): Uint8Array => digest(data);
