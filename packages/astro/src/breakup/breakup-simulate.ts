/**
 * A simulated breakup of a catalogued object with the NASA Standard Breakup Model (breakup-model.ts,
 * Johnson et al. 2001): the fragments' sizes, area-to-mass ratios, masses and ejection velocities,
 * their TEME states at the breakup epoch (the parent's SGP4 state plus each Δv), and SGP4 element
 * sets fitted to those states (sgp4/state-fit.ts) with a B* from each fragment's A/m, ready for
 * screening or an OMM.
 *
 * Choices the 2001 model leaves open, stated here:
 * - Count: the number of fragments is N(≥Lc_min) − N(≥Lc_max) rounded to the nearest integer (the
 *   power law truncated at the largest fragment, Lc_max), so the expected number with Lc ≥ L is
 *   N(≥L) − N(≥Lc_max) for every L in the range. Lc_max defaults to the characteristic length of a
 *   body of the fragment mass budget (characteristicLengthFromMass).
 * - Mass budget: the parent's mass (explosion), m_t + m_p (catastrophic collision) or M = m_p·v²
 *   (non-catastrophic: the ejecta; the cratered target keeps the rest). The model does not conserve
 *   mass (domain.md §2.4). When the fragments' total exceeds the budget, the last-sampled fragments
 *   are removed until it does not (the sample order is random, so the removal does not select by
 *   size); the mass left over (fragments below Lc_min, the remnant) is reported as unassigned and
 *   not turned into fragments. Both numbers are in the result.
 * - Collisions: only the target's fragments are made (the impactor's orbit is not known); they all
 *   start from the target's state, and the impactor's momentum is not added.
 * - Δv is added to the parent's TEME velocity at the epoch, in a direction uniform on the sphere.
 *   Fragments whose orbit is not elliptic (escape) or whose osculating perigee is below
 *   REENTRY_PERIGEE_ALTITUDE_KM (they re-enter within one revolution) get no element set; they are
 *   counted, not dropped silently.
 * - B* = ρ0·Cd·(A/m)/2 with ρ0 = 0.15696615 kg/m²/ER (Vallado, "Fundamentals of Astrodynamics",
 *   4th ed., §9.7.2: 2.461e-5 kg/m²/km times 6378.135 km/ER, the reference density at 120 km times
 *   the Earth radius) and Cd = 2.2, A/m in m²/kg, B* in 1/ER.
 */
import type { ElementSet, UtcJulianDate } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import { minutesSinceEpoch } from '../sgp4/epoch-time.js';
import { getgravconst } from '../sgp4/gravity.js';
import { sgp4Init } from '../sgp4/propagate.js';
import { sgp4 } from '../sgp4/sgp4.js';
import { fitSgp4ElementsToState, type StateFitOptions } from '../sgp4/state-fit.js';
import {
  areaFromCharacteristicLength,
  type BreakupKind,
  type BreakupParentType,
  type BreakupRandom,
  type CollisionMass,
  characteristicLengthFromMass,
  collisionMass,
  collisionSizeLaw,
  cumulativeCount,
  explosionSizeLaw,
  type SizeLaw,
  sampleAreaToMass,
  sampleCharacteristicLength,
  sampleDeltaV,
  sampleIsotropicDirection,
} from './breakup-model.js';

/** B* reference density ρ0·R_E, kg/m²/ER (Vallado §9.7.2: 2.461e-5 kg/m²/km × 6378.135 km/ER). */
export const BSTAR_RHO0_KG_M2_PER_ER = 2.461e-5 * 6378.135;
/** Drag coefficient assumed for fragments (the usual value for tumbling debris). */
export const FRAGMENT_DRAG_COEFFICIENT = 2.2;
/** Default smallest fragment, m: 10 cm, the catalogue's tracking limit in LEO. */
export const DEFAULT_MIN_CHARACTERISTIC_LENGTH_M = 0.1;
/** Fragments whose osculating perigee is below this altitude get no element set, km [P]. */
export const REENTRY_PERIGEE_ALTITUDE_KM = 100;
/** Largest fragment count simulated: guards against Lc_min typos (1 mm would give millions). */
export const MAX_BREAKUP_FRAGMENTS = 200_000;
/** Default first catalog number of simulated fragments: a 9-digit analyst range. */
export const DEFAULT_FIRST_FRAGMENT_CATALOG_NUMBER = 800_000_001;

