// core's public entry point (with zod). Content scripts import core/lite.ts instead.
export {
  ACTION_FORMAT,
  createAction,
  decodeStored,
  packDeps,
  toStored,
  unpackDeps,
  type Verified,
  type VerifyCode,
  type VerifyOptions,
  verifyAction,
} from './action.ts';
export * from './activity-log.ts';
export {
  AMOUNT_TYPES,
  amountsFit,
  amountsView,
  carriesAmount,
  clearAmounts,
  clearPart,
  kindOf,
  managerSealKeys,
  sealContext,
  sealKeyId,
} from './amounts.ts';
export { bytesEqual, concatBytes, fromBase64Url, toBase64Url, utf8 } from './bytes.ts';
export { canonicalBytes, canonicalText } from './canonical.ts';
export {
  ACTIVITY_LIMIT,
  type AdmitResult,
  admitBatch,
  admitBatchSteps,
  appendLocal,
  applyActions,
  type Derivation,
  type DeriveOptions,
  derive,
  deriveSteps,
  emptyState,
  isAncestor,
  type LocalResult,
  newDerivation,
  type TieBreak,
  verdictsOf,
} from './derive.ts';
export { sha256 } from './hash.ts';
export { createInviteKey, importInviteKey, joinProofBytes, signJoinProof } from './invite.ts';
export { MAX_KEY_BRANCHES } from './key-chain.ts';
export {
  exportPublicKey,
  generateDeviceKey,
  makeSigner,
  type Signer,
  type VerifySignature,
  verifySignature,
} from './keys.ts';
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
export { type ResealNeed, resealNeeds, resealsTo } from './reseal.ts';
export { sealedTo } from './rules/reseal.ts';
export {
  ACTION_TYPES,
  AmountsSchema,
  MAX_ACTION_BYTES,
  MAX_DEPS,
  PayloadSchemas,
  SEAL,
  type StoredAction,
  StoredActionSchema,
} from './schemas.ts';
export { runSteps, type Steps } from './steps.ts';
