// The contracts list (/nx/wm/freelancer/contracts) for work-page.ts: its reader, the overlay before the first
// contract tile, its view and the contracts a member's own page records (a business manager's with their rates).
import { h } from 'preact';
import { readContractTerms } from '../features/upwork-page/read-contract-terms.ts';
import { type ListedContract, readContracts } from '../features/upwork-page/read-contracts.ts';
import { contractFacts } from './contracts-facts.ts';
import { ContractsView } from './contracts-view.tsx';
import type { WorkPageDef } from './work-page.ts';

export const contractsPage: WorkPageDef<{
  contracts: ListedContract[];
  first: Element;
  account: string | null;
}> = {
  pages: ['contracts'],
  read: (doc) => readContracts(doc),
  anchor: (_doc, page) => ({ element: page.first, append: 'before' }),
  view: (page, ctx) => h(ContractsView, { contracts: page.contracts, account: page.account, ctx }),
  facts: (page, ctx) =>
    ctx.view
      ? contractFacts(page.contracts, ctx.view, {
          account: page.account,
          overview: ctx.overview,
          terms: readContractTerms,
        })
      : [],
};
