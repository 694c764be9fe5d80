/**
 * CCSDS CDM (508.0-B-1) reader and writers on every CDM of the reference data: CARA's 53 Pc test
 * CDMs, 34 sample CDMs and 4 other CDMs, Orekit's 39 CDM test files (7 deliberately malformed) and
 * the ccsds-ndm KVN/XML pair of the same message. Positive files must parse and survive
 * read → write → read (KVN→KVN, XML→XML, KVN→XML→KVN) with an equal model; malformed ones must be
 * rejected with an issue that names the line and the keyword.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cdmToConjunctionInput, parseCdm, parseCdmKvn, parseCdmXml } from '../src/ccsds/cdm.js';
import { CDM_KEYS, type CdmKeyDef } from '../src/ccsds/cdm-keys.js';
import {
  type Cdm,
  cdmCovariance6,
  cdmCovarianceFromMatrix,
  cdmCovarianceMatrix,
  cdmEpoch,
  isPositiveDefinite,
} from '../src/ccsds/cdm-model.js';
import { cdmNumberText, formatCdmKvn, formatCdmXml } from '../src/ccsds/cdm-write.js';
import type { ParseIssue, ParseResult } from '../src/errors.js';
import { readRefText, refPath } from './reference-data.js';
import { unwrap } from './test-support.js';

const CARA_TEST = 'pc-cases/cara/PcTestCaseCDMs';
const CARA_SAMPLE = 'pc-cases/cara/SampleCDMs';
const CARA_OTHER = 'pc-cases/cara/other-cdms';
const OREKIT = 'ccsds/orekit/cdm';
const NDM_KVN = 'ccsds/ccsds-ndm-py/kvn/cdm_example_section4.kvn';
const NDM_XML = 'ccsds/ccsds-ndm-py/xml/cdm_example_section4.xml';

/** A decimal text converted m → km (÷1000, correctly rounded) is the nearest double: exact. */
const EXACT = 0;
/** m² → km² of a 19-digit CARA value: ÷10⁶ then compared with the decimal ×10⁻⁶: 1 ulp relative. */
const ONE_ULP_REL = 2.3e-16;

function list(dir: string, ext?: string): string[] {
  return readdirSync(refPath(dir))
    .filter((f) => ext === undefined || f.endsWith(ext))
    .sort()
    .map((f) => `${dir}/${f}`);
}

function read(path: string): ParseResult<Cdm> {
  return parseCdm(readRefText(path), { file: path.split('/').pop() as string });
}

/**
 * Orekit's deliberately malformed CDMs (decided by name and content): the issue each must raise,
 * with the line and keyword, read from the files. `CDM-frame-mapper.txt` and
 * `CDM-no-orbit-center-defined-obj1.txt` are valid (a frame test and a copy of CDMExample1).
 */
const MALFORMED: Readonly<Record<string, { code: string; line: number; key: string }>> = {
  // line 65: CRDOT_T = -4.152E-02 this-is-not-a-number [m**2/s]
  'CDM-covariance-wrong-entry-format.txt': { code: 'CDM_NUMBER', line: 65, key: 'CRDOT_T' },
  // TCA line removed: the relative block starts at line 5 (MISS_DISTANCE)
  'CDM-missing-TCA.txt': { code: 'CDM_MISSING_KEY', line: 5, key: 'TCA' },
  // OBJECT1's <segment> (line 38) has no <covarianceMatrix>
  'CDM-missing-object1-covariance-block.xml': { code: 'CDM_MISSING_KEY', line: 38, key: 'CR_R' },
  // OBJECT2's X removed: its state vector starts at line 52 (Y)
  'CDM-missing-object2-state-vector.txt': { code: 'CDM_MISSING_KEY', line: 52, key: 'X' },
  // line 6: WRONG_KEYWORD = 123
  'CDM-wrong-key-word.txt': { code: 'CDM_UNKNOWN_KEY', line: 6, key: 'WRONG_KEYWORD' },
  // line 5: TCA = 2010-04-31T22:37:52.618 (April has 30 days)
  'CDMExample1InvalidTca.txt': { code: 'CDM_EPOCH', line: 5, key: 'TCA' },
  // line 88: <X units="km" nil="true"/>
  'CDMExample_issue1319_mandatory_empty_value.xml': { code: 'CDM_EMPTY_VALUE', line: 88, key: 'X' },
};

