import { describe, expect, it } from 'vitest';
import { CLOSE, closeByCode } from '../../core/protocol.ts';

describe('close codes', () => {
  it("every 'stop' code is in 4400–4499, which y-websocket's stock client treats as permanent", () => {
    for (const c of Object.values(CLOSE)) {
      const permanent = c.code >= 4400 && c.code <= 4499;
      expect([c.code, permanent]).toEqual([c.code, c.reaction === 'stop']);
    }
  });

  it('every code is distinct and maps back to its name', () => {
    const codes = Object.values(CLOSE).map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [name, c] of Object.entries(CLOSE)) expect(closeByCode(c.code)?.name).toBe(name);
  });
});
