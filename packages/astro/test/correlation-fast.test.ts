/**
 * The fast correlation (coarse grid, Hermite interpolation, gate, exact scores of the few
 * candidates) against the naive one (every track scored against every object) on a subset of the
 * 2023 catalog: the same decisions, track by track. Also the bounds the fast path's soundness rests
 * on: the Hermite interpolation error of the grid, over the whole catalog, and the anisotropic χ²
 * lower bound (`chi2LowerBound`) against the exact score of every track × object pair of a subset.
 */
import { describe, expect, test } from 'vitest';
import {
  CORRELATION_GRID_STEP_S,
  chi2LowerBound,
  correlateTracks,
  correlateTracksNaive,
} from '../src/correlation/correlate.js';
import { defaultTleErrorModel } from '../src/correlation/tle-error.js';
import { prepareTrack, scoreTrack } from '../src/correlation/track-model.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { chiSquareQuantile } from '../src/math/chi-square.js';
import { createStateBatch, propagateBatch } from '../src/propagation/sgp4-batch.js';
import { minutesSinceEpoch } from '../src/sgp4/epoch-time.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import { catalog2023, context, prng, simulateNight, stationGcrfAt } from './correlation-support.js';

/** Objects in the subset. */
const SUBSET = 1500;
/** Tracks correlated both ways. */
const TRACKS = 120;
/** Tracks whose χ² lower bound is checked against every object of the subset. */
const BOUND_TRACKS = 40;
/** A gate far wider than any χ² quantile used, for checking the bound on distant pairs too. */
const WIDE_GATE = 1e10;
/** INTERPOLATION_MARGIN_KM of correlate.ts: the Hermite error the fast gate allows for. */
const INTERPOLATION_MARGIN_KM = 2;
/** Equatorial radius, km: a state below it is not an orbit. */
const EARTH_RADIUS_KM = 6378.137;
/** No catalogued Earth orbit reaches beyond the Sun–Earth L2 point (SGP4 past decay can give 1e10 km). */
const FARTHEST_ORBIT_KM = 2_000_000;
/** Mean velocity over a step that differs this much from the position change is not a trajectory, km/s. */
const INCONSISTENT_KM_S = 1;
/** Escape speed at the surface, km/s: no bound orbit is faster. */
const ESCAPE_SPEED_KM_S = 11.2;

