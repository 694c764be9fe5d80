/**
 * Centre-of-mass (CoM) corrections of spherical geodetic laser-ranging satellites: the distance
 * from the satellite's centre of mass to the effective reflection point of its retro-reflector
 * array. The reflection point is nearer the station than the centre of mass, so the correction is
 * ADDED to a measured range to get the range to the centre of mass, or equivalently subtracted
 * from a computed centre-of-mass range to predict the measurement (od/slr.ts). Orekit's LAGEOS-2
 * harness applies range.center.of.mass.correction with the opposite sign; with a range bias
 * estimated per station the orbit is the same and only the biases differ (by twice the value).
 *
 * These are single nominal values. The real correction depends on the station's detector and
 * processing (single-photon vs multi-photon, leading edge vs centroid): see Otsubo & Appleby,
 * "System-dependent centre-of-mass correction for spherical geodetic satellites", JGR 108(B4) 2201
 * (2003), and the station- and epoch-dependent tables of Rodríguez, Appleby & Otsubo, J. Geodesy
 * 93 (2019), doi:10.1007/s00190-019-01315-0, distributed by the ILRS. A fit at the centimetre level
 * should use those tables or estimate a range bias per station.
 */

/** One satellite's nominal CoM correction. */
export interface CenterOfMassCorrection {
  /** Satellite name. */
  readonly name: string;
  /** ILRS satellite ids (7-digit, COSPAR-based) it applies to. */
  readonly ilrsIds: readonly string[];
  /** Nominal correction, km. */
  readonly correctionKm: number;
  /** Where the value comes from. */
  readonly source: string;
}

/**
 * LAGEOS-1 and LAGEOS-2 nominal CoM correction, 0.251 m: the ILRS standard value, and the value
 * Orekit's LAGEOS-2 orbit determination test uses (range.center.of.mass.correction = 0.251 m,
 * shared/data/od/lageos2/orekit-expected.json). System-dependent values span about 244–252 mm
 * (Otsubo & Appleby 2003).
 */
export const LAGEOS_COM_CORRECTION_KM = 0.251e-3;

/**
 * Nominal CoM corrections of the spherical geodetic satellites. Values and sources as stated in each
 * row; see the module header for why these are only nominal.
 */
export const CENTER_OF_MASS_CORRECTIONS: readonly CenterOfMassCorrection[] = [
  {
    name: 'LAGEOS-1',
    ilrsIds: ['7603901'],
    correctionKm: LAGEOS_COM_CORRECTION_KM,
    source: 'ILRS nominal value; Orekit LAGEOS test settings (0.251 m); Otsubo & Appleby 2003',
  },
  {
    name: 'LAGEOS-2',
    ilrsIds: ['9207002'],
    correctionKm: LAGEOS_COM_CORRECTION_KM,
    source: 'ILRS nominal value; Orekit LAGEOS-2 test settings (0.251 m); Otsubo & Appleby 2003',
  },
  {
    name: 'Ajisai',
    ilrsIds: ['8606101'],
    correctionKm: 1.01e-3,
    source:
      'Otsubo & Appleby 2003, nominal 1010 mm (the ILRS CoM table gives 1028 mm as the radius of the cube phase centres, not the correction)',
  },
  {
    name: 'Etalon-1',
    ilrsIds: ['8900103'],
    correctionKm: 0.576e-3,
    source: 'ILRS nominal value 576 mm (Otsubo & Appleby 2003 discuss its system dependence)',
  },
  {
    name: 'Etalon-2',
    ilrsIds: ['8903903'],
    correctionKm: 0.576e-3,
    source: 'ILRS nominal value 576 mm (Otsubo & Appleby 2003 discuss its system dependence)',
  },
  {
    name: 'Starlette',
    ilrsIds: ['7501001'],
    correctionKm: 0.075e-3,
    source:
      'ILRS nominal value 75 mm; system-dependent values in Otsubo et al., J. Geodesy 89 (2015) 303–312',
  },
  {
    name: 'Stella',
    ilrsIds: ['9306102'],
    correctionKm: 0.075e-3,
    source:
      'ILRS nominal value 75 mm; system-dependent values in Otsubo et al., J. Geodesy 89 (2015) 303–312',
  },
  {
    name: 'LARES',
    ilrsIds: ['1200601'],
    correctionKm: 0.133e-3,
    source:
      'ILRS LARES centre-of-mass page: originally adopted 133 mm (±5 mm; 127 mm centroid per later studies)',
  },
];

/** The nominal CoM correction of a satellite by ILRS id or (case-insensitive) name, or undefined. */
export function centerOfMassCorrection(idOrName: string): CenterOfMassCorrection | undefined {
  const key = idOrName.trim().toLowerCase();
  return CENTER_OF_MASS_CORRECTIONS.find((c) => c.ilrsIds.includes(key) || c.name.toLowerCase() === key);
}