const CARA_FILES = [...list(CARA_TEST, '.cdm'), ...list(CARA_SAMPLE, '.cdm'), ...list(CARA_OTHER)];
const OREKIT_FILES = list(OREKIT);
const POSITIVE = [
  ...CARA_FILES,
  ...OREKIT_FILES.filter((f) => MALFORMED[f.split('/').pop() as string] === undefined),
  NDM_KVN,
  NDM_XML,
];

function codes(ws: readonly ParseIssue[]): string[] {
  return ws.map((w) => w.code);
}

describe('CDM reference files', () => {
  it('finds the expected number of files', () => {
    expect(list(CARA_TEST, '.cdm').length).toBe(53);
    expect(list(CARA_SAMPLE, '.cdm').length).toBe(34);
    expect(list(CARA_OTHER).length).toBe(4);
    expect(OREKIT_FILES.length).toBe(39);
    expect(POSITIVE.length).toBe(53 + 34 + 4 + 39 - 7 + 2);
  });

  it('parses every positive file (125) and rejects the 7 malformed Orekit files with line and key', () => {
    const failed: string[] = [];
    for (const f of POSITIVE) {
      const r = read(f);
      if (!r.ok) failed.push(`${f}: ${JSON.stringify(r.issues[0])}`);
    }
    expect(failed).toEqual([]);
    let rejected = 0;
    for (const [name, want] of Object.entries(MALFORMED)) {
      const r = read(`${OREKIT}/${name}`);
      expect(r.ok, name).toBe(false);
      if (r.ok) continue;
      rejected++;
      expect(r.issues[0], name).toMatchObject({ ...want, file: name });
    }
    expect(rejected).toBe(7);
  });

  it('read → write → read is lossless for every positive file (KVN→KVN, XML→XML, KVN→XML→KVN)', () => {
    let n = 0;
    for (const f of POSITIVE) {
      const a = unwrap(read(f));
      const viaKvn = unwrap(parseCdmKvn(formatCdmKvn(a)));
      const viaXml = unwrap(parseCdmXml(formatCdmXml(a)));
      const viaXmlKvn = unwrap(parseCdmKvn(formatCdmKvn(viaXml)));
      expect(viaKvn, f).toEqual(a);
      expect(viaXml, f).toEqual(a);
      expect(viaXmlKvn, f).toEqual(a);
      // Writing again gives the same text: the writers are a fixed point after one pass.
      expect(formatCdmKvn(viaKvn), f).toBe(formatCdmKvn(a));
      n++;
    }
    expect(n).toBe(125);
  });

  it('the KVN and XML forms of the CCSDS section-4 example give equal models', () => {
    const kvn = unwrap(parseCdmKvn(readRefText(NDM_KVN)));
    const xml = unwrap(parseCdmXml(readRefText(NDM_XML)));
    expect(xml).toEqual(kvn);
    expect(kvn.objects[1].additionalParameters?.comments).toEqual([
      'Object2 Additional Parameters',
      'Apogee Altitude=768 km',
      'Perigee Altitude=414 km',
      'Inclination=98.8 deg',
    ]);
  });
});

