/**
 * Rendezvous and proximity operations (RPO) search over a catalog (one element set per object, or
 * element-set histories) and a time window, after the method of domain research §3:
 *
 * 1. Pair prefilter on the mean elements (sound for the thresholds below, see `prefilterPairs`):
 *    proximity that lasts hours needs near-equal periods and near-coplanar orbits. Two objects
 *    whose semi-major axes differ by Δa drift apart along track by 1.5·n·Δa per unit time (3·π·Δa
 *    per orbit); staying within 300 km for half of a 3-day window needs |Δa| ≲ 3 km in LEO, so the
 *    prefilter's PREFILTER_MAX_DA_KM = 20 km (the domain's bound, which also absorbs element-set
 *    noise) loses no such pair. Planes more than PREFILTER_MAX_PLANE_DEG = 1° apart separate by
 *    a·θ ≥ 118 km cross-track twice per orbit (LEO), and the domain's shadowing rule asks for < 1°.
 *    Perigee/apogee shells must overlap within SHADOW_RANGE_KM (Hoots et al. 1984 filter).
 *    GEO pairs skip the plane test (domain §3.1: a GEO slot is a longitude; satellites in inclined
 *    operation share slots with others in different planes); their |Δa| bound is sound for
 *    co-location: a drift of 0.0128°/day per km of Δa keeps a pair within 0.1° for half of 3
 *    days only when |Δa| ≲ 10 km.
 *    Sorting by semi-major axis makes the sweep near-linear: on the 2023-10-09 catalog some
 *    thousand pairs remain of 341 million.
 * 2. The objects of the remaining pairs are sampled with the batch SGP4 kernel (TEME, every
 *    SAMPLE_STEP_MIN minutes, the set in force at each sample: the latest epoch at or before it,
 *    else the earliest), and each pair's range series is classified.
 * 3. Findings (thresholds, domain §3.2 [P]): persistent proximity (range ≤ PROXIMITY_KM for at
 *    least PROXIMITY_MIN_HOURS), shadowing (LEO: ≤ SHADOW_RANGE_KM for ≥ SHADOW_FRACTION of the
 *    window), GEO co-location (in one ±COLOCATION_DEG box of longitude and latitude, |Δλ| and
 *    |Δφ| ≤ COLOCATION_DEG, for ≥ COLOCATION_FRACTION of the window),
 *    repeated approaches (≥ REPEATED_MIN_PASSES separate passes within PROXIMITY_KM over at least
 *    REPEATED_MIN_SPAN_HOURS, at most REPEATED_MAX_SPEED_KMS at the closest pass). A finding
 *    whose chaser maneuvered (optional maneuver events) within SYNC_LOOKBACK_DAYS before it is a
 *    rendezvous (orbit synchronisation: the synodic period 2π/|n₁ − n₂| reported with it).
 * 4. Every finding carries the pair labels of pair-labels.ts; labelled findings are context, the
 *    unlabelled ones are the alarms.
 *
 * Limits: public element sets carry km-level (LEO) to tens-of-km (GEO) errors; ranges under
 * ~20 km in GEO from element sets alone are low confidence (domain §3.4). Minimum ranges are the
 * sampled minimum refined on a SAMPLE_REFINE_S grid around it, not a root-found TCA; close
 * approaches at km/s speeds are conjunction screening's job, not this search's.
 */
import type { ElementSet, UtcJulianDate } from '../elements/element-set.js';
import { formatUtcIso, normaliseJulian, parseUtcString } from '../elements/utc-calendar.js';
import { AstroError } from '../errors.js';
import type { DetectionEvent } from '../events/detection-event.js';
import { createStateBatch, propagateBatch, type StateBatch } from '../propagation/sgp4-batch.js';
import { minutesSinceEpoch } from '../sgp4/epoch-time.js';
import { sgp4Init } from '../sgp4/propagate.js';
import type { Satrec } from '../sgp4/satrec.js';
import { type PairLabel, pairLabels } from './pair-labels.js';

/** WGS-72 μ (the constants TLEs are fitted with), km³/s². */
const MU_KM3_S2 = 398600.8;
/** WGS-72 equatorial radius, km. */
const RE_KM = 6378.135;
/** J2 (WGS-72). */
const J2 = 0.001082616;

/** Persistent proximity: range at most this, km (domain §3.2, LEO and GEO). */
export const PROXIMITY_KM = 50;
/** Persistent proximity: for at least this long, hours (domain §3.2, GEO "ρ < 50 km for ≥ 24 h"). */
export const PROXIMITY_MIN_HOURS = 24;
/** LEO shadowing: range at most this, km, for SHADOW_FRACTION of the window (domain §3.2). */
export const SHADOW_RANGE_KM = 300;
export const SHADOW_FRACTION = 0.5;
/**
 * GEO co-location: longitude and latitude differences at most this, degrees (≈ 74 km; domain §3.1,
 * the ±0.1° station-keeping box): an inclined satellite at the same longitude as an equatorial one
 * leaves the box twice a day and is not co-located with it.
 */
export const COLOCATION_DEG = 0.1;
export const COLOCATION_FRACTION = 0.5;
/** Repeated approaches: at least this many separate passes within PROXIMITY_KM. */
export const REPEATED_MIN_PASSES = 3;
/**
 * Repeated approaches: relative speed at the closest pass at most this, km/s. Domain §3.1: a few
 * m/s is station-keeping or inspection, km/s a flyby; an inclined GEO object crossing an
 * equatorial one at its nodes meets it twice a day at Δi × 3 km/s (≥ 50 m/s per degree).
 */
