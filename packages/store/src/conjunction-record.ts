/**
 * The stored row of a screened conjunction (ConjunctionRecord): the pair, TCA to the microsecond,
 * miss distance and relative speed, the miss in the primary's RTN frame, the Pc with its method and
 * inputs, and both element sets' ages. One mapping for every writer (`hoshimi screen --db`, the
 * server's screening jobs).
 */
import { type Conjunction, type ConjunctionPc, conjunctionTcaIso } from '@hoshimi/astro/conjunction';
import type { ConjunctionRecord } from './catalog-store.js';

const M_PER_KM = 1000;

/** `hbrKm`: the combined hard-body radius the Pc used, km (stored in metres). */
export function conjunctionRecord(c: Conjunction, pc: ConjunctionPc, hbrKm: number): ConjunctionRecord {
  return {
    id1: c.primary.catalogNumber,
    id2: c.secondary.catalogNumber,
    tcaUtc: `${conjunctionTcaIso(c, 6)}Z`,
    missKm: c.missKm,
    relSpeedKmS: c.relativeSpeedKmS,
    rKm: c.missRtnKm.radial,
    iKm: c.missRtnKm.inTrack,
    cKm: c.missRtnKm.crossTrack,
    pc: pc.pc,
    pcMethod: pc.method,
    hbrM: hbrKm * M_PER_KM,
    covarianceSource: pc.covarianceSource,
    confidence: pc.confidence,
    age1Days: c.primary.elementAgeDays,
    age2Days: c.secondary.elementAgeDays,
  };
}
