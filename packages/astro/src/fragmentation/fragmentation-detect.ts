/**
 * Fragmentation detection from two states of the catalog (domain research §2.1): the objects new
 * in `after` are grouped by common origin and each group gets its likely parent.
 *
 * 1. New objects: catalog numbers in `after` and not in `before` (or the list the store's diff
 *    gives, `newIds`).
 * 2. Launch groups (the strong evidence, domain §2.1 "new catalogue entries sharing a parent
 *    international designator"): new pieces of a launch that already had objects in `before` are
 *    debris of one of those objects (new pieces of 1982-092 in 2021 are Kosmos 1408 debris). New
 *    objects of a launch with nothing in `before` are a new launch, not a fragmentation, and are
 *    left out.
 * 3. Objects without a designator are attached to the `before` object whose orbit they share: plane
 *    within PLANE_TOLERANCE_DEG after carrying both nodes to the fragment's epoch with their J2
 *    rates, and an orbit crossing the parent's (perigee at most the parent's apogee and apogee at
 *    least its perigee, ± CROSSING_MARGIN_KM). Early after an event fragments share i and Ω within
 *    0.1–0.5° (domain §2.1 [P]); 1° leaves room for element-set noise and a week or two of
 *    differential nodal drift (dΩ̇/da ≈ −3.5·Ω̇/a: 0.03°/day for Δa = 50 km in LEO).
 * 4. Parent choice inside a launch group: among the `before` objects whose orbit at least
 *    PARENT_MIN_CROSSING of the fragments cross (the "pinch point" test of §2.1), the one with the
 *    smallest median plane angle to the fragments (nodes carried with J2); an object that left the
 *    catalog or changed its mean motion by more than MEAN_MOTION_CHANGE (the parent signature of
 *    §2.1) is named in the evidence.
 * 5. A group is reported when it has at least `minFragments` (default MIN_CLUSTER_FRAGMENTS)
 *    objects: a single new piece of an old launch is often a late cataloguing, not a breakup.
 *
 * Δv per fragment from the Gabbard relation ΔP/P = 3·Δv_T/v against the parent's period
 * (along-track only; the radial and cross-track parts need the epoch, see fragmentation-origin.ts).
 */
import type { ElementSet } from '../elements/element-set.js';
import { formatUtcIso } from '../elements/utc-calendar.js';
import { type GabbardPoint, gabbardDeltaVKmS, gabbardPoints } from './gabbard.js';
import { orbitShape, planeAngle, raanAt } from './orbit-shape.js';
import { quantile } from './robust-stats.js';

/** Smallest group reported (see the header). */
export const MIN_CLUSTER_FRAGMENTS = 5;
/** Plane match for fragments without a designator, degrees (see the header). */
export const PLANE_TOLERANCE_DEG = 1;
/** Margin of the orbit-crossing test, km (element-set noise in perigee/apogee heights). */
export const CROSSING_MARGIN_KM = 10;
/**
 * A parent candidate must have its orbit crossed by at least this fraction of the fragments: fresh
 * fragments all pass through the breakup point on the parent's orbit; half leaves room for sets of
 * decayed or manoeuvring pieces and for old debris whose perigees have fallen.
 */
export const PARENT_MIN_CROSSING = 0.5;
/** Relative mean-motion change between the two states that counts as a parent signature. */
export const MEAN_MOTION_CHANGE = 1e-3;

export const FRAGMENTATION_DETECTOR = 'hoshimi-fragmentation';
export const FRAGMENTATION_DETECTOR_VERSION = '1.0.0';

export interface FragmentationDetectOptions {
  /** Catalog numbers to treat as new (e.g. the store's diff); default: in `after`, not in `before`. */
  readonly newIds?: readonly string[];
  readonly minFragments?: number;
}

export interface ParentCandidate {
  readonly catalogNumber: string;
  readonly name?: string;
  readonly intlDesignator?: string;
  /** The parent's set in `before` (the latest one). */
  readonly elements: ElementSet;
  /** Fraction of fragments whose orbits cross the parent's. */
  readonly crossingFraction: number;
  /** Median plane angle between fragments and parent (nodes at each fragment's epoch), degrees. */
  readonly medianPlaneAngleDeg: number;
  /** Reasons, for a reader: 'same launch 1982-092', 'left the catalog', 'mean motion changed 0.3 %'. */
  readonly evidence: readonly string[];
}

