/**
 * SINEX station coordinates and eccentricities: the ILRS SLRF2014 file and the ILRS eccentricity
 * file of ../shared/data/od/lageos2, and the ground stations of the LAGEOS-2 case built from them.
 */
import { describe, expect, it } from 'vitest';
import { crdStationNames, parseCrd, parseSinex, type SinexFile, sinexStations } from '../src/ilrs/index.js';
import { instantFromUtcDaySeconds } from '../src/time/utc.js';
import { readRefText } from './reference-data.js';
import { loadLeapSecondDat, unwrap } from './test-support.js';

const leapSeconds = loadLeapSecondDat();
const context = { leapSeconds };
const POS = 'od/lageos2/SLRF2014_POS+VEL_2030.0_200428.snx';
const ECC = 'od/lageos2/ecc_une.snx';
/** SINEX values have 15 significant digits: positions to 1e-8 m, far below this 1 µm check. */
const ONE_MICROMETRE_KM = 1e-9;

function read(path: string): SinexFile {
  return unwrap(parseSinex(readRefText(path), { fileName: path.split('/').pop() ?? path }));
}

const positions = read(POS);
const eccentricities = read(ECC);
/** 2016-02-13T16:00 UTC, the reference epoch of the LAGEOS-2 fit. */
const FIT_EPOCH = instantFromUtcDaySeconds(57431, 57600, 0, leapSeconds);

describe('SINEX reader', () => {
  it('reads the SLRF2014 blocks', () => {
    expect(positions.version).toBe('2.01');
    const stax = positions.estimates.find((e) => e.type === 'STAX' && e.code === '7090');
    expect(stax).toMatchObject({
      index: 205,
      pointCode: 'A',
      solution: '1',
      unit: 'm',
      value: -2389007.53398029,
      stdDev: 0.00051901,
      line: 1028,
    });
    expect(stax?.referenceEpoch).toMatchObject({ year: 2010, dayOfYear: 1, secondsOfDay: 0 });
    const epochs = positions.solutionEpochs.filter((s) => s.code === '7110');
    expect(epochs.map((s) => s.solution)).toEqual(['1', '2', '3']);
    expect(epochs[0]?.start).toMatchObject({ year: 1983, dayOfYear: 57, secondsOfDay: 20378 });
    const site = positions.sites.find((s) => s.code === '7090');
    expect(site).toMatchObject({
      domes: '50107M001',
      technique: 'L',
      description: 'Yarragadee MOBLAS-5',
      cdpSod: '70900501',
    });
  });

  it('reads the eccentricities with their validity periods', () => {
    expect(eccentricities.version).toBe('2.02');
    const yarl = eccentricities.eccentricities.filter((e) => e.code === '7090');
    const lastYarl = yarl[yarl.length - 1];
    expect(lastYarl).toMatchObject({ system: 'UNE', offsetM: [3.1827, -0.0064, 0.0194], cdpSod: '70900513' });
    expect(lastYarl?.start).toMatchObject({ year: 2014, dayOfYear: 80 });
    expect(lastYarl?.end.mjd).toBe(Number.POSITIVE_INFINITY);
    // Large offsets fill the blank between the columns: 7300 `-0.6140-516.4230-565.4650`.
    const glued = eccentricities.eccentricities.find((e) => e.code === '7300');
    expect(glued?.offsetM).toEqual([-0.614, -516.423, -565.465]);
    // Commented-out entries (`*` in column 1) are not read.
    expect(
      yarl.some((e) => e.start.year === 1992 && e.start.dayOfYear === 203 && e.end.mjd === Infinity),
    ).toBe(false);
  });

  it('refuses malformed lines with line and field', () => {
    const text = readRefText(POS).replace('0.504332944749889E+07', 'corrupted............');
    const r = parseSinex(text, { fileName: 'bad.snx' });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues[0]).toMatchObject({
        code: 'SINEX_PARSE_LINE',
        file: 'bad.snx',
        line: 1029,
        expected: 'estimated value (a number)',
      });
    const badEpoch = parseSinex(
      readRefText(ECC).replace(' 7090  A    1 L 14:080:00000', ' 7090  A    1 L 14:080:0000x'),
    );
    expect(badEpoch.ok).toBe(false);
    if (!badEpoch.ok)
      expect(badEpoch.issues[0]).toMatchObject({
        code: 'SINEX_PARSE_LINE',
        expected: 'start as YY:DOY:SSSSS',
      });
    const mm = parseSinex(
      readRefText(POS).replace('STAY   7090  A    1 10:001:00000 m ', 'STAY   7090  A    1 10:001:00000 mm'),
    );
    expect(mm.ok).toBe(false);
    if (!mm.ok)
      expect(mm.issues[0]).toMatchObject({
        code: 'SINEX_PARSE_LINE',
        line: 1029,
        expected: 'unit m for STAY',
      });
    const noHeader = parseSinex('+SITE/ID\n-SITE/ID\n');
    expect(noHeader.ok).toBe(false);
  });
});

