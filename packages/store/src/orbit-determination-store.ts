/**
 * Orbits determined by Hoshimi from observations (schema v16, migrations.ts
 * `0016_orbit_determinations`): the estimated state at its epoch with its full covariance, the
 * extra estimated parameters, the fit's statistics and the files it came from. When the fit also
 * produced an element set (an SGP4 fit, or a mean-element set fitted to the estimated trajectory),
 * that set is imported like any other with source `hoshimi-od` and linked here by its id, so the
 * catalog, screening and every detector use it as they use sets from elsewhere.
 */
import type { Marking } from '@hoshimi/astro';
import type { ImportInput, IngestReport } from './ingest-types.js';

/** One estimated parameter beyond the state. */
export interface OdParameter {
  /** `cd`, `cr`, `range-bias:YARL`, `angle-bias:STATION:az`, ... */
  readonly name: string;
  readonly value: number;
  /** One sigma, same units as the value. */
  readonly sigma: number;
}

/** What `saveOrbitDetermination` stores. */
export interface OrbitDeterminationInput {
  /** The object it belongs to; null for an uncorrelated candidate. */
  readonly catalogNumber: string | null;
  /** Epoch of the state, ISO 8601 UTC. */
  readonly epochUtc: string;
  readonly frame: 'GCRF' | 'EME2000';
  readonly positionKm: readonly [number, number, number];
  readonly velocityKmS: readonly [number, number, number];
  /** Covariance of the state, 6×6 row-major, km and km/s (symmetric, non-negative diagonal). */
  readonly covariance: readonly number[];
  readonly parameters: readonly OdParameter[];
  readonly propagator: 'numerical' | 'sgp4';
  readonly iterations: number;
  /** Measurements used (after editing) and rejected by the outlier editor. */
  readonly measurements: number;
  readonly rejected: number;
  /** Residual statistics (RMS per measurement kind and per station), as the CLI's JSON gives them. */
  readonly rms: Readonly<Record<string, unknown>>;
  /** The observation (and station) files: name and SHA-256 of the bytes read. */
  readonly inputs: readonly { readonly file: string; readonly sha256: string }[];
  /** The element set stored from this fit (source `hoshimi-od`), if any. */
  readonly elementSetId: number | null;
  /** The marking asked for (checked like any write); default: the store's default. */
  readonly marking?: Marking;
  /** Markings of the inputs: the stored marking is the most restrictive of them and `marking`. */
  readonly derivedFrom?: readonly Marking[];
}

/**
 * Options of `saveOrbitDetermination`: an element-set file (the fit's element set, source
 * `hoshimi-od`) imported in the same transaction as the record. Either both are stored or neither
 * is: a record that fails its checks rolls the import back, an import that stores no element set
 * stores no record. The record's `elementSetId` is then the set the file stored (or, when the file
 * repeats a stored set, that set), and must be given as null.
 */
export interface SaveOrbitDeterminationOptions {
  readonly elementSetFile?: ImportInput;
}

/** A stored orbit determination and, when an element-set file was given, its import report. */
export interface SavedOrbitDetermination extends StoredOrbitDetermination {
  readonly ingest?: IngestReport;
}

/** A stored orbit determination. */
export interface StoredOrbitDetermination extends Omit<OrbitDeterminationInput, 'marking' | 'derivedFrom'> {
  readonly id: number;
  readonly createdAt: string;
  readonly marking: Marking;
}

/** Which orbit determinations to list: newest epoch first. */
export interface OrbitDeterminationQuery {
  readonly catalogNumber?: string;
  readonly limit?: number;
}