export interface FragmentationCluster {
  /** Launch code 'YYYY-NNN' shared by the fragments, when the group is a launch group. */
  readonly launch?: string;
  readonly parent?: ParentCandidate;
  /** The fragments' sets in `after` (latest per object), by catalog number. */
  readonly fragments: readonly ElementSet[];
  readonly fragmentCount: number;
  /** Earliest and latest fragment epochs, ISO UTC. */
  readonly firstEpochUtc: string;
  readonly lastEpochUtc: string;
  /** Inclination and node spread of the fragments (interquartile ranges, nodes carried to one epoch), degrees. */
  readonly inclinationIqrDeg: number;
  readonly raanIqrDeg: number;
  /** Along-track Δv from the Gabbard relation against the parent, km/s: 10 %, 50 %, 90 % quantiles of |Δv_T|. */
  readonly dvAlongTrackQuantilesKmS?: readonly [number, number, number];
  /**
   * Fraction of the fragments whose catalog name says debris ('DEB', 'COOLANT'): objects released on
   * purpose (cubesats deployed from a station, dispensers) share a launch code too; a low fraction
   * says "deployment, not breakup" to the reader.
   */
  readonly debrisNamedFraction: number;
  /** Gabbard diagram points (parent first when known). */
  readonly gabbard: readonly GabbardPoint[];
}

/** 'YYYY-NNN' of a COSPAR designator 'YYYY-NNNP..', undefined when absent or malformed. */
export function launchCode(intl: string | undefined): string | undefined {
  if (intl === undefined) return undefined;
  const m = /^(\d{4}-\d{3})/.exec(intl.trim());
  return m?.[1];
}

/** The latest set per catalog number. */
function latestPerObject(sets: readonly ElementSet[]): Map<string, ElementSet> {
  const out = new Map<string, ElementSet>();
  for (const s of sets) {
    const b = out.get(s.catalogNumber);
    if (b === undefined || s.epoch.jd + s.epoch.jdFrac > b.epoch.jd + b.epoch.jdFrac)
      out.set(s.catalogNumber, s);
  }
  return out;
}

const DEG = Math.PI / 180;

function crosses(f: ElementSet, p: ElementSet): boolean {
  const fs = orbitShape(f);
  const ps = orbitShape(p);
  return fs.perigeeKm <= ps.apogeeKm + CROSSING_MARGIN_KM && fs.apogeeKm >= ps.perigeeKm - CROSSING_MARGIN_KM;
}

/** Plane angle between a fragment and a parent with the parent's node carried to the fragment's epoch, rad. */
function planeAngleAtFragment(f: ElementSet, p: ElementSet): number {
  const ps = orbitShape(p);
  return planeAngle(f.inclinationRad, f.raanRad, p.inclinationRad, raanAt(p, ps, f.epoch));
}

function scoreParent(
  p: ElementSet,
  frags: readonly ElementSet[],
  afterById: ReadonlyMap<string, ElementSet>,
  launch: string | undefined,
): ParentCandidate {
  let crossing = 0;
  const angles: number[] = [];
  for (const f of frags) {
    if (crosses(f, p)) crossing++;
    angles.push(planeAngleAtFragment(f, p) / DEG);
  }
  const evidence: string[] = [];
  if (launch !== undefined) evidence.push(`same launch ${launch}`);
  const later = afterById.get(p.catalogNumber);
  if (later === undefined) evidence.push('left the catalog');
  else {
    const change = later.meanMotionRadPerMin / p.meanMotionRadPerMin - 1;
    if (Math.abs(change) > MEAN_MOTION_CHANGE)
      evidence.push(`mean motion changed ${(change * 100).toFixed(2)} %`);
  }
  const fraction = frags.length === 0 ? 0 : crossing / frags.length;
  evidence.push(`${(fraction * 100).toFixed(0)} % of fragment orbits cross its orbit`);
  const median = quantile(angles, 0.5);
  evidence.push(`median plane angle ${median.toFixed(2)}°`);
  return {
    catalogNumber: p.catalogNumber,
    ...(p.name === undefined ? {} : { name: p.name }),
    ...(p.intlDesignator === undefined ? {} : { intlDesignator: p.intlDesignator }),
    elements: p,
    crossingFraction: fraction,
    medianPlaneAngleDeg: median,
    evidence,
  };
}

function bestParent(cands: readonly ParentCandidate[]): ParentCandidate | undefined {
  // Among the objects whose orbit at least PARENT_MIN_CROSSING of the fragments cross (all of them
  // when none does), the closest plane; a tie (within 0.01°) goes to the larger crossing fraction.
  const crossing = cands.filter((c) => c.crossingFraction >= PARENT_MIN_CROSSING);
  const pool = crossing.length > 0 ? crossing : cands;
  let best: ParentCandidate | undefined;
  for (const c of pool) {
    if (
      best === undefined ||
      c.medianPlaneAngleDeg < best.medianPlaneAngleDeg - 0.01 ||
      (Math.abs(c.medianPlaneAngleDeg - best.medianPlaneAngleDeg) <= 0.01 &&
        c.crossingFraction > best.crossingFraction)
    ) {
      best = c;
    }
  }
  return best;
}

function iqr(values: readonly number[]): number {
  return quantile(values, 0.75) - quantile(values, 0.25);
}