describe('CDM values against the files', () => {
  it('first CARA test case (HST vs DIAMANT R/B): TCA, miss distance, state and covariance', () => {
    const cdm = unwrap(read(`${CARA_TEST}/000020580_conj_000002017_20230613_001923_20230608_063715.cdm`));
    const r = cdm.relativeMetadata;
    // line 7: TCA = 2023-06-13T00:19:23.766
    expect(r.tca.text).toBe('2023-06-13T00:19:23.766');
    expect(r.tca.utc.jd).toBe(2460108.5);
    expect(r.tca.utc.jdFrac).toBe((19 * 60 + 23.766) / 86400);
    // line 8: MISS_DISTANCE = 12303 [m]; line 9: RELATIVE_SPEED = 2224 [m/s]
    expect(Math.abs(r.missDistanceKm - 12.303)).toBeLessThanOrEqual(EXACT);
    expect(r.relativeSpeedKmPerS).toBe(2.224);
    // lines 16-17
    expect(r.collisionProbability).toBe(1.862e-5);
    expect(r.collisionProbabilityMethod).toBe('FOSTER-1992');
    const o1 = cdm.objects[0];
    expect(o1.metadata.objectName).toBe('HST');
    expect(o1.metadata.objectDesignator).toBe('000020580');
    // line 54: X = -5.087477994865218534e+03 [km]
    expect(o1.stateVector.xKm).toBe(Number('-5.087477994865218534e3'));
    // line 60: CR_R = 8.852074177874744692e+02 [m**2]; line 62: CT_T = 8.493829353826458752e+07 [m**2]
    const c = cdmCovariance6(o1.covarianceRtn);
    expect(Math.abs((c[0]?.[0] as number) / Number('8.852074177874744692e-4') - 1)).toBeLessThanOrEqual(
      ONE_ULP_REL,
    );
    expect(Math.abs((c[1]?.[1] as number) / Number('8.493829353826458752e1') - 1)).toBeLessThanOrEqual(
      ONE_ULP_REL,
    );
    // line 61: CT_R = -2.654354388641188852e+05 [m**2], both triangles
    expect(c[1]?.[0]).toBe(c[0]?.[1]);
    expect(Math.abs((c[1]?.[0] as number) / Number('-2.654354388641188852e-1') - 1)).toBeLessThanOrEqual(
      ONE_ULP_REL,
    );
    // OD parameters: RECOMMENDED_OD_SPAN = 3.58 [d] → s, RESIDUALS_ACCEPTED = 98.1 [%]
    expect(o1.odParameters?.recommendedOdSpanS).toBe(3.58 * 86400);
    expect(o1.odParameters?.residualsAcceptedPercent).toBe(98.1);
    expect(o1.additionalParameters?.sedrWPerKg).toBe(0.00125);
    // line 18 and the DCP comments are kept in their blocks
    expect(o1.metadata.comments).toEqual(['HBR = 10 [m]']);
    expect(o1.stateVector.comments[0]).toBe('DCP Density Forecast Uncertainty = 2.149971900000000047e-01');
  });

  it('Terra vs CZ-4 DEB (domain.md §4): Pc 1.213e-3 Foster, HBR 15 m from the comment', () => {
    const cdm = unwrap(read(`${CARA_TEST}/000025994_conj_000026132_20220224_100307_20220221_225515.cdm`));
    const input = cdmToConjunctionInput(cdm);
    expect(input.tca.text).toBe('2022-02-24T10:03:07.749'); // line 7
    expect(input.missDistanceKm).toBe(0.025); // line 8: 25 [m]
    expect(input.relativeSpeedKmPerS).toBe(4.489); // line 9: 4489 [m/s]
    expect(input.collisionProbability).toBe(1.213e-3); // line 16
    expect(input.hbrKm).toBe(0.015); // line 18: COMMENT HBR = 15 [m]
    expect(input.hbrSource).toBe('cara-comment');
    expect(input.objects[0].refFrame).toBe('EME2000');
    // line 60: CR_R = 2.949810804923603058e+01 [m**2]
    const cr = input.objects[0].covarianceRtn[0]?.[0] as number;
    expect(Math.abs(cr / Number('2.949810804923603058e-5') - 1)).toBeLessThanOrEqual(ONE_ULP_REL);
    for (const o of input.objects) {
      expect(o.covarianceRtn.length).toBe(6);
      for (let i = 0; i < 6; i++)
        for (let j = 0; j < 6; j++) expect(o.covarianceRtn[i]?.[j]).toBe(o.covarianceRtn[j]?.[i]);
    }
  });

  it('Orekit CDMExample1 (Orekit CdmParserTest values)', () => {
    const cdm = unwrap(read(`${OREKIT}/CDMExample1.txt`));
    expect(cdm.header.messageId).toBe('201113719185');
    expect(cdm.relativeMetadata.missDistanceKm).toBe(0.715);
    expect(cdm.objects[0].metadata.internationalDesignator).toBe('1997−030E'); // U+2212 kept
    expect(cdm.objects[0].metadata.maneuverable).toBe('YES');
    expect(cdm.objects[1].stateVector.zDotKmPerS).toBe(3.328770172);
    expect(cdm.objects[1].covarianceRtn.lowerTriangle[4]).toBe(-7.5888e2 / 1e6); // CN_T
    expect(cdm.objects[0].covarianceRtn.lowerTriangle.length).toBe(21);
  });

  it('9×9 RTN covariance with drag and SRP rows (CARA density decorrelation CDM 01)', () => {
    const cdm = unwrap(read(`${CARA_OTHER}/DensityDecorrelationTestCaseCDM01.txt`));
    const cov = cdm.objects[0].covarianceRtn;
    expect(cov.lowerTriangle.length).toBe(36); // drag and SRP rows, no thrust row
    const m = cdmCovarianceMatrix(cov);
    expect(m.length).toBe(8);
    // line 81: CDRG_R = -5.610254122779908E-05 [m**3/kg] → ÷1000 to km·m²/kg
    expect(m[6]?.[0]).toBe(-5.610254122779908e-5 / 1000);
    expect(m[0]?.[6]).toBe(m[6]?.[0]);
    // line 87: CDRG_DRG = 1.718641382858602E-08 [m**4/kg**2], unchanged
    expect(m[6]?.[6]).toBe(1.718641382858602e-8);
    expect(cdmToConjunctionInput(cdm).objects[0].covarianceRtnFull?.length).toBe(8);
  });

  it('the drag/SRP/thrust terms shared by the RTN and XYZ covariances go to the block being read', () => {
    const cdm = unwrap(read(`${OREKIT}/CDM-frame-mapper.txt`));
    const o = cdm.objects[0];
    expect(o.metadata.altCovType).toBe('XYZ');
    expect(o.metadata.altCovRefFrame).toBe('ITRF');
    // line 111: RTN CDRG_DRG = 3.483E-06; line 148: XYZ CDRG_DRG = 0.004; line 165: CTHR_THR = 0.006
    expect(o.covarianceRtn.lowerTriangle[27]).toBe(3.483e-6);
    expect(o.covarianceXyz?.lowerTriangle[27]).toBe(0.004);
    expect(o.covarianceXyz?.lowerTriangle[44]).toBe(0.006 / 1e6);
    expect(o.covarianceXyz?.lowerTriangle.length).toBe(45);
  });

  it('CDM 2.0 draft keywords (Orekit issue 940): read, converted, and written back', () => {
    const kvn = unwrap(read(`${OREKIT}/CDMExample_issue_940.txt`));
    const r = kvn.relativeMetadata;
    expect(r.conjunctionId).toBe('20220708T10hz SATELLITEA SATELLITEB');
    expect(r.approachAngleRad).toBe(Math.PI);
    expect(r.collisionPercentile).toEqual([50, 51, 52]);
    expect(r.nextMessageEpoch?.text).toBe('2010-03-13T10:31:12.000');
    const a = kvn.objects[0].additionalParameters;
    expect(a?.hbrKm).toBe(0.0025);
    expect(a?.oebQc).toBe(0.47832);
    expect(kvn.objects[0].additionalCovarianceMetadata?.dcpSensitivityVectorPositionKm).toEqual([
      0.001, 0.002, 0.003,
    ]);
    expect(kvn.objects[1].sigmaEigenvectors?.valuesAsWritten).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
    expect(kvn.objects[1].userDefined?.parameters).toEqual({ OBJ1_TIME_LASTOB_START: '2020-01-29T13:30:00' });
    // Only OBJECT1 has an HBR: no combined radius.
    const input = cdmToConjunctionInput(kvn);
    expect(input.objects[0].hbrKm).toBe(0.0025);
    expect(input.hbrKm).toBeUndefined();
    // The XML form uses <USER_DEFINED_x> elements; same parameters.
    const xml = unwrap(read(`${OREKIT}/CDMExample_issue_940.xml`));
    expect(xml.objects[1].userDefined?.parameters).toEqual(kvn.objects[1].userDefined?.parameters);
    expect(xml.objects[0].covarianceXyz?.lowerTriangle).toEqual(kvn.objects[0].covarianceXyz?.lowerTriangle);
  });

  it('nil and empty XML elements are absent (Orekit issues 1319 and 1458)', () => {
    const cdm = unwrap(read(`${OREKIT}/CDMExample_issue1319.xml`));
    expect(cdm.relativeMetadata.collisionProbability).toBeUndefined();
    expect(cdm.relativeMetadata.screenVolumeFrame).toBeUndefined();
    expect(cdm.objects[0].metadata.orbitCenter).toBeUndefined();
    const c1458 = unwrap(read(`${OREKIT}/CDMExample_issue1458.xml`));
    // Every OD parameter is empty there: the block is absent and its comments go to the next block.
    expect(c1458.objects[0].odParameters).toBeUndefined();
    expect(c1458.objects[0].additionalParameters?.comments[0]).toBe('Covariance Scale Factor = 1.000000');
  });
});

