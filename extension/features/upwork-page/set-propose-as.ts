// Switches Upwork's "propose as" radios, only ever on the member's own click in the overlay. The radios are
// Vue-controlled: setting `checked` alone changes the dot but not Vue's model, so the proposal would still go
// out the old way. A real click makes the browser fire `input` and `change`, which Vue listens to.
import { findProposeAsRadios } from './read-apply-page.ts';

function fire(radio: HTMLInputElement, type: 'input' | 'change'): void {
  radio.dispatchEvent(new Event(type, { bubbles: true }));
}

/** Checks `radio` the way a click would, so Vue sees it. Returns whether it is checked afterwards. */
export function checkRadio(radio: HTMLInputElement): boolean {
  if (radio.checked) return true;
  if (radio.disabled) return false;
  let changed = false;
  const seen = (): void => {
    changed = true;
  };
  radio.addEventListener('change', seen);
  try {
    radio.click();
  } finally {
    radio.removeEventListener('change', seen);
  }
  if (!radio.checked) {
    // Some wrappers swallow the click on a hidden input: set it through the prototype's setter, which is
    // what Vue's own listeners read back, then tell them.
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(radio), 'checked')?.set;
    if (setter) setter.call(radio, true);
    else radio.checked = true;
  }
  if (!changed && radio.checked) {
    fire(radio, 'input');
    fire(radio, 'change');
  }
  return radio.checked;
}

/**
 * Chooses the "propose as" option whose value is `value` ("true" for the freelancer option, the agency's
 * numeric id for the agency option). Returns false when there is no such option or it cannot be checked.
 */
export function setProposeAs(root: ParentNode, value: string): boolean {
  const radio = findProposeAsRadios(root).find((r) => r.value === value);
  return radio ? checkRadio(radio) : false;
}
