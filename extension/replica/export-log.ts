// The agency's log as a file anyone can verify with core: every signed action with its id, bytes as
// base64url. `readLogExport` turns the file back into [id, StoredAction] entries for core's verifyEntries.
import { type Action, fromBase64Url, type StoredAction, toBase64Url, toStored } from '../../core/index.ts';

export const LOG_EXPORT_FORMAT = 'agency-overlay/log';
export const LOG_EXPORT_VERSION = 1;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Bytes inside payloads (invite keys, proofs, browser keys) become {"$bytes": base64url}. */
function encodeValue(value: unknown): Json {
  if (value instanceof Uint8Array) return { $bytes: toBase64Url(value) };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encodeValue(v);
    return out;
  }
  return value as Json;
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === '$bytes' && typeof entries[0]![1] === 'string')
      return fromBase64Url(entries[0]![1]) ?? value;
    return Object.fromEntries(entries.map(([k, v]) => [k, decodeValue(v)]));
  }
  return value;
}

export interface LogExport {
  format: typeof LOG_EXPORT_FORMAT;
  version: number;
  agencyId: string;
  name: string;
  exportedAt: number;
  /** The signed format of the actions (core's ACTION_FORMAT); 1 for a log written by Agency Overlay 0.1. */
  actionFormat?: number;
  actions: { id: string; stored: Json }[];
}

export function exportLog(agencyId: string, name: string, actions: Action[], now: number): LogExport {
  return exportStored(
    agencyId,
    name,
    actions.map((a) => [a.id, toStored(a)]),
    now,
  );
}

/**
 * The log's entries exactly as stored, for a log this version cannot verify (Agency Overlay 0.1's format):
 * kept for the agency's records, readable by the version that wrote it.
 */
export function exportStored(
  agencyId: string,
  name: string,
  entries: [string, unknown][],
  now: number,
  actionFormat?: number,
): LogExport {
  return {
    format: LOG_EXPORT_FORMAT,
    version: LOG_EXPORT_VERSION,
    agencyId,
    name,
    exportedAt: now,
    ...(actionFormat === undefined ? {} : { actionFormat }),
    actions: entries.map(([id, stored]) => ({ id, stored: encodeValue(stored) })),
  };
}

export function exportFileName(name: string, now: number): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'agency';
  return `${slug}-log-${new Date(now).toISOString().slice(0, 10)}.json`;
}

export type ReadExport =
  | { ok: true; agencyId: string; entries: [string, StoredAction][] }
  | { ok: false; message: string };

export function readLogExport(text: string): ReadExport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, message: 'Not a JSON file.' };
  }
  const file = parsed as Partial<LogExport>;
  if (file?.format !== LOG_EXPORT_FORMAT || typeof file.agencyId !== 'string' || !Array.isArray(file.actions))
    return { ok: false, message: 'Not an Agency Overlay log export.' };
  return {
    ok: true,
    agencyId: file.agencyId,
    entries: file.actions.map((a) => [a.id, decodeValue(a.stored) as StoredAction]),
  };
}
