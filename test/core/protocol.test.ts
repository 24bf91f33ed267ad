// core/protocol.ts: the wire contract between the extension and the sync server.
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import { toBase64Url, verifySignature } from '../../core/index.ts';
import {
  AGENCY_ACK,
  answerChallenge,
  authBytes,
  CLOSE,
  closeByCode,
  encodeAck,
  encodeChallenge,
  encodeInviteCode,
  encodeProof,
  encodeWelcome,
  HEARTBEAT_MS,
  INVITE_PREFIX,
  MAX_CLOCK_SKEW_MS,
  MESSAGE_AGENCY,
  parseInviteCode,
  RoomIdSchema,
  readAgencyMessage,
} from '../../core/protocol.ts';
import { seededSigner } from './support/keys.ts';

/** Reads a whole frame: message type, then the agency message. */
function read(frame: Uint8Array) {
  const d = decoding.createDecoder(frame);
  expect(decoding.readVarUint(d)).toBe(MESSAGE_AGENCY);
  return readAgencyMessage(d);
}

const nonce = new Uint8Array(32).map((_, i) => i);
const ROOM = 'agency-proto-01';

describe('handshake frames', () => {
  it('a challenge, proof, welcome and ack read back as what was sent', () => {
    expect(read(encodeChallenge(nonce))).toEqual({ kind: 'challenge', nonce });
    const proof = {
      publicKey: new Uint8Array(32).fill(1),
      signature: new Uint8Array(64).fill(2),
      invite: { publicKey: new Uint8Array(32).fill(3), signature: new Uint8Array(64).fill(4) },
      creationToken: 'token-1',
    };
    expect(read(encodeProof(proof))).toEqual({ kind: 'proof', proof });
    expect(read(encodeProof({ ...proof, invite: null, creationToken: null }))).toEqual({
      kind: 'proof',
      proof: { ...proof, invite: null, creationToken: null },
    });
    for (const standing of ['member', 'joiner', 'creator'] as const) {
      expect(read(encodeWelcome(standing))).toEqual({ kind: 'welcome', standing });
    }
    const sv = new Uint8Array([1, 2, 3]);
    expect(read(encodeAck(sv))).toEqual({ kind: 'ack', stateVector: sv });
  });

  it('the proof signs exactly the domain tag, the nonce, the room and the key; a joiner’s invite key signs the same', async () => {
    const signer = seededSigner('proto');
    const invite = seededSigner('proto-invite');
    const frame = await answerChallenge(nonce, ROOM, signer, { invite });
    const msg = read(frame);
    if (msg?.kind !== 'proof') throw new Error('not a proof');
    expect(msg.proof.publicKey).toEqual(signer.publicKey);
    expect(msg.proof.invite?.publicKey).toEqual(invite.publicKey);
    const signed = authBytes(nonce, ROOM, signer.publicKey);
    expect(new TextDecoder().decode(signed.subarray(0, 23))).toBe('agency-overlay/auth/v2\0');
    expect(await verifySignature(signer.publicKey, msg.proof.signature, signed)).toBe(true);
    expect(await verifySignature(invite.publicKey, msg.proof.invite!.signature, signed)).toBe(true);
    // The same proof is worthless for another room or another nonce.
    expect(
      await verifySignature(
        signer.publicKey,
        msg.proof.signature,
        authBytes(nonce, 'agency-other-1', signer.publicKey),
      ),
    ).toBe(false);
    const otherNonce = nonce.map((x) => x ^ 1);
    expect(
      await verifySignature(
        signer.publicKey,
        msg.proof.signature,
        authBytes(otherNonce, ROOM, signer.publicKey),
      ),
    ).toBe(false);
  });

  it('malformed agency frames read as null, never as an exception', () => {
    const frames = [
      new Uint8Array([MESSAGE_AGENCY]),
      new Uint8Array([MESSAGE_AGENCY, 0, 5, 1, 2]), // truncated nonce
      encodeChallenge(new Uint8Array(16)), // nonce of the wrong length
      new Uint8Array([MESSAGE_AGENCY, 99]), // unknown sub-type
      encodeProof({
        publicKey: new Uint8Array(31),
        signature: new Uint8Array(64),
        invite: null,
        creationToken: null,
      }),
      encodeProof({
        publicKey: new Uint8Array(32),
        signature: new Uint8Array(64),
        invite: { publicKey: new Uint8Array(33), signature: new Uint8Array(64) },
        creationToken: null,
      }),
      encodeProof({
        publicKey: new Uint8Array(32),
        signature: new Uint8Array(64),
        invite: { publicKey: new Uint8Array(32), signature: new Uint8Array(0) },
        creationToken: null,
      }),
      encodeProof({
        publicKey: new Uint8Array(32),
        signature: new Uint8Array(64),
        invite: null,
        creationToken: 'x'.repeat(257),
      }),
      new Uint8Array([MESSAGE_AGENCY, 2, 3, 0x61, 0x62, 0x63]), // welcome 'abc'
      new Uint8Array([MESSAGE_AGENCY, AGENCY_ACK]),
    ];
    for (const f of frames) expect(read(f)).toBeNull();
  });
});

