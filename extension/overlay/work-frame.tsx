// The frame every work page's overlay shares: the brand, the agency's name, the page's lines; and the line
// shown while the agency's state is on its way or this browser belongs to no agency.
import type { ComponentChildren } from 'preact';
import type { PageContext } from './work-page.ts';

export function WorkFrame(props: { ctx: PageContext; testId: string; children: ComponentChildren }) {
  const { view, overview } = props.ctx;
  const agency = view?.state.name ?? '';
  return (
    <section class="overlay" aria-label={`${agency || 'Agency'} — Agency Overlay`} data-testid={props.testId}>
      <header>
        <span class="brand">Agency Overlay</span>
        <span class="agency">{agency}</span>
      </header>
      {view ? (
        props.children
      ) : (
        <p class="muted" data-testid="work-loading">
          {overview ? 'This browser is not in an agency: nothing to show here.' : 'Loading the agency…'}
        </p>
      )}
    </section>
  );
}