function makeCluster(
  frags: ElementSet[],
  parent: ParentCandidate | undefined,
  launch: string | undefined,
): FragmentationCluster {
  frags.sort((a, b) => Number(a.catalogNumber) - Number(b.catalogNumber));
  let first = frags[0]!;
  let last = frags[0]!;
  for (const f of frags) {
    if (f.epoch.jd + f.epoch.jdFrac < first.epoch.jd + first.epoch.jdFrac) first = f;
    if (f.epoch.jd + f.epoch.jdFrac > last.epoch.jd + last.epoch.jdFrac) last = f;
  }
  // Nodes carried to the latest epoch, each with its own J2 rate; spread as IQR of the wrapped offsets.
  const nodes = frags.map((f) => raanAt(f, orbitShape(f), last.epoch));
  const ref = nodes[0]!;
  const offsets = nodes.map((n) => {
    let d = n - ref;
    while (d > Math.PI) d -= 2 * Math.PI;
    while (d <= -Math.PI) d += 2 * Math.PI;
    return d / DEG;
  });
  let dvs: [number, number, number] | undefined;
  if (parent !== undefined) {
    const pp = orbitShape(parent.elements).periodMin;
    const dv = frags.map((f) => Math.abs(gabbardDeltaVKmS(pp, orbitShape(f).periodMin)));
    dvs = [quantile(dv, 0.1), quantile(dv, 0.5), quantile(dv, 0.9)];
  }
  return {
    ...(launch === undefined ? {} : { launch }),
    ...(parent === undefined ? {} : { parent }),
    fragments: frags,
    fragmentCount: frags.length,
    firstEpochUtc: formatUtcIso(first.epoch, 3),
    lastEpochUtc: formatUtcIso(last.epoch, 3),
    inclinationIqrDeg: iqr(frags.map((f) => f.inclinationRad / DEG)),
    debrisNamedFraction: frags.filter((f) => /\bDEB\b|COOLANT/i.test(f.name ?? '')).length / frags.length,
    raanIqrDeg: iqr(offsets),
    ...(dvs === undefined ? {} : { dvAlongTrackQuantilesKmS: dvs }),
    gabbard: gabbardPoints(frags, parent?.elements),
  };
}

/**
 * Clusters of new objects with a common origin between two catalog states (method in the module
 * header), largest first.
 */
export function detectFragmentations(
  before: readonly ElementSet[],
  after: readonly ElementSet[],
  options: FragmentationDetectOptions = {},
): FragmentationCluster[] {
  const minFragments = options.minFragments ?? MIN_CLUSTER_FRAGMENTS;
  const beforeById = latestPerObject(before);
  const afterById = latestPerObject(after);
  const newIds = new Set(options.newIds ?? [...afterById.keys()].filter((id) => !beforeById.has(id)));
  const beforeByLaunch = new Map<string, ElementSet[]>();
  for (const s of beforeById.values()) {
    const l = launchCode(s.intlDesignator);
    if (l === undefined) continue;
    const list = beforeByLaunch.get(l);
    if (list === undefined) beforeByLaunch.set(l, [s]);
    else list.push(s);
  }
  const byLaunch = new Map<string, ElementSet[]>();
  const undesignated: ElementSet[] = [];
  for (const id of newIds) {
    const s = afterById.get(id);
    if (s === undefined) continue;
    const l = launchCode(s.intlDesignator);
    if (l === undefined) {
      undesignated.push(s);
      continue;
    }
    if (!beforeByLaunch.has(l)) continue; // a new launch, not a fragmentation
    const list = byLaunch.get(l);
    if (list === undefined) byLaunch.set(l, [s]);
    else list.push(s);
  }
  const clusters: FragmentationCluster[] = [];
  for (const [launch, frags] of byLaunch) {
    if (frags.length < minFragments) continue;
    const cands = (beforeByLaunch.get(launch) ?? []).map((p) => scoreParent(p, frags, afterById, launch));
    clusters.push(makeCluster(frags, bestParent(cands), launch));
  }
  // Undesignated objects: attach each to the before-object whose plane and orbit it shares.
  if (undesignated.length > 0) {
    const groups = new Map<string, ElementSet[]>();
    const beforeList = [...beforeById.values()];
    const beforeShapes = beforeList.map((p) => orbitShape(p));
    for (const f of undesignated) {
      let best = -1;
      let bestAngle = PLANE_TOLERANCE_DEG * DEG;
      for (let j = 0; j < beforeList.length; j++) {
        const p = beforeList[j]!;
        if (Math.abs(p.inclinationRad - f.inclinationRad) > bestAngle) continue;
        const angle = planeAngle(
          f.inclinationRad,
          f.raanRad,
          p.inclinationRad,
          raanAt(p, beforeShapes[j]!, f.epoch),
        );
        if (angle <= bestAngle && crosses(f, p)) {
          bestAngle = angle;
          best = j;
        }
      }
      if (best < 0) continue;
      const id = beforeList[best]!.catalogNumber;
      const list = groups.get(id);
      if (list === undefined) groups.set(id, [f]);
      else list.push(f);
    }
    for (const [id, frags] of groups) {
      if (frags.length < minFragments) continue;
      const p = beforeById.get(id)!;
      clusters.push(makeCluster(frags, scoreParent(p, frags, afterById, undefined), undefined));
    }
  }
  return clusters.sort((a, b) => b.fragmentCount - a.fragmentCount);
}