describe('ground stations of the LAGEOS-2 case', () => {
  const crd = unwrap(parseCrd(readRefText('od/lageos2/lageos2_20160214.npt')));
  const stations = sinexStations(positions, FIT_EPOCH, {
    context,
    eccentricities,
    names: crdStationNames(crd),
  });

  it('gives the four stations by pad id and by name, in km', () => {
    const expected: Record<
      string,
      [string, [number, number, number], [number, number, number], [number, number, number]]
    > = {
      '7090': [
        'YARL',
        [-2389007.53398029, 5043329.44749889, -3078524.22322662],
        [-0.0468389138240797, 0.00839461295243685, 0.0509471988578335],
        [3.1827, -0.0064, 0.0194],
      ],
      '7119': [
        'HA4T',
        [-5466065.55339658, -2404338.02403932, 2242108.39030803],
        [-0.013647828000162, 0.0621138779086323, 0.0324286361773049],
        [2.6304, 0.0029, 0.0032],
      ],
      '7825': [
        'STL3',
        [-4467064.77777328, 2683034.88652095, -3667007.31862026],
        [-0.0362991199667895, 0.000665755107296464, 0.0455041536458632],
        [0, 0, 0],
      ],
      '7941': [
        'MATM',
        [4641978.61713781, 1393067.72310455, 4133249.62267129],
        [-0.0188102608696727, 0.0190425787582322, 0.0144917604701781],
        [0, 0, 0],
      ],
    };
    const ref2010 = instantFromUtcDaySeconds(55197, 0, 0, leapSeconds);
    for (const [code, [name, posM, velM, eccM]] of Object.entries(expected)) {
      const byCode = stations.get(code);
      const byName = stations.get(name);
      if (byCode === undefined || byName === undefined) throw new Error(`missing ${code}/${name}`);
      expect(byCode.name).toBe(code);
      expect(byName.name).toBe(name);
      expect(byName.itrfKm).toEqual(byCode.itrfKm);
      for (let k = 0; k < 3; k++) {
        expect(Math.abs((byCode.itrfKm[k] ?? 0) - (posM[k] ?? 0) / 1000)).toBeLessThan(ONE_MICROMETRE_KM);
        expect(Math.abs((byCode.velocityKmPerYear?.[k] ?? 0) - (velM[k] ?? 0) / 1000)).toBeLessThan(
          ONE_MICROMETRE_KM,
        );
        expect(Math.abs((byCode.eccentricityUneKm?.[k] ?? Number.NaN) - (eccM[k] ?? 0) / 1000)).toBeLessThan(
          ONE_MICROMETRE_KM,
        );
      }
      expect(byCode.referenceEpoch?.equals(ref2010)).toBe(true);
    }
  });

  it('chooses the eccentricity valid at the requested date', () => {
    const in2012 = sinexStations(positions, instantFromUtcDaySeconds(55927, 0, 0, leapSeconds), {
      context,
      eccentricities,
    });
    // 7090 between 10:196 and 14:079: 3.1820 -0.0068 0.0164 m.
    const e = in2012.get('7090')?.eccentricityUneKm;
    expect(e?.[0]).toBeCloseTo(3.182e-3, 12);
    expect(e?.[2]).toBeCloseTo(0.0164e-3, 12);
  });

  it('picks the solution valid at the epoch for a site with discontinuities (7110)', () => {
    const at = (mjd: number) =>
      sinexStations(positions, instantFromUtcDaySeconds(mjd, 0, 0, leapSeconds), { context }).get('7110')
        ?.itrfKm[0];
    // Solution 1 until 1999 DOY 289, 2 from 1999 DOY 290 to 2010 DOY 92, 3 from 2010 DOY 96.
    expect(at(50000)).toBeCloseTo(-2386278.61476873e-3, 12); // 1995-10-10
    expect(at(53000)).toBeCloseTo(-2386278.61392312e-3, 12); // 2003-12-27
    expect(at(57431)).toBeCloseTo(-2386278.62667007e-3, 12); // 2016-02-13
    // 2010-04-03 (DOY 93) falls in the gap between solutions 2 and 3: the nearer one, 2.
    expect(at(55289)).toBeCloseTo(-2386278.61392312e-3, 12);
    expect(at(55292)).toBeCloseTo(-2386278.62667007e-3, 12); // 2010-04-06 (DOY 96), 3 again
  });
});