/** B* (1/ER) of an object with area-to-mass ratio amM2PerKg (m²/kg) and drag coefficient cd. */
export function bstarFromAreaToMass(amM2PerKg: number, cd = FRAGMENT_DRAG_COEFFICIENT): number {
  return (BSTAR_RHO0_KG_M2_PER_ER * cd * amM2PerKg) / 2;
}

/** The event's inputs, without the orbit: enough to sample the fragment population. */
export interface BreakupEventInput {
  readonly kind: BreakupKind;
  readonly parentType: BreakupParentType;
  /** Parent (target) mass, kg. */
  readonly parentMassKg: number;
  /** Collision only: projectile mass, kg, and impact speed, km/s. */
  readonly impactorMassKg?: number;
  readonly impactSpeedKmS?: number;
  /** Explosion scale factor S (default 1). */
  readonly explosionScale?: number;
  /** Smallest characteristic length, m (default 0.1). */
  readonly minCharacteristicLengthM?: number;
  /** Largest characteristic length, m (default: that of a body of the mass budget). */
  readonly maxCharacteristicLengthM?: number;
}

/** One sampled fragment (no orbit yet). Lengths m, areas m², masses kg, Δv m/s. */
export interface SampledFragment {
  readonly lcM: number;
  readonly areaM2: number;
  readonly areaToMassM2PerKg: number;
  readonly massKg: number;
  readonly deltaVMs: number;
  /** Unit direction of Δv (the frame of the parent's state). */
  readonly direction: readonly [number, number, number];
}

export interface BreakupPopulation {
  readonly input: BreakupEventInput;
  readonly sizeLaw: SizeLaw;
  /** Collision only: specific energy, catastrophic or not, M. */
  readonly collision?: CollisionMass;
  readonly minLcM: number;
  readonly maxLcM: number;
  /** N(≥Lc_min) − N(≥Lc_max), before rounding. */
  readonly expectedCount: number;
  /** Fragments kept after the mass budget. */
  readonly fragments: readonly SampledFragment[];
  readonly mass: {
    /** Mass the fragments may take, kg. */
    readonly budgetKg: number;
    /** Total mass of the kept fragments, kg. */
    readonly fragmentsKg: number;
    /** Fragments removed to stay within the budget (the last sampled). */
    readonly removedFragments: number;
    /** budget − fragments: below Lc_min or in the remnant, not modelled as fragments, kg. */
    readonly unassignedKg: number;
  };
}

function requirePositive(v: number | undefined, key: string): number {
  if (v === undefined || !(v > 0) || !Number.isFinite(v)) {
    throw new AstroError('BREAKUP_OPTION', `breakup input ${key} must be a positive number, got ${v}`, {
      key,
      expected: '> 0',
      found: v ?? 'nothing',
    });
  }
  return v;
}

/**
 * Samples the fragment population of an event (count, Lc, A/m, area, mass, Δv and direction) with
 * the generator `rng`: the same generator state gives the same fragments.
 */