describe('close codes', () => {
  it('every close code is unique, in the application range, and says how the client reacts', () => {
    const codes = Object.values(CLOSE).map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [name, c] of Object.entries(CLOSE)) {
      expect(c.code).toBeGreaterThanOrEqual(4000);
      expect(c.code).toBeLessThan(5000);
      expect(['reconnect', 'reauthenticate', 'stop']).toContain(c.reaction);
      expect(c.reason.length).toBeGreaterThan(10);
      expect(closeByCode(c.code)).toEqual({ name, reaction: c.reaction, reason: c.reason });
    }
    expect(closeByCode(1000)).toBeNull();
  });

  it('P6: a member who left or was removed is told to stop, not to retry', () => {
    expect(CLOSE.MEMBER_GONE.reaction).toBe('stop');
    expect(CLOSE.MEMBER_GONE.reason).toMatch(/P6/);
  });

  it('the heartbeat beats y-websocket’s 30 s silence timeout; clocks may run 5 minutes ahead', () => {
    expect(HEARTBEAT_MS).toBeLessThan(30_000);
    expect(MAX_CLOCK_SKEW_MS).toBe(5 * 60_000);
  });
});

describe('invite codes', () => {
  const invite = {
    server: 'wss://sync.example.com/agency',
    agency: 'agency-proto-01',
    key: toBase64Url(new Uint8Array(48).fill(7)),
    name: 'Acme Studio',
  };

  it('an invite code carries server, agency, the invite’s private key and name, and reads back as text pasted with spaces', () => {
    const code = encodeInviteCode(invite);
    expect(code.startsWith(INVITE_PREFIX)).toBe(true);
    expect(code).toMatch(/^ao2\.[A-Za-z0-9_-]+$/);
    expect(parseInviteCode(`  ${code}\n`)).toEqual({ ok: true, invite });
  });

  it('a wrong, damaged or incomplete code is refused with a sentence', () => {
    const code = encodeInviteCode(invite);
    const cases = [
      'https://example.com/invite',
      `${code.slice(0, 12)}!!`,
      `${INVITE_PREFIX}${toBase64Url(new TextEncoder().encode('{"server":"wss://x"}'))}`,
      `${INVITE_PREFIX}${toBase64Url(new TextEncoder().encode('not json'))}`,
      `ao1.${toBase64Url(new TextEncoder().encode('{"server":"wss://x"}'))}`, // a 0.1 code
    ];
    for (const c of cases) {
      const r = parseInviteCode(c);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/\.$/);
    }
    expect(() => encodeInviteCode({ ...invite, server: 'http://not-a-socket' })).toThrow();
  });

  it('room ids are agency ids: 8 to 64 url-safe characters', () => {
    expect(RoomIdSchema.safeParse('agency-proto-01').success).toBe(true);
    expect(RoomIdSchema.safeParse('short').success).toBe(false);
    expect(RoomIdSchema.safeParse('../../etc/passwd').success).toBe(false);
  });
});