export const REPEATED_MAX_SPEED_KMS = 0.05;
/** Repeated approaches: first to last pass at least this long, hours. */
export const REPEATED_MIN_SPAN_HOURS = 24;
/** Prefilter bounds (see the header for why they lose no pair the rules above can flag). */
export const PREFILTER_MAX_DA_KM = 20;
export const PREFILTER_MAX_PLANE_DEG = 1;
/** Sample step, minutes: 1/19 of a 95-minute LEO orbit. */
export const SAMPLE_STEP_MIN = 5;
/** Refinement step around the sampled minimum, s. */
export const SAMPLE_REFINE_S = 10;
/** A maneuver of the chaser this long before a finding (or during it) led to it, days. */
export const SYNC_LOOKBACK_DAYS = 7;
/** Element sets older than this at the window start are not used, days (the screening default). */
export const RPO_MAX_ELEMENT_AGE_DAYS = 30;

/**
 * Longest window, days: the samples of every candidate object are held at once (full catalog,
 * 3 days: about 17,000 objects × 865 samples, 0.3 GB with the GEO longitudes); search longer spans
 * as consecutive windows.
 */
export const RPO_MAX_DAYS = 7;

export const RPO_DETECTOR = 'hoshimi-rpo';
export const RPO_DETECTOR_VERSION = '1.0.0';

export type RpoRegime = 'LEO' | 'GEO' | 'other';
export type RpoFindingKind =
  | 'persistent-proximity'
  | 'shadowing'
  | 'co-location'
  | 'repeated-approaches'
  | 'orbit-synchronisation';

/** A maneuver of one object, as maneuver detection reports it (DetectionEvent type 'maneuver'). */
export interface RpoManeuver {
  readonly catalogNumber: string;
  readonly timeUtc: string;
  readonly windowStartUtc: string;
  readonly windowEndUtc: string;
  readonly dvMS?: number;
}

export interface RpoOptions {
  /** Window start (UTC label) and length, days. */
  readonly start: UtcJulianDate;
  readonly days: number;
  /** Maneuver events of the objects (optional): a chaser maneuver before a finding makes it a rendezvous. */
  readonly maneuvers?: readonly (RpoManeuver | DetectionEvent)[];
  readonly maxElementAgeDays?: number;
  /** Owner of each object (e.g. SATCAT owner code) by catalog number, optional: same-owner GEO pairs are operator clusters. */
  readonly owners?: ReadonlyMap<string, string>;
}

