/**
 * The model of an ILRS CPF file (Consolidated Prediction Format, version 1.01 of 2006 and version
 * 2.0 of 2018, ILRS Data Formats and Procedures Working Group).
 *
 * A file is the header records H1..H5 closed by H9, then data records: 10 position (direction
 * flag, MJD, seconds of day, leap second flag, x y z in metres, geocentric; frame per H2), 20
 * velocity (m/s), 30 corrections (aberration, m, and relativistic range correction, ns), 40
 * transponder, 50 offset from centre of mass, 60 rotation angle, 70 Earth orientation, `00`
 * comments anywhere, and 99 ends the file. Records 30..70 are kept as their raw fields, attached to
 * the preceding 10 record. Epochs are UTC (CPF §2). The model keeps the file's units (m, m/s).
 */

/** H1 and H2 (and the optional H3..H5) of a CPF file. */
export interface CpfHeader {
  readonly version: number;
  /** Ephemeris source (3 characters, e.g. CNE, HTS, ESA). */
  readonly source: string;
  readonly productionYear: number;
  readonly productionMonth: number;
  readonly productionDay: number;
  readonly productionHour: number;
  readonly sequenceNumber: number;
  /** Version 2: sub-daily sequence number. */
  readonly subDailySequenceNumber?: number;
  readonly targetName: string;
  /** H1 notes (free text), when present. */
  readonly notes?: string;
  readonly ilrsId: string;
  readonly sic: string;
  readonly noradId: string;
  /** Start and end of the prediction: y m d h m s (UTC). */
  readonly start: readonly [number, number, number, number, number, number];
  readonly end: readonly [number, number, number, number, number, number];
  /** Time between table entries, s. */
  readonly stepS: number;
  /** 1 when compatible with tuned inter-range vectors (TIVs). */
  readonly compatibleWithTivs: number;
  /** 1 passive retroreflector, 2 synchronous transponder, ... */
  readonly targetClass: number;
  /** 0 geocentric true body-fixed (ITRF, default), 1 true of date, 2 mean of J2000. */
  readonly referenceFrame: number;
  readonly rotationalAngleType: number;
  /** 0 none, 1 centre-of-mass correction applied (positions are of the reflector). */
  readonly centerOfMassCorrection: number;
  /** Version 2: target location/dynamics (1 Earth orbit, 2 lunar orbit, ...). */
  readonly targetLocation?: number;
  /** H3, H4: raw fields when present. */
  readonly h3?: readonly string[];
  readonly h4?: readonly string[];
  /** H5: spherical satellite centre-of-mass correction, m. */
  readonly centerOfMassOffsetM?: number;
}

/** One 10 record with its optional 20 velocity and the raw 30..70 records that follow it. */
export interface CpfEntry {
  /** 0 common epoch (instantaneous vector), 1 transmit, 2 receive. */
  readonly directionFlag: number;
  readonly mjd: number;
  readonly secondsOfDay: number;
  /** Leap second flag: 0, or the value of the new leap second on a leap-second day. */
  readonly leapSecond: number;
  readonly positionM: readonly [number, number, number];
  readonly velocityMPerS?: readonly [number, number, number];
  /** Direction flag of the 20 record when present. */
  readonly velocityDirectionFlag?: number;
  /** Records 30, 40, 50, 60, 70 that follow this entry: type and fields after it, as written. */
  readonly extra: readonly { readonly record: string; readonly fields: readonly string[] }[];
}

/** A parsed CPF file. */
export interface CpfFile {
  readonly header: CpfHeader;
  readonly entries: readonly CpfEntry[];
  /** Every `00` comment, text without the record type. */
  readonly comments: readonly string[];
}

/** Options of the CPF reader. */
export interface CpfReadOptions {
  readonly fileName?: string;
}
