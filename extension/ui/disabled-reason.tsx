// The sentence that says why controls are disabled (P2, P3, P6), linked to them with aria-describedby.
import type { Allowed } from './permissions.ts';

export function DisabledReason({ id, allowed }: { id: string; allowed: Allowed }) {
  if (allowed.ok) return null;
  return (
    <p id={id} class="reason">
      ({allowed.rule}) {allowed.message}
    </p>
  );
}
