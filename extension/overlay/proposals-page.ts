// My proposals (/nx/proposals/) for work-page.ts: its reader, the overlay just after the Offers card, its view,
// and the offers and boost outcomes it records.
import { h } from 'preact';
import { type ProposalsReading, readProposals } from '../features/upwork-page/read-proposals.ts';
import { boostFacts } from './boost-facts.ts';
import { offerFacts, recordsFrom } from './proposals-facts.ts';
import { ProposalsView } from './proposals-view.tsx';
import type { WorkPageDef } from './work-page.ts';

export const proposalsPage: WorkPageDef<ProposalsReading> = {
  pages: ['proposals'],
  read: (doc) => readProposals(doc),
  anchor: (_doc, page) => ({ element: page.offersCard, append: 'after' }),
  view: (page, ctx) => h(ProposalsView, { page, ctx }),
  facts: (page, ctx) =>
    ctx.view && recordsFrom(page.account, ctx.view, ctx.overview)
      ? [...offerFacts(page.offers, ctx.view), ...boostFacts(page.boosts, ctx.view)]
      : [],
};
