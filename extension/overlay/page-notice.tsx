// A quiet notice instead of the overlay: the page does not look like a proposal form the overlay knows, or
// there is nothing of this browser's agencies to show on it. Upwork's page keeps working as usual.
import type { ComponentChildren } from 'preact';
import { listWords } from '../ui/format.ts';

export function PageNotice(props: { title: string; children: ComponentChildren; testId?: string }) {
  return (
    <aside class="quiet" role="note" aria-label="Agency Overlay" data-testid={props.testId ?? 'page-notice'}>
      <strong>Agency Overlay:</strong> {props.title} {props.children}
    </aside>
  );
}

export function UnrecognisedForm({ missing }: { missing: readonly string[] }) {
  return (
    <PageNotice
      title="this does not look like a proposal form it knows, so it stays out of the way."
      testId="unrecognised"
    >
      Not found: {listWords(missing)}. Nothing is read or recorded from this page.
    </PageNotice>
  );
}
