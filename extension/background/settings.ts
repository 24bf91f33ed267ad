// The background's settings, as versioned wxt storage items (chrome.storage.local): which agencies this
// browser belongs to and at which sync server, which one the popup shows, and the default server address
// for a new agency. Agency state itself never lives here: it is in each replica's IndexedDB.
import { storage } from '@wxt-dev/storage';

export const DEFAULT_SERVER = 'ws://localhost:1234';

export interface AgencyEntry {
  agencyId: string;
  /** The agency's name as last derived (shown in the switcher before its replica is open). */
  name: string;
  server: string;
  addedAt: number;
}

export interface Settings {
  agencies(): Promise<AgencyEntry[]>;
  setAgencies(list: AgencyEntry[]): Promise<void>;
  selected(): Promise<string | null>;
  setSelected(agencyId: string | null): Promise<void>;
  defaultServer(): Promise<string>;
  setDefaultServer(server: string): Promise<void>;
}

/**
 * Defined on call, not at import: defining an item touches storage, and entrypoints are imported at
 * build time (WXT: no runtime code outside main).
 */
export function wxtSettings(): Settings {
  const agencies = storage.defineItem<AgencyEntry[]>('local:agencies', {
    fallback: [],
    version: 1,
  });
  const selected = storage.defineItem<string | null>('local:selectedAgency', {
    fallback: null,
    version: 1,
  });
  const defaultServer = storage.defineItem<string>('local:defaultServer', {
    fallback: DEFAULT_SERVER,
    version: 1,
  });
  return {
    agencies: () => agencies.getValue(),
    setAgencies: (list) => agencies.setValue(list),
    selected: () => selected.getValue(),
    setSelected: (id) => selected.setValue(id),
    defaultServer: () => defaultServer.getValue(),
    setDefaultServer: (s) => defaultServer.setValue(s),
  };
}

/** Settings kept in memory: for tests, and as the shape a storage-less context would use. */
export function memorySettings(
  initial: { agencies?: AgencyEntry[]; selected?: string | null } = {},
): Settings {
  let list = initial.agencies ?? [];
  let sel = initial.selected ?? null;
  let server = DEFAULT_SERVER;
  return {
    agencies: async () => list,
    setAgencies: async (l) => {
      list = l;
    },
    selected: async () => sel,
    setSelected: async (id) => {
      sel = id;
    },
    defaultServer: async () => server,
    setDefaultServer: async (s) => {
      server = s;
    },
  };
}
