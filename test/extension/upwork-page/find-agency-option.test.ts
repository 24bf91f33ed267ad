import { describe, expect, it } from 'vitest';
import { findAgencyOption } from '../../../extension/features/upwork-page/find-agency-option.ts';
import type { ProposeAsOption } from '../../../extension/features/upwork-page/read-apply-page.ts';

const freelancer = (balance = 189): ProposeAsOption => ({
  value: 'true',
  label: `As a freelancer (${balance} Connects available.)`,
  agencyName: null,
  balance,
  isAgency: false,
  checked: true,
});

const agency = (value: string, name: string, balance = 312): ProposeAsOption => ({
  value,
  label: `As an agency member under ${name} (${balance} Connects available.)`,
  agencyName: name,
  balance,
  isAgency: true,
  checked: false,
});

const NORTHWIND = agency('1732604911180427264', 'Northwind Pixel Works');
const ACME = agency('1600000000000000001', 'Acme Studio', 0);

describe('findAgencyOption', () => {
  it('finds the agency by its Upwork id first, even when another agency has the same name', () => {
    const twin = agency('1900000000000000009', 'Northwind Pixel Works', 7);
    expect(
      findAgencyOption([freelancer(), twin, NORTHWIND], '1732604911180427264', 'Northwind Pixel Works'),
    ).toEqual({
      option: NORTHWIND,
      matchedBy: 'id',
    });
  });

  it('falls back to the name (case-insensitive, trimmed) when the id is unknown, and says so, so the id can be learned', () => {
    const match = findAgencyOption([freelancer(), ACME, NORTHWIND], null, '  northwind   PIXEL works ');
    expect(match).toEqual({ option: NORTHWIND, matchedBy: 'name' });
    expect(match?.option.value).toBe('1732604911180427264');
  });

  it('falls back to the name when the known id matches no option', () => {
    expect(findAgencyOption([freelancer(), NORTHWIND], '999', 'Northwind Pixel Works')).toEqual({
      option: NORTHWIND,
      matchedBy: 'name',
    });
  });

  it('P1: never returns the freelancer option, whose balance is the member’s own', () => {
    expect(findAgencyOption([freelancer()], 'true', 'Northwind Pixel Works')).toBeNull();
    expect(findAgencyOption([freelancer()], null, 'freelancer')).toBeNull();
    expect(findAgencyOption([freelancer()], null, '')).toBeNull();
  });

  it('returns null when neither id nor name matches', () => {
    expect(findAgencyOption([freelancer(), ACME], '1732604911180427264', 'Northwind Pixel Works')).toBeNull();
  });

  it('looks for the name inside the label when the label did not parse, but only if one option carries it', () => {
    const unparsed = { ...NORTHWIND, agencyName: null, label: 'Northwind Pixel Works — agency (312)' };
    expect(findAgencyOption([freelancer(), unparsed], null, 'Northwind Pixel Works')).toEqual({
      option: unparsed,
      matchedBy: 'name',
    });
    const labs = { ...agency('3', 'Acme Labs'), agencyName: null };
    const studio = { ...ACME, agencyName: null };
    expect(findAgencyOption([freelancer(), labs, studio], null, 'Acme')).toBeNull();
  });
});
