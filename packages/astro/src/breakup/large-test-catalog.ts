/**
 * A reproducible large test catalog: a real catalog plus simulated fragment clouds from the NASA
 * Standard Breakup Model (breakup-model.ts, Johnson et al. 2001; breakup-simulate.ts), sized to a
 * target object count, for screening at the scale of a future 100,000-object catalog.
 *
 * Method. Each event of the list breaks up a real parent of the base catalog (by catalog number)
 * `daysBeforeEpoch` days before the catalog epoch: simulateBreakup samples the fragments (count,
 * Lc, A/m, Δv, direction), adds each Δv to the parent's SGP4 state at the breakup epoch and fits an
 * SGP4 element set to each orbital fragment. Each fragment set is then propagated with SGP4 to its
 * own element epoch near the catalog epoch (the catalog epoch minus a uniform draw in
 * [0, epochSpreadDays), as real element sets are a little old) and an element set is fitted to that
 * state there (sgp4/state-fit.ts), so the clouds arrive spread along their orbits and in node as the
 * model's velocities and SGP4's drag and J2 make them, with epochs near the screening window.
 * Fragments that escape, re-enter (osculating perigee below REENTRY_PERIGEE_ALTITUDE_KM), whose
 * SGP4 fails before their epoch, or whose SGP4 fails within SURVIVAL_DAYS after the catalog epoch
 * (decay, or drag driving the eccentricity out of range) are counted per event, not kept.
 *
 * Sizing. The smallest characteristic length Lc_min is common to all events and solved for (by
 * bisection on the model's expected counts, N(≥Lc_min) − N(≥Lc_max) summed over events) so that
 * the events give the fragments needed, divided by the fraction that survived in the previous pass
 * (first guess FIRST_YIELD_GUESS) and increased by OVERPROVISION; if a pass still falls short the
 * observed fraction is used and the events are simulated again (at most MAX_SIZING_PASSES). The
 * surplus is removed per event in proportion to its count, from the end of its sample (the sample
 * order is random, so this selects no size). Everything depends on the seed only: the same base
 * catalog, options and seed give the same element sets.
 *
 * Assumptions the model does not supply, stated here:
 * - Parent masses and impactors are chosen per event (DEFAULT_SYNTHETIC_BREAKUPS gives each one's
 *   reason); a catalog carries no masses.
 * - B* comes from each fragment's A/m with Cd = 2.2 and Vallado's reference density
 *   (bstarFromAreaToMass); it is kept unchanged by the second fit (a mean-element drag term).
 * - Catalog numbers run from FIRST_SYNTHETIC_CATALOG_NUMBER (170000, Alpha-5 "H0000") up: far above
 *   today's catalog (about 60,000), below the analyst "T" block (270000 up) and writable in a TLE
 *   (at most 339999); a base object inside the range used is an error. Names are the
 *   parent's with " DEB (SIM)"; international designators are the parent's; element-set number 1,
 *   revolution number 0, first and second mean-motion derivatives 0 (SGP4 does not use them).
 */
import type { ElementSet, UtcJulianDate } from '../elements/element-set.js';
import { normaliseJulian } from '../elements/utc-calendar.js';
import { AstroError } from '../errors.js';
import { PcRandom } from '../pc/monte-carlo.js';
import { minutesSinceEpoch } from '../sgp4/epoch-time.js';
import { getgravconst } from '../sgp4/gravity.js';
import { sgp4Init } from '../sgp4/propagate.js';
import { sgp4 } from '../sgp4/sgp4.js';
import { fitSgp4ElementsToState } from '../sgp4/state-fit.js';
import {
  type BreakupKind,
  type BreakupParentType,
  characteristicLengthFromMass,
  collisionMass,
  collisionSizeLaw,
  cumulativeCount,
  explosionSizeLaw,
  type SizeLaw,
} from './breakup-model.js';
import { REENTRY_PERIGEE_ALTITUDE_KM, simulateBreakup } from './breakup-simulate.js';

/**
 * First catalog number of synthetic fragments: Alpha-5 "H0000", far above the real catalog and
 * below the analyst objects of space-track's "T" block (270000 up, 266 of them in the 2023 catalog).
 */