describe('CDM warnings', () => {
  it('no CARA test-case covariance is flagged (all 106 are positive definite, checked with NumPy)', () => {
    for (const f of list(CARA_TEST, '.cdm')) {
      const r = read(f);
      expect(r.ok && codes(r.warnings), f).toEqual([]);
    }
  });

  it('flags the non-positive-definite case with CDM_COVARIANCE_NOT_PD, not an error', () => {
    const r = read(`${CARA_SAMPLE}/OmitronTestCase_Test07_NonPDCovariance.cdm`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const npd = r.warnings.filter((w) => w.code === 'CDM_COVARIANCE_NOT_PD');
    expect(npd.length).toBe(1);
    expect(npd[0]?.message).toContain('OBJECT2');
    expect(npd[0]?.message).toContain('is not either');
    const m = cdmCovariance6(r.value.objects[1].covarianceRtn);
    expect(isPositiveDefinite(m)).toBe(false);
    expect(isPositiveDefinite(cdmCovariance6(r.value.objects[0].covarianceRtn))).toBe(true);
  });

  it('a negative variance is a warning naming its line and key', () => {
    const text = readRefText(`${CARA_TEST}/000020580_conj_000002017_20230613_001923_20230608_063715.cdm`);
    const edited = text.replace('8.852074177874744692e+02 [m**2]', '-8.852074177874744692e+02 [m**2]');
    expect(edited).not.toBe(text);
    const r = parseCdmKvn(edited);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.find((w) => w.code === 'CDM_COVARIANCE_NEGATIVE_VARIANCE')).toMatchObject({
      line: 60,
      key: 'CR_R',
    });
    expect(codes(r.warnings)).toContain('CDM_COVARIANCE_NOT_PD');
  });

  it("tolerates CARA's sample-file quirks with warnings: [m] on velocities, NaN values, a lone '['", () => {
    const alfano = read(`${CARA_SAMPLE}/AlfanoTestCase01.cdm`);
    expect(alfano.ok).toBe(true);
    if (!alfano.ok) return;
    expect(alfano.warnings.find((w) => w.code === 'CDM_UNIT_MISMATCH')).toMatchObject({
      line: 11,
      key: 'RELATIVE_VELOCITY_R',
      found: '[m]',
    });
    expect(alfano.warnings.find((w) => w.code === 'CDM_NAN_VALUE')).toMatchObject({ line: 32 });
    expect(alfano.value.objects[0].odParameters?.recommendedOdSpanS).toBeNaN();
    expect(alfano.value.relativeMetadata.relativeVelocityTKmPerS).toBeDefined();
    const single = read(`${CARA_SAMPLE}/SingleCovTestCase1-3.cdm`);
    expect(single.ok && single.warnings.some((w) => w.code === 'CDM_UNIT_UNCLOSED')).toBe(true);
  });
});