/** Mean and extent of one RTN component, km. */
export interface RtnExtent {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

export interface RpoFinding {
  /** Target (the object approached) and chaser; without maneuver evidence the target is the lower catalog number. */
  readonly target: {
    readonly catalogNumber: string;
    readonly name?: string;
    readonly intlDesignator?: string;
  };
  readonly chaser: {
    readonly catalogNumber: string;
    readonly name?: string;
    readonly intlDesignator?: string;
  };
  readonly kind: RpoFindingKind;
  readonly regime: RpoRegime;
  /** The episode: first and last sample meeting the kind's rule, UTC. */
  readonly start: UtcJulianDate;
  readonly end: UtcJulianDate;
  readonly startUtc: string;
  readonly endUtc: string;
  /** Over the episode: minimum (refined) and mean range, km; time of the minimum. */
  readonly minRangeKm: number;
  readonly minRangeUtc: string;
  readonly meanRangeKm: number;
  /** Relative speed at the minimum, km/s; largest closing speed (−ρ̇) over the episode, km/s. */
  readonly relativeSpeedAtMinKmS: number;
  readonly maxClosingSpeedKmS: number;
  /** Chaser relative to target in the target's RTN frame over the episode, km. */
  readonly rtnKm: { readonly radial: RtnExtent; readonly inTrack: RtnExtent; readonly crossTrack: RtnExtent };
  /** Fraction of the window within the kind's range (or longitude box). */
  readonly persistence: number;
  /** Separate passes within PROXIMITY_KM over the window. */
  readonly passes: number;
  /** Synodic period 2π/|n₁ − n₂| from the mean motions in force at the episode end, days (Infinity when equal). */
  readonly synodicPeriodDays: number;
  readonly deltaAKm: number;
  readonly planeAngleDeg: number;
  /** GEO: mean longitude difference, degrees. */
  readonly meanDeltaLongitudeDeg?: number;
  /** The rule's score and threshold (same units): hours in proximity, fraction, passes. */
  readonly score: number;
  readonly threshold: number;
  readonly labels: readonly PairLabel[];
  /** Labelled findings are context, unlabelled ones need an analyst. */
  readonly alarm: boolean;
  /** Maneuvers of either object within SYNC_LOOKBACK_DAYS before the episode or during it. */
  readonly maneuvers: readonly RpoManeuver[];
  /** Element-set epochs used (UTC ISO), per object. */
  readonly epochsUsed: { readonly target: readonly string[]; readonly chaser: readonly string[] };
}

export interface RpoStats {
  readonly objects: number;
  readonly elementSets: number;
  readonly skippedOld: number;
  /** Objects whose every element set has its epoch after the window's end (not searched). */
  readonly skippedAfterEnd: number;
  /** Sampled objects with SGP4 errors (decay, non-physical state) at some samples; those samples hold no range. */
  readonly objectsWithSgp4Errors: number;
  readonly pairsTotal: number;
  readonly pairsAfterPrefilter: number;
  readonly objectsSampled: number;
  readonly samplesPerObject: number;
  readonly findings: number;
  readonly alarms: number;
}

export interface RpoResult {
  readonly findings: readonly RpoFinding[];
  readonly stats: RpoStats;
}

/** One object: its element sets in epoch order, their records, and the catalog data of the latest. */
interface RpoObject {
  readonly catalogNumber: string;
  readonly sets: ElementSet[];
  recs: Satrec[];
  latest: ElementSet;
}

/** Per element set in force during the window: what the prefilter compares. */
interface PrefilterEntry {
  readonly obj: number;
  readonly aKm: number;
  readonly perigeeKm: number;
  readonly apogeeKm: number;
  /** Geosynchronous (the plane test does not apply: co-location is a longitude slot). */
  readonly geo: boolean;
  /** Unit orbit normal at the window start (J2 node regression applied). */
  readonly hx: number;
  readonly hy: number;
  readonly hz: number;
}

/** Semi-major axis from the Kozai mean motion (rad/min), un-Kozai'd as SGP4 does, km. */
export function semiMajorAxisKm(e: ElementSet): number {
  const xke = 60 / Math.sqrt((RE_KM * RE_KM * RE_KM) / MU_KM3_S2);
  const k2 = 0.5 * J2;
  const a1 = (xke / e.meanMotionRadPerMin) ** (2 / 3);
  const cosi = Math.cos(e.inclinationRad);
  const theta2 = cosi * cosi;
  const beta0 = Math.sqrt(1 - e.eccentricity * e.eccentricity);
  const d1 = (1.5 * k2 * (3 * theta2 - 1)) / (beta0 * beta0 * beta0);
  const del1 = d1 / (a1 * a1);
  const a0 = a1 * (1 - del1 * (1 / 3 + del1 * (1 + (134 / 81) * del1)));
  const del0 = d1 / (a0 * a0);
  const n0 = e.meanMotionRadPerMin / (1 + del0);
  return (xke / n0) ** (2 / 3) * RE_KM;
}

/** Regime of an element set: GEO (0.9–1.1 rev/day, e < 0.1), LEO (perigee below 2,000 km, period < 225 min), other. */
export function rpoRegime(e: ElementSet): RpoRegime {
  const revPerDay = (e.meanMotionRadPerMin * 1440) / (2 * Math.PI);
  if (revPerDay > 0.9 && revPerDay < 1.1 && e.eccentricity < 0.1) return 'GEO';
  const a = semiMajorAxisKm(e);
  if (a * (1 - e.eccentricity) - RE_KM < 2000 && revPerDay > 6.4) return 'LEO';
  return 'other';
}

/** Days from a to b (UTC labels). */
function daysBetween(a: UtcJulianDate, b: UtcJulianDate): number {
  return b.jd - a.jd + (b.jdFrac - a.jdFrac);
}

/** Normalised maneuver list from either input shape. */
function normaliseManeuvers(list: readonly (RpoManeuver | DetectionEvent)[] | undefined): RpoManeuver[] {
  if (list === undefined) return [];
  const out: RpoManeuver[] = [];
  for (const m of list) {
    if ('type' in m) {
      if (m.type !== 'maneuver' || m.objects[0] === undefined) continue;
      const dv = m.evidence['dv_m_s'] ?? m.evidence['dvMS'];
      const base = {
        catalogNumber: m.objects[0],
        timeUtc: m.timeUtc,
        windowStartUtc: m.windowStartUtc,
        windowEndUtc: m.windowEndUtc,
      };
      out.push(typeof dv === 'number' ? { ...base, dvMS: dv } : base);
    } else out.push(m);
  }
  for (const m of out) {
    if (parseUtcString(m.timeUtc) === undefined) {
      throw new AstroError('RPO_BAD_MANEUVER', `maneuver of ${m.catalogNumber}: time is not ISO UTC`, {
        expected: 'YYYY-MM-DDThh:mm:ss[.s]Z',
        found: m.timeUtc,
      });
    }
  }
  return out;
}

/**
 * Searches a catalog (or element-set histories: several sets per catalog number) for RPO over
 * [start, start + days]. Pure computation; the CLI and the bench drive it.
 */
export function searchRpo(elements: readonly ElementSet[], options: RpoOptions): RpoResult {
  if (!(options.days > 0) || options.days > RPO_MAX_DAYS) {
    throw new AstroError(
      'RPO_BAD_WINDOW',
      `the RPO window must be longer than 0 and at most ${RPO_MAX_DAYS} days`,
      {
        expected: `0 < days ≤ ${RPO_MAX_DAYS}`,
        found: String(options.days),
      },
    );
  }
  const maxAge = options.maxElementAgeDays ?? RPO_MAX_ELEMENT_AGE_DAYS;
  const start = normaliseJulian(options.start.jd, options.start.jdFrac);
  const end = normaliseJulian(start.jd, start.jdFrac + options.days);
  const maneuvers = normaliseManeuvers(options.maneuvers);

  // Objects: sets in force during the window (the latest at or before the start, and all inside).
  const byNumber = new Map<string, ElementSet[]>();
  for (const e of elements) {
    const list = byNumber.get(e.catalogNumber);
    if (list === undefined) byNumber.set(e.catalogNumber, [e]);
    else list.push(e);
  }
  const objects: RpoObject[] = [];
  let skippedOld = 0;
  let skippedAfterEnd = 0;
  for (const [catalogNumber, sets] of byNumber) {
    sets.sort((x, y) => daysBetween(y.epoch, x.epoch));
    let firstInForce = 0;
    for (let k = 0; k < sets.length; k++) if (daysBetween(sets[k]!.epoch, start) >= 0) firstInForce = k;
    const used = sets.filter((s, k) => k >= firstInForce && daysBetween(s.epoch, end) >= 0);
    if (used.length === 0) {
      skippedAfterEnd++;
      continue;
    }
    if (daysBetween(used[0]!.epoch, start) > maxAge) {
      skippedOld++;
      continue;
    }
    objects.push({ catalogNumber, sets: used, recs: [], latest: used[used.length - 1]! });
  }

  // 1. Prefilter.
  const entries: PrefilterEntry[] = [];
  for (let o = 0; o < objects.length; o++) {
    for (const e of objects[o]!.sets) entries.push(prefilterEntry(o, e, start));
  }
  const pairs = prefilterPairs(entries);

  // 2. Sample the objects of the remaining pairs.
  const m = Math.floor((options.days * 1440) / SAMPLE_STEP_MIN) + 1;
  const involved = new Map<number, number>();
  for (const p of pairs) {
    for (const o of p) if (!involved.has(o)) involved.set(o, involved.size);
  }
  // Float32 positions: 0.5 m resolution at GEO radius, half the memory of the full catalog's samples.
  const pos = new Float32Array(involved.size * m * 3);
  // Right ascension per sample of GEO objects (the longitude difference of two objects at one instant).
  const isGeo = objects.map((o) => rpoRegime(o.latest) === 'GEO');
  const lon = new Float32Array(involved.size * m);
  const lat = new Float32Array(involved.size * m);
  const batch = createStateBatch(m);
  let objectsWithSgp4Errors = 0;
  for (const [o, slot] of involved) {
    const obj = objects[o]!;
    obj.recs = obj.sets.map((s) => sgp4Init(s));
    sampleObject(obj, start, 0, SAMPLE_STEP_MIN, m, batch);
    const base = slot * m * 3;
    let bad = false;
    for (let k = 0; k < m; k++) {
      if (batch.status[k] !== 0) bad = true;
      pos[base + 3 * k] = batch.status[k] === 0 ? batch.x[k]! : Number.NaN;
      pos[base + 3 * k + 1] = batch.y[k]!;
      pos[base + 3 * k + 2] = batch.z[k]!;
      if (isGeo[o]) {
        lon[slot * m + k] = Math.atan2(batch.y[k]!, batch.x[k]!);
        lat[slot * m + k] = Math.atan2(batch.z[k]!, Math.hypot(batch.x[k]!, batch.y[k]!));
      }
    }
    if (bad) objectsWithSgp4Errors++;
  }

  // 3. Classify.
  const findings: RpoFinding[] = [];
  const range = new Float64Array(m);
  const dlon = new Float64Array(m);
  const dlat = new Float64Array(m);
  for (const [oa, ob] of pairs) {
    const A = objects[oa]!;
    const B = objects[ob]!;
    const ba = involved.get(oa)! * m * 3;
    const bb = involved.get(ob)! * m * 3;
    const geoPair = isGeo[oa]! && isGeo[ob]!;
    const la = involved.get(oa)! * m;
    const lb = involved.get(ob)! * m;
    let valid = 0;
    let minRange = Number.POSITIVE_INFINITY;
    let inShadow = 0;
    let inBox = 0;
    for (let k = 0; k < m; k++) {
      const dx = pos[ba + 3 * k]! - pos[bb + 3 * k]!;
      const dy = pos[ba + 3 * k + 1]! - pos[bb + 3 * k + 1]!;
      const dz = pos[ba + 3 * k + 2]! - pos[bb + 3 * k + 2]!;
      range[k] = Math.sqrt(dx * dx + dy * dy + dz * dz);
      const r = range[k]!;
      if (!Number.isNaN(r)) valid++;
      if (r < minRange) minRange = r;
      if (r <= SHADOW_RANGE_KM) inShadow++;
      if (geoPair) {
        let d = lon[la + k]! - lon[lb + k]!;
        if (d > Math.PI) d -= 2 * Math.PI;
        else if (d < -Math.PI) d += 2 * Math.PI;
        dlon[k] = Math.abs(d) * (180 / Math.PI);
        dlat[k] = Math.abs(lat[la + k]! - lat[lb + k]!) * (180 / Math.PI);
        if (dlon[k]! <= COLOCATION_DEG && dlat[k]! <= COLOCATION_DEG) inBox++;
      }
    }
    // No rule can hold: never within PROXIMITY_KM, too little shadowing, no GEO co-location.
    if (minRange > PROXIMITY_KM && inShadow < SHADOW_FRACTION * m && inBox < COLOCATION_FRACTION * m)
      continue;
    if (valid < m / 2) continue;
    const f = classifyPair(A, B, range, dlon, dlat, m, start, maneuvers, options.owners);
    if (f !== undefined) findings.push(f);
  }
  findings.sort(
    (x, y) =>
      Number(y.alarm) - Number(x.alarm) ||
      x.minRangeKm - y.minRangeKm ||
      x.startUtc.localeCompare(y.startUtc),
  );
  const n = objects.length;
  return {
    findings,
    stats: {
      objects: n,
      elementSets: elements.length,
      skippedOld,
      skippedAfterEnd,
      objectsWithSgp4Errors,
      pairsTotal: (n * (n - 1)) / 2,
      pairsAfterPrefilter: pairs.length,
      objectsSampled: involved.size,
      samplesPerObject: m,
      findings: findings.length,
      alarms: findings.filter((x) => x.alarm).length,
    },
  };
}

/** Chaser relative to target over a window, sampled on a regular grid (what the RPO chart draws). */
export interface RpoRelativeSeries {
  /** Window start (UTC label) and sample step, minutes. */
  readonly start: UtcJulianDate;
  readonly stepMin: number;
  /** Minutes since the start, per sample. */
  readonly timeMin: Float64Array;
  /** Range and the chaser's position in the target's RTN frame, km; NaN where SGP4 failed for either. */
  readonly rangeKm: Float64Array;
  readonly radialKm: Float64Array;
  readonly inTrackKm: Float64Array;
  readonly crossTrackKm: Float64Array;
}

/**
 * The chaser's motion relative to the target over [start, start + days], every `stepMin` minutes
 * (default SAMPLE_STEP_MIN), each object from its element set in force at each sample, as the
 * search samples them. Sets of one object each (histories allowed).
 */
export function rpoRelativeSeries(
  targetSets: readonly ElementSet[],
  chaserSets: readonly ElementSet[],
  start: UtcJulianDate,
  days: number,
  stepMin: number = SAMPLE_STEP_MIN,
): RpoRelativeSeries {
  if (!(days > 0) || days > RPO_MAX_DAYS || !(stepMin > 0)) {
    throw new AstroError('RPO_BAD_WINDOW', 'rpoRelativeSeries: window or step out of range', {
      expected: `0 < days ≤ ${RPO_MAX_DAYS}, step > 0 minutes`,
      found: `${days} days, ${stepMin} min`,
    });
  }
  if (targetSets.length === 0 || chaserSets.length === 0) {
    throw new AstroError(
      'RPO_NO_ELEMENTS',
      'rpoRelativeSeries: the target and the chaser each need an element set',
      {
        expected: 'at least one element set per object',
        found: `${targetSets.length} and ${chaserSets.length}`,
      },
    );
  }
  const t0 = normaliseJulian(start.jd, start.jdFrac);
  const object = (sets: readonly ElementSet[]): RpoObject => {
    const sorted = [...sets].sort((x, y) => daysBetween(y.epoch, x.epoch));
    return {
      catalogNumber: sorted[0]!.catalogNumber,
      sets: sorted,
      recs: sorted.map((s) => sgp4Init(s)),
      latest: sorted[sorted.length - 1]!,
    };
  };
  const m = Math.floor((days * 1440) / stepMin) + 1;
  const ta = createStateBatch(m);
  const tb = createStateBatch(m);
  sampleObject(object(targetSets), t0, 0, stepMin, m, ta);
  sampleObject(object(chaserSets), t0, 0, stepMin, m, tb);
  const timeMin = new Float64Array(m);
  const rangeKm = new Float64Array(m);
  const radialKm = new Float64Array(m);
  const inTrackKm = new Float64Array(m);
  const crossTrackKm = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    timeMin[k] = k * stepMin;
    const c = rtnOf(ta, tb, k);
    rangeKm[k] = c?.range ?? Number.NaN;
    radialKm[k] = c?.r ?? Number.NaN;
    inTrackKm[k] = c?.t ?? Number.NaN;
    crossTrackKm[k] = c?.n ?? Number.NaN;
  }
  return { start: t0, stepMin, timeMin, rangeKm, radialKm, inTrackKm, crossTrackKm };
}

