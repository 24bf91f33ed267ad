// Every verified action of a derivation by id, without a Map of its own. A derive of 100k actions spent about
// 40% of its time in two `Map.set` calls per id: one into the actions by id, one into the positions by id.
// Now the positions are the one Map: an ordered action is found by its position (`ordered[position]`), and
// only the few actions outside the order (pending ones, waiting for a dependency) are kept by id beside it.
import type { Action, ActionId } from './types.ts';

/** What the view reads from its derivation (the fields are replaced when the log is ordered again). */
export interface OrderedActions {
  /** Each ordered action's position. */
  position: Map<ActionId, number>;
  /** The ordered actions, by position. */
  ordered: Action[];
}

/** The actions by id: a read-only Map over the order, plus `set` for actions not ordered yet. */
export class ActionsById implements ReadonlyMap<ActionId, Action> {
  /** Actions known but not in the order: pending ones, or ones set before the log is ordered. */
  private loose = new Map<ActionId, Action>();

  private readonly of: OrderedActions;

  constructor(of: OrderedActions) {
    this.of = of;
  }

  get(id: ActionId): Action | undefined {
    const p = this.of.position.get(id);
    return p === undefined ? this.loose.get(id) : this.of.ordered[p];
  }

  has(id: ActionId): boolean {
    return this.of.position.has(id) || this.loose.has(id);
  }

  get size(): number {
    return this.of.position.size + this.loose.size;
  }

  /** Adds an action the order does not hold yet (ordering the log moves it into the order). */
  set(id: ActionId, a: Action): this {
    const p = this.of.position.get(id);
    if (p === undefined) this.loose.set(id, a);
    else this.of.ordered[p] = a;
    return this;
  }

  /** The log is being ordered again: what is not in the new order is added back with `set`. */
  clearLoose(): void {
    if (this.loose.size) this.loose = new Map();
  }

  /** The log was ordered (a restore sets every action, then orders them): keeps only what is not in it. */
  keepUnordered(): void {
    if (!this.loose.size) return;
    const kept = new Map<ActionId, Action>();
    for (const [id, a] of this.loose) if (!this.of.position.has(id)) kept.set(id, a);
    this.loose = kept;
  }

  *keys(): MapIterator<ActionId> {
    for (const a of this.values()) yield a.id;
  }

  *values(): MapIterator<Action> {
    const { ordered, position } = this.of;
    for (let p = 0; p < position.size; p++) yield ordered[p]!;
    yield* this.loose.values();
  }

  *entries(): MapIterator<[ActionId, Action]> {
    for (const a of this.values()) yield [a.id, a];
  }

  [Symbol.iterator](): MapIterator<[ActionId, Action]> {
    return this.entries();
  }

  forEach(fn: (a: Action, id: ActionId, map: ReadonlyMap<ActionId, Action>) => void): void {
    for (const a of this.values()) fn(a, a.id, this);
  }
}
