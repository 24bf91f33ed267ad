// The contracts list (/nx/wm/freelancer/contracts) for work-page.ts: its reader, the overlay before the first
// contract tile, its view and the contracts a plain member's page records.
import { h } from 'preact';
import { type ListedContract, readContracts } from '../features/upwork-page/read-contracts.ts';
import { contractFacts } from './contracts-facts.ts';
import { ContractsView } from './contracts-view.tsx';
import type { WorkPageDef } from './work-page.ts';

export const contractsPage: WorkPageDef<{ contracts: ListedContract[]; first: Element }> = {
  pages: ['contracts'],
  read: (doc) => readContracts(doc),
  anchor: (_doc, page) => ({ element: page.first, append: 'before' }),
  view: (page, ctx) => h(ContractsView, { contracts: page.contracts, ctx }),
  facts: (page, ctx) => (ctx.view ? contractFacts(page.contracts, ctx.view) : []),
};
