// Rates, milestone amounts and payouts (D15): Upwork hides them from plain agency members, and every member's
// browser receives the whole log, so they travel only sealed to the business managers' browsers
// (extension/replica/sealing.ts). The clear part of these actions says what happened (an offer, its kind, a
// milestone's title, a payout on a contract); the amounts are read only where they can be opened, after
// derive, by `amountsView`. No verdict reads an amount (core/rules/work.ts), so a replica that can open none
// reaches the same verdicts. Zod-free: UI code imports it.
import { toBase64Url, utf8 } from './bytes.ts';
import { canonicalText } from './canonical.ts';
import type {
  ActionId,
  ActionType,
  AgencyState,
  Amounts,
  ContractKind,
  ContractTerms,
  Payloads,
} from './types.ts';
import { UNTRUSTED_AMOUNT_CODES } from './untrusted-amounts.ts';

/** The action types that carry an amount. */
export const AMOUNT_TYPES = ['receiveOffer', 'editContractTerms', 'submitMilestone', 'recordPayout'] as const;
export type AmountType = (typeof AMOUNT_TYPES)[number];
const AMOUNT_SET: ReadonlySet<string> = new Set(AMOUNT_TYPES);
export const carriesAmount = (type: ActionType): type is AmountType => AMOUNT_SET.has(type);

type AnyAmountPayload = {
  terms?: ContractTerms;
  amount?: number;
  kind?: ContractKind;
  sealed?: unknown;
};

/** The amount a payload states in the clear (0.2.0's shapes), or null. New ones are refused by the server. */
export function clearAmounts(type: ActionType, payload: unknown): Amounts | null {
  if (!carriesAmount(type) || !payload || typeof payload !== 'object') return null;
  const p = payload as AnyAmountPayload;
  if (p.terms)
    return p.terms.kind === 'hourly' ? { hourlyRate: p.terms.hourlyRate } : { amount: p.terms.amount };
  if (p.amount !== undefined) return { amount: p.amount };
  return null;
}

/** The contract kind a receiveOffer or editContractTerms states, in either shape. */
export function kindOf(payload: { kind?: ContractKind; terms?: ContractTerms }): ContractKind | null {
  return payload.kind ?? payload.terms?.kind ?? null;
}

/** The payload as anyone may read it: without its envelope and without 0.2.0's clear amounts. */
export function clearPart<T extends AmountType>(type: T, payload: Payloads[T]): Payloads[T] {
  const { sealed: _s, ...rest } = payload as AnyAmountPayload & Payloads[T];
  const out = rest as AnyAmountPayload;
  if (out.terms) {
    out.kind = out.terms.kind;
    delete out.terms;
  }
  if (type !== 'receiveOffer' && type !== 'editContractTerms') delete out.amount;
  return out as Payloads[T];
}

/**
 * What an envelope is bound to (AES-GCM's additional data): the agency, the type and the clear part, so an
 * envelope copied onto another contract, offer or agency does not open.
 */
export function sealContext(agencyId: string, type: AmountType, payload: Payloads[AmountType]): Uint8Array {
  return utf8(`agency-overlay/seal/v1\0${agencyId}\0${type}\0${canonicalText(clearPart(type, payload))}`);
}

/**
 * The keys amounts are sealed to: the published X25519 key of every active browser key of every active
 * business manager (the owner is one, D4), base64url, sorted. Derived, so every browser seals to the same set
 * once it knows the same log; a demoted manager's browsers drop out the moment the writer knows it.
 */
export function managerSealKeys(state: AgencyState): string[] {
  const out: string[] = [];
  for (const [key, k] of Object.entries(state.keys)) {
    const member = state.members[k.member];
    const seal = state.sealKeys[key];
    if (k.active && seal && member?.status === 'active' && member.role === 'manager') out.push(seal);
  }
  return out.sort();
}

/** Whether `amounts` has the shape the action's kind needs (a rate for hourly terms, an amount otherwise). */
export function amountsFit(type: AmountType, kind: ContractKind | null, amounts: Amounts): boolean {
  if (type === 'receiveOffer' || type === 'editContractTerms')
    return kind === 'hourly' ? 'hourlyRate' in amounts : kind === 'fixed' ? 'amount' in amounts : true;
  return 'amount' in amounts;
}

/** A figure that could not be read here: not sealed to this browser, or recorded without one. */
export type Figure = number | null;

export interface AmountsView {
  /** Per offer: its rate (hourly) or amount (fixed). */
  offers: Record<string, { kind: ContractKind | null; figure: Figure }>;
  contracts: Record<
    string,
    {
      kind: ContractKind | null;
      figure: Figure;
      milestones: Record<string, Figure>;
      /** The sum of the payouts this browser can read; `unread` counts the others. */
      paid: number;
      unread: number;
    }
  >;
  payouts: Record<ActionId, Figure>;
}

const figureOf = (a: Amounts | undefined): Figure =>
  a === undefined ? null : 'hourlyRate' in a ? a.hourlyRate : a.amount;

/**
 * The amounts of the state's offers, contracts and payouts, from what this browser could open (`opened`:
 * action id → amounts, sealed ones opened and 0.2.0's clear ones). Only a business manager's browser has any.
 */
export function amountsView(state: AgencyState, all: ReadonlyMap<ActionId, Amounts>): AmountsView {
  const view: AmountsView = { offers: {}, contracts: {}, payouts: {} };
  // D15: an amount recorded in the clear after sealing came into force, or by someone who was not a business
  // manager, is counted nowhere (flagged by derive)
  const exposed = new Set(state.verdicts.filter((v) => UNTRUSTED_AMOUNT_CODES.has(v.code)).map((v) => v.id));
  const opened = exposed.size ? new Map([...all].filter(([id]) => !exposed.has(id))) : all;
  for (const o of Object.values(state.offers))
    view.offers[o.id] = { kind: o.kind, figure: figureOf(opened.get(o.record)) };
  for (const c of Object.values(state.contracts)) {
    const milestones: Record<string, Figure> = {};
    for (const m of c.milestones) milestones[m.id] = figureOf(opened.get(m.action));
    view.contracts[c.id] = {
      kind: c.kind,
      figure: figureOf(opened.get(c.termsBy)),
      milestones,
      paid: 0,
      unread: 0,
    };
  }
  for (const p of state.payouts) {
    const figure = figureOf(opened.get(p.id));
    view.payouts[p.id] = figure;
    const c = view.contracts[p.contract];
    if (!c) continue;
    if (figure === null) c.unread++;
    else c.paid += figure;
  }
  return view;
}

export const sealKeyId = (raw: Uint8Array): string => toBase64Url(raw);