export const FIRST_SYNTHETIC_CATALOG_NUMBER = 170_000;
/** Largest catalog number a TLE can hold (Alpha-5 "Z9999"). */
const LAST_TLE_CATALOG_NUMBER = 339_999;
/** Default spread of the fragments' element epochs before the catalog epoch, days. */
export const DEFAULT_EPOCH_SPREAD_DAYS = 1;
/** Fraction of sampled fragments assumed to survive to the epoch in the first sizing pass. */
export const FIRST_YIELD_GUESS = 0.5;
/**
 * Fragments must stay in orbit this long after the epoch, days: SGP4 must run without error at the
 * epoch and every day up to it (the default screening window), as objects still catalogued do.
 */
export const SURVIVAL_DAYS = 7;
/** Fragments sampled beyond the survivors needed, as a factor (so one pass usually suffices). */
export const OVERPROVISION = 1.05;
/** Sizing passes before giving up. */
export const MAX_SIZING_PASSES = 4;
/** Lc_min search interval, m: 1 mm (millions of fragments) to 10 m (none). */
const LC_SEARCH_MIN_M = 0.001;
const LC_SEARCH_MAX_M = 10;

/** One simulated breakup of a real parent. */
export interface SyntheticBreakupEvent {
  /** Catalog number of the parent in the base catalog. */
  readonly parent: string;
  /** What the event stands for (reports). */
  readonly label: string;
  readonly kind: BreakupKind;
  readonly parentType: BreakupParentType;
  /** Parent mass, kg (an assumption: catalogs carry no masses). */
  readonly parentMassKg: number;
  /** Collision: impactor mass, kg, and impact speed, km/s. */
  readonly impactorMassKg?: number;
  readonly impactSpeedKmS?: number;
  /** Explosion: scale factor S (default 1). */
  readonly explosionScale?: number;
  /** How long before the catalog epoch the breakup happened, days. */
  readonly daysBeforeEpoch: number;
}

/**
 * The default events, for the 2023-10-09 catalog: catastrophic collisions of heavy objects in the
 * crowded LEO shells (SL-16 R/B at 840 km 71°, Envisat at 765 km SSO, an Iridium NEXT at 780 km
 * 86°, an SL-8 R/B at 750 km 74°, a Starlink at 550 km 53°) and explosions in a 500 km SSO, in GTO,
 * near GEO and in the 19,000 km GLONASS-transfer region. Masses: SL-16 second stage 8,900 kg,
 * Envisat 8,000 kg, Iridium NEXT 860 kg, SL-8 (Cosmos-3M) second stage 1,400 kg, Starlink v1.0
 * 260 kg, CZ-4B third stage 1,000 kg, Centaur 1,800 kg, Transtage 2,000 kg, SL-12 Blok DM 3,500 kg;
 * impactors 1–20 kg at 10–12 km/s, each above 40 J/g (catastrophic). Ages spread from three months
 * to three years, so the clouds are at different stages of spreading.
 */
export const DEFAULT_SYNTHETIC_BREAKUPS: readonly SyntheticBreakupEvent[] = [
  {
    parent: '22285',
    label: 'SL-16 R/B collision, 840 km 71°',
    kind: 'collision',
    parentType: 'rocket-body',
    parentMassKg: 8900,
    impactorMassKg: 10,
    impactSpeedKmS: 10,
    daysBeforeEpoch: 365,
  },
  {
    parent: '27386',
    label: 'Envisat collision, 765 km SSO',
    kind: 'collision',
    parentType: 'spacecraft',
    parentMassKg: 8000,
    impactorMassKg: 20,
    impactSpeedKmS: 12,
    daysBeforeEpoch: 540,
  },
  {
    parent: '41917',
    label: 'Iridium NEXT collision, 780 km 86°',
    kind: 'collision',
    parentType: 'spacecraft',
    parentMassKg: 860,
    impactorMassKg: 5,
    impactSpeedKmS: 11.6,
    daysBeforeEpoch: 200,
  },
  {
    parent: '4589',
    label: 'SL-8 R/B collision, 750 km 74°',
    kind: 'collision',
    parentType: 'rocket-body',
    parentMassKg: 1400,
    impactorMassKg: 2,
    impactSpeedKmS: 10,
    daysBeforeEpoch: 300,
  },
  {
    parent: '44714',
    label: 'Starlink collision, 550 km 53°',
    kind: 'collision',
    parentType: 'spacecraft',
    parentMassKg: 260,
    impactorMassKg: 1,
    impactSpeedKmS: 10,
    daysBeforeEpoch: 90,
  },
  {
    parent: '28415',
    label: 'CZ-4B R/B explosion, 500–560 km SSO',
    kind: 'explosion',
    parentType: 'rocket-body',
    parentMassKg: 1000,
    daysBeforeEpoch: 120,
  },
  {
    parent: '4882',
    label: 'Atlas Centaur R/B explosion, GTO',
    kind: 'explosion',
    parentType: 'rocket-body',
    parentMassKg: 1800,
    daysBeforeEpoch: 730,
  },
  {
    parent: '3432',
    label: 'Titan 3C Transtage explosion, near GEO',
    kind: 'explosion',
    parentType: 'rocket-body',
    parentMassKg: 2000,
    daysBeforeEpoch: 1000,
  },
  {
    parent: '13610',
    label: 'SL-12 R/B(2) explosion, 19,000 km 64°',
    kind: 'explosion',
    parentType: 'rocket-body',
    parentMassKg: 3500,
    daysBeforeEpoch: 500,
  },
];

