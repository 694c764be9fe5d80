/**
 * CCSDS RDM (508.1-B-1): the standard's Annex C examples (KVN Figs. C-1/C-2 and their XML, as
 * transcribed in ccsds/ccsds-ndm-rs and ccsds/ccsds-ndm-py) read → write (KVN and XML) → read
 * equal; values converted by the key table; malformed messages refused with line and key; an RDM
 * built from a reentry prediction round-trips, and the RDM of its stored event says the same.
 */
import { describe, expect, it } from 'vitest';
import { rdmValue } from '../src/ccsds/rdm.js';
import { rdmFromReentryEvent, rdmFromReentryPrediction } from '../src/ccsds/rdm-from-reentry.js';
import { parseRdm, parseRdmKvn, parseRdmXml } from '../src/ccsds/rdm-read.js';
import { formatRdmKvn, formatRdmXml } from '../src/ccsds/rdm-write.js';
import { AstroError } from '../src/errors.js';
import { reentryDetectionEvent } from '../src/reentry/reentry-event.js';
import { predictReentry } from '../src/reentry/reentry-predict.js';
import { reentryEnvironment, tles66877 } from './reentry-support.js';
import { readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

const EXAMPLES = [
  'ccsds/ccsds-ndm-rs/kvn/rdm_c1.kvn',
  'ccsds/ccsds-ndm-rs/kvn/rdm_c2.kvn',
  'ccsds/ccsds-ndm-rs/xml/rdm_c3.xml',
  'ccsds/ccsds-ndm-rs/xml/rdm_c4.xml',
  'ccsds/ccsds-ndm-py/kvn/508x1b1_figc_2_rdm.kvn',
  'ccsds/ccsds-ndm-py/kvn/508x1b1_figc_2_rdm.xml',
];

describe('RDM reference examples', () => {
  for (const f of EXAMPLES) {
    it(`${f}: read → write KVN and XML → read gives the same message`, () => {
      const a = unwrap(parseRdm(readRefText(f), { file: f }));
      const viaKvn = unwrap(parseRdmKvn(formatRdmKvn(a)));
      const viaXml = unwrap(parseRdmXml(formatRdmXml(a)));
      expect(viaKvn).toEqual(a);
      expect(viaXml).toEqual(a);
    });
  }

  it('converts units by the key table (d → s, deg stays rad inside) and keeps epochs as written', () => {
    const a = unwrap(parseRdm(readRefText('ccsds/ccsds-ndm-rs/kvn/rdm_c2.kvn')));
    expect(rdmValue(a, 'ORBIT_LIFETIME')).toBe(5.5 * 86400);
    expect(rdmValue(a, 'REENTRY_ALTITUDE')).toBe(80);
    expect(rdmValue(a, 'ACTUAL_OD_SPAN')).toBeCloseTo(3.4554 * 86400, 6);
    expect(rdmValue(a, 'NOMINAL_REENTRY_EPOCH')).toBe('2018-04-27T19:45:33');
    expect(rdmValue(a, 'TRACKS_USED')).toBe(17);
    expect(a.blocks.stateVector?.values['X']).toBe(4000);
    // The KVN and the XML transcriptions of Fig. C-2 hold the same values.
    const x = unwrap(parseRdm(readRefText('ccsds/ccsds-ndm-py/kvn/508x1b1_figc_2_rdm.xml')));
    for (const k of ['ORBIT_LIFETIME', 'NOMINAL_REENTRY_EPOCH', 'CX_X', 'WET_MASS', 'TRACKS_AVAILABLE']) {
      expect(rdmValue(x, k)).toEqual(rdmValue(a, k));
    }
  });
});

const MINIMAL = readRefText('ccsds/ccsds-ndm-rs/kvn/rdm_c1.kvn').replace(/\r/g, '').trimEnd();
const lineOf = (key: string): number => MINIMAL.split('\n').findIndex((l) => l.startsWith(key)) + 1;

function issuesOf(text: string, xml = false) {
  const r = xml ? parseRdmXml(text) : parseRdmKvn(text);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.issues;
}

describe('malformed RDMs are refused with line and key', () => {
  it('an unknown keyword', () => {
    const [i] = issuesOf(`${MINIMAL}\nREENTRY_FLAVOUR = MINT`);
    expect(i).toMatchObject({
      code: 'RDM_UNKNOWN_KEY',
      key: 'REENTRY_FLAVOUR',
      line: MINIMAL.split('\n').length + 1,
    });
  });
  it('a bad number, with its line', () => {
    const [i] = issuesOf(MINIMAL.replace('ORBIT_LIFETIME = 23.0', 'ORBIT_LIFETIME = 23,0'));
    expect(i).toMatchObject({
      code: 'RDM_BAD_NUMBER',
      key: 'ORBIT_LIFETIME',
      line: lineOf('ORBIT_LIFETIME'),
    });
  });
  it('a wrong unit', () => {
    const [i] = issuesOf(MINIMAL.replace('REENTRY_ALTITUDE = 150.0 [km]', 'REENTRY_ALTITUDE = 150.0 [m]'));
    expect(i).toMatchObject({ code: 'RDM_BAD_UNIT', key: 'REENTRY_ALTITUDE', found: '[m]' });
  });
  it('a missing mandatory keyword', () => {
    const issues = issuesOf(MINIMAL.replace(/^CONTROLLED_REENTRY.*$/m, ''));
    expect(issues.map((i) => [i.code, i.key])).toContainEqual(['RDM_MISSING_KEY', 'CONTROLLED_REENTRY']);
  });
  it('a duplicate keyword', () => {
    const [i] = issuesOf(`${MINIMAL}\nREENTRY_ALTITUDE = 80 [km]`);
    expect(i).toMatchObject({ code: 'RDM_DUPLICATE_KEY', key: 'REENTRY_ALTITUDE' });
  });
  it('a bad epoch and a bad CONTROLLED_REENTRY', () => {
    expect(
      issuesOf(MINIMAL.replace('EPOCH_TZERO = 2018-04-22T00:00:00.00', 'EPOCH_TZERO = 22/04/2018'))[0],
    ).toMatchObject({
      code: 'RDM_BAD_EPOCH',
      key: 'EPOCH_TZERO',
      line: lineOf('EPOCH_TZERO'),
    });
    expect(
      issuesOf(MINIMAL.replace('CONTROLLED_REENTRY = NO', 'CONTROLLED_REENTRY = MAYBE'))[0],
    ).toMatchObject({
      code: 'RDM_BAD_VALUE',
      key: 'CONTROLLED_REENTRY',
    });
  });
  it('a version line that is not first', () => {
    const lines = MINIMAL.split('\n');
    const swapped = [lines[1], lines[0], ...lines.slice(2)].join('\n');
    expect(issuesOf(swapped)[0]).toMatchObject({ code: 'RDM_MISSING_KEY', line: 1 });
  });
  it('an incomplete state vector, a covariance without state, impact data without a frame, a latitude past 90°', () => {
    expect(issuesOf(`${MINIMAL}\nEPOCH = 2018-04-22T09:30:12\nX = 4000 [km]`)[0]).toMatchObject({
      code: 'RDM_INCOMPLETE_BLOCK',
    });
    expect(issuesOf(`${MINIMAL}\nCOV_REF_FRAME = RTN\nCX_X = 0.1 [km**2]`)[0]).toMatchObject({
      code: 'RDM_INCOMPLETE_BLOCK',
      key: 'COV_REF_FRAME',
    });
    const impact = issuesOf(`${MINIMAL}\nNOMINAL_IMPACT_LON = 10 [deg]\nNOMINAL_IMPACT_LAT = 95 [deg]`);
    expect(impact.map((i) => [i.code, i.key])).toEqual(
      expect.arrayContaining([
        ['RDM_OUT_OF_RANGE', 'NOMINAL_IMPACT_LAT'],
        ['RDM_MISSING_KEY', 'IMPACT_REF_FRAME'],
      ]),
    );
  });
  it('XML: an unknown element is reported at its line', () => {
    const xml = readRefText('ccsds/ccsds-ndm-rs/xml/rdm_c3.xml').replace(
      '<CENTER_NAME>EARTH</CENTER_NAME>',
      '<CENTER_NAME>EARTH</CENTER_NAME>\n<CENTRE>EARTH</CENTRE>',
    );
    const [i] = issuesOf(xml, true);
    const line = xml.split('\n').findIndex((l) => l.startsWith('<CENTRE>')) + 1;
    expect(i).toMatchObject({ code: 'RDM_UNKNOWN_KEY', key: 'CENTRE', line });
  });
});

describe('RDM of a reentry prediction', () => {
  it('holds the mandatory and short-term keywords and round-trips in KVN and XML', () => {
    const env = reentryEnvironment();
    const sets = tles66877();
    const p = predictReentry(sets.slice(0, 1), env);
    const rdm = rdmFromReentryPrediction(p, env.context, {
      originator: 'TEST',
      messageId: 'TEST-1',
      creationDate: p.elementEpoch,
      lastElementSet: sets[0]!,
    });
    const kvn = formatRdmKvn(rdm);
    const back = unwrap(parseRdmKvn(kvn));
    expect(unwrap(parseRdmXml(formatRdmXml(rdm)))).toEqual(back);
    expect(back.blocks.header).toEqual(rdm.blocks.header);
    expect(rdmValue(back, 'ORBIT_LIFETIME')).toBe(p.remainingS);
    expect(rdmValue(back, 'REENTRY_ALTITUDE')).toBe(80);
    expect(rdmValue(back, 'INTERNATIONAL_DESIGNATOR')).toBe('2025-282A');
    expect(String(rdmValue(back, 'NOMINAL_REENTRY_EPOCH'))).toMatch(/^2026-01-30T/);
    expect(rdmValue(back, 'NOMINAL_IMPACT_LAT')).toBeCloseTo(p.impactLatRad, 12);
  });

  it('from the stored event says what the prediction says (no state vector: the event keeps no set)', () => {
    const env = reentryEnvironment();
    const sets = tles66877();
    const p = predictReentry(sets.slice(0, 1), env);
    const fromPrediction = rdmFromReentryPrediction(p, env.context, {
      originator: 'TEST',
      messageId: 'TEST-1',
      creationDate: p.elementEpoch,
    });
    // Through JSON, as the store and the API hold it.
    const event = JSON.parse(JSON.stringify(reentryDetectionEvent(p, env.context)));
    const fromEvent = rdmFromReentryEvent(event, {
      originator: 'TEST',
      messageId: 'TEST-1',
      creationDateUtc: event.inputs.element_epoch_utc,
    });
    const a = unwrap(parseRdmKvn(formatRdmKvn(fromPrediction)));
    const b = unwrap(parseRdmKvn(formatRdmKvn(fromEvent)));
    expect(b.blocks.stateVector).toBeUndefined();
    for (const block of ['header', 'metadata', 'atmosphericReentryParameters'] as const) {
      expect(b.blocks[block]?.values).toEqual(a.blocks[block]?.values);
    }
    // Degrees with 4 decimals in the evidence (≈ 1e-6 rad) for the track ends; exact elsewhere.
    const TRACK_END_RAD = 2e-6;
    for (const [key, v] of Object.entries(a.blocks.groundImpactParameters?.values ?? {})) {
      const w = b.blocks.groundImpactParameters?.values[key];
      if (typeof v === 'number') expect(Math.abs((w as number) - v), key).toBeLessThan(TRACK_END_RAD);
      else expect(w, key).toBe(v);
    }
    expect(rdmValue(b, 'BALLISTIC_COEFF')).toBeCloseTo(1 / p.ballistic.bM2Kg, 9);
  });

  it('refuses an event of another type, or one recorded without the ground track', () => {
    const env = reentryEnvironment();
    const p = predictReentry(tles66877().slice(0, 1), env);
    const event = reentryDetectionEvent(p, env.context);
    const options = { originator: 'TEST', messageId: 'TEST-1', creationDateUtc: '2026-01-01T00:00:00Z' };
    expect(() => rdmFromReentryEvent({ ...event, type: 'maneuver' }, options)).toThrow(/reentry event/);
    const { ground_track: _dropped, ...older } = event.evidence;
    try {
      rdmFromReentryEvent({ ...event, detectorVersion: '1', evidence: older }, options);
      expect.unreachable('an event without the ground track was accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(AstroError);
      expect((e as AstroError).code).toBe('EVIDENCE_MISSING');
      expect((e as AstroError).message).toContain('ground_track');
    }
  });
});
