/**
 * A conjunction as the store keeps it (catalog-store.ts re-exports these; they live apart so the
 * exchange store can name them without importing the whole store interface).
 */
import type { Marking } from '@hoshimi/astro';

/** One conjunction as stored. Distances km, speeds km/s; the miss vector in the primary's RTN frame. */
export interface ConjunctionRecord {
  readonly id1: string;
  readonly id2: string;
  readonly tcaUtc: string;
  readonly missKm: number;
  readonly relSpeedKmS: number;
  readonly rKm: number;
  readonly iKm: number;
  readonly cKm: number;
  /** null when no Pc could be computed. */
  readonly pc: number | null;
  readonly pcMethod: string;
  /** Combined hard-body radius, m. */
  readonly hbrM: number;
  readonly covarianceSource: string;
  /** 'low' when no covariance was known (a maximum Pc). */
  readonly confidence: 'low' | 'normal';
  /** Element-set ages at TCA, days. */
  readonly age1Days: number;
  readonly age2Days: number;
  /** (v9) On input, an explicit marking (default: derived, see saveScreening); on output always set. */
  readonly marking?: Marking;
}

/** (v9) A stored conjunction: its marking is always known. */
export interface StoredConjunction extends ConjunctionRecord {
  readonly marking: Marking;
}
