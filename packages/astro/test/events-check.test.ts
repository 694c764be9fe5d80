/**
 * checkDetectionEvent: what it normalises (times to microseconds with Z, catalog numbers without
 * leading zeros, so that two spellings of one event share a key) and every issue it reports.
 */
import { describe, expect, it } from 'vitest';
import { parseTleText } from '../src/elements/tle.js';
import {
  checkDetectionEvent,
  DETECTION_EVENT_TYPES,
  type DetectionEvent,
  detectionEventKey,
  jsonEvidence,
} from '../src/events/detection-event.js';
import { detectManeuvers } from '../src/maneuver/maneuver-detector.js';
import { maneuverEvents } from '../src/maneuver/maneuver-events.js';
import { readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

const EVENT: DetectionEvent = {
  type: 'rendezvous',
  objects: ['00049863', '25544'],
  timeUtc: '2023-282T06:00:00.5Z',
  windowStartUtc: '2023-10-09',
  windowEndUtc: '2023-10-09T12:00:00.0000004Z',
  kind: 'orbit-synchronisation',
  score: 3.5,
  threshold: 2,
  detector: 'rpo-search',
  detectorVersion: '0.1.0',
  evidence: { synodicPeriodDays: 412.5, ranges: [{ km: 12.5 }, { km: null }] },
  inputs: { catalogAsOf: '2023-10-09T00:00:00Z' },
};

describe('checkDetectionEvent', () => {
  it('normalises times and catalog numbers; the key is that of the normalised record', () => {
    const r = checkDetectionEvent(EVENT);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value).toEqual({
      ...EVENT,
      objects: ['49863', '25544'],
      timeUtc: '2023-10-09T06:00:00.500000Z',
      windowStartUtc: '2023-10-09T00:00:00.000000Z',
      windowEndUtc: '2023-10-09T12:00:00.000000Z',
    });
    expect(detectionEventKey(r.value)).toBe(
      'rpo-search|0.1.0|rendezvous|orbit-synchronisation|49863+25544|2023-10-09T00:00:00.000000Z|2023-10-09T12:00:00.000000Z',
    );
  });

  it('reports every issue of a record at once, with field, expected and found', () => {
    const r = checkDetectionEvent({
      ...EVENT,
      type: 'docked',
      objects: ['25544', 'X-1'],
      windowEndUtc: '2023-10-08T23:00:00Z',
      score: '3.5',
      detectorVersion: ' ',
      evidence: { nested: { values: [1, Number.NaN] } },
      inputs: null,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.key)).toEqual([
      'type',
      'objects[1]',
      'windowEndUtc',
      'detectorVersion',
      'score',
      'evidence.nested.values[1]',
      'inputs',
    ]);
    expect(r.issues[0]).toMatchObject({
      expected: `one of ${DETECTION_EVENT_TYPES.join(', ')}`,
      found: '"docked"',
    });
    expect(r.issues[2]?.expected).toContain('2023-10-09');
    expect(checkDetectionEvent([EVENT])).toMatchObject({ ok: false, issues: [{ key: '' }] });
  });

  it('accepts a time at either edge of its window and refuses one a microsecond outside', () => {
    const at = (timeUtc: string) => checkDetectionEvent({ ...EVENT, timeUtc }).ok;
    expect(at('2023-10-09T00:00:00Z')).toBe(true);
    expect(at('2023-10-09T12:00:00Z')).toBe(true);
    expect(at('2023-10-09T12:00:00.000001Z')).toBe(false);
    expect(at('2023-10-08T23:59:59.999999Z')).toBe(false);
  });
});

describe('jsonEvidence', () => {
  it('turns non-finite numbers into null, deep, and keeps everything else', () => {
    const evidence = {
      dv: 0.5,
      residualRtnKm: [Number.NaN, 1.25, Number.POSITIVE_INFINITY],
      nested: { synodic: Number.POSITIVE_INFINITY, name: 'x', ok: true, none: null },
      typed: new Float64Array([1, Number.NaN]),
    };
    expect(jsonEvidence(evidence)).toEqual({
      dv: 0.5,
      residualRtnKm: [null, 1.25, null],
      nested: { synodic: null, name: 'x', ok: true, none: null },
      typed: [1, null],
    });
    // The record a file round trip gives is the record saved directly.
    expect(JSON.parse(JSON.stringify(jsonEvidence(evidence)))).toEqual(jsonEvidence(evidence));
  });

  it('makes a maneuver event JSON-safe when the SGP4 residual cannot be computed (a 19-year gap)', () => {
    // The ISS history of 1998-2004 followed by its set of 2023-10-09, as a store holding both has it:
    // the 2004 set propagated to 2023 decays (SGP4 error), so the residual of that step is undefined.
    const history = unwrap(
      parseTleText(readRefText('history/facchinelli-tleAnalysis/iss_25544_1998-2004.tle.gz')),
    )
      .records.map((r) => r.elements)
      .slice(-300);
    const latest = unwrap(
      parseTleText(readRefText('catalog/full_catalog_2023-10-09.3le.txt.gz')),
    ).records.find((r) => r.elements.catalogNumber === '25544')!.elements;
    const result = detectManeuvers([...history, latest]);
    const across = result.detections.filter((d) => d.windowEndUtc.startsWith('2023'));
    expect(across).toHaveLength(1);
    expect(across[0]!.evidence.positionResidualRtnKm.every(Number.isNaN)).toBe(true);
    const events = maneuverEvents(result);
    const event = events.find((e) => e.windowEndUtc.startsWith('2023'))!;
    expect(event.evidence['positionResidualRtnKm']).toEqual([null, null, null]);
    for (const e of events) expect(checkDetectionEvent(e).ok).toBe(true);
  });
});
