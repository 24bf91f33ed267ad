// core's public entry point (with zod). Content scripts import core/lite.ts instead.
export { createAction, toStored, type Verified, type VerifyCode, verifyAction } from './action.ts';
export { bytesEqual, concatBytes, fromBase64Url, toBase64Url, utf8 } from './bytes.ts';
export { canonicalBytes, canonicalText } from './canonical.ts';
export {
  ACTIVITY_LIMIT,
  appendLocal,
  applyActions,
  type Derivation,
  derive,
  emptyState,
  isAncestor,
  type LocalResult,
  verdictsOf,
} from './derive.ts';
export { sha256 } from './hash.ts';
export { exportPublicKey, generateDeviceKey, makeSigner, type Signer, verifySignature } from './keys.ts';
export * from './lite.ts';
export {
  ACTIONS_ROOT,
  AgencyLog,
  type AppendResult,
  type InvalidEntry,
  type LogSnapshot,
  SNAPSHOT_VERSION,
  verifyEntries,
} from './log.ts';
export { MANAGER_ONLY, POWER_TYPES } from './rules.ts';
export {
  ACTION_TYPES,
  MAX_ACTION_BYTES,
  PayloadSchemas,
  type StoredAction,
  StoredActionSchema,
} from './schemas.ts';
