// The pages' own settings, in extension storage with a version so later shapes can migrate (WXT storage).
// Agency data never lives here: the background's replica owns it.
import { storage } from 'wxt/utils/storage';
import { DEFAULT_SERVER } from './fields.ts';

export interface UiPreferences {
  /** The sync server address last used to create an agency, offered again next time. */
  server: string;
}

export const preferences = storage.defineItem<UiPreferences>('local:ui-preferences', {
  version: 1,
  fallback: { server: DEFAULT_SERVER },
});
