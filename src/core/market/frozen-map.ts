/**
 * A read-only map whose contents cannot change after construction.
 *
 * `Object.freeze(new Map())` does not stop `set`/`delete` (they act on internal slots), so the
 * market snapshot keeps its maps behind this wrapper: the backing `Map` is a private field and
 * only the `ReadonlyMap` methods are exposed. Used internally by the market module.
 */
export class FrozenMap<K, V> implements ReadonlyMap<K, V> {
  readonly #map: Map<K, V>;

  /** @param entries key/value pairs; a later duplicate key overwrites an earlier one (callers reject duplicates first) */
  constructor(entries: Iterable<readonly [K, V]> = []) {
    this.#map = new Map(entries);
    Object.freeze(this);
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  forEach(callbackfn: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    this.#map.forEach((v, k) => callbackfn.call(thisArg, v, k, this));
  }

  entries(): MapIterator<[K, V]> {
    return this.#map.entries();
  }

  keys(): MapIterator<K> {
    return this.#map.keys();
  }

  values(): MapIterator<V> {
    return this.#map.values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.#map[Symbol.iterator]();
  }
}
