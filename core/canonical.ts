// The canonical text of a value: object keys sorted, no spaces, byte fields as `#base64url` tokens.
// Strings are always quoted, so a bare `#` cannot be confused with text. Signatures and ids cover
// exactly these bytes, so two replicas agree on them whatever order a JSON encoder would choose.
import { toBase64Url, utf8 } from './bytes.ts';

export type Canonical =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | Canonical[]
  | { [k: string]: Canonical };

export function canonicalText(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `#${toBase64Url(value)}`;
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical: numbers must be finite');
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
      const keys = Object.keys(value as object)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalText((value as Record<string, unknown>)[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical: cannot encode ${typeof value}`);
  }
}

export const canonicalBytes = (value: unknown): Uint8Array => utf8(canonicalText(value));
