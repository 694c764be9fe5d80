/**
 * Times in the store keep the microsecond (a millisecond is 7.5 m at LEO speed): epoch keys round-trip
 * through ISO text and Julian dates exactly, an element set's epoch comes back bit-identical with
 * its ISO form to the microsecond, a screening's TCA and window come back as written, and ingest
 * times carry microseconds.
 */
import { parseElements } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import {
  epochKeyFromIso,
  epochKeyFromJulian,
  isoFromEpochKey,
  julianFromEpochKey,
} from '../src/epoch-key.js';
import { openSqliteStore } from '../src/sqlite-store.js';

/** A deterministic pseudo-random sequence (xorshift32), so the sample of times is reproducible. */
function xorshift(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const MICROS_PER_DAY = 86_400_000_000;

describe('time precision in the store', () => {
  it('epoch keys round-trip through ISO text and two-part Julian dates to the microsecond', () => {
    const rnd = xorshift(20231009);
    // 1957 to 2057, whole microseconds, including the last microsecond of a day.
    const keys = [
      -15_706 * MICROS_PER_DAY,
      MICROS_PER_DAY - 1,
      6_209 * MICROS_PER_DAY + 12 * 3_600_000_000 + 123_456,
    ];
    for (let i = 0; i < 10_000; i++) {
      keys.push(Math.round((rnd() - 0.5) * 100 * 365.25 * MICROS_PER_DAY));
    }
    for (const k of keys) {
      const iso = isoFromEpochKey(k);
      expect(iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(epochKeyFromIso(iso)).toBe(k);
      expect(epochKeyFromJulian(julianFromEpochKey(k))).toBe(k);
    }
  });

  it('keeps an element set’s epoch exactly, and its ISO form to the microsecond', async () => {
    const kvn = `CCSDS_OMM_VERS = 2.0
CREATION_DATE = 2023-10-09T00:00:00
ORIGINATOR = TEST
OBJECT_NAME = ISS (ZARYA)
OBJECT_ID = 1998-067A
CENTER_NAME = EARTH
REF_FRAME = TEME
TIME_SYSTEM = UTC
MEAN_ELEMENT_THEORY = SGP4
EPOCH = 2023-10-09T12:34:56.733568
MEAN_MOTION = 15.50
ECCENTRICITY = 0.0006
INCLINATION = 51.64
RA_OF_ASC_NODE = 247.46
ARG_OF_PERICENTER = 130.54
MEAN_ANOMALY = 325.03
EPHEMERIS_TYPE = 0
CLASSIFICATION_TYPE = U
NORAD_CAT_ID = 25544
ELEMENT_SET_NO = 999
REV_AT_EPOCH = 42000
BSTAR = 0.0001
MEAN_MOTION_DOT = 0.0001
MEAN_MOTION_DDOT = 0
`;
    const parsed = parseElements(kvn);
    if (!parsed.ok) throw new Error('OMM unreadable');
    const store = await openSqliteStore(':memory:');
    await store.importFile({ name: 'iss.omm', bytes: new TextEncoder().encode(kvn) });
    const [stored] = await store.history('25544');
    expect(stored?.epochUtc).toBe('2023-10-09T12:34:56.733568Z');
    expect(stored?.elements.epoch).toEqual(parsed.value.records[0]?.elements.epoch);
    // As-of queries separate two times one microsecond apart around the epoch.
    expect(await store.asOf('2023-10-09T12:34:56.733567Z')).toEqual([]);
    expect((await store.asOf('2023-10-09T12:34:56.733568Z')).length).toBe(1);

    const [log] = await store.ingestLog(1);
    expect(log?.startedAt).toMatch(/\.\d{6}Z$/);
    expect(log?.finishedAt).toMatch(/\.\d{6}Z$/);
    expect(log!.startedAt <= log!.finishedAt).toBe(true);

    const run = {
      startedAt: '2023-10-09T00:00:00.000001Z',
      finishedAt: '2023-10-09T00:00:10.654321Z',
      windowStart: '2023-10-09T00:00:00.000000Z',
      windowStop: '2023-10-16T00:00:00.000000Z',
      thresholdKm: 5,
      primaries: null,
      catalogAsOf: '2023-10-09T00:00:00.000000Z',
      source: 'test',
      objectCount: 2,
    };
    const event = {
      id1: '25544',
      id2: '90001',
      tcaUtc: '2023-10-10T01:02:03.733568Z',
      missKm: 1.234567890123,
      relSpeedKmS: 14.1,
      rKm: 0.1,
      iKm: 1.2,
      cKm: -0.2,
      pc: 1.5e-5,
      pcMethod: 'MAX_PC',
      hbrM: 20,
      covarianceSource: 'none',
      confidence: 'low' as const,
      age1Days: 0.5,
      age2Days: 1.25,
    };
    const id = await store.saveScreening(run, [event]);
    const back = await store.conjunctions({ screeningId: id });
    // Read back with its marking (v9): public, from the home organisation.
    expect(back?.conjunctions).toEqual([
      {
        ...event,
        marking: {
          classification: 'UNCLASSIFIED',
          releasableTo: 'ALL',
          originator: 'LOCAL',
          dataMode: 'REAL',
        },
      },
    ]);
    expect(back?.screening).toMatchObject(run);
    await store.close();
  });
});