describe('CDM structure errors', () => {
  const base = readRefText(`${OREKIT}/CDMExample1.txt`);

  it('a keyword in the wrong section, a duplicate, a wrong object order, a missing object', () => {
    const outOfPlace = parseCdmKvn(
      base.replace(/^(REF_FRAME.*EME2000)$/m, '$1\nTCA = 2010-03-13T22:37:52.618'),
    );
    expect(!outOfPlace.ok && outOfPlace.issues[0]).toMatchObject({
      code: 'CDM_KEY_OUT_OF_PLACE',
      key: 'TCA',
      line: 16,
    });
    const dup = parseCdmKvn(base.replace(/^(MISS_DISTANCE.*)$/m, '$1\n$1'));
    expect(!dup.ok && dup.issues[0]).toMatchObject({
      code: 'CDM_DUPLICATE_KEY',
      key: 'MISS_DISTANCE',
      line: 7,
    });
    const order = parseCdmKvn(base.replace('= OBJECT2', '= OBJECT1'));
    expect(!order.ok && order.issues[0]).toMatchObject({ code: 'CDM_OBJECT_ORDER', key: 'OBJECT' });
    const one = parseCdmKvn(base.slice(0, base.indexOf('OBJECT                        = OBJECT2')));
    expect(!one.ok && one.issues[0]).toMatchObject({ code: 'CDM_OBJECT_COUNT', key: 'OBJECT' });
    const raw = parseCdmKvn(base.replace(/^(TCA.*)$/m, '$1\nthis line is not kvn'));
    expect(!raw.ok && raw.issues[0]).toMatchObject({ code: 'CDM_SYNTAX', line: 6 });
    const partialRow = parseCdmKvn(base.replace(/^(CNDOT_NDOT.*)$/m, '$1\nCDRG_R = 1.0 [m**3/kg]'));
    expect(!partialRow.ok && partialRow.issues[0]).toMatchObject({
      code: 'CDM_COVARIANCE_INCOMPLETE',
      key: 'CDRG_T',
    });
  });

  it('detects the form by content', () => {
    expect(unwrap(parseCdm(readRefText(NDM_XML)))).toEqual(unwrap(parseCdm(readRefText(NDM_KVN))));
    const notCdm = parseCdm('<omm version="2.0"/>');
    expect(!notCdm.ok && notCdm.issues[0]?.code).toBe('CDM_STRUCTURE');
  });
});

