// Join with an invite code a business manager sent. The code carries the server, the agency and the
// invite's secret, so this works on a fresh profile with nothing else set up.
import type { JSX } from 'preact';
import { ActionResult } from '../../ui/action-result.tsx';
import type { Send } from '../../ui/client.ts';
import { text } from '../../ui/fields.ts';
import { useRun } from '../../ui/use-run.ts';

const INVITE_PREFIX = 'ao1.';

export function JoinAgencyForm({ send }: { send: Send }) {
  const { outcome, busy, run } = useRun();
  const submit = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const code = text(form, 'code');
    const memberName = text(form, 'memberName');
    void run(async () => {
      if (!code.startsWith(INVITE_PREFIX)) {
        return {
          kind: 'refused',
          refusal: {
            code: 'BAD_INVITE_CODE',
            rule: 'REQUEST',
            message: `That is not an invite code: a code starts with "${INVITE_PREFIX}". Paste the whole code you were sent.`,
          },
        };
      }
      const res = await send({ kind: 'joinAgency', code, memberName });
      if (!res.ok) return { kind: 'refused', refusal: res };
      return { kind: 'saved', id: null, text: 'You joined the agency' };
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="join-title">
      <h2 id="join-title">Join an agency</h2>
      <label>
        Invite code
        <span class="hint">The code a business manager sent you (it starts with {INVITE_PREFIX}).</span>
        <textarea name="code" required rows={3} spellcheck={false} autoComplete="off" />
      </label>
      <label>
        Your name
        <input name="memberName" required maxLength={120} autoComplete="name" />
      </label>
      <div class="row">
        <button type="submit" disabled={busy}>
          Join the agency
        </button>
      </div>
      <ActionResult outcome={outcome} />
    </form>
  );
}