export function sampleBreakupPopulation(input: BreakupEventInput, rng: BreakupRandom): BreakupPopulation {
  const parentMassKg = requirePositive(input.parentMassKg, 'parentMassKg');
  let sizeLaw: SizeLaw;
  let collision: CollisionMass | undefined;
  let budgetKg: number;
  if (input.kind === 'collision') {
    const mp = requirePositive(input.impactorMassKg, 'impactorMassKg');
    const v = requirePositive(input.impactSpeedKmS, 'impactSpeedKmS');
    collision = collisionMass(parentMassKg, mp, v);
    sizeLaw = collisionSizeLaw(collision.massKg);
    budgetKg = collision.catastrophic ? parentMassKg + mp : Math.min(collision.massKg, parentMassKg + mp);
  } else {
    sizeLaw = explosionSizeLaw(input.explosionScale ?? 1);
    budgetKg = parentMassKg;
  }
  const minLcM = requirePositive(
    input.minCharacteristicLengthM ?? DEFAULT_MIN_CHARACTERISTIC_LENGTH_M,
    'minCharacteristicLengthM',
  );
  const maxLcM = requirePositive(
    input.maxCharacteristicLengthM ?? characteristicLengthFromMass(budgetKg),
    'maxCharacteristicLengthM',
  );
  if (!(maxLcM > minLcM)) {
    throw new AstroError(
      'BREAKUP_OPTION',
      `the largest fragment (${maxLcM.toPrecision(4)} m) must exceed the smallest (${minLcM} m)`,
      { key: 'minCharacteristicLengthM', expected: `< ${maxLcM}`, found: minLcM },
    );
  }
  const expectedCount = cumulativeCount(sizeLaw, minLcM) - cumulativeCount(sizeLaw, maxLcM);
  const count = Math.round(expectedCount);
  if (count > MAX_BREAKUP_FRAGMENTS) {
    throw new AstroError(
      'BREAKUP_TOO_MANY_FRAGMENTS',
      `${count} fragments above ${minLcM} m: more than ${MAX_BREAKUP_FRAGMENTS}; raise the minimum size`,
      { expected: `<= ${MAX_BREAKUP_FRAGMENTS}`, found: count },
    );
  }
  const all: SampledFragment[] = [];
  const dir = [0, 0, 0];
  let total = 0;
  for (let k = 0; k < count; k++) {
    const lcM = sampleCharacteristicLength(sizeLaw, minLcM, maxLcM, rng);
    const am = sampleAreaToMass(lcM, input.parentType, rng);
    const areaM2 = areaFromCharacteristicLength(lcM);
    const massKg = areaM2 / am;
    const deltaVMs = sampleDeltaV(input.kind, am, rng);
    sampleIsotropicDirection(rng, dir);
    all.push({
      lcM,
      areaM2,
      areaToMassM2PerKg: am,
      massKg,
      deltaVMs,
      direction: [dir[0]!, dir[1]!, dir[2]!],
    });
    total += massKg;
  }
  let removed = 0;
  while (total > budgetKg && all.length > 0) {
    total -= all.pop()!.massKg;
    removed++;
  }
  return {
    input,
    sizeLaw,
    ...(collision === undefined ? {} : { collision }),
    minLcM,
    maxLcM,
    expectedCount,
    fragments: all,
    mass: { budgetKg, fragmentsKg: total, removedFragments: removed, unassignedKg: budgetKg - total },
  };
}

/** Why a fragment has no element set. */
export type FragmentOrbitStatus = 'ok' | 'not-elliptic' | 'reentry' | 'fit-failed';

/** A fragment with its state at the breakup epoch (TEME, km, km/s) and, when orbital, its element set. */
export interface BreakupFragment extends SampledFragment {
  readonly rKm: readonly [number, number, number];
  readonly vKmPerS: readonly [number, number, number];
  readonly status: FragmentOrbitStatus;
  readonly elements?: ElementSet;
  /** SGP4 state at epoch minus the sampled state, km and km/s (fitted fragments). */
  readonly fitPositionErrorKm?: number;
  readonly fitVelocityErrorKmPerS?: number;
}

export interface BreakupSimulationOptions extends Omit<BreakupEventInput, 'parentMassKg' | 'parentType'> {
  /** Breakup epoch (UTC); default the parent's element-set epoch. */
  readonly epoch?: UtcJulianDate;
  /** Catalog number of the first fragment (then +1 each); default 800000001. */
  readonly firstCatalogNumber?: number;
  /** Fragment object name; default `${parent name} DEB (SIM)`. */
  readonly fragmentName?: string;
  readonly fit?: StateFitOptions;
}

export interface BreakupParent {
  readonly elements: ElementSet;
  readonly massKg: number;
  readonly type: BreakupParentType;
}

export interface BreakupSimulation {
  readonly population: BreakupPopulation;
  readonly epoch: UtcJulianDate;
  /** The parent's SGP4 TEME state at the epoch, km and km/s. */
  readonly parentRKm: readonly [number, number, number];
  readonly parentVKmPerS: readonly [number, number, number];
  readonly fragments: readonly BreakupFragment[];
  /** The element sets of the fragments with status 'ok', in fragment order. */
  readonly elementSets: readonly ElementSet[];
  /** Fragments without an element set, by reason. */
  readonly lost: { readonly notElliptic: number; readonly reentry: number; readonly fitFailed: number };
}

/**
 * Simulates the breakup of `parent` at `options.epoch` (default its element epoch): samples the
 * population, adds each Δv to the parent's SGP4 state, fits an SGP4 element set to each state.
 * Fragment catalog numbers run from `firstCatalogNumber`; element sets carry the breakup epoch,
 * element-set number 1, revolution number 0 and a B* from the fragment's A/m.
 */
