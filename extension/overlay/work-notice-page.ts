// The offer page, the milestone panel and "Add manual time" for work-page.ts. No capture of these pages exists
// (upwork-dom.md: their URLs are guesses), so they are matched by URL and by their words, and the overlay says
// only the rule that applies there, as a quiet notice. It records nothing.
import { h } from 'preact';
import { textOf } from '../features/upwork-page/dom.ts';
import * as S from '../features/upwork-page/work-selectors.ts';
import type { WorkPageName } from '../features/upwork-page/work-urls.ts';
import type { AgencyView } from '../messaging/types.ts';
import { disputantNames } from './contracts-facts.ts';
import { PageNotice } from './page-notice.tsx';
import { managersBesidesMe } from './proposals-facts.ts';
import type { PageContext, WorkPageDef } from './work-page.ts';

const WORDS: Record<string, { pattern: RegExp; label: string }> = {
  offer: { pattern: S.OFFER_TEXT, label: '“Accept offer”' },
  milestone: { pattern: S.MILESTONE_TEXT, label: '“Submit work for payment”' },
  time: { pattern: S.MANUAL_TIME_TEXT, label: '“Add manual time”' },
};

function ruleLine(page: WorkPageName, view: AgencyView, contractId: string | null): string {
  const agency = view.state.name;
  const manager = view.state.members[view.me]?.role === 'manager';
  const seen = contractId ? view.state.contractsSeen?.[contractId] : undefined;
  if (seen?.member === null && page !== 'offer')
    return `this contract is disputed — ${disputantNames(seen.disputed ?? [], view)} each recorded it as their own: a business manager decides whose it is (D8).`;
  const member = seen?.member
    ? seen.member === view.me
      ? 'you'
      : (view.state.members[seen.member]?.name ?? null)
    : null;
  if (page === 'offer') {
    if (manager)
      return `you can accept ${agency}’s offers (R2); an exclusive member’s, or one on a job proposed as the agency, is the agency’s (D8).`;
    const names = managersBesidesMe(view).map((m) => m.name);
    return `only a business manager accepts ${agency}’s offers (R2)${names.length ? `: ask ${names.join(' or ')}` : ''}. An offer on a job you proposed to as a freelancer, if you are non-exclusive, is yours (R8).`;
  }
  if (page === 'milestone')
    return `on a fixed-price contract, the contracted member${member && member !== 'you' ? ` (${member})` : ''} or any business manager may submit milestones (R4).`;
  return member === 'you' || member === null
    ? 'only the member hired on a contract logs time on it (R5).'
    : `only ${member} can log time on this contract (R5).`;
}

export const workNoticePage: WorkPageDef<{ page: WorkPageName }> = {
  pages: ['offer', 'milestone', 'time'],
  read(doc, url) {
    const words = WORDS[url.page];
    if (words?.pattern.test(textOf(doc.body))) return { found: true, value: { page: url.page } };
    return { found: false, missing: [words?.label ?? 'the page'] };
  },
  anchor: (doc) => ({ element: doc.querySelector('main') ?? doc.body, append: 'first' }),
  view: (value, ctx: PageContext) =>
    ctx.view
      ? h(PageNotice, {
          title: `on ${ctx.view.state.name}’s work,`,
          testId: 'work-rule',
          children: ruleLine(value.page, ctx.view, ctx.url.id),
        })
      : null,
};