/** Angle between the orbit planes of two element sets at time t (J2 node regression applied), rad. */
export function planeAngleAt(a: ElementSet, b: ElementSet, t: UtcJulianDate): number {
  const pa = prefilterEntry(0, a, t);
  const pb = prefilterEntry(0, b, t);
  return Math.acos(Math.min(1, pa.hx * pb.hx + pa.hy * pb.hy + pa.hz * pb.hz));
}

/** Prefilter quantities of one element set at the window start. */
function prefilterEntry(obj: number, e: ElementSet, start: UtcJulianDate): PrefilterEntry {
  const a = semiMajorAxisKm(e);
  const ecc = e.eccentricity;
  const p = a * (1 - ecc * ecc);
  // J2 secular node rate (Vallado 2013 eq. 9-41), rad/min, carried to the window start.
  const nodeRate = -1.5 * e.meanMotionRadPerMin * J2 * (RE_KM / p) ** 2 * Math.cos(e.inclinationRad);
  const raan = e.raanRad + nodeRate * minutesSinceEpoch(e.epoch, start.jd, start.jdFrac);
  const si = Math.sin(e.inclinationRad);
  return {
    obj,
    aKm: a,
    perigeeKm: a * (1 - ecc),
    apogeeKm: a * (1 + ecc),
    geo: rpoRegime(e) === 'GEO',
    hx: si * Math.sin(raan),
    hy: -si * Math.cos(raan),
    hz: Math.cos(e.inclinationRad),
  };
}

