/**
 * The entries of a parsed CPF file as Instants and positions in km (ITRF for the usual H2
 * reference frame 0), for orbit determination from an ephemeris and for comparisons.
 */
import type { Vec3 } from '../math/vec3.js';
import type { Instant } from '../time/instant.js';
import type { TimeContext } from '../time/utc.js';
import type { CpfFile } from './cpf-model.js';
import { utcDaySecondsInstant } from './day-seconds.js';

/** Positions of a CPF file as instants and ITRF (or the H2 frame) km. */
export interface CpfPositions {
  /** H2 reference frame: 0 ITRF (geocentric true body-fixed), 1 true of date, 2 J2000. */
  readonly referenceFrame: number;
  readonly epochs: readonly Instant[];
  readonly positionsKm: readonly Vec3[];
  /** Velocities, km/s, when every entry has a 20 record. */
  readonly velocitiesKmPerS?: readonly Vec3[];
}

/**
 * The entries of a CPF file as instants (UTC MJD + seconds of day through the leap-second table
 * of `context`; a second of day past the end of the day rolls into the next) and positions in km.
 */
export function cpfPositions(cpf: CpfFile, context: TimeContext): CpfPositions {
  const epochs: Instant[] = [];
  const positionsKm: Vec3[] = [];
  const velocities: Vec3[] = [];
  for (const e of cpf.entries) {
    epochs.push(utcDaySecondsInstant(e.mjd, e.secondsOfDay, context));
    positionsKm.push([e.positionM[0] / 1000, e.positionM[1] / 1000, e.positionM[2] / 1000]);
    if (e.velocityMPerS !== undefined) {
      velocities.push([e.velocityMPerS[0] / 1000, e.velocityMPerS[1] / 1000, e.velocityMPerS[2] / 1000]);
    }
  }
  return {
    referenceFrame: cpf.header.referenceFrame,
    epochs,
    positionsKm,
    ...(velocities.length === cpf.entries.length && velocities.length > 0
      ? { velocitiesKmPerS: velocities }
      : {}),
  };
}