export interface LargeTestCatalogOptions {
  /** Objects wanted in total (base catalog plus fragments). */
  readonly targetCount: number;
  /** Random seed (an unsigned 32-bit integer). */
  readonly seed: number;
  /** Catalog epoch (UTC): fragment element epochs lie in (epoch − epochSpreadDays, epoch]. */
  readonly epoch: UtcJulianDate;
  /** The breakups; default DEFAULT_SYNTHETIC_BREAKUPS. */
  readonly events?: readonly SyntheticBreakupEvent[];
  /** First fragment catalog number; default FIRST_SYNTHETIC_CATALOG_NUMBER. */
  readonly firstCatalogNumber?: number;
  /** Default DEFAULT_EPOCH_SPREAD_DAYS. */
  readonly epochSpreadDays?: number;
}

/** What happened to one event's fragments. */
export interface SyntheticEventReport {
  readonly event: SyntheticBreakupEvent;
  readonly breakupEpoch: UtcJulianDate;
  /** Fragments sampled (after the mass budget). */
  readonly sampled: number;
  /** Without an orbit at the breakup (escape, re-entry, fit failure). */
  readonly lostAtBreakup: number;
  /**
   * Lost between the breakup and the epoch, or within SURVIVAL_DAYS after it (SGP4 error, decay,
   * perigee below 100 km, fit failure).
   */
  readonly lostBeforeEpoch: number;
  /** Kept in the catalog. */
  readonly kept: number;
  /** Catalog numbers of the kept fragments: first and last (inclusive); empty when none. */
  readonly firstCatalogNumber: number;
  readonly lastCatalogNumber: number;
}

export interface LargeTestCatalog {
  /** The base catalog's sets (unchanged, in their order), then the fragments. */
  readonly elements: readonly ElementSet[];
  readonly baseCount: number;
  readonly syntheticCount: number;
  /** The smallest characteristic length of the last pass, m. */
  readonly minCharacteristicLengthM: number;
  readonly passes: number;
  readonly events: readonly SyntheticEventReport[];
  /**
   * Every sampled fragment of the last pass (kept or not), for checks against the model: event
   * index, log10 of A/m (m²/kg) and of Δv (m/s).
   */
  readonly sampledFragments: {
    readonly event: Uint16Array;
    readonly log10AreaToMass: Float64Array;
    readonly log10DeltaVMs: Float64Array;
  };
}

function optionError(key: string, message: string, expected: string, found: unknown): AstroError {
  return new AstroError('SYNTHETIC_CATALOG_OPTION', message, { key, expected, found });
}

interface EventLaw {
  readonly law: SizeLaw;
  readonly maxLcM: number;
}