/**
 * Candidate pairs (object indices, lower first): |Δa| ≤ PREFILTER_MAX_DA_KM, perigee/apogee shells
 * within SHADOW_RANGE_KM, planes within PREFILTER_MAX_PLANE_DEG (not for two GEO objects). Sorted
 * sweep over a.
 */
export function prefilterPairs(entries: readonly PrefilterEntry[]): [number, number][] {
  const order = entries.map((_, i) => i).sort((x, y) => entries[x]!.aKm - entries[y]!.aKm);
  const cosMax = Math.cos((PREFILTER_MAX_PLANE_DEG * Math.PI) / 180);
  const seen = new Set<number>();
  const out: [number, number][] = [];
  const nObj = entries.reduce((mx, e) => Math.max(mx, e.obj + 1), 0);
  for (let x = 0; x < order.length; x++) {
    const p = entries[order[x]!]!;
    for (let y = x + 1; y < order.length; y++) {
      const q = entries[order[y]!]!;
      if (q.aKm - p.aKm > PREFILTER_MAX_DA_KM) break;
      if (q.obj === p.obj) continue;
      if (!(p.geo && q.geo) && p.hx * q.hx + p.hy * q.hy + p.hz * q.hz < cosMax) continue;
      if (q.perigeeKm > p.apogeeKm + SHADOW_RANGE_KM || p.perigeeKm > q.apogeeKm + SHADOW_RANGE_KM) continue;
      const lo = Math.min(p.obj, q.obj);
      const hi = Math.max(p.obj, q.obj);
      const key = lo * nObj + hi;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push([lo, hi]);
    }
  }
  return out;
}

