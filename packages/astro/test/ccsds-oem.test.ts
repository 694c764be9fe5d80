import { describe, expect, it } from 'vitest';
import { formatOemKvn, type OemMessage, parseOemKvn } from '../src/ccsds/oem.js';
import { readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

/**
 * Written by default with 9 decimals of km: the read-back position differs by at most half a
 * micrometre (plus the float noise of a 4-digit km value, ~1e-12 km).
 */
const HALF_UM_KM = 0.5e-9 + 2e-12;
/** Written by default with 12 decimals of km/s: half a nanometre per second (plus float noise). */
const HALF_NM_PER_S_KM = 0.5e-12 + 2e-15;

function sampleMessage(): OemMessage {
  const states = Array.from({ length: 5 }, (_, i) => ({
    epoch: `2024-01-01T00:0${i}:00.000`,
    r: [6778.137 + i * 0.123456789, -1234.5678901234 * (i + 1), 0.000123456789] as const,
    v: [-0.0012345678912, 7.6543210987654 - i * 1e-10, 1.0000000004] as const,
  }));
  return {
    header: { creationDate: '2024-01-02T03:04:05', originator: 'HOSHIMI', comments: ['round trip test'] },
    segments: [
      {
        meta: {
          objectName: 'ISS (ZARYA)',
          objectId: '1998-067A',
          centerName: 'EARTH',
          refFrame: 'TEME',
          timeSystem: 'UTC',
          startTime: '2024-01-01T00:00:00.000',
          stopTime: '2024-01-01T00:04:00.000',
        },
        states,
      },
      {
        meta: {
          objectName: 'ISS (ZARYA)',
          objectId: '1998-067A',
          centerName: 'EARTH',
          refFrame: 'GCRF',
          timeSystem: 'UTC',
          startTime: '2024-01-01T00:00:00.000',
          stopTime: '2024-01-01T00:04:00.000',
          interpolation: 'LAGRANGE',
          interpolationDegree: 5,
        },
        states,
      },
    ],
  };
}

describe('OEM KVN writer', () => {
  it('writes a CCSDS 502.0-B-2 OEM that reads back within the written decimals', () => {
    const msg = sampleMessage();
    const text = formatOemKvn(msg);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^CCSDS_OEM_VERS\s+= 2\.0$/);
    expect(lines.filter((l) => l === 'META_START').length).toBe(2);
    expect(text).toContain('REF_FRAME            = TEME');
    const back = unwrap(parseOemKvn(text));
    expect(back.version).toBe('2.0');
    expect(back.header.originator).toBe('HOSHIMI');
    expect(back.header.creationDate).toBe('2024-01-02T03:04:05');
    expect(back.header.comments).toEqual(['round trip test']);
    expect(back.segments.map((s) => s.meta.refFrame)).toEqual(['TEME', 'GCRF']);
    expect(back.segments[1]?.meta.interpolationDegree).toBe(5);
    let maxR = 0;
    let maxV = 0;
    back.segments.forEach((seg, si) => {
      const orig = msg.segments[si];
      expect(seg.meta.objectName).toBe(orig?.meta.objectName);
      expect(seg.states.length).toBe(orig?.states.length);
      seg.states.forEach((s, i) => {
        const o = orig?.states[i];
        expect(s.epoch).toBe(o?.epoch);
        for (let k = 0; k < 3; k++) {
          maxR = Math.max(maxR, Math.abs((s.r[k] as number) - (o?.r[k] as number)));
          maxV = Math.max(maxV, Math.abs((s.v[k] as number) - (o?.v[k] as number)));
        }
      });
    });
    expect(maxR).toBeLessThanOrEqual(HALF_UM_KM);
    expect(maxV).toBeLessThanOrEqual(HALF_NM_PER_S_KM);
    expect(maxR).toBeGreaterThan(0); // the sample has digits beyond the written precision
    // Epochs in UTC are also read as Julian date pairs: 2024-01-01 0h is JD 2460310.5.
    expect(back.segments[0]?.states[1]?.epochUtc).toEqual({ jd: 2460310.5, jdFrac: 60 / 86400 });
  });

  it('refuses messages that cannot be a valid OEM', () => {
    const msg = sampleMessage();
    const seg = msg.segments[0] as OemMessage['segments'][number];
    const bad: [string, OemMessage][] = [
      ['no states', { ...msg, segments: [{ ...seg, states: [] }] }],
      ['no segments', { ...msg, segments: [] }],
      ['blank originator', { ...msg, header: { ...msg.header, originator: ' ' } }],
      [
        'epoch after STOP_TIME',
        { ...msg, segments: [{ ...seg, meta: { ...seg.meta, stopTime: '2024-01-01T00:03:00' } }] },
      ],
      ['epochs out of order', { ...msg, segments: [{ ...seg, states: [...seg.states].reverse() }] }],
      [
        'NaN position',
        {
          ...msg,
          segments: [
            { ...seg, states: [{ epoch: '2024-01-01T00:00:00', r: [Number.NaN, 0, 0], v: [0, 0, 0] }] },
          ],
        },
      ],
    ];
    for (const [what, m] of bad) {
      expect(() => formatOemKvn(m), what).toThrowError(expect.objectContaining({ code: 'OEM_INVALID' }));
    }
  });
});

