/**
 * What Hoshimi writes into CDMs, checked against the standard: every keyword of a screening CDM
 * (conjunctionToCdm) is a 508.0-B-1 keyword, every value with a standard list is on it, the Pc
 * method is a SANA "CDM Collision Probability Methods" name (a maximum Pc is
 * ALFANO-MAX-PROBABILITY), a CDM without a covariance says so (COVARIANCE_METHOD DEFAULT, zero
 * terms, a comment), times are written to the microsecond, and every CDM Hoshimi writes reads back
 * equal through the real writers, KVN and XML.
 */
import { describe, expect, it } from 'vitest';
import { parseCdm } from '../src/ccsds/cdm.js';
import {
  CDM_NO_COVARIANCE_COMMENT,
  type ConjunctionCdmInput,
  conjunctionToCdm,
} from '../src/ccsds/cdm-from-conjunction.js';
import { CDM_KEYS } from '../src/ccsds/cdm-keys.js';
import type { Cdm } from '../src/ccsds/cdm-model.js';
import { formatCdmKvn, formatCdmXml } from '../src/ccsds/cdm-write.js';
import { parseUtcString } from '../src/elements/utc-calendar.js';
import { AstroError } from '../src/errors.js';
import { CCSDS_PC_METHODS, pcMethodCcsdsName } from '../src/pc/pc-result.js';
import { unwrap } from './test-support.js';

/**
 * The keywords a screening CDM carries, in file order (508.0-B-1 Tables 3-1..3-4), as listed here
 * so that a keyword added or renamed shows in review: header, relative metadata, one object.
 */
const SCREENING_KEYWORDS = [
  'CCSDS_CDM_VERS',
  'CREATION_DATE',
  'ORIGINATOR',
  'MESSAGE_ID',
  'TCA',
  'MISS_DISTANCE',
  'RELATIVE_SPEED',
  'RELATIVE_POSITION_R',
  'RELATIVE_POSITION_T',
  'RELATIVE_POSITION_N',
  'RELATIVE_VELOCITY_R',
  'RELATIVE_VELOCITY_T',
  'RELATIVE_VELOCITY_N',
  'START_SCREEN_PERIOD',
  'STOP_SCREEN_PERIOD',
  'SCREEN_VOLUME_FRAME',
  'SCREEN_VOLUME_SHAPE',
  'SCREEN_VOLUME_X',
  'SCREEN_VOLUME_Y',
  'SCREEN_VOLUME_Z',
  'COLLISION_PROBABILITY',
  'COLLISION_PROBABILITY_METHOD',
  'OBJECT',
  'OBJECT_DESIGNATOR',
  'CATALOG_NAME',
  'OBJECT_NAME',
  'INTERNATIONAL_DESIGNATOR',
  'EPHEMERIS_NAME',
  'COVARIANCE_METHOD',
  'MANEUVERABLE',
  'REF_FRAME',
  'GRAVITY_MODEL',
  'ATMOSPHERIC_MODEL',
  'HBR',
  'X',
  'Y',
  'Z',
  'X_DOT',
  'Y_DOT',
  'Z_DOT',
  'CR_R',
] as const;

/** The CDM 2.0 draft keyword among them (a 1.0 reader that does not know it may ignore it). */
const DRAFT_KEYWORDS = new Set(['HBR']);