/**
 * Samples an object at `start + t0Min + k·stepMin` (k < m) into `out` (TEME km, km/s), each
 * sample from the set in force: the latest epoch at or before it, else the earliest set.
 */
function sampleObject(
  obj: RpoObject,
  start: UtcJulianDate,
  t0Min: number,
  stepMin: number,
  m: number,
  out: StateBatch,
): void {
  const sets = obj.sets;
  let k0 = 0;
  for (let s = 0; s < sets.length && k0 < m; s++) {
    let k1 = m;
    const next = sets[s + 1];
    if (next !== undefined) {
      const tNext = -minutesSinceEpoch(next.epoch, start.jd, start.jdFrac);
      k1 = Math.min(m, Math.max(k0, Math.ceil((tNext - t0Min) / stepMin)));
    }
    if (k1 > k0) {
      const grid = new Float64Array(k1 - k0);
      for (let k = k0; k < k1; k++) grid[k - k0] = t0Min + k * stepMin;
      const offset = new Float64Array([minutesSinceEpoch(sets[s]!.epoch, start.jd, start.jdFrac)]);
      propagateBatch([obj.recs[s]!], offset, grid, out, 0, 1, k0);
      k0 = k1;
    }
  }
}

/** Maximal runs of samples where `inside(k)` holds: [first, last] index pairs. */
function runs(m: number, inside: (k: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  let s = -1;
  for (let k = 0; k < m; k++) {
    if (inside(k)) {
      if (s < 0) s = k;
    } else if (s >= 0) {
      out.push([s, k - 1]);
      s = -1;
    }
  }
  if (s >= 0) out.push([s, m - 1]);
  return out;
}

function setAt(obj: RpoObject, t: UtcJulianDate): ElementSet {
  let s = obj.sets[0]!;
  for (const e of obj.sets) if (daysBetween(e.epoch, t) >= 0) s = e;
  return s;
}

function classifyPair(
  A: RpoObject,
  B: RpoObject,
  range: Float64Array,
  dlon: Float64Array,
  dlat: Float64Array,
  m: number,
  start: UtcJulianDate,
  maneuvers: readonly RpoManeuver[],
  owners: ReadonlyMap<string, string> | undefined,
): RpoFinding | undefined {
  const stepH = SAMPLE_STEP_MIN / 60;
  const ra = rpoRegime(A.latest);
  const rb = rpoRegime(B.latest);
  // A pair's regime: GEO when both are, else the lower object's (LEO rules need both in LEO).
  const regime: RpoRegime = ra === rb ? ra : ra === 'LEO' || rb === 'LEO' ? 'LEO' : 'other';
  const prox = runs(m, (k) => range[k]! <= PROXIMITY_KM);
  let bestProx: [number, number] | undefined;
  for (const r of prox) if (bestProx === undefined || r[1] - r[0] > bestProx[1] - bestProx[0]) bestProx = r;
  const proxHours = bestProx === undefined ? 0 : (bestProx[1] - bestProx[0]) * stepH;
  let kind: RpoFindingKind | undefined;
  let episode: [number, number] | undefined;
  let score = 0;
  let threshold = 0;
  let persistence = 0;
  let meanDlon: number | undefined;
  let geoColocated = false;
  if (regime === 'GEO') {
    let inBox = 0;
    let sum = 0;
    for (let k = 0; k < m; k++) {
      if (dlon[k]! <= COLOCATION_DEG && dlat[k]! <= COLOCATION_DEG) inBox++;
      sum += dlon[k]!;
    }
    meanDlon = sum / m;
    const frac = inBox / m;
    geoColocated = frac >= COLOCATION_FRACTION;
    if (geoColocated && proxHours < PROXIMITY_MIN_HOURS) {
      const box = runs(m, (k) => dlon[k]! <= COLOCATION_DEG && dlat[k]! <= COLOCATION_DEG);
      kind = 'co-location';
      episode = [box[0]![0], box[box.length - 1]![1]];
      score = frac;
      threshold = COLOCATION_FRACTION;
      persistence = frac;
    }
  }
  if (kind === undefined && bestProx !== undefined && proxHours >= PROXIMITY_MIN_HOURS) {
    kind = 'persistent-proximity';
    episode = bestProx;
    score = proxHours;
    threshold = PROXIMITY_MIN_HOURS;
  }
  if (kind === undefined && regime === 'LEO') {
    let inside = 0;
    for (let k = 0; k < m; k++) if (range[k]! <= SHADOW_RANGE_KM) inside++;
    const frac = inside / m;
    if (frac >= SHADOW_FRACTION) {
      const r = runs(m, (k) => range[k]! <= SHADOW_RANGE_KM);
      kind = 'shadowing';
      episode = [r[0]![0], r[r.length - 1]![1]];
      score = frac;
      threshold = SHADOW_FRACTION;
    }
  }
  // Repeated approaches: passes spread over more than a day (a single slow drift through a
  // co-planar neighbour gives several passes within hours: one encounter, screening's business).
  if (
    kind === undefined &&
    prox.length >= REPEATED_MIN_PASSES &&
    (prox[prox.length - 1]![0] - prox[0]![0]) * stepH >= REPEATED_MIN_SPAN_HOURS
  ) {
    kind = 'repeated-approaches';
    episode = [prox[0]![0], prox[prox.length - 1]![1]];
    score = prox.length;
    threshold = REPEATED_MIN_PASSES;
  }
  if (kind === undefined || episode === undefined) return undefined;
  if (persistence === 0) {
    let inside = 0;
    const lim = kind === 'shadowing' ? SHADOW_RANGE_KM : PROXIMITY_KM;
    for (let k = 0; k < m; k++) if (range[k]! <= lim) inside++;
    persistence = inside / m;
  }
  const tAt = (k: number) => normaliseJulian(start.jd, start.jdFrac + (k * SAMPLE_STEP_MIN) / 1440);
  const epStart = tAt(episode[0]);
  const epEnd = tAt(episode[1]);

  // Maneuvers that led to it: either object, from SYNC_LOOKBACK_DAYS before the episode to its end.
  const ms = maneuvers.filter((x) => {
    if (x.catalogNumber !== A.catalogNumber && x.catalogNumber !== B.catalogNumber) return false;
    const t = parseUtcString(x.timeUtc)!;
    return daysBetween(epStart, t) >= -SYNC_LOOKBACK_DAYS && daysBetween(t, epEnd) >= 0;
  });
  // Target and chaser: the maneuvering object chases; else the lower catalog number is the target.
  let target = Number(A.catalogNumber) <= Number(B.catalogNumber) ? A : B;
  let chaser = target === A ? B : A;
  const chaserMoves = ms.filter((x) => x.catalogNumber === chaser.catalogNumber).length;
  const targetMoves = ms.filter((x) => x.catalogNumber === target.catalogNumber).length;
  if (targetMoves > chaserMoves) [target, chaser] = [chaser, target];

  const ea = setAt(target, epEnd);
  const eb = setAt(chaser, epEnd);
  const dn = Math.abs(ea.meanMotionRadPerMin - eb.meanMotionRadPerMin);
  const synodicPeriodDays = dn === 0 ? Number.POSITIVE_INFINITY : (2 * Math.PI) / dn / 1440;
  const pa = prefilterEntry(0, ea, epEnd);
  const pb = prefilterEntry(0, eb, epEnd);
  const cosT = Math.min(1, pa.hx * pb.hx + pa.hy * pb.hy + pa.hz * pb.hz);
  const planeAngleRad = Math.acos(cosT);
  const deltaAKm = Math.abs(pa.aKm - pb.aKm);
  if (ms.some((x) => x.catalogNumber === chaser.catalogNumber)) {
    kind = 'orbit-synchronisation';
  }

  // Relative motion over the episode, target RTN frame.
  const motion = relativeMotion(target, chaser, start, episode);
  if (kind === 'repeated-approaches' && !(motion.relativeSpeedAtMinKmS <= REPEATED_MAX_SPEED_KMS))
    return undefined;
  let maxR = 0;
  let minR = Number.POSITIVE_INFINITY;
  let allProx = true;
  let sumR = 0;
  let nR = 0;
  for (let k = 0; k < m; k++) {
    const r = range[k]!;
    if (Number.isNaN(r)) continue;
    sumR += r;
    nR++;
    if (r > maxR) maxR = r;
    if (r < minR) minR = r;
    if (r > PROXIMITY_KM) allProx = false;
  }
  const labels = pairLabels(target.latest, chaser.latest, {
    maxRangeKm: maxR,
    minRangeKm: minR,
    deltaAKm,
    planeAngleRad,
    meanRangeKm: sumR / Math.max(nR, 1),
    geo: regime === 'GEO',
    leo: ra === 'LEO' && rb === 'LEO',
    boundedWholeWindow: allProx,
    geoColocated,
    owners: [owners?.get(target.catalogNumber), owners?.get(chaser.catalogNumber)],
  });
  const ref = (o: RpoObject) => {
    const e = o.latest;
    return {
      catalogNumber: o.catalogNumber,
      ...(e.name === undefined ? {} : { name: e.name }),
      ...(e.intlDesignator === undefined ? {} : { intlDesignator: e.intlDesignator }),
    };
  };
  const epochs = (o: RpoObject) => o.sets.map((s) => formatUtcIso(s.epoch));
  const base = {
    target: ref(target),
    chaser: ref(chaser),
    kind,
    regime,
    start: epStart,
    end: epEnd,
    startUtc: formatUtcIso(epStart),
    endUtc: formatUtcIso(epEnd),
    ...motion,
    persistence,
    passes: prox.length,
    synodicPeriodDays,
    deltaAKm,
    planeAngleDeg: (planeAngleRad * 180) / Math.PI,
    score,
    threshold,
    labels,
    alarm: labels.length === 0 || kind === 'orbit-synchronisation',
    maneuvers: ms,
    epochsUsed: { target: epochs(target), chaser: epochs(chaser) },
  };
  return meanDlon === undefined ? base : { ...base, meanDeltaLongitudeDeg: meanDlon };
}

/** Range, closing speed and RTN statistics of the chaser about the target over an episode. */
function relativeMotion(
  target: RpoObject,
  chaser: RpoObject,
  start: UtcJulianDate,
  episode: [number, number],
): Pick<
  RpoFinding,
  'minRangeKm' | 'minRangeUtc' | 'meanRangeKm' | 'relativeSpeedAtMinKmS' | 'maxClosingSpeedKmS' | 'rtnKm'
> {
  const m = episode[1] - episode[0] + 1;
  const t0 = episode[0] * SAMPLE_STEP_MIN;
  const ta = createStateBatch(m);
  const tb = createStateBatch(m);
  for (const o of [target, chaser])
    if (o.recs.length !== o.sets.length) o.recs = o.sets.map((s) => sgp4Init(s));
  sampleObject(target, start, t0, SAMPLE_STEP_MIN, m, ta);
  sampleObject(chaser, start, t0, SAMPLE_STEP_MIN, m, tb);
  const acc = { R: [0, Infinity, -Infinity], T: [0, Infinity, -Infinity], N: [0, Infinity, -Infinity] };
  let sumRange = 0;
  let count = 0;
  let kMin = -1;
  let minRange = Number.POSITIVE_INFINITY;
  let maxClosing = 0;
  for (let k = 0; k < m; k++) {
    const c = rtnOf(ta, tb, k);
    if (c === undefined) continue;
    count++;
    sumRange += c.range;
    if (c.range < minRange) {
      minRange = c.range;
      kMin = k;
    }
    if (-c.rangeRate > maxClosing) maxClosing = -c.rangeRate;
    for (const [key, v] of [
      ['R', c.r],
      ['T', c.t],
      ['N', c.n],
    ] as const) {
      const s = acc[key];
      s[0] = s[0]! + v;
      if (v < s[1]!) s[1] = v;
      if (v > s[2]!) s[2] = v;
    }
  }
  // Refine the minimum on a SAMPLE_REFINE_S grid over ± one step, inside the episode (its first to
  // its last sample): the finding's minimum lies in the window it reports.
  const tLast = t0 + (m - 1) * SAMPLE_STEP_MIN;
  let relSpeed = Number.NaN;
  let tMinMin = t0 + kMin * SAMPLE_STEP_MIN;
  if (kMin >= 0) {
    const stepMin = SAMPLE_REFINE_S / 60;
    const mm = Math.round((2 * SAMPLE_STEP_MIN) / stepMin) + 1;
    const ra = createStateBatch(mm);
    const rb = createStateBatch(mm);
    const from = t0 + (kMin - 1) * SAMPLE_STEP_MIN;
    sampleObject(target, start, from, stepMin, mm, ra);
    sampleObject(chaser, start, from, stepMin, mm, rb);
    for (let k = 0; k < mm; k++) {
      const t = from + k * stepMin;
      if (t < t0 - 1e-9 || t > tLast + 1e-9) continue;
      const c = rtnOf(ra, rb, k);
      if (c !== undefined && c.range <= minRange) {
        minRange = c.range;
        relSpeed = c.speed;
        tMinMin = from + k * stepMin;
      }
    }
  }
  const ext = (s: number[]): RtnExtent => ({ mean: s[0]! / Math.max(count, 1), min: s[1]!, max: s[2]! });
  return {
    minRangeKm: minRange,
    minRangeUtc: formatUtcIso(normaliseJulian(start.jd, start.jdFrac + tMinMin / 1440)),
    meanRangeKm: sumRange / Math.max(count, 1),
    relativeSpeedAtMinKmS: relSpeed,
    maxClosingSpeedKmS: maxClosing,
    rtnKm: { radial: ext(acc.R), inTrack: ext(acc.T), crossTrack: ext(acc.N) },
  };
}

/** Chaser (b) relative to target (a) at sample k: RTN position, range, range rate, relative speed. */
function rtnOf(
  a: StateBatch,
  b: StateBatch,
  k: number,
): { r: number; t: number; n: number; range: number; rangeRate: number; speed: number } | undefined {
  if (a.status[k] !== 0 || b.status[k] !== 0) return undefined;
  const rx = a.x[k]!;
  const ry = a.y[k]!;
  const rz = a.z[k]!;
  const vx = a.vx[k]!;
  const vy = a.vy[k]!;
  const vz = a.vz[k]!;
  const dx = b.x[k]! - rx;
  const dy = b.y[k]! - ry;
  const dz = b.z[k]! - rz;
  const dvx = b.vx[k]! - vx;
  const dvy = b.vy[k]! - vy;
  const dvz = b.vz[k]! - vz;
  const rn = Math.hypot(rx, ry, rz);
  const Rx = rx / rn;
  const Ry = ry / rn;
  const Rz = rz / rn;
  let hx = ry * vz - rz * vy;
  let hy = rz * vx - rx * vz;
  let hz = rx * vy - ry * vx;
  const hn = Math.hypot(hx, hy, hz);
  hx /= hn;
  hy /= hn;
  hz /= hn;
  const Tx = hy * Rz - hz * Ry;
  const Ty = hz * Rx - hx * Rz;
  const Tz = hx * Ry - hy * Rx;
  const range = Math.hypot(dx, dy, dz);
  return {
    r: dx * Rx + dy * Ry + dz * Rz,
    t: dx * Tx + dy * Ty + dz * Tz,
    n: dx * hx + dy * hy + dz * hz,
    range,
    rangeRate: range > 0 ? (dx * dvx + dy * dvy + dz * dvz) / range : 0,
    speed: Math.hypot(dvx, dvy, dvz),
  };
}
