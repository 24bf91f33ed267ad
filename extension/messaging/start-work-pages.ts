// The one request the proposal form's content script sends outside the typed protocol (types.ts): start the
// work pages' script in this tab, now at `url` (content/start-work-pages.ts → background/work-pages-starter.ts).
export const START_WORK_PAGES = 'startWorkPages';

export interface StartWorkPagesRequest {
  kind: typeof START_WORK_PAGES;
  url: string;
}
