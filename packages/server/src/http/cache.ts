/**
 * A small least-recently-used cache for answers computed from one store state (the whole catalog
 * as of a time, a screening's conjunctions): keys include the state, so a new import or screening
 * makes old entries unreachable and they age out.
 */
export class LruCache<V> {
  readonly #max: number;
  readonly #map = new Map<string, V>();
  constructor(max: number) {
    this.#max = max;
  }
  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.#max) {
      const first = this.#map.keys().next();
      if (first.done === true) break;
      this.#map.delete(first.value);
    }
  }
  /** The cached value, or computes, stores and returns it (concurrent callers share one computation). */
  async getOrCompute(key: string, compute: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const pending = this.#pending.get(key);
    if (pending !== undefined) return pending;
    const p = compute().then(
      (v) => {
        this.#pending.delete(key);
        this.set(key, v);
        return v;
      },
      (e: unknown) => {
        this.#pending.delete(key);
        throw e;
      },
    );
    this.#pending.set(key, p);
    return p;
  }
  readonly #pending = new Map<string, Promise<V>>();
}
