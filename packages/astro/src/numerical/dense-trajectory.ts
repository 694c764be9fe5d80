/**
 * A trajectory kept as the DOP853 continuous extensions of all accepted steps (7th order,
 * Hairer, Nørsett & Wanner §II.6), queryable at any time of the integrated span without
 * re-integration. Storage: 8·n doubles per step in one growing Float64Array.
 */

import { AstroError } from '../errors.js';
import { type Dop853Step, evaluateContinuous } from './dop853.js';

/** Dense output of a whole integration. */
export class DenseTrajectory {
  /** State dimension. */
  readonly n: number;
  #starts: Float64Array = new Float64Array(64);
  #ends: Float64Array = new Float64Array(64);
  #coef: Float64Array;
  #count = 0;

  constructor(n: number) {
    this.n = n;
    this.#coef = new Float64Array(64 * 8 * n);
  }

  /** Number of stored steps. */
  get steps(): number {
    return this.#count;
  }

  /** First and last covered time (tEnd < tStart for a backward integration); NaN when empty. */
  get tStart(): number {
    return this.#count === 0 ? Number.NaN : this.#starts[0]!;
  }
  get tEnd(): number {
    return this.#count === 0 ? Number.NaN : this.#ends[this.#count - 1]!;
  }

  /** Appends a copy of an accepted step (steps must be contiguous, in integration order). */
  append(step: Dop853Step): void {
    if (step.n !== this.n) {
      throw new AstroError('NUMERICAL_BAD_INPUT', 'step dimension differs from the trajectory', {
        expected: this.n,
        found: step.n,
      });
    }
    if (this.#count === this.#starts.length) {
      const cap = this.#count * 2;
      const s = new Float64Array(cap);
      s.set(this.#starts);
      this.#starts = s;
      const e = new Float64Array(cap);
      e.set(this.#ends);
      this.#ends = e;
      const c = new Float64Array(cap * 8 * this.n);
      c.set(this.#coef);
      this.#coef = c;
    }
    this.#starts[this.#count] = step.tStart;
    this.#ends[this.#count] = step.tEnd;
    this.#coef.set(step.coefficients, this.#count * 8 * this.n);
    this.#count++;
  }

  /**
   * The interpolated state at t, written into `out` (length ≥ n). Throws
   * `NUMERICAL_OUT_OF_RANGE` outside [tStart, tEnd].
   */
  evaluate(t: number, out: Float64Array = new Float64Array(this.n)): Float64Array {
    const count = this.#count;
    const t0 = this.tStart;
    const t1 = this.tEnd;
    const forward = t1 >= t0;
    if (count === 0 || !(forward ? t >= t0 && t <= t1 : t <= t0 && t >= t1)) {
      throw new AstroError('NUMERICAL_OUT_OF_RANGE', `t = ${t} is outside the integrated span`, {
        expected: `t between ${t0} and ${t1}`,
        found: t,
      });
    }
    // Binary search for the step containing t.
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const end = this.#ends[mid]!;
      if (forward ? t > end : t < end) lo = mid + 1;
      else hi = mid;
    }
    const ts = this.#starts[lo]!;
    return evaluateContinuous(this.#coef, this.n, lo * 8 * this.n, ts, this.#ends[lo]! - ts, t, out);
  }
}
