// Each browser publishes the X25519 key that amounts are sealed to while its member is a business manager
// (D15, core/amounts.ts). Any active member's browser may: a member promoted later is then readable at once.
// Signed by the browser itself, so no one publishes a key for another browser.
import { toBase64Url } from '../bytes.ts';
import type { Rules } from './rule.ts';

export const sealKeyRules: Rules = {
  publishSealKey: {
    apply(ctx, a) {
      ctx.state.sealKeys[a.actor] = toBase64Url(a.payload.key);
      return { text: null };
    },
  },
};