/** A LEO conjunction as the screening path hands it over (states EME2000 km, km/s). */
function input(over: Partial<ConjunctionCdmInput> = {}): ConjunctionCdmInput {
  const tca = parseUtcString('2023-10-09T12:34:56.789123') as NonNullable<ReturnType<typeof parseUtcString>>;
  return {
    messageId: 'HOSHIMI_25544_49863_20231009T123456789',
    originator: 'HOSHIMI',
    creationDate: parseUtcString('2023-10-09T00:00:00.000001') as typeof tca,
    tca,
    screenStart: '2023-10-09T00:00:00.000',
    screenStop: '2023-10-10T00:00:00.000',
    screenRadiusKm: 5,
    refFrame: 'EME2000',
    missKm: 0.7150000000000001,
    relativeSpeedKmS: 14.762,
    missRtnKm: [0.0271, -0.69, 0.1834],
    relVelRtnKmS: [-0.0937, -14.6, 2.1],
    pc: 3.1e-5,
    pcMethod: 'ALFANO-2005-MAX',
    hbrKm: 0.02,
    objects: [
      {
        catalogNumber: '25544',
        name: 'ISS (ZARYA)',
        intlDesignator: '1998-067A',
        rKm: [2570.097065, 2244.654904, 6281.497978],
        vKmS: [4.418769571, 4.833547743, -3.526774282],
        hbrKm: 0.015,
        elementAgeDays: 0.4321,
      },
      {
        catalogNumber: '49863',
        name: undefined,
        intlDesignator: undefined,
        rKm: [2569.5408, 2245.036839, 6281.419562],
        vKmS: [-2.8886125, -6.018767, 3.342149],
        elementAgeDays: 2.25,
      },
    ],
    ...over,
  };
}

function keywordsOf(kvn: string): string[] {
  const out: string[] = [];
  for (const line of kvn.split('\n')) {
    const m = /^([A-Z0-9_]+)\s*=/.exec(line);
    if (m !== null && !out.includes(m[1] as string)) out.push(m[1] as string);
  }
  return out;
}

function readBack(cdm: Cdm): void {
  for (const text of [formatCdmKvn(cdm), formatCdmXml(cdm)]) {
    const r = parseCdm(text);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value).toEqual(cdm);
  }
}

