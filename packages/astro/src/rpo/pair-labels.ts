/**
 * Labels that explain why two catalog objects are close without anything hostile going on: the
 * same launch, attached (docked, berthed) objects, formation flying, constellation neighbours and
 * GEO operator clusters. RPO findings and screening reports carry these labels; a finding with no
 * label is an alarm for an analyst, a labelled one is context.
 *
 * Each label is a plain rule on the catalog data and the sampled relative motion, with its reason
 * written out (a reader can check it):
 * - same-launch: equal international designator launch part (YYYY-NNN, COSPAR);
 * - attached: the range stays under ATTACHED_MAX_KM over the whole window and the element sets are
 *   near-identical (|Δa| ≤ ATTACHED_MAX_DA_KM, plane angle ≤ ATTACHED_MAX_PLANE_DEG): docked or
 *   berthed vehicles whose element sets differ only by fit noise, e.g. ISS modules and visitors.
 *   A close formation (TerraSAR-X and TanDEM-X, a few hundred metres apart) has the same element
 *   signature: public element sets cannot tell the two apart, and the reason says so. Above LEO
 *   the GEO rule (mean range, tighter plane angle) applies;
 * - formation: bounded relative motion over the whole window (every sample within the proximity
 *   range), not attached, and the pair shares a launch or a name family (a cooperative pair);
 * - constellation: the same name family (STARLINK, ONEWEB, IRIDIUM, ...), neither named as debris
 *   or rocket body, in near-equal planes;
 * - operator-cluster: a GEO co-location whose two objects share a name family (ASTRA, HOT BIRD, ...).
 */
import type { ElementSet } from '../elements/element-set.js';

/** Why a pair is explained. */
export type PairLabelKind =
  | 'same-launch'
  | 'attached'
  | 'formation'
  | 'constellation'
  | 'operator-cluster'
  | 'passive-pair';

export interface PairLabel {
  readonly kind: PairLabelKind;
  /** The rule that matched, with the numbers it matched on. */
  readonly reason: string;
}

/**
 * Attached: the range never exceeds this over the window, km. Element sets of docked vehicles are
 * fitted separately; over a few days their SGP4 positions drift apart by fit noise of a few km in
 * track (ISS with its visitors in the 2023-10-09 catalog: at most 4.1 km over 3 days, see the tests).
 */
export const ATTACHED_MAX_KM = 10;
/**
 * Attached in GEO: public GEO element sets carry tens of km of error (domain §3.4), so the range
 * test is on the mean range, with a tighter plane test: docked objects share one orbit plane, and
 * separately fitted sets of one GEO orbit agree in plane to a few thousandths of a degree (the
 * servicing vehicles MEV-1/-2 docked to Intelsat 901/1002: 0.002–0.003°, mean range 9.5–11 km over
 * 3 days), while co-located but separate satellites of the 2023-10-09 catalog differ by ≥ 0.011°
 * and ≥ 21 km mean range. The margin is narrow: the label says so in its reason.
 */
export const ATTACHED_GEO_MAX_MEAN_KM = 15;
export const ATTACHED_GEO_MAX_PLANE_DEG = 0.005;
/** Attached: |Δa| of the mean elements at most this, km (docked vehicles share one orbit). */
export const ATTACHED_MAX_DA_KM = 1;
/** Attached: angle between the orbit planes at most this, degrees. */
export const ATTACHED_MAX_PLANE_DEG = 0.05;

/** The launch part of a COSPAR designator ("1998-067" of "1998-067A"), or undefined. */
export function launchOf(intlDesignator: string | undefined): string | undefined {
  if (intlDesignator === undefined) return undefined;
  const m = /^(\d{4}-\d{3})/.exec(intlDesignator.trim());
  return m?.[1];
}

/** Names that say nothing about the operator. */
const GENERIC_FAMILIES = new Set(['OBJECT', 'DEB', 'TBA', 'UNKNOWN', 'COSMOS', 'USA', 'SL']);

/**
 * The name family: the leading words of the name up to the first word with a digit ("STARLINK-1234"
 * → STARLINK, "IRIDIUM 106" → IRIDIUM, "HOT BIRD 13E" → HOT BIRD; a first word with two letters
 * counts even with digits: "O3B FM13" → O3B), undefined for debris, rocket bodies and generic names.
 */
export function nameFamily(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const n = name.trim().toUpperCase();
  if (n === '' || /\bDEB\b|R\/B|\bAKM\b|\bPKM\b/.test(n)) return undefined;
  const words: string[] = [];
  for (const w of n.replace(/\(.*?\)/g, ' ').split(/[\s\-_]+/)) {
    if (w === '') continue;
    // The first word counts even with digits in it (O3B, 4S); later words with digits end the family.
    if (/\d/.test(w) && (words.length > 0 || !/[A-Z].*[A-Z]/.test(w))) break;
    words.push(w);
  }
  const fam = words.join(' ');
  if (fam.length < 2 || GENERIC_FAMILIES.has(fam)) return undefined;
  return fam;
}

