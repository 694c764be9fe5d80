/**
 * The record every detector produces (maneuvers, rendezvous and proximity operations, later
 * fragmentations and reentries): what was detected, about which objects, over which time window,
 * on which evidence, with which score against which threshold, by which detector and version, from
 * which inputs. The store keeps these records (one per identity, see `detectionEventKey`), the server
 * and the case files show and share them.
 */
import { formatUtcIso, normaliseJulian, parseUtcString } from '../elements/utc-calendar.js';

/** Kinds of event. Detectors add theirs here and to DETECTION_EVENT_TYPES (the compiler checks). */
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
 * Evidence or inputs as JSON can carry them: a number that is not finite (NaN where a quantity is
 * undefined, e.g. an SGP4 residual that could not be computed; an infinite synodic period) becomes
 * null, recursively through arrays and plain objects. Detectors pass their evidence through this, so
 * an event written to a file and one saved directly hold the same values.
 */
export function jsonEvidence(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return jsonValue(value) as Record<string, unknown>;
}

function jsonValue(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonValue(x);
    return out;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView))
    return Array.from(v as unknown as ArrayLike<number>, jsonValue);
  return v;
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

/** Every event type, in the order of `DetectionEventType` (a type added there must be added here). */
export const DETECTION_EVENT_TYPES = [
  'maneuver',
  'proximity',
  'rendezvous',
  'co-location',
  'attached',
  'fragmentation',
  'reentry',
] as const satisfies readonly DetectionEventType[];

/** Fails to compile when `DetectionEventType` gains a member that `DETECTION_EVENT_TYPES` lacks. */
type MissingEventTypes = Exclude<DetectionEventType, (typeof DETECTION_EVENT_TYPES)[number]>;
const EVENT_TYPES_COMPLETE: [MissingEventTypes] extends [never] ? true : MissingEventTypes = true;
void EVENT_TYPES_COMPLETE;

/** True when `value` names a known event type. */
export function isDetectionEventType(value: unknown): value is DetectionEventType {
  return typeof value === 'string' && (DETECTION_EVENT_TYPES as readonly string[]).includes(value);
}

/** One reason a record is not a valid DetectionEvent: the field, what was expected, what was found. */
export interface DetectionEventIssue {
  /** Field name of the record (`windowEndUtc`, `evidence.dvMS`, …). */
  readonly key: string;
  readonly message: string;
  readonly expected: string;
  readonly found: string;
}

export type DetectionEventCheck =
  | { readonly ok: true; readonly value: DetectionEvent }
  | { readonly ok: false; readonly issues: readonly DetectionEventIssue[] };

/** Days → microseconds, the resolution of event times (as of stored epochs). */
const MICROS_PER_DAY = 86_400_000_000;

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Path of the first value in `value` that JSON cannot carry unchanged (NaN, ±∞, undefined, functions, …). */
function firstNonJson(value: unknown, path: string, depth = 0): string | null {
  if (depth > 64) return path;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = firstNonJson(value[i], `${path}[${i}]`, depth + 1);
      if (bad !== null) return bad;
    }
    return null;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return path;
    for (const [k, v] of Object.entries(value)) {
      const bad = firstNonJson(v, `${path}.${k}`, depth + 1);
      if (bad !== null) return bad;
    }
    return null;
  }
  return path;
}

/**
 * Checks an untrusted value (a detector's output, a partner's JSON file) against the DetectionEvent
 * record and returns it normalised: times as `YYYY-MM-DDThh:mm:ss.ffffffZ` (microseconds, the
 * resolution the store keeps, so that `detectionEventKey` of a stored record equals that of the
 * normalised input), catalog numbers without leading zeros. Every problem is reported, with the
 * field, what was expected and what was found; nothing is coerced silently.
 * Rules: a known type; 1 or more objects, each 1 to 9 decimal digits; times ISO-8601 UTC; the
 * window's end not before its start and the best-estimate time inside the window; kind, detector
 * and version non-empty text; score and threshold finite numbers; evidence and inputs plain JSON
 * objects whose every number is finite (JSON cannot carry NaN or ∞).
 */