export function simulateBreakup(
  parent: BreakupParent,
  options: BreakupSimulationOptions,
  rng: BreakupRandom,
): BreakupSimulation {
  const pe = parent.elements;
  const epoch = options.epoch ?? pe.epoch;
  const rec = sgp4Init(pe);
  const rv = new Float64Array(6);
  const code =
    rec.error !== 0 ? rec.error : sgp4(rec, minutesSinceEpoch(pe.epoch, epoch.jd, epoch.jdFrac), rv);
  if (code !== 0) {
    throw new AstroError(
      'BREAKUP_PARENT_SGP4',
      `SGP4 fails for the parent ${pe.catalogNumber} at the breakup epoch (code ${code})`,
      {
        expected: 'SGP4 code 0',
        found: code,
      },
    );
  }
  const population = sampleBreakupPopulation(
    { ...options, parentMassKg: parent.massKg, parentType: parent.type },
    rng,
  );
  const parentRKm: [number, number, number] = [rv[0]!, rv[1]!, rv[2]!];
  const parentVKmPerS: [number, number, number] = [rv[3]!, rv[4]!, rv[5]!];
  const g = getgravconst(options.fit?.gravity ?? 'wgs72');
  const first = options.firstCatalogNumber ?? DEFAULT_FIRST_FRAGMENT_CATALOG_NUMBER;
  const name = options.fragmentName ?? `${pe.name ?? pe.catalogNumber} DEB (SIM)`;
  const fragments: BreakupFragment[] = [];
  const elementSets: ElementSet[] = [];
  const lost = { notElliptic: 0, reentry: 0, fitFailed: 0 };
  population.fragments.forEach((f, k) => {
    const dv = f.deltaVMs / 1000;
    const r = parentRKm;
    const v: [number, number, number] = [
      parentVKmPerS[0] + dv * f.direction[0],
      parentVKmPerS[1] + dv * f.direction[1],
      parentVKmPerS[2] + dv * f.direction[2],
    ];
    const base = { ...f, rKm: r, vKmPerS: v };
    const perigee = perigeeRadiusKm(r, v, g.mus);
    if (perigee === undefined) {
      lost.notElliptic++;
      fragments.push({ ...base, status: 'not-elliptic' });
      return;
    }
    if (perigee - g.radiusearthkm < REENTRY_PERIGEE_ALTITUDE_KM) {
      lost.reentry++;
      fragments.push({ ...base, status: 'reentry' });
      return;
    }
    const template: ElementSet = {
      catalogNumber: String(first + k),
      name,
      ...(pe.intlDesignator === undefined ? {} : { intlDesignator: pe.intlDesignator }),
      classification: 'U',
      epoch,
      meanMotionRadPerMin: pe.meanMotionRadPerMin,
      eccentricity: pe.eccentricity,
      inclinationRad: pe.inclinationRad,
      raanRad: pe.raanRad,
      argPerigeeRad: pe.argPerigeeRad,
      meanAnomalyRad: pe.meanAnomalyRad,
      bstar: bstarFromAreaToMass(f.areaToMassM2PerKg),
      meanMotionDotRevPerDay2: 0,
      meanMotionDdotRevPerDay3: 0,
      ephemerisType: 0,
      elementSetNumber: 1,
      revolutionNumber: 0,
    };
    const fit = fitSgp4ElementsToState(r, v, template, options.fit);
    if (!fit.ok) {
      if (fit.reason === 'not-elliptic') lost.notElliptic++;
      else lost.fitFailed++;
      fragments.push({ ...base, status: fit.reason === 'not-elliptic' ? 'not-elliptic' : 'fit-failed' });
      return;
    }
    fragments.push({
      ...base,
      status: 'ok',
      elements: fit.elements,
      fitPositionErrorKm: fit.positionErrorKm,
      fitVelocityErrorKmPerS: fit.velocityErrorKmPerS,
    });
    elementSets.push(fit.elements);
  });
  return { population, epoch, parentRKm, parentVKmPerS, fragments, elementSets, lost };
}

/** Osculating perigee radius (km) of (r, v) about mu, or undefined when the orbit is not elliptic. */
function perigeeRadiusKm(r: readonly number[], v: readonly number[], mu: number): number | undefined {
  const rn = Math.hypot(r[0]!, r[1]!, r[2]!);
  const v2 = v[0]! ** 2 + v[1]! ** 2 + v[2]! ** 2;
  const energy = v2 / 2 - mu / rn;
  if (!(energy < 0)) return undefined;
  const a = -mu / (2 * energy);
  const hx = r[1]! * v[2]! - r[2]! * v[1]!;
  const hy = r[2]! * v[0]! - r[0]! * v[2]!;
  const hz = r[0]! * v[1]! - r[1]! * v[0]!;
  const p = (hx * hx + hy * hy + hz * hz) / mu;
  const e = Math.sqrt(Math.max(0, 1 - p / a));
  return e < 1 ? a * (1 - e) : undefined;
}
