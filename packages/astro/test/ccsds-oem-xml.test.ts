/**
 * CCSDS OEM in NDM/XML (505.0-B-2 `<oem>`): the Orekit XML example 3, the ccsds-ndm-rs g14 example
 * and the ccsds-ndm-py single-segment file read with the values they hold; every Orekit KVN example
 * the KVN reader accepts, written as XML and read back, gives the same model as the KVN reader (the
 * XML and KVN readers agree); XML → model → XML → model is exact; malformed XML is refused with
 * line and key.
 */
import { describe, expect, it } from 'vitest';
import { type OemFile, type OemMessage, parseOemKvn } from '../src/ccsds/oem.js';
import { formatOemXml, parseOemXml } from '../src/ccsds/oem-xml.js';
import { readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

const O = 'ccsds/orekit/odm/oem/';

/** The model without line numbers (which differ between KVN and XML), matrices as plain arrays. */
function strip(value: unknown): unknown {
  if (value instanceof Float64Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'line')
        .map(([k, v]) => [k, strip(v)]),
    );
  }
  return value;
}

/** The read model as a message to write (covariance counts dropped: XML has no blocks). */
function toMessage(file: OemFile): OemMessage {
  return {
    header: file.header,
    segments: file.segments.map((s) => ({
      meta: s.meta,
      states: s.states,
      comments: s.comments,
      covariances: s.covariances,
    })),
  };
}

/** The model with every number rounded as formatOemXml writes it with WIDE decimals. */
function rounded(file: OemFile): OemFile {
  const fix = (v: readonly number[], d: number) => v.map((x) => Number(x.toFixed(d)));
  return {
    ...file,
    segments: file.segments.map((s) => ({
      ...s,
      states: s.states.map((st) => ({
        ...st,
        r: fix(st.r, WIDE.positionDecimals) as unknown as [number, number, number],
        v: fix(st.v, WIDE.velocityDecimals) as unknown as [number, number, number],
        ...(st.a === undefined
          ? {}
          : { a: fix(st.a, WIDE.velocityDecimals + 3) as unknown as [number, number, number] }),
      })),
      covariances: s.covariances.map((c) => ({
        ...c,
        matrix: Float64Array.from(c.matrix, (x) => Number(x.toExponential(15))),
      })),
    })),
  };
}

function withoutCounts(file: OemFile): unknown {
  const m = strip(file) as { segments: Record<string, unknown>[] };
  for (const s of m.segments) delete s['covarianceCount'];
  return m;
}

describe('OEM XML reader on the reference messages', () => {
  it('reads Orekit XML example 3 (accelerations, a covariance in ITRF1997)', () => {
    const oem = unwrap(parseOemXml(readRefText(`${O}OEMExample3.xml`), { file: 'OEMExample3.xml' }));
    expect(oem.version).toBe('3.0');
    expect(oem.header).toEqual({
      creationDate: '1996-11-04T17:22:31',
      originator: 'NASA/JPL',
      messageId: 'OEM 201113719185',
      comments: ['OEM WITH OPTIONAL ACCELERATIONS'],
    });
    expect(oem.segments).toHaveLength(1);
    const seg = oem.segments[0];
    expect(seg?.meta).toMatchObject({
      objectName: 'MARS GLOBAL SURVEYOR',
      centerName: 'MARS BARYCENTER',
      refFrame: 'J2000',
      interpolation: 'HERMITE',
      interpolationDegree: 7,
      useableStopTime: '1996-12-28T21:23:00.331',
    });
    expect(seg?.comments).toHaveLength(2);
    expect(seg?.states).toHaveLength(4);
    expect(seg?.states[0]).toMatchObject({
      epoch: '1996-12-18T12:00:00.331',
      r: [2789.6, -280.0, -1746.8],
      v: [4.73, -2.5, -1.04],
      a: [0.008, 0.001, -0.159],
    });
    expect(seg?.states[0]?.epochUtc).toBeDefined();
    expect(seg?.covarianceCount).toBe(1);
    const c = seg?.covariances[0];
    expect(c?.epoch).toBe('1996-12-28T22:28:00.331');
    expect(c?.refFrame).toBe('ITRF1997');
    expect(c?.matrix[0]).toBe(0.316);
    expect(c?.matrix[4 * 6 + 1]).toBe(0.899); // CY_DOT_Y
    expect(c?.matrix[1 * 6 + 4]).toBe(0.899);
    expect(c?.matrix[35]).toBe(0.991);
  });

  it('reads the ccsds-ndm-rs g14 and ccsds-ndm-py single-segment OEMs', () => {
    const g14 = unwrap(parseOemXml(readRefText('ccsds/ccsds-ndm-rs/xml/oem_g14.xml')));
    expect(g14.segments[0]?.meta.objectId).toBe('2021-028A');
    expect(g14.segments[0]?.states).toHaveLength(4);
    expect(g14.segments[0]?.states[0]).toMatchObject({
      epoch: '2019-12-18T12:00:00.331',
      r: [2789.6, -280.0, -1746.8],
      a: [0.008, 0.001, -0.159],
    });
    const py = unwrap(parseOemXml(readRefText('ccsds/ccsds-ndm-py/xml/ndmxml-1.0-oem-2.0-single.xml')));
    expect(py.version).toBe('2.0');
    expect(py.segments[0]?.meta.refFrame).toBe('IAU-Saturn');
    expect(py.segments[0]?.states[0]?.r).toEqual([1, 1, 1]);
  });
});

