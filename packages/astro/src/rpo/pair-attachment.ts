/**
 * The attached test of pair-labels.ts for pairs found by another search (conjunction screening):
 * each pair's range is sampled with SGP4 over the window every SAMPLE_STEP_MIN minutes and judged
 * by the same rule as the RPO search, so a screening report and an RPO finding never disagree on
 * whether two objects are docked.
 */
import type { ElementSet, UtcJulianDate } from '../elements/element-set.js';
import { createStateBatch, propagateBatch } from '../propagation/sgp4-batch.js';
import { minutesSinceEpoch } from '../sgp4/epoch-time.js';
import { sgp4Init } from '../sgp4/propagate.js';
import {
  ATTACHED_GEO_MAX_PLANE_DEG,
  ATTACHED_MAX_DA_KM,
  ATTACHED_MAX_PLANE_DEG,
  type PairLabel,
  pairLabels,
} from './pair-labels.js';
import { PROXIMITY_KM, planeAngleAt, rpoRegime, SAMPLE_STEP_MIN, semiMajorAxisKm } from './rpo-search.js';

/**
 * For each pair, its 'attached' label (with the reason) or undefined. Element sets are TLE/OMM
 * mean elements; the window is [start, start + days] (UTC labels).
 */
export function attachedLabels(
  pairs: readonly (readonly [ElementSet, ElementSet])[],
  start: UtcJulianDate,
  days: number,
): (PairLabel | undefined)[] {
  const m = Math.floor((days * 1440) / SAMPLE_STEP_MIN) + 1;
  const grid = new Float64Array(m);
  for (let k = 0; k < m; k++) grid[k] = k * SAMPLE_STEP_MIN;
  const sa = createStateBatch(m);
  const sb = createStateBatch(m);
  const recs = new Map<ElementSet, ReturnType<typeof sgp4Init>>();
  const rec = (e: ElementSet) => {
    let r = recs.get(e);
    if (r === undefined) {
      r = sgp4Init(e);
      recs.set(e, r);
    }
    return r;
  };
  const maxPlaneRad = (Math.max(ATTACHED_MAX_PLANE_DEG, ATTACHED_GEO_MAX_PLANE_DEG) * Math.PI) / 180;
  return pairs.map(([a, b]) => {
    // The element tests first (both are needed for the label): a full-catalog screening has
    // hundred thousands of pairs, of which only near-identical orbits are sampled.
    const deltaAKm = Math.abs(semiMajorAxisKm(a) - semiMajorAxisKm(b));
    if (deltaAKm > ATTACHED_MAX_DA_KM) return undefined;
    const planeAngleRad = planeAngleAt(a, b, start);
    if (planeAngleRad > maxPlaneRad) return undefined;
    propagateBatch(
      [rec(a)],
      new Float64Array([minutesSinceEpoch(a.epoch, start.jd, start.jdFrac)]),
      grid,
      sa,
    );
    propagateBatch(
      [rec(b)],
      new Float64Array([minutesSinceEpoch(b.epoch, start.jd, start.jdFrac)]),
      grid,
      sb,
    );
    let max = 0;
    let min = Number.POSITIVE_INFINITY;
    let sum = 0;
    let n = 0;
    for (let k = 0; k < m; k++) {
      if (sa.status[k] !== 0 || sb.status[k] !== 0) continue;
      const r = Math.hypot(sa.x[k]! - sb.x[k]!, sa.y[k]! - sb.y[k]!, sa.z[k]! - sb.z[k]!);
      if (r > max) max = r;
      if (r < min) min = r;
      sum += r;
      n++;
    }
    // Half the window or more must have been sampled to call a pair attached.
    if (n < m / 2) return undefined;
    const labels = pairLabels(a, b, {
      maxRangeKm: max,
      minRangeKm: min,
      meanRangeKm: sum / n,
      geo: rpoRegime(a) === 'GEO' && rpoRegime(b) === 'GEO',
      leo: rpoRegime(a) === 'LEO' && rpoRegime(b) === 'LEO',
      deltaAKm,
      planeAngleRad,
      boundedWholeWindow: max <= PROXIMITY_KM,
      geoColocated: false,
    });
    return labels.find((l) => l.kind === 'attached');
  });
}