describe('CDM writer pieces', () => {
  it('number text reads back to the same model value (20,000 random file values, m → km, d → s, deg → rad)', () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const toModel = (def: CdmKeyDef, text: string) => {
      const x = Number(text.replace('E', 'e'));
      return def.div !== undefined ? x / def.div : x * (def.mul ?? 1);
    };
    const keys = ['MISS_DISTANCE', 'RECOMMENDED_OD_SPAN', 'CT_T', 'CDRG_RDOT', 'APPROACH_ANGLE', 'X'];
    let worstRel = 0;
    for (const k of keys) {
      const def = CDM_KEYS.get(k);
      if (def === undefined) throw new Error(k);
      for (let i = 0; i < 20000 / keys.length; i++) {
        // A value as a reader makes it: any file double, converted.
        const file = (rand() - 0.5) * 10 ** Math.floor(rand() * 16 - 8) * (1 + rand() * 1e-9);
        const v = toModel(def, String(file));
        const text = cdmNumberText(def, v);
        expect(toModel(def, text), `${k} ${v} → ${text}`).toBe(v);
        // Any double (made in code): the km → m scaling is not onto, so exact is not always
        // possible; the text is then the nearest, within one ulp.
        const w = v * (1 + rand() * 1e-6);
        worstRel = Math.max(worstRel, Math.abs(toModel(def, cdmNumberText(def, w)) / w - 1));
      }
    }
    expect(worstRel).toBeLessThanOrEqual(ONE_ULP_REL);
    expect(cdmNumberText(CDM_KEYS.get('MISS_DISTANCE') as never, 0.715)).toBe('715');
    expect(cdmNumberText(CDM_KEYS.get('CR_R') as never, 4.142e-5)).toBe('4.142E+01');
  });

  it('a CDM built in code round-trips, covariance from a full matrix', () => {
    const cdm = unwrap(read(`${OREKIT}/CDMExample1.txt`));
    const full = cdmCovarianceMatrix(cdm.objects[1].covarianceRtn);
    const rebuilt: Cdm = {
      ...cdm,
      relativeMetadata: { ...cdm.relativeMetadata, tca: cdmEpoch('2010-072T22:37:52.618123') },
      objects: [
        cdm.objects[0],
        { ...cdm.objects[1], covarianceRtn: cdmCovarianceFromMatrix(full, ['built']) },
      ],
    };
    const back = unwrap(parseCdmXml(formatCdmXml(rebuilt)));
    expect(back).toEqual(rebuilt);
    // Day 072 of 2010 is March 13: the same day as the file's TCA, at full written precision.
    expect(back.relativeMetadata.tca.utc).toEqual({
      jd: cdm.relativeMetadata.tca.utc.jd,
      jdFrac: (22 * 3600 + 37 * 60 + 52.618123) / 86400,
    });
    expect(() => cdmEpoch('2010-02-30T00:00:00')).toThrow();
  });
});