const WIDE = { positionDecimals: 10, velocityDecimals: 13 } as const;

const KVN = [
  'OEMExample1.txt',
  'OEMExample2.txt',
  'OEMExample3.txt',
  'OEMExample4.txt',
  'OEMExample5.txt',
  'OEMExample5ITRF.txt',
  'OEMExample6.txt',
  'OEMExample8.txt',
  'OEMExample9.txt',
  'OEMExampleWithHeaderComment.txt',
  'test_cov.oem',
  'test.oem',
];

describe('OEM KVN and XML agree', () => {
  for (const name of KVN) {
    it(`${name}: KVN → XML → model equals the KVN model`, () => {
      const kvn = unwrap(parseOemKvn(readRefText(`${O}${name}`)));
      // The examples carry up to 10 decimals of km and 13 of km/s: write that many.
      const xml = unwrap(parseOemXml(formatOemXml(toMessage(kvn), WIDE)));
      // The writer writes version 2.0, or 3.0 when a CLASSIFICATION is present.
      // Some files carry 17 significant digits: the XML holds them rounded to the written decimals.
      expect(withoutCounts({ ...xml, version: kvn.version })).toEqual(withoutCounts(rounded(kvn)));
      expect(xml.segments.map((s) => s.covariances.length)).toEqual(
        kvn.segments.map((s) => s.covariances.length),
      );
    });
  }

  it('XML → model → XML → model is exact for the Orekit and ndm-rs XML examples', () => {
    for (const path of [`${O}OEMExample3.xml`, 'ccsds/ccsds-ndm-rs/xml/oem_g14.xml']) {
      const a = unwrap(parseOemXml(readRefText(path)));
      const b = unwrap(parseOemXml(formatOemXml(toMessage(a))));
      expect(strip({ ...b, version: a.version })).toEqual(strip(a));
    }
  });
});

describe('OEM XML reader refuses malformed messages with line and key', () => {
  const base = readRefText(`${O}OEMExample3.xml`);
  const first = (text: string) => {
    const r = parseOemXml(text, { file: 'x.xml' });
    expect(r.ok).toBe(false);
    return r.ok ? undefined : r.issues[0];
  };
  it('refuses numbers, units, keywords, missing terms and a DOCTYPE', () => {
    expect(first(base.replace('<X>2789.6</X>', '<X>27x9.6</X>'))).toMatchObject({
      code: 'OEM_NUMBER',
      key: 'X',
      line: 32,
      file: 'x.xml',
    });
    expect(first(base.replace('<X>2789.6</X>', '<X units="m">2789600</X>'))).toMatchObject({
      code: 'OEM_UNIT',
      key: 'X',
      line: 32,
      expected: 'units="km"',
    });
    expect(first(base.replace('<X>2789.6</X>', '<W>2789.6</W>'))).toMatchObject({
      code: 'OEM_UNKNOWN_KEY',
      key: 'W',
      line: 32,
    });
    expect(first(base.replace('<CZ_DOT_Z_DOT>0.991</CZ_DOT_Z_DOT>', ''))).toMatchObject({
      code: 'OEM_MISSING_KEY',
      key: 'CZ_DOT_Z_DOT',
      line: 78,
    });
    expect(
      first(base.replace('<EPOCH>1996-12-18T12:00:00.331</EPOCH>', '<EPOCH>1996-12-18 12:00</EPOCH>')),
    ).toMatchObject({
      code: 'OEM_EPOCH',
      key: 'EPOCH',
      line: 31,
    });
    expect(first(base.replace('<oem ', '<!DOCTYPE oem>\n<oem '))).toMatchObject({
      code: 'OEM_XML_DOCTYPE',
      line: 2,
    });
    expect(first(base.replace('<OBJECT_ID>2000-028A</OBJECT_ID>', ''))).toMatchObject({
      code: 'OEM_MISSING_KEY',
      key: 'OBJECT_ID',
    });
  });
});