/** What the labels need about a pair's relative motion over the window. */
export interface PairMotionSummary {
  /** Largest, smallest and mean sampled range over the window, km. */
  readonly maxRangeKm: number;
  readonly meanRangeKm: number;
  /** Both objects geosynchronous. */
  readonly geo: boolean;
  /** Both objects in LEO (the 10 km range rule is calibrated there; elsewhere the GEO rule applies). */
  readonly leo: boolean;
  readonly minRangeKm: number;
  /** |Δa| of the mean elements, km, and the angle between the orbit planes, rad. */
  readonly deltaAKm: number;
  readonly planeAngleRad: number;
  /** Every sample within the proximity range. */
  readonly boundedWholeWindow: boolean;
  /** GEO co-location found for the pair. */
  readonly geoColocated: boolean;
  /** Owners (e.g. SATCAT owner codes) of the two objects, when known. */
  readonly owners?: readonly [string | undefined, string | undefined];
}

/** Debris or rocket body by its catalog name. */
export function isPassiveName(name: string | undefined): boolean {
  return name !== undefined && /\bDEB\b|R\/B|\bAKM\b|\bPKM\b|\bCOOLANT\b/.test(name.toUpperCase());
}

/**
 * Two name families are one when they share a word ("EUTELSAT HOTBIRD" and "HOTBIRD") or when one
 * first word of at least four letters begins the other ("EUTE" and "EUTELSAT").
 */
export function sameFamily(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === b) return true;
  const wa = a.split(' ');
  const wb = b.split(' ');
  if (wa.some((w) => w.length >= 3 && wb.includes(w))) return true;
  const fa = wa[0]!;
  const fb = wb[0]!;
  return (fa.length >= 4 && fb.startsWith(fa)) || (fb.length >= 4 && fa.startsWith(fb));
}

/** The labels of a pair, in a fixed order (attached first: it explains everything else). */
export function pairLabels(a: ElementSet, b: ElementSet, m: PairMotionSummary): PairLabel[] {
  const out: PairLabel[] = [];
  const planeDeg = (m.planeAngleRad * 180) / Math.PI;
  const coarse = !m.leo;
  const attached = coarse
    ? m.meanRangeKm <= ATTACHED_GEO_MAX_MEAN_KM &&
      m.deltaAKm <= ATTACHED_MAX_DA_KM &&
      planeDeg <= ATTACHED_GEO_MAX_PLANE_DEG
    : m.maxRangeKm <= ATTACHED_MAX_KM &&
      m.deltaAKm <= ATTACHED_MAX_DA_KM &&
      planeDeg <= ATTACHED_MAX_PLANE_DEG;
  if (attached) {
    out.push({
      kind: 'attached',
      reason: coarse
        ? `${m.geo ? 'GEO' : 'above LEO'}: mean range ${m.meanRangeKm.toFixed(1)} km ≤ ${ATTACHED_GEO_MAX_MEAN_KM} km, plane angle ${planeDeg.toFixed(4)}° ≤ ${ATTACHED_GEO_MAX_PLANE_DEG}°, |Δa| ${m.deltaAKm.toFixed(2)} km: one orbit: docked, attached or in close formation (element sets cannot tell these apart; coarse above LEO: low confidence)`
        : `range ≤ ${m.maxRangeKm.toFixed(2)} km over the whole window, |Δa| ${m.deltaAKm.toFixed(3)} km, plane angle ${planeDeg.toFixed(4)}°: near-identical element sets: docked, attached or in close formation (element sets cannot tell these apart)`,
    });
  }
  const la = launchOf(a.intlDesignator);
  const sameLaunch = la !== undefined && la === launchOf(b.intlDesignator);
  if (sameLaunch) out.push({ kind: 'same-launch', reason: `both from launch ${la}` });
  const fa = nameFamily(a.name);
  const fb = nameFamily(b.name);
  const family = sameFamily(fa, fb);
  const oa = m.owners?.[0];
  const sameOwner = oa !== undefined && oa === m.owners?.[1];
  if (isPassiveName(a.name) && isPassiveName(b.name)) {
    out.push({
      kind: 'passive-pair',
      reason: `debris or rocket body both (${a.name} / ${b.name}): neither can maneuver, the motion is natural`,
    });
  }
  if (attached) return out;
  if (m.geoColocated) {
    if (family || sameOwner) {
      out.push({
        kind: 'operator-cluster',
        reason: `GEO co-location of ${family ? `the ${fa} / ${fb} family` : `two satellites of owner ${oa}`}`,
      });
    }
    return out;
  }
  if (m.boundedWholeWindow && (sameLaunch || family)) {
    out.push({
      kind: 'formation',
      reason: `bounded relative motion over the whole window (${m.minRangeKm.toFixed(1)}–${m.maxRangeKm.toFixed(1)} km) between objects of ${sameLaunch ? `launch ${la}` : `the ${fa} family`}`,
    });
  }
  if (family && planeDeg <= 1) {
    out.push({
      kind: 'constellation',
      reason: `both of the ${fa} family, planes ${planeDeg.toFixed(3)}° apart`,
    });
  }
  return out;
}