describe('OEM KVN reader on published samples', () => {
  const dir = 'ccsds/orekit/odm/oem/';
  it.each([
    ['OEMExample1.txt', [4, 4, 5]],
    ['OEMExample2.txt', [4, 4]],
    ['OEMExample4.txt', [3]],
    ['OEMExample5.txt', [49]],
    ['OEMExampleWithHeaderComment.txt', [4, 4, 5]],
    ['ISS.resampled.truncated.txt', [25]],
    ['oemLowerCaseValue.oem', [6]],
  ])('Orekit %s: segments with %j states', (name, counts) => {
    const f = unwrap(parseOemKvn(readRefText(`${dir}${name}`)));
    expect(f.segments.map((s) => s.states.length)).toEqual(counts);
  });

  it('Orekit OEMExample1: Mars Global Surveyor first state and covariance blocks', () => {
    const f = unwrap(parseOemKvn(readRefText(`${dir}OEMExample1.txt`)));
    const s0 = f.segments[0];
    expect(f.version).toBe('3.0');
    expect(s0?.meta.centerName).toBe('MARS BARYCENTER');
    expect(s0?.meta.refFrame).toBe('J2000');
    expect(s0?.states[0]).toMatchObject({
      epoch: '1996-12-18T12:00:00.331',
      r: [2789.619, -280.045, -1746.755],
      v: [4.73372, -2.49586, -1.04195],
    });
    expect(f.segments.map((s) => s.covarianceCount).reduce((a, b) => a + b)).toBeGreaterThan(0);
    // The matrices are read: the first block of the file, lower triangle mirrored.
    const c0 = f.segments.flatMap((s) => s.covariances)[0];
    expect(c0?.epoch).toBe('1996-12-28T21:29:07.267');
    expect(c0?.refFrame).toBe('EME2000');
    expect(c0?.matrix[0]).toBe(3.3313494e-4);
    expect(c0?.matrix[6 * 5 + 4]).toBe(1.0088625e-10);
    expect(c0?.matrix[6 * 4 + 5]).toBe(1.0088625e-10);
    expect(c0?.matrix[6 * 2 + 0]).toBe(-3.0700078e-4);
    // Later matrices of a block each carry their own EPOCH and frame.
    const all = f.segments.flatMap((s) => s.covariances);
    expect(all.map((c) => c.refFrame)).toContain('RTN');
    expect(all.length).toBeGreaterThan(f.segments.map((s) => s.covarianceCount).reduce((a, b) => a + b) - 1);
  });

  it('writes covariance blocks that read back to the same matrices', () => {
    const base = sampleMessage();
    const seg = base.segments[0]!;
    // A symmetric positive-definite matrix with entries over 18 orders of magnitude.
    const m = new Float64Array(36);
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) {
        const si = i < 3 ? 1e-3 : 1e-9;
        const sj = j < 3 ? 1e-3 : 1e-9;
        m[6 * i + j] = (i === j ? 2 : 0.3 / (1 + i + j)) * Math.sqrt(si * sj) * (1 + i / 7);
      }
    for (let i = 0; i < 6; i++) for (let j = 0; j < i; j++) m[6 * j + i] = m[6 * i + j]!;
    const msg: OemMessage = {
      header: base.header,
      segments: [
        {
          ...seg,
          covariances: [
            { epoch: seg.states[0]!.epoch, refFrame: 'RTN', matrix: m },
            { epoch: seg.states[4]!.epoch, matrix: m.map((x) => x * 3), comments: ['later'] },
          ],
        },
      ],
    };
    const text = formatOemKvn(msg);
    expect(text).toContain('COVARIANCE_START');
    expect(text).toContain('COV_REF_FRAME        = RTN');
    const back = unwrap(parseOemKvn(text)).segments[0]!;
    expect(back.covarianceCount).toBe(1);
    expect(back.covariances.map((c) => [c.epoch, c.refFrame])).toEqual([
      [seg.states[0]!.epoch, 'RTN'],
      [seg.states[4]!.epoch, undefined],
    ]);
    // 16 significant digits: the read-back value is within 1 ulp-ish of the original.
    const REL_16_DIGITS = 1e-15;
    for (let k = 0; k < 36; k++) {
      expect(Math.abs(back.covariances[0]!.matrix[k]! - m[k]!)).toBeLessThanOrEqual(
        REL_16_DIGITS * Math.abs(m[k]!),
      );
      expect(Math.abs(back.covariances[1]!.matrix[k]! - 3 * m[k]!)).toBeLessThanOrEqual(
        REL_16_DIGITS * Math.abs(3 * m[k]!),
      );
    }
    // And the states still read back.
    expect(back.states.length).toBe(5);
    expect(() =>
      formatOemKvn({ ...msg, segments: [{ ...seg, covariances: [{ epoch: 'x', matrix: [1, 2] }] }] }),
    ).toThrow(/2 values/);
  });

  it.each(['oem_g11.kvn', 'oem_g12.kvn', 'oem_g13.kvn'])('CCSDS annex example %s', (name) => {
    const f = unwrap(parseOemKvn(readRefText(`ccsds/ccsds-ndm-rs/kvn/${name}`)));
    expect(f.segments.length).toBeGreaterThan(0);
  });

  it.each([
    ['OEM-wrong-keyword.txt', 'OEM_UNKNOWN_KEY', 19],
    ['OEM-ephemeris-number-format-error.txt', 'OEM_NUMBER', 44],
    ['OEM-covariance-number-format-error.txt', 'OEM_NUMBER', 52],
    ['OEM-keyword-within-ephemeris.txt', 'OEM_UNKNOWN_KEY', 24],
    ['OEM-keyword-within-covariance.txt', 'OEM_UNKNOWN_KEY', 91],
    ['OEM-too-few-covariance-columns.txt', 'OEM_SYNTAX', 55],
    ['OEM-too-many-covariance-columns.txt', 'OEM_SYNTAX', 51],
  ])('rejects the malformed Orekit %s with %s at line %i', (name, code, line) => {
    const r = parseOemKvn(readRefText(`${dir}${name}`), { file: name });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([r.issues[0]?.code, r.issues[0]?.line, r.issues[0]?.file]).toEqual([code, line, name]);
  });
});
