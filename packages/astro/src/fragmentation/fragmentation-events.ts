/**
 * Fragmentation findings as DetectionEvent records (events/detection-event.ts), type
 * 'fragmentation': kind 'new-object-cluster' for a detected group of new objects (objects: the
 * parent, when known, then the fragments; window: from the earlier catalog state to the first
 * fragment set; score: the fragment count against the minimum group size), kind 'breakup' for an
 * estimated origin (time: the epoch; window: the bootstrap 95 % interval; score: the median
 * fragment-to-parent distance against MAX_CONVERGED_DISPERSION_KM).
 */
import type { UtcJulianDate } from '../elements/element-set.js';
import { formatUtcIso, normaliseJulian, parseUtcString } from '../elements/utc-calendar.js';
import { type DetectionEvent, jsonEvidence } from '../events/detection-event.js';
import {
  FRAGMENTATION_DETECTOR,
  FRAGMENTATION_DETECTOR_VERSION,
  type FragmentationCluster,
  MIN_CLUSTER_FRAGMENTS,
} from './fragmentation-detect.js';
import { type FragmentationOrigin, MAX_CONVERGED_DISPERSION_KM } from './fragmentation-origin.js';

function iso6(text: string): string {
  const t = parseUtcString(text);
  return t === undefined ? text : formatUtcIso(t, 6);
}

/** One event per cluster; `window.beforeUtc` is the time of the earlier catalog state (ISO UTC). */
export function fragmentationClusterEvents(
  clusters: readonly FragmentationCluster[],
  window: {
    readonly beforeUtc: string;
    readonly afterUtc: string;
    readonly source?: string;
    readonly minFragments?: number;
  },
): DetectionEvent[] {
  const start = iso6(window.beforeUtc);
  return clusters.map((c) => {
    const s = parseUtcString(start);
    const e = parseUtcString(c.firstEpochUtc);
    let end = iso6(c.firstEpochUtc);
    // A first fragment set older than the earlier state (a late cataloguing) leaves the window at the state.
    if (s !== undefined && e !== undefined && e.jd + e.jdFrac < s.jd + s.jdFrac) end = start;
    const mid =
      s !== undefined && e !== undefined && e.jd + e.jdFrac >= s.jd + s.jdFrac
        ? formatUtcIso(normaliseJulian(s.jd, s.jdFrac + 0.5 * (e.jd - s.jd + (e.jdFrac - s.jdFrac))), 6)
        : start;
    return {
      type: 'fragmentation',
      objects: [
        ...(c.parent === undefined ? [] : [c.parent.catalogNumber]),
        ...c.fragments.map((f) => f.catalogNumber),
      ],
      timeUtc: mid,
      windowStartUtc: start,
      windowEndUtc: end,
      kind: 'new-object-cluster',
      score: c.fragmentCount,
      threshold: window.minFragments ?? MIN_CLUSTER_FRAGMENTS,
      detector: FRAGMENTATION_DETECTOR,
      detectorVersion: FRAGMENTATION_DETECTOR_VERSION,
      evidence: jsonEvidence({
        ...(c.launch === undefined ? {} : { launch: c.launch }),
        parent:
          c.parent === undefined
            ? null
            : {
                id: c.parent.catalogNumber,
                name: c.parent.name ?? null,
                crossing_fraction: c.parent.crossingFraction,
                median_plane_angle_deg: c.parent.medianPlaneAngleDeg,
                reasons: c.parent.evidence,
              },
        fragment_count: c.fragmentCount,
        debris_named_fraction: c.debrisNamedFraction,
        inclination_iqr_deg: c.inclinationIqrDeg,
        raan_iqr_deg: c.raanIqrDeg,
        ...(c.dvAlongTrackQuantilesKmS === undefined
          ? {}
          : { dv_along_track_q10_q50_q90_km_s: c.dvAlongTrackQuantilesKmS }),
      }),
      inputs: {
        before_utc: window.beforeUtc,
        after_utc: window.afterUtc,
        ...(window.source === undefined ? {} : { source: window.source }),
        first_fragment_epoch_utc: c.firstEpochUtc,
        last_fragment_epoch_utc: c.lastEpochUtc,
      },
    };
  });
}

/** The event of an estimated breakup origin. */
export function fragmentationOriginEvent(o: FragmentationOrigin, source?: string): DetectionEvent {
  const shift = (s: number): string =>
    formatUtcIso(normaliseJulian(o.epoch.jd, o.epoch.jdFrac + s / 86400), 6);
  const lo = Math.min(0, o.epochInterval95S[0]);
  const hi = Math.max(0, o.epochInterval95S[1]);
  return {
    type: 'fragmentation',
    objects: [o.parentCatalogNumber, ...o.fragments.map((f) => f.catalogNumber)],
    timeUtc: formatUtcIso(o.epoch as UtcJulianDate, 6),
    windowStartUtc: shift(Number.isFinite(lo) ? lo : 0),
    windowEndUtc: shift(Number.isFinite(hi) ? hi : 0),
    kind: 'breakup',
    score: o.dispersionKm,
    threshold: MAX_CONVERGED_DISPERSION_KM,
    detector: FRAGMENTATION_DETECTOR,
    detectorVersion: FRAGMENTATION_DETECTOR_VERSION,
    evidence: jsonEvidence({
      converged: o.converged,
      revolution_resolved: o.revolutionResolved,
      epoch_sigma_s: o.epochSigmaS,
      dispersion_km: o.dispersionKm,
      ...(o.place === undefined
        ? {}
        : {
            lat_deg: o.place.latDeg,
            lon_deg: o.place.lonDeg,
            alt_km: o.place.altKm,
            lat_sigma_deg: o.place.latSigmaDeg,
            lon_sigma_deg: o.place.lonSigmaDeg,
            alt_sigma_km: o.place.altSigmaKm,
          }),
      fragments_used: o.fragmentsUsed,
      dv_q10_q50_q90_km_s: o.dvQuantilesKmS,
    }),
    inputs: {
      parent_element_epoch_utc: o.parentElementEpochUtc,
      search_start_utc: o.searchStartUtc,
      search_end_utc: o.searchEndUtc,
      ...(source === undefined ? {} : { source }),
    },
  };
}
