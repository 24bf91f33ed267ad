// The requests that make or revoke invite codes for one agency. Codes carry the invite's private key, so
// they are made here, in the background, and handed back once to the page that asked: nothing keeps them.
import { fromBase64Url } from '../../core/index.ts';
import type { Request, Response, ResponseValues } from '../messaging/types.ts';
import { createDeviceInvite, createInvite } from '../replica/flows.ts';
import type { Replica } from '../replica/replica.ts';

type InviteRequest = Extract<Request, { kind: 'createInvite' | 'createDeviceInvite' | 'revokeInvite' }>;
type Answer<K extends Request['kind']> = Response<ResponseValues[K]>;

export async function inviteRequest(
  replica: Replica,
  request: InviteRequest,
  now: number,
): Promise<Response> {
  switch (request.kind) {
    case 'createInvite': {
      const made = await createInvite(replica, {
        role: request.role,
        relationship: request.relationship,
        expiresInDays: request.expiresInDays,
        label: request.label,
        now,
      });
      if (!made.ok) return made;
      return {
        ok: true,
        value: { id: made.id, invite: made.invite, code: made.code, expiresAt: made.expiresAt },
      } satisfies Answer<'createInvite'>;
    }
    case 'createDeviceInvite': {
      const made = await createDeviceInvite(replica, {
        member: request.member,
        expiresInDays: request.expiresInDays,
        label: request.label,
        now,
      });
      if (!made.ok) return made;
      return {
        ok: true,
        value: { id: made.id, invite: made.invite, code: made.code, expiresAt: made.expiresAt },
      } satisfies Answer<'createDeviceInvite'>;
    }
    case 'revokeInvite': {
      // The schema checked it is 43 base64url characters: 32 bytes.
      const invite = fromBase64Url(request.invite)!;
      const result = await replica.act('revokeInvite', { invite });
      if (!result.ok) return result;
      return {
        ok: true,
        value: { id: result.id, status: 'saved', flags: result.flags },
      } satisfies Answer<'revokeInvite'>;
    }
  }
}
