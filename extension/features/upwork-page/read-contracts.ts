// Reads Upwork's contracts list (/nx/wm/freelancer/contracts; upwork-dom.md "Work pages": seen): each tile's
// contract id, title, kind (hourly or fixed-price, from which terms block it has) and status. Never the terms'
// text: a rate or an amount is not read at all (D15). Pure over a Document.
import { queryAllFirst, queryFirst, textOf } from './dom.ts';
import * as S from './work-selectors.ts';

export interface ListedContract {
  id: string;
  title: string;
  kind: 'hourly' | 'fixed' | null;
  status: 'active' | 'paused' | 'ended';
  tile: Element;
}

export type ContractsPageReading =
  | {
      found: true;
      /** `account`: the account switcher's name, when the page shows one (whose list this is). */
      value: { contracts: ListedContract[]; first: Element; account: string | null };
    }
  | { found: false; missing: string[] };

export const CONTRACTS_MISSING = { tiles: 'the contract tiles' } as const;

function readTile(tile: Element): ListedContract | null {
  const id = S.CONTRACT_TILE_ID.exec(tile.getAttribute('data-test') ?? '')?.[1];
  if (!id) return null;
  const part = (name: string) => tile.querySelector(S.contractPart(id, name));
  const title = textOf(part('title')).slice(0, 300);
  if (!title) return null;
  const kind = part('hourly-terms') ? 'hourly' : part('fixed-price-terms') ? 'fixed' : null;
  const status = part('active-info') ? 'active' : part('paused-info') ? 'paused' : 'ended';
  return { id, title, kind, status, tile };
}

export function readContracts(doc: Document): ContractsPageReading {
  const tiles = doc.body ? queryAllFirst(doc.body, S.CONTRACT_TILES) : [];
  const contracts = tiles.map(readTile).filter((c): c is ListedContract => c !== null);
  const first = contracts[0]?.tile ?? (doc.body ? queryFirst(doc.body, S.CONTRACT_TILES) : null);
  if (!first || contracts.length === 0) return { found: false, missing: [CONTRACTS_MISSING.tiles] };
  const account = textOf(queryFirst(doc.body!, S.ACCOUNT_NAME)).slice(0, 200) || null;
  return { found: true, value: { contracts, first, account } };
}