export function checkDetectionEvent(value: unknown): DetectionEventCheck {
  const issues: DetectionEventIssue[] = [];
  const issue = (key: string, expected: string, found: unknown, message?: string): void => {
    issues.push({ key, expected, found: shown(found), message: message ?? `${key}: expected ${expected}` });
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      issues: [
        {
          key: '',
          expected: 'an object with the fields of a DetectionEvent',
          found: shown(value),
          message: 'expected an event record (a JSON object)',
        },
      ],
    };
  }
  const r = value as Record<string, unknown>;
  if (!isDetectionEventType(r.type)) issue('type', `one of ${DETECTION_EVENT_TYPES.join(', ')}`, r.type);
  const objects: string[] = [];
  if (!Array.isArray(r.objects) || r.objects.length === 0) {
    issue('objects', 'a non-empty array of catalog numbers', r.objects);
  } else {
    r.objects.forEach((o, i) => {
      if (typeof o !== 'string' || !/^\d{1,9}$/.test(o.trim())) {
        issue(`objects[${i}]`, 'a catalog number of 1 to 9 decimal digits (text)', o);
      } else {
        objects.push(String(Number(o.trim())));
      }
    });
  }
  const time = (key: 'timeUtc' | 'windowStartUtc' | 'windowEndUtc'): number | undefined => {
    const text = r[key];
    const jd = typeof text === 'string' ? parseUtcString(text) : undefined;
    if (jd === undefined) {
      issue(key, 'an ISO-8601 UTC time such as 2023-10-09T12:00:00.000000Z', text);
      return undefined;
    }
    // Microseconds since 2000-01-01 UTC, as the store's epoch keys count them.
    const n = normaliseJulian(jd.jd, jd.jdFrac);
    return Math.round(n.jd - 2451544.5) * MICROS_PER_DAY + Math.round(n.jdFrac * MICROS_PER_DAY);
  };
  const t = time('timeUtc');
  const start = time('windowStartUtc');
  const end = time('windowEndUtc');
  if (start !== undefined && end !== undefined && end < start) {
    issue('windowEndUtc', `a time at or after windowStartUtc ${String(r.windowStartUtc)}`, r.windowEndUtc);
  } else if (t !== undefined && start !== undefined && end !== undefined && (t < start || t > end)) {
    issue(
      'timeUtc',
      `a time inside the window ${String(r.windowStartUtc)} .. ${String(r.windowEndUtc)}`,
      r.timeUtc,
    );
  }
  for (const key of ['kind', 'detector', 'detectorVersion'] as const) {
    if (typeof r[key] !== 'string' || (r[key] as string).trim() === '') issue(key, 'non-empty text', r[key]);
  }
  for (const key of ['score', 'threshold'] as const) {
    if (typeof r[key] !== 'number' || !Number.isFinite(r[key])) issue(key, 'a finite number', r[key]);
  }
  for (const key of ['evidence', 'inputs'] as const) {
    const v = r[key];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      issue(key, 'a JSON object', v);
    } else {
      const bad = firstNonJson(v, key);
      if (bad !== null)
        issue(
          bad,
          'JSON data (finite numbers, text, true/false, null, arrays, objects)',
          'a value JSON cannot carry',
        );
    }
  }
  if (issues.length > 0 || t === undefined || start === undefined || end === undefined)
    return { ok: false, issues };
  const iso = (jdText: string): string => `${formatUtcIso(parseUtcString(jdText)!, 6)}Z`;
  return {
    ok: true,
    value: {
      type: r.type as DetectionEventType,
      objects,
      timeUtc: iso(r.timeUtc as string),
      windowStartUtc: iso(r.windowStartUtc as string),
      windowEndUtc: iso(r.windowEndUtc as string),
      kind: r.kind as string,
      score: r.score as number,
      threshold: r.threshold as number,
      detector: r.detector as string,
      detectorVersion: r.detectorVersion as string,
      evidence: r.evidence as Record<string, unknown>,
      inputs: r.inputs as Record<string, unknown>,
    },
  };
}
