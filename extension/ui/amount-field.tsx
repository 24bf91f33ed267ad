// A dollar amount field with its own error under it (dollars.ts says what is wrong). A text field, not
// type=number: a number field drops what it cannot read ("12,5" or "abc" reads as empty), so neither the
// member's text nor a useful sentence would survive a mistake.
import './amount-field.css';

export function AmountField(props: { label: string; id: string; error: string | null; onInput: () => void }) {
  const errorId = `${props.id}-error`;
  return (
    <div class="amount-field">
      <label>
        {props.label}
        <input
          id={props.id}
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? errorId : undefined}
          onInput={props.onInput}
        />
      </label>
      {props.error ? (
        <span class="field-error" id={errorId} role="alert">
          {props.error}
        </span>
      ) : null}
    </div>
  );
}