/** The size law and largest fragment of an event, as sampleBreakupPopulation derives them. */
function eventLaw(e: SyntheticBreakupEvent): EventLaw {
  if (e.kind === 'collision') {
    const mp = e.impactorMassKg ?? Number.NaN;
    const v = e.impactSpeedKmS ?? Number.NaN;
    const c = collisionMass(e.parentMassKg, mp, v);
    const budget = c.catastrophic ? e.parentMassKg + mp : Math.min(c.massKg, e.parentMassKg + mp);
    return { law: collisionSizeLaw(c.massKg), maxLcM: characteristicLengthFromMass(budget) };
  }
  return {
    law: explosionSizeLaw(e.explosionScale ?? 1),
    maxLcM: characteristicLengthFromMass(e.parentMassKg),
  };
}

function expectedTotal(laws: readonly EventLaw[], lcM: number): number {
  let n = 0;
  for (const l of laws) {
    if (lcM < l.maxLcM) n += cumulativeCount(l.law, lcM) - cumulativeCount(l.law, l.maxLcM);
  }
  return n;
}

/** Lc_min (m) with expectedTotal = wanted, by bisection in log Lc (the total falls with Lc). */
function solveMinLength(laws: readonly EventLaw[], wanted: number): number {
  let lo = Math.log(LC_SEARCH_MIN_M);
  let hi = Math.log(LC_SEARCH_MAX_M);
  for (let k = 0; k < 60; k++) {
    const mid = 0.5 * (lo + hi);
    if (expectedTotal(laws, Math.exp(mid)) > wanted) lo = mid;
    else hi = mid;
  }
  return Math.exp(0.5 * (lo + hi));
}

/** Osculating perigee radius, km, or NaN when the orbit is not elliptic. */
function perigeeRadiusKm(rv: Float64Array, mu: number): number {
  const rn = Math.hypot(rv[0]!, rv[1]!, rv[2]!);
  const v2 = rv[3]! ** 2 + rv[4]! ** 2 + rv[5]! ** 2;
  const energy = v2 / 2 - mu / rn;
  if (!(energy < 0)) return Number.NaN;
  const a = -mu / (2 * energy);
  const hx = rv[1]! * rv[5]! - rv[2]! * rv[4]!;
  const hy = rv[2]! * rv[3]! - rv[0]! * rv[5]!;
  const hz = rv[0]! * rv[4]! - rv[1]! * rv[3]!;
  const p = (hx * hx + hy * hy + hz * hz) / mu;
  return a * (1 - Math.sqrt(Math.max(0, 1 - p / a)));
}

/**
 * True when SGP4 runs without error on `es` at the epoch and every day after it up to SURVIVAL_DAYS
 * (no decay, no eccentricity driven out of range by drag), with the perigee above
 * REENTRY_PERIGEE_ALTITUDE_KM at the epoch.
 */
function survives(es: ElementSet, epoch: UtcJulianDate, rv: Float64Array): boolean {
  const rec = sgp4Init(es);
  if (rec.error !== 0) return false;
  const t0 = minutesSinceEpoch(es.epoch, epoch.jd, epoch.jdFrac);
  for (let d = 0; d <= SURVIVAL_DAYS; d++) {
    if (sgp4(rec, t0 + d * 1440, rv) !== 0) return false;
  }
  return true;
}

