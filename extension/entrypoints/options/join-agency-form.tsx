// One form for every code: an invite a business manager sent (join as a new member) and a code made in
// another browser of yours (add this browser to your membership). The code says only where the agency is;
// what it admits is in the agency's log, so the form first asks the background to check it (it connects
// with the code, reads the invite and keeps nothing), then asks the right question: your name, or a name
// for this browser.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { InviteCheck } from '../../messaging/types.ts';
import { ActionResult, type Outcome } from '../../ui/action-result.tsx';
import { browserLabel } from '../../ui/browser-label.ts';
import type { Send } from '../../ui/client.ts';
import { fieldProps, text } from '../../ui/fields.ts';
import { dateTime, relationshipLabel, roleLabel } from '../../ui/format.ts';
import { type AskToSeeServer, ServerProblem } from '../../ui/server-problem.tsx';
import { useRun } from '../../ui/use-run.ts';

const INVITE_PREFIX = 'ao2.';
const OLD_PREFIX = 'ao1.';

const notACode = (): Outcome => ({
  kind: 'refused',
  refusal: {
    code: 'BAD_INVITE_CODE',
    rule: 'REQUEST',
    message: `That is not an invite code: a code starts with "${INVITE_PREFIX}". Paste the whole code you were sent.`,
  },
});

export interface JoinFormProps {
  send: Send;
  /** Where the suggested name of this browser comes from (navigator.userAgent in the page). */
  userAgent?: string;
  askToSee?: AskToSeeServer;
}

/** The sync server address a code carries (ao2. + base64url JSON with `server`), to name it; null if unread. */
function serverOf(code: string): string | null {
  try {
    const binary = atob(code.slice(INVITE_PREFIX.length).replace(/-/g, '+').replace(/_/g, '/'));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const server = (JSON.parse(json) as { server?: unknown }).server;
    return typeof server === 'string' ? server : null;
  } catch {
    return null;
  }
}

export function JoinAgencyForm({ send, userAgent, askToSee }: JoinFormProps) {
  const agent = userAgent ?? globalThis.navigator?.userAgent ?? '';
  const checking = useRun();
  const joining = useRun();
  const [code, setCode] = useState('');
  const [check, setCheck] = useState<InviteCheck | null>(null);

  const checkCode = () => {
    const pasted = code.trim();
    joining.reset();
    void checking.run(async () => {
      if (!pasted.startsWith(INVITE_PREFIX) && !pasted.startsWith(OLD_PREFIX)) return notACode();
      const res = await send({ kind: 'checkInvite', code: pasted });
      if (!res.ok) return { kind: 'refused', refusal: res };
      setCheck(res.value);
      return { kind: 'saved', id: null, text: 'Code checked' };
    });
  };
  const onCheck = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    checkCode();
  };
  const server = serverOf(code.trim());

  const onJoin = (e: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!check) return;
    const name = text(e.currentTarget, 'name');
    void joining.run(async () => {
      const res = await send({ kind: 'joinAgency', code: code.trim(), name });
      if (!res.ok) return { kind: 'refused', refusal: res };
      return {
        kind: 'saved',
        id: null,
        text:
          check.kind === 'device'
            ? `This browser was added to ${check.member.name}`
            : `You joined ${check.agencyName}`,
      };
    });
  };

  return (
    <div class="stack">
      <form onSubmit={onCheck} aria-labelledby="join-title">
        <h2 id="join-title">Join an agency</h2>
        <label>
          Invite code
          <span class="hint">
            The code a business manager sent you, or the code you made in another browser of yours to add this
            one. It begins with {INVITE_PREFIX}
          </span>
          <textarea
            name="code"
            required
            rows={3}
            spellcheck={false}
            autoComplete="off"
            value={code}
            onInput={(e) => {
              setCode((e.target as HTMLTextAreaElement).value);
              setCheck(null);
              checking.reset();
              joining.reset();
            }}
          />
        </label>
        {check ? null : (
          <div class="row">
            <button type="submit" disabled={checking.busy}>
              Continue
            </button>
          </div>
        )}
        {check ? null : <ActionResult outcome={checking.outcome} />}
        {!check && checking.outcome?.kind === 'refused' && server ? (
          <ServerProblem
            refusal={checking.outcome.refusal}
            server={server}
            busy={checking.busy}
            askToSee={askToSee}
            retry={checkCode}
          />
        ) : null}
      </form>
      {check ? (
        <form onSubmit={onJoin} aria-labelledby="join-what" data-testid="join-step">
          <p id="join-what">{describe(check)}</p>
          {check.kind === 'device' ? (
            <label>
              Name of this browser
              <span class="hint">So you can tell your browsers apart. You can change the suggestion.</span>
              <input
                name="name"
                required
                maxLength={120}
                defaultValue={browserLabel(agent)}
                {...fieldProps(joining.outcome, 'name', 'join-result')}
              />
            </label>
          ) : (
            <label>
              Your name
              <span class="hint">As your team knows you.</span>
              <input
                name="name"
                required
                maxLength={120}
                autoComplete="name"
                {...fieldProps(joining.outcome, 'name', 'join-result')}
              />
            </label>
          )}
          <div class="row">
            <button type="submit" disabled={joining.busy}>
              {check.kind === 'device' ? 'Add this browser' : 'Join the agency'}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setCheck(null);
                joining.reset();
                checking.reset();
              }}
            >
              Use another code
            </button>
          </div>
          <ActionResult outcome={joining.outcome} id="join-result" />
        </form>
      ) : null}
    </div>
  );
}

function describe(check: InviteCheck): string {
  const until = `The code is valid until ${dateTime(check.expiresAt)}.`;
  if (check.kind === 'device')
    return `This code adds this browser to ${check.member.name}'s membership in ${check.agencyName} (made by ${check.grantedBy}). ${until}`;
  const as = `${check.relationship === 'exclusive' ? 'an' : 'a'} ${relationshipLabel(check.relationship).toLowerCase()} ${roleLabel(check.role).toLowerCase()}`;
  return `${check.grantedBy} invites you to ${check.agencyName} as ${as}. ${until}`;
}
