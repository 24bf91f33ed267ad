// Two members with one name (an outside review's F4): the activity shows names only and the proposal form
// matches "propose as" to a member by name. A join taking an active member's name, compared without case or
// spacing, is refused with a sentence saying why; joins that could not see each other both stand and are
// told apart by their ids, whichever is derived first (domain.md: "the name shown is the one given when
// joining"; "concurrent" means neither knew the other).
import { describe, expect, it } from 'vitest';
import { AgencyFixture, codesOf, refused, T0 } from './support/agency.ts';

async function agency() {
  const f = new AgencyFixture();
  await f.create('Olga', 100);
  await f.join('Bob');
  return f;
}

const active = (f: AgencyFixture, d = f.derive()) =>
  Object.values(d.state.members)
    .filter((m) => m.status === 'active')
    .map((m) => m.name)
    .sort();

describe('names: one active member per name', () => {
  it('a join as "BOB" while Bob is active is refused with why, and the invite still admits another name', async () => {
    const f = await agency();
    const { invite } = await f.invite();
    const twin = await f.joinWith('Bob2', invite, { label: 'BOB' });
    let d = f.derive();
    expect(codesOf(d, twin)).toEqual(['NAME_TAKEN']);
    const verdict = d.state.verdicts.find((v) => v.id === twin.id)!;
    expect(verdict.message).toMatch(/already has this name/);
    expect(d.state.members[f.id('Bob2')]).toBeUndefined();
    const again = await f.joinWith('Bob2', invite, { label: 'Bob Lee' });
    d = f.derive();
    expect(refused(d, again)).toBe(false);
    expect(active(f, d)).toEqual(['Bob', 'Bob Lee', 'Olga']);
  });

  it('invisible characters, look-alike letters, spaces and a copied tag do not make a second name (outside review)', async () => {
    const f = new AgencyFixture();
    await f.create('Olga', 100);
    await f.join('Bob Smith');
    const tries = [
      'Bob\u200b Smith', // zero-width space
      'Bo\u200db Smith', // zero-width joiner
      'Bob\u2060 Smith', // word joiner
      'B\u00adob Smith', // soft hyphen
      '\u200eBob Smith', // left-to-right mark
      'Bo\u034fb Smith', // combining grapheme joiner
      'B\u043eb Smith', // Cyrillic о
      'B\u03bfb Smith', // Greek ο
      '\u0412\u041e\u0412 SMITH', // Cyrillic capitals В О В
      'BobSmith',
    ];
    for (const [i, label] of tries.entries()) {
      const { invite } = await f.invite();
      const twin = await f.joinWith(`Twin${i}`, invite, { label });
      expect(codesOf(f.derive(), twin), JSON.stringify(label)).toEqual(['NAME_TAKEN']);
    }
    // a name that differs in a letter a reader sees is another name
    const { invite } = await f.invite();
    const other = await f.joinWith('Other', invite, { label: 'Bob Smyth' });
    expect(refused(f.derive(), other)).toBe(false);
  });

  it('a join under the name shown for a tagged namesake is refused (outside review)', async () => {
    const f = await agency();
    const a = await f.invite();
    const b = await f.invite();
    const base = f.heads();
    await f.joinWith('Ann', a.invite, { deps: base });
    await f.joinWith('Ann2', b.invite, { deps: base, label: 'ann' });
    const shown = f.derive().state.members[f.id('Ann')]!.name;
    expect(shown).toBe(`Ann (${f.id('Ann').slice(0, 4)})`);
    const { invite } = await f.invite();
    const spoof = await f.joinWith('Ann3', invite, { label: shown });
    expect(codesOf(f.derive(), spoof)).toEqual(['NAME_TAKEN']);
  });

  it('a member who left frees their name', async () => {
    const f = await agency();
    await f.act('Bob', 'leaveAgency', {});
    const { invite } = await f.invite();
    const next = await f.joinWith('Bob2', invite, { label: 'Bob' });
    expect(refused(f.derive(), next)).toBe(false);
    expect(active(f)).toEqual(['Bob', 'Olga']);
  });

  it('two joins as "Ann" and "ann" that could not see each other both stand, told apart, in either order', async () => {
    const f = await agency();
    const a = await f.invite();
    const b = await f.invite();
    const base = f.heads();
    const ann = await f.joinWith('Ann', a.invite, { deps: base });
    const ann2 = await f.joinWith('Ann2', b.invite, { deps: base, label: 'ann' });
    const expected = [`Ann (${f.id('Ann').slice(0, 4)})`, `ann (${f.id('Ann2').slice(0, 4)})`].sort();
    for (const d of [f.derive(), f.deriveReversed()]) {
      expect(refused(d, ann)).toBe(false);
      expect(refused(d, ann2)).toBe(false);
      const names = [d.state.members[f.id('Ann')]!.name, d.state.members[f.id('Ann2')]!.name].sort();
      expect(names).toEqual(expected);
    }
    // a third "Ann" who knows both is refused
    const c = await f.invite();
    const third = await f.joinWith('Ann3', c.invite, { label: 'ANN' });
    expect(codesOf(f.derive(), third)).toEqual(['NAME_TAKEN']);
  });

  it('spacing does not make two names different', async () => {
    const f = await agency();
    await f.join('Ann Lee');
    const { invite } = await f.invite();
    const twin = await f.joinWith('Ann2', invite, { label: 'ann\u00a0lee' });
    expect(codesOf(f.derive(), twin)).toEqual(['NAME_TAKEN']);
  });

  it('a back-dated join whose invite was granted after Bob joined knew Bob: refused, whatever its time', async () => {
    const f = await agency();
    const { invite, grant } = await f.invite();
    const creation = f.actions[0]!.id;
    const eve = await f.joinWith('Eve', invite, { deps: [creation, grant.id], at: T0, label: 'Bob' });
    for (const d of [f.derive(), f.deriveReversed()]) {
      expect(codesOf(d, eve)).toEqual(['NAME_TAKEN']);
      expect(Object.values(d.state.members).filter((m) => m.name === 'Bob')).toHaveLength(1);
    }
  });
});