/** The seed of event k's generator (and, with salt 1, of its epoch draws). */
function eventSeed(seed: number, k: number, salt: number): number {
  return (Math.imul((seed >>> 0) ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(k + 1, 0x85ebca6b) + salt) >>> 0;
}

interface EventRun {
  readonly report: Omit<SyntheticEventReport, 'kept' | 'firstCatalogNumber' | 'lastCatalogNumber'>;
  readonly sets: ElementSet[];
  readonly log10Am: number[];
  readonly log10Dv: number[];
}

function runEvent(
  e: SyntheticBreakupEvent,
  k: number,
  parent: ElementSet,
  law: EventLaw,
  minLcM: number,
  options: LargeTestCatalogOptions,
): EventRun {
  const { epoch } = options;
  const spread = options.epochSpreadDays ?? DEFAULT_EPOCH_SPREAD_DAYS;
  const breakupEpoch = normaliseJulian(epoch.jd, epoch.jdFrac - e.daysBeforeEpoch);
  const sim = simulateBreakup(
    { elements: parent, massKg: e.parentMassKg, type: e.parentType },
    {
      kind: e.kind,
      ...(e.impactorMassKg === undefined ? {} : { impactorMassKg: e.impactorMassKg }),
      ...(e.impactSpeedKmS === undefined ? {} : { impactSpeedKmS: e.impactSpeedKmS }),
      ...(e.explosionScale === undefined ? {} : { explosionScale: e.explosionScale }),
      minCharacteristicLengthM: minLcM,
      maxCharacteristicLengthM: law.maxLcM,
      epoch: breakupEpoch,
    },
    new PcRandom(eventSeed(options.seed, k, 0)),
  );
  const epochRng = new PcRandom(eventSeed(options.seed, k, 1));
  const g = getgravconst('wgs72');
  const rv = new Float64Array(6);
  const sets: ElementSet[] = [];
  let lostBeforeEpoch = 0;
  for (const es of sim.elementSets) {
    // One draw per orbital fragment, kept or not: the epochs do not depend on which survive.
    const at = normaliseJulian(epoch.jd, epoch.jdFrac - spread * epochRng.nextDouble());
    const rec = sgp4Init(es);
    const code = rec.error !== 0 ? rec.error : sgp4(rec, minutesSinceEpoch(es.epoch, at.jd, at.jdFrac), rv);
    if (code !== 0 || !(perigeeRadiusKm(rv, g.mus) - g.radiusearthkm >= REENTRY_PERIGEE_ALTITUDE_KM)) {
      lostBeforeEpoch++;
      continue;
    }
    const fit = fitSgp4ElementsToState(rv.subarray(0, 3), rv.subarray(3, 6), { ...es, epoch: at });
    if (!fit.ok || !survives(fit.elements, epoch, rv)) {
      lostBeforeEpoch++;
      continue;
    }
    sets.push(fit.elements);
  }
  const log10Am: number[] = [];
  const log10Dv: number[] = [];
  for (const f of sim.fragments) {
    log10Am.push(Math.log10(f.areaToMassM2PerKg));
    log10Dv.push(Math.log10(f.deltaVMs));
  }
  return {
    report: {
      event: e,
      breakupEpoch,
      sampled: sim.fragments.length,
      lostAtBreakup: sim.fragments.length - sim.elementSets.length,
      lostBeforeEpoch,
    },
    sets,
    log10Am,
    log10Dv,
  };
}

/**
 * Builds the base catalog plus simulated fragment clouds, `targetCount` objects in all (see the
 * module header for the method and its assumptions). Throws AstroError SYNTHETIC_CATALOG_OPTION
 * (target below the base, too many fragments for the TLE number range, a base number inside the
 * synthetic range), SYNTHETIC_CATALOG_PARENT (a parent not in the base) or SYNTHETIC_CATALOG_SHORT
 * (the events cannot give enough fragments).
 */
export function buildLargeTestCatalog(
  base: readonly ElementSet[],
  options: LargeTestCatalogOptions,
): LargeTestCatalog {
  const events = options.events ?? DEFAULT_SYNTHETIC_BREAKUPS;
  const first = options.firstCatalogNumber ?? FIRST_SYNTHETIC_CATALOG_NUMBER;
  const needed = options.targetCount - base.length;
  if (!Number.isInteger(options.targetCount) || needed < 0) {
    throw optionError(
      'targetCount',
      `the target count ${options.targetCount} must be an integer at least the base catalog's ${base.length}`,
      `>= ${base.length}`,
      options.targetCount,
    );
  }
  if (!Number.isInteger(first) || first < 1 || first + needed - 1 > LAST_TLE_CATALOG_NUMBER) {
    throw optionError(
      'firstCatalogNumber',
      `${needed} fragments from ${first} do not fit the TLE catalog numbers (up to ${LAST_TLE_CATALOG_NUMBER})`,
      `first + count - 1 <= ${LAST_TLE_CATALOG_NUMBER}`,
      first,
    );
  }
  const spread = options.epochSpreadDays ?? DEFAULT_EPOCH_SPREAD_DAYS;
  if (!(spread >= 0) || !Number.isFinite(spread)) {
    throw optionError('epochSpreadDays', `epochSpreadDays must be ≥ 0, got ${spread}`, '>= 0', spread);
  }
  const byNumber = new Map<string, ElementSet>();
  for (const e of base) {
    const n = Number(e.catalogNumber);
    if (n >= first && n < first + needed) {
      throw optionError(
        'firstCatalogNumber',
        `base catalog object ${e.catalogNumber} lies in the synthetic range from ${first}`,
        `numbers below ${first}`,
        e.catalogNumber,
      );
    }
    byNumber.set(e.catalogNumber, e);
  }
  const parents = events.map((e) => {
    const p = byNumber.get(e.parent);
    if (p === undefined) {
      throw new AstroError(
        'SYNTHETIC_CATALOG_PARENT',
        `breakup parent ${e.parent} (${e.label}) is not in the base catalog`,
        { expected: 'a catalog number of the base catalog', found: e.parent },
      );
    }
    return p;
  });
  const laws = events.map(eventLaw);
  let yieldGuess = FIRST_YIELD_GUESS;
  for (let pass = 1; pass <= MAX_SIZING_PASSES; pass++) {
    const minLcM =
      needed === 0 ? LC_SEARCH_MAX_M : solveMinLength(laws, (needed * OVERPROVISION) / yieldGuess);
    const runs = events.map((e, k) =>
      needed === 0
        ? {
            report: {
              event: e,
              breakupEpoch: options.epoch,
              sampled: 0,
              lostAtBreakup: 0,
              lostBeforeEpoch: 0,
            },
            sets: [],
            log10Am: [],
            log10Dv: [],
          }
        : runEvent(e, k, parents[k]!, laws[k]!, minLcM, options),
    );
    const got = runs.reduce((s, r) => s + r.sets.length, 0);
    if (got < needed) {
      const expected = expectedTotal(laws, minLcM);
      yieldGuess = Math.max(0.01, (got / expected) * 0.98);
      continue;
    }
    return assemble(base, runs, needed, got, first, minLcM, pass);
  }
  throw new AstroError(
    'SYNTHETIC_CATALOG_SHORT',
    `the breakup events gave too few surviving fragments for ${options.targetCount} objects after ${MAX_SIZING_PASSES} passes`,
    { expected: `${needed} fragments`, found: 'fewer' },
  );
}

/** Keeps `needed` of `got` fragments (per event in proportion, largest remainders first) and numbers them. */
function assemble(
  base: readonly ElementSet[],
  runs: readonly EventRun[],
  needed: number,
  got: number,
  first: number,
  minLcM: number,
  passes: number,
): LargeTestCatalog {
  const share = runs.map((r) => (r.sets.length * needed) / Math.max(1, got));
  const keep = share.map(Math.floor);
  let left = needed - keep.reduce((s, v) => s + v, 0);
  const order = share
    .map((s, k) => ({ k, rem: s - Math.floor(s) }))
    .sort((a, b) => b.rem - a.rem || a.k - b.k);
  for (const { k } of order) {
    if (left === 0) break;
    if (keep[k]! < runs[k]!.sets.length) {
      keep[k]!++;
      left--;
    }
  }
  const elements: ElementSet[] = [...base];
  const reports: SyntheticEventReport[] = [];
  let next = first;
  runs.forEach((r, k) => {
    const firstHere = next;
    for (const es of r.sets.slice(0, keep[k]!)) {
      elements.push({ ...es, catalogNumber: String(next), elementSetNumber: 1, revolutionNumber: 0 });
      next++;
    }
    reports.push({
      ...r.report,
      kept: keep[k]!,
      firstCatalogNumber: keep[k]! > 0 ? firstHere : 0,
      lastCatalogNumber: keep[k]! > 0 ? next - 1 : 0,
    });
  });
  const total = runs.reduce((s, r) => s + r.log10Am.length, 0);
  const event = new Uint16Array(total);
  const log10AreaToMass = new Float64Array(total);
  const log10DeltaVMs = new Float64Array(total);
  let at = 0;
  runs.forEach((r, k) => {
    for (let i = 0; i < r.log10Am.length; i++, at++) {
      event[at] = k;
      log10AreaToMass[at] = r.log10Am[i]!;
      log10DeltaVMs[at] = r.log10Dv[i]!;
    }
  });
  return {
    elements,
    baseCount: base.length,
    syntheticCount: needed,
    minCharacteristicLengthM: minLcM,
    passes,
    events: reports,
    sampledFragments: { event, log10AreaToMass, log10DeltaVMs },
  };
}
