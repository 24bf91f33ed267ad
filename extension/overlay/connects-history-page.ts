// The Connects history page (/nx/plans/connects/history) for work-page.ts: its reader, where the overlay goes
// (at the top of the page's main content), its view and its facts.
import { h } from 'preact';
import { readConnectsHistory } from '../features/upwork-page/read-connects-history.ts';
import { type ConnectsHistoryPage, connectsHistoryFacts } from './connects-history-facts.ts';
import { ConnectsHistoryView } from './connects-history-view.tsx';
import type { WorkPageDef } from './work-page.ts';

export const connectsHistoryPage: WorkPageDef<ConnectsHistoryPage> = {
  pages: ['connects-history'],
  read(doc) {
    const r = readConnectsHistory(doc);
    return r.found
      ? { found: true, value: { balance: r.balance, rows: r.rows, account: r.account } }
      : { found: false, missing: r.missing };
  },
  anchor(doc) {
    const heading = doc.querySelector('main h1') ?? doc.querySelector('h1');
    return heading ? { element: heading, append: 'after' } : { element: doc.body, append: 'first' };
  },
  view: (page, ctx) => h(ConnectsHistoryView, { page, ctx }),
  facts: (page, ctx) => (ctx.view ? connectsHistoryFacts(page, ctx.view) : []),
};
