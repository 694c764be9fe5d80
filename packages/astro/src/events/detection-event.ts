/**
 * The record every detector produces (maneuvers, rendezvous and proximity operations, later
 * fragmentations and reentries): what was detected, about which objects, over which time window,
 * on which evidence, with which score against which threshold, by which detector and version, from
 * which inputs. The store keeps these records (one per identity, see `detectionEventKey`), the server
 * and the case files show and share them.
 */

/** Kinds of event. Detectors add theirs here. */
export type DetectionEventType =
  | 'maneuver'
  | 'proximity'
  | 'rendezvous'
  | 'co-location'
  | 'attached'
  | 'fragmentation'
  | 'reentry';

export interface DetectionEvent {
  readonly type: DetectionEventType;
  /** Catalog numbers involved (a maneuver: one; a pair: primary then secondary). */
  readonly objects: readonly string[];
  /** Best-estimate time, ISO UTC with microseconds and Z (the window's middle when none is better). */
  readonly timeUtc: string;
  /** The window the event must lie in (maneuver: between the bracketing element sets), ISO UTC. */
  readonly windowStartUtc: string;
  readonly windowEndUtc: string;
  /** Detector-specific subtype, e.g. 'orbit-raising', 'geo-station-keeping', 'persistent-proximity'. */
  readonly kind: string;
  /** The detector's score and the threshold that made this a detection (same units). */
  readonly score: number;
  readonly threshold: number;
  /** Name and version of the detector (a re-run of the same version on the same inputs is the same event). */
  readonly detector: string;
  readonly detectorVersion: string;
  /** What the detection rests on: numbers a reader can check (JSON-serialisable). */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** The inputs used: e.g. element-set epochs or ids, a catalog as-of time (JSON-serialisable). */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/**
 * The identity of an event for de-duplication: detector, version, type, kind, objects and window.
 * Two runs of the same detector version on the same inputs give the same keys.
 */
export function detectionEventKey(e: DetectionEvent): string {
  return [
    e.detector,
    e.detectorVersion,
    e.type,
    e.kind,
    e.objects.join('+'),
    e.windowStartUtc,
    e.windowEndUtc,
  ].join('|');
}