describe('fast correlation equals the naive one', () => {
  test('same assignments and reasons on a subset', () => {
    const full = catalog2023();
    const rand = prng(99);
    const chosen = new Set<number>();
    while (chosen.size < SUBSET) chosen.add(Math.floor(rand() * full.length));
    const subset = [...chosen].sort((a, b) => a - b);
    // 5% of the subset withheld from the catalog the correlators see.
    const withheld = new Set(subset.filter(() => rand() < 0.05));
    const known = subset.filter((i) => !withheld.has(i)).map((i) => full[i] as ElementSet);
    const night = simulateNight({
      catalog: full,
      objects: subset,
      startIso: '2023-10-09T14:00:00Z',
      hours: 6,
      tracks: TRACKS,
      seed: 3,
      perDraw: 3,
    });
    const options = { ctx: context(), stationGcrfAt };
    const fast = correlateTracks(night.tracks, known, options);
    const naive = correlateTracksNaive(night.tracks, known, options);
    let same = 0;
    const differ: string[] = [];
    for (let i = 0; i < night.tracks.length; i++) {
      const a = fast.tracks[i];
      const b = naive.tracks[i];
      const fastReason = a?.reason === 'no-candidate' ? 'gate' : a?.reason;
      const naiveReason = b?.reason === 'no-candidate' ? 'gate' : b?.reason;
      if (
        a?.assigned === b?.assigned &&
        fastReason === naiveReason &&
        a?.runnerUp?.index === b?.runnerUp?.index
      )
        same++;
      else differ.push(`${a?.track.id}: fast ${a?.explanation} | naive ${b?.explanation}`);
    }
    console.log(
      `fast vs naive: ${night.tracks.length} tracks × ${known.length} objects; same decision ${same}; ` +
        `assigned ${fast.assigned}/${naive.assigned}; exact scores fast ${fast.scored}, naive ${naive.scored}`,
    );
    for (const d of differ.slice(0, 10)) console.log(`  ${d}`);
    expect(night.tracks.length).toBe(TRACKS);
    expect(same).toBe(night.tracks.length);
    expect(fast.scored).toBeLessThan(naive.scored / 10);
  }, 600_000);

  test('the anisotropic lower bound never exceeds the exact χ², and prunes', () => {
    const full = catalog2023();
    const rand = prng(7);
    const chosen = new Set<number>();
    while (chosen.size < SUBSET) chosen.add(Math.floor(rand() * full.length));
    const subset = [...chosen].sort((a, b) => a - b);
    const known = subset.map((i) => full[i] as ElementSet);
    const records = known.map((e) => sgp4Init(e));
    const night = simulateNight({
      catalog: full,
      objects: subset,
      startIso: '2023-10-09T14:00:00Z',
      hours: 6,
      tracks: BOUND_TRACKS,
      seed: 5,
      perDraw: 3,
    });
    const ctx = context();
    let pairs = 0;
    let pruned = 0;
    let passing = 0;
    let worst = 0;
    let wide = 0;
    const kinds = new Set<string>();
    for (const track of night.tracks) {
      const pt = prepareTrack(track, ctx, stationGcrfAt);
      kinds.add(pt.measurements[pt.refIndex]!.measurement.kind);
      const q = chiSquareQuantile(0.9995, pt.dof);
      for (let i = 0; i < known.length; i++) {
        const record = records[i]!;
        if (record.error !== 0) continue;
        const e = known[i]!;
        const exact = scoreTrack(pt, record, e, defaultTleErrorModel).chi2;
        const bound = chi2LowerBound(pt, q, record, e, defaultTleErrorModel);
        if (!Number.isFinite(exact)) continue;
        pairs++;
        if (bound > q) pruned++;
        // The bound holds where it must (ρ_max assumes the prior term ≤ q): for every object whose
        // χ² passes the gate it is at most that χ² (1e-9 for rounding), so a pruned object
        // (bound > q) never passes.
        if (exact <= q) {
          passing++;
          expect(bound, `${track.id} × ${e.catalogNumber}`).toBeLessThanOrEqual(exact * (1 + 1e-9));
          if (exact > 0) worst = Math.max(worst, bound / exact);
        }
        // The same argument with a far wider gate exercises the bound on many more pairs.
        if (exact <= WIDE_GATE) {
          wide++;
          const b = chi2LowerBound(pt, WIDE_GATE, record, e, defaultTleErrorModel);
          expect(b, `${track.id} × ${e.catalogNumber}, wide`).toBeLessThanOrEqual(exact * (1 + 1e-9));
        }
      }
    }
    console.log(
      `χ² lower bound: ${night.tracks.length} tracks (references ${[...kinds].join(', ')}) × ${known.length} objects: ${pairs} finite pairs, ${passing} pass the gate (largest bound/χ² among them ${worst.toFixed(3)}), ${pruned} pruned by the bound; ${wide} pairs within a gate of ${WIDE_GATE} checked too`,
    );
    expect(kinds.has('right-ascension-declination') && kinds.has('azimuth-elevation')).toBe(true);
    expect(passing).toBeGreaterThan(0);
    expect(wide).toBeGreaterThan(10 * passing);
    // The bound prunes most pairs: it is a working filter, not only a valid one.
    expect(pruned).toBeGreaterThan(pairs / 2);
  }, 600_000);

  test('the grid interpolation error stays inside the gate margin over the whole catalog', () => {
    const cat = catalog2023();
    const records = cat.map((e) => sgp4Init(e));
    const start = { jd: 2460226.5, jdFrac: 0.5 };
    const stepMin = CORRELATION_GRID_STEP_S / 60;
    // Grid points 0 and 1, the quarter, half and three-quarter points between them.
    const grid = Float64Array.of(0, stepMin, 0.25 * stepMin, 0.5 * stepMin, 0.75 * stepMin);
    const m = grid.length;
    const out = createStateBatch(cat.length * m);
    const offset = Float64Array.from(cat, (e: ElementSet) =>
      minutesSinceEpoch(e.epoch, start.jd, start.jdFrac),
    );
    propagateBatch(records, offset, grid, out);
    const h = CORRELATION_GRID_STEP_S;
    let worst = 0;
    let worstObject = '';
    let unphysical = 0;
    for (let i = 0; i < cat.length; i++) {
      const a = i * m;
      if (out.status.subarray(a, a + m).some((s) => s !== 0)) continue;
      // Sets propagated far past their decay can give unphysical states without an SGP4 error
      // code; such an object is never near a line of sight at a plausible place either way.
      const r = Math.hypot(out.x[a]!, out.y[a]!, out.z[a]!);
      const v = Math.hypot(out.vx[a]!, out.vy[a]!, out.vz[a]!);
      // Past their decay, some sets also give positions that do not follow their velocities.
      const drift = Math.hypot(
        (out.x[a + 1]! - out.x[a]!) / h - (out.vx[a]! + out.vx[a + 1]!) / 2,
        (out.y[a + 1]! - out.y[a]!) / h - (out.vy[a]! + out.vy[a + 1]!) / 2,
        (out.z[a + 1]! - out.z[a]!) / h - (out.vz[a]! + out.vz[a + 1]!) / 2,
      );
      if (
        !(r > EARTH_RADIUS_KM && r < FARTHEST_ORBIT_KM && v < ESCAPE_SPEED_KM_S && drift < INCONSISTENT_KM_S)
      ) {
        unphysical++;
        continue;
      }
      for (let k = 2; k < m; k++) {
        const u = (k - 1) / 4;
        const h00 = (1 + 2 * u) * (1 - u) * (1 - u);
        const h10 = u * (1 - u) * (1 - u) * h;
        const h01 = u * u * (3 - 2 * u);
        const h11 = u * u * (u - 1) * h;
        let e2 = 0;
        for (const [p, v] of [
          [out.x, out.vx],
          [out.y, out.vy],
          [out.z, out.vz],
        ] as const) {
          const interp = h00 * p[a]! + h10 * v[a]! + h01 * p[a + 1]! + h11 * v[a + 1]!;
          e2 += (interp - p[a + k]!) ** 2;
        }
        if (Math.sqrt(e2) > worst) {
          worst = Math.sqrt(e2);
          worstObject = (cat[i] as ElementSet).catalogNumber;
        }
      }
    }
    console.log(
      `Hermite interpolation on the ${h} s grid: worst ${(worst * 1000).toFixed(1)} m (object ${worstObject}); ${unphysical} unphysical states skipped`,
    );
    expect(worst).toBeLessThan(INTERPOLATION_MARGIN_KM);
  }, 600_000);
});