describe('names and keywords in the CDMs Hoshimi writes', () => {
  it('names a maximum Pc ALFANO-MAX-PROBABILITY (SANA), never the covariance-based ALFANO-2005', () => {
    expect(pcMethodCcsdsName('ALFANO-2005-MAX')).toBe('ALFANO-MAX-PROBABILITY');
    expect(pcMethodCcsdsName('FOSTER-1992')).toBe('FOSTER-1992');
    expect(pcMethodCcsdsName('CHAN-1997')).toBe('CHAN-1997');
    // Alfriend's closed form and Monte Carlo have no registry name: written under none.
    expect(pcMethodCcsdsName('ALFRIEND-1999-MAX')).toBeUndefined();
    expect(pcMethodCcsdsName('MONTE-CARLO-2D')).toBeUndefined();
    const cdm = conjunctionToCdm(input({ pcMethod: 'ALFANO-2005-MAX' }));
    expect(cdm.relativeMetadata.collisionProbabilityMethod).toBe('ALFANO-MAX-PROBABILITY');
    // ALFANO-2005 is the SANA name of Alfano's covariance-based integration: not a maximum.
    expect(() => conjunctionToCdm(input({ pcMethod: 'ALFANO-2005' }))).toThrow(
      expect.objectContaining({ code: 'CDM_PC_METHOD' }),
    );
    expect(() => conjunctionToCdm(input({ pcMethod: 'MONTE-CARLO-2D' }))).toThrow(AstroError);
    // A covariance-based name on a CDM that carries no covariance is refused.
    expect(() => conjunctionToCdm(input({ pcMethod: 'FOSTER-1992' }))).toThrow(
      expect.objectContaining({ code: 'CDM_PC_METHOD' }),
    );
  });

  it('writes only 508.0-B-1 keywords (HBR from the 2.0 draft) and only listed values', () => {
    const cdm = conjunctionToCdm(input());
    const kvn = formatCdmKvn(cdm);
    expect(keywordsOf(kvn)).toEqual(
      SCREENING_KEYWORDS.flatMap((k) =>
        k === 'CR_R'
          ? [...CDM_KEYS.values()].filter((d) => d.block === 'covarianceRtn' && d.mandatory).map((d) => d.key)
          : [k],
      ),
    );
    for (const line of kvn.split('\n')) {
      const m = /^([A-Z0-9_]+)\s*=\s*(.*?)(?:\s*\[(.*)\])?$/.exec(line);
      if (m === null) continue;
      const def = CDM_KEYS.get(m[1] as string);
      expect(def, m[1]).toBeDefined();
      if (def?.listed !== undefined) expect(def.listed, m[1]).toContain(m[2]);
      expect(m[3], `${m[1]} unit`).toBe(def?.kind === 'text' ? undefined : def?.unit);
    }
    expect(DRAFT_KEYWORDS.size).toBe(1);
    expect(CCSDS_PC_METHODS).toContain(cdm.relativeMetadata.collisionProbabilityMethod);
    // Reading it back raises no CDM_VALUE_NOT_LISTED warning.
    const r = parseCdm(kvn);
    expect(r.ok && r.warnings.filter((w) => w.code === 'CDM_VALUE_NOT_LISTED')).toEqual([]);
  });

  it('marks a CDM without covariance: COVARIANCE_METHOD DEFAULT, all terms zero, a comment; the reader reports it', () => {
    const cdm = conjunctionToCdm(input());
    for (const o of cdm.objects) {
      expect(o.metadata.covarianceMethod).toBe('DEFAULT');
      expect(o.covarianceRtn.lowerTriangle.every((x) => x === 0)).toBe(true);
      expect(o.covarianceRtn.comments).toEqual([CDM_NO_COVARIANCE_COMMENT]);
    }
    const kvn = formatCdmKvn(cdm);
    expect(kvn).toContain(`COMMENT ${CDM_NO_COVARIANCE_COMMENT}\nCR_R`);
    const r = parseCdm(kvn);
    expect(r.ok && r.warnings.filter((w) => w.code === 'CDM_COVARIANCE_ZERO').map((w) => w.key)).toEqual([
      'CR_R',
      'CR_R',
    ]);
    // Estimated variances are CALCULATED; all-zero ones are refused rather than written so.
    const est = conjunctionToCdm(
      input({
        pcMethod: 'FOSTER-1992',
        objects: [
          { ...input().objects[0], covarianceRtnKm2: [1e-4, 4e-2, 1e-4] },
          { ...input().objects[1], covarianceRtnKm2: [2e-4, 9e-2, 2e-4] },
        ],
      }),
    );
    expect(est.objects[0].metadata.covarianceMethod).toBe('CALCULATED');
    expect(est.relativeMetadata.collisionProbabilityMethod).toBe('FOSTER-1992');
    const zero = () =>
      conjunctionToCdm(
        input({ objects: [{ ...input().objects[0], covarianceRtnKm2: [0, 0, 0] }, input().objects[1]] }),
      );
    expect(zero).toThrow(expect.objectContaining({ code: 'CDM_COVARIANCE_ZERO' }));
  });

  it('writes times given as Julian dates to the microsecond, and every CDM it writes reads back equal', () => {
    const cdm = conjunctionToCdm(input());
    expect(cdm.relativeMetadata.tca.text).toBe('2023-10-09T12:34:56.789123');
    expect(cdm.header.creationDate.text).toBe('2023-10-09T00:00:00.000001');
    expect(formatCdmKvn(cdm)).toMatch(/^TCA\s+= 2023-10-09T12:34:56\.789123$/m);
    readBack(cdm);
    readBack(
      conjunctionToCdm(
        input({
          pc: null,
          objects: [
            { ...input().objects[0], covarianceRtnKm2: [1.234567891234e-4, 4.4e-2, 1e-4] },
            { ...input().objects[1], covarianceRtnKm2: [2e-4, 9.87654321e-2, 2e-4], hbrKm: 0.0015 },
          ],
        }),
      ),
    );
    // Numbers: the model's doubles survive exactly (shortest round-trip text), e.g. the miss.
    const back = unwrap(parseCdm(formatCdmKvn(cdm))) as Cdm;
    expect(back.relativeMetadata.missDistanceKm).toBe(0.7150000000000001);
    expect(back.objects[0].stateVector.xKm).toBe(2570.097065);
  });
});
