/**
 * checkDetectionEvent: what it normalises (times to microseconds with Z, catalog numbers without
 * leading zeros, so that two spellings of one event share a key) and every issue it reports.
 */
import { describe, expect, it } from 'vitest';
import {
  checkDetectionEvent,
  DETECTION_EVENT_TYPES,
  type DetectionEvent,
  detectionEventKey,
} from '../src/events/detection-event.js';

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
