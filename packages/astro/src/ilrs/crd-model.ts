/**
 * The model of an ILRS CRD file (Consolidated Laser Ranging Data format, version 1.01 of 2009 and
 * version 2.01 of 2019/2021, ILRS Data Formats and Procedures Working Group): a file is a list of
 * data blocks, each one pass of one target by one station (headers H1..H5, configuration records
 * C0..C7, data records 10..60, ended by H8), closed by H9; `00` comment records may appear anywhere.
 *
 * The model keeps the file's own units, named in each field (`Ps` picoseconds, `Mbar`, `Deg`, `M`,
 * `Nm`); conversion to Hoshimi units (km, rad, Instant) happens in crd-measurements.ts. Every epoch
 * is a UTC day (`mjd`, already resolved across midnight) and `secondsOfDay` as written. Missing
 * values written `na` are NaN. Lines are 1-based lines of the input, for residual reports.
 */

/** A calendar date and time of the session headers (H4), UTC. */
export interface CrdDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** The day as a modified Julian date, and the time as seconds of that day. */
  readonly mjd: number;
  readonly secondsOfDay: number;
}

/** H1: format header. */
export interface CrdFormatHeader {
  readonly version: number;
  readonly productionYear: number;
  readonly productionMonth: number;
  readonly productionDay: number;
  readonly productionHour: number;
}

/** H2: station header. */
export interface CrdStationHeader {
  /** Station name from the official list (4 characters for most, e.g. YARL). */
  readonly name: string;
  /** System identifier: the CDP pad identifier (e.g. 7090). */
  readonly systemId: string;
  /** CDP 2-digit system number and occupancy sequence number. */
  readonly systemNumber: number;
  readonly occupancy: number;
  /**
   * Station epoch time scale: 3 UTC(USNO), 4 UTC(GPS), 7 UTC(BIPM), 10 UTC(station time scale),
   * all UTC realisations; other values are not UTC (see crd-measurements.ts).
   */
  readonly epochTimeScale: number;
  /** Station network (version 2 only). */
  readonly network?: string;
}

/** H3: target header. */
export interface CrdTargetHeader {
  readonly name: string;
  /** ILRS satellite identifier (COSPAR-based, e.g. 9207002). */
  readonly ilrsId: string;
  readonly sic: string;
  /** NORAD catalog number as written (may be `na`). */
  readonly noradId: string;
  /** Spacecraft epoch time scale (transponders): 0 not used, 1 UTC, 2 spacecraft time. */
  readonly spacecraftEpochTimeScale: number;
  /** Target type (class): 0 no retroreflector, 1 passive retroreflector, 2..5 transponders... */
  readonly targetClass: number;
  /** Target location/dynamics (version 2 only): 1 Earth orbit, 2 lunar orbit, 3 lunar surface... */
  readonly targetLocation?: number;
}

/** H4: session (pass) header. */
export interface CrdSessionHeader {
  /** 0 full rate, 1 normal points, 2 sampled engineering. */
  readonly dataType: number;
  readonly start: CrdDateTime;
  /** End of the session; absent when written as -1 (unknown). */
  readonly end?: CrdDateTime;
  readonly dataReleaseFlag: number;
  readonly troposphericRefractionApplied: boolean;
  readonly centerOfMassCorrectionApplied: boolean;
  readonly receiveAmplitudeCorrectionApplied: boolean;
  readonly stationSystemDelayApplied: boolean;
  readonly spacecraftSystemDelayApplied: boolean;
  /** 0 no ranges, 1 one-way, 2 two-way, 3 received times only, 4 mixed. */
  readonly rangeType: number;
  /** 0 nominal, 1 suspect, 2 unknown. */
  readonly dataQualityAlert: number;
}

/** H5: prediction header (version 2 only). */
export interface CrdPredictionHeader {
  /** 1 CPF, 2 TLE. */
  readonly predictionType: number;
  readonly yearOfCentury: number;
  /** MMDDHH (CPF) or day of year with fraction (TLE), as written. */
  readonly dateAndTime: string;
  readonly provider: string;
  readonly sequenceNumber: number;
}

/** C0: system configuration. */
export interface CrdSystemConfiguration {
  readonly line: number;
  readonly detailType: number;
  /** Transmit wavelength, nm. */
  readonly wavelengthNm: number;
  readonly systemId: string;
  /** Identifiers of the component records (C1..C7) that make this configuration. */
  readonly components: readonly string[];
}

/** C1: laser configuration. */
export interface CrdLaserConfiguration {
  readonly line: number;
  readonly laserId: string;
  readonly laserType: string;
  readonly primaryWavelengthNm: number;
  readonly nominalFireRateHz: number;
  readonly pulseEnergyMj: number;
  readonly pulseWidthPs: number;
  readonly beamDivergenceArcsec: number;
  readonly pulsesInOutgoingSemiTrain: number;
}

/** C2..C7 (detector, timing, transponder, software, meteorological, calibration target): id and raw fields. */
export interface CrdOtherConfiguration {
  readonly line: number;
  /** Record type, upper case: C2..C7. */
  readonly type: string;
  readonly id: string;
  /** All fields after the record type (detail type, id, then the record's own fields). */
  readonly fields: readonly string[];
}

/** Fields every data record carries: where it is and its epoch. */
export interface CrdEpoch {
  readonly line: number;
  /** UTC day of the epoch, resolved across midnight from the session start (H4). */
  readonly mjd: number;
  /** Seconds of day as written (the day is `mjd`). */
  readonly secondsOfDay: number;
}

/** 10 (full rate) and 11 (normal point) range records. */
export interface CrdRange extends CrdEpoch {
  readonly record: '10' | '11';
  /** Time of flight, s (two-way: round trip; one-way: the single leg). */
  readonly timeOfFlightS: number;
  readonly systemConfigurationId: string;
  /**
   * Epoch event: 0 ground receive, 1 spacecraft bounce, 2 ground transmit (two-way); 3 spacecraft
   * receive, 4 spacecraft transmit, 5 ground transmit and spacecraft receive, 6 spacecraft transmit
   * and ground receive (one-way).
   */
  readonly epochEvent: number;
  /** 10 only: filter flag (0 unknown, 1 noise, 2 data), detector channel, stop number, amplitudes. */
  readonly filterFlag?: number;
  readonly stopNumber?: number;
  readonly receiveAmplitude?: number;
  readonly transmitAmplitude?: number;
  /** 11 only: normal point window length (s), raw ranges compressed, bin statistics. */
  readonly windowLengthS?: number;
  readonly numberOfRawRanges?: number;
  readonly binRmsPs?: number;
  readonly binSkew?: number;
  readonly binKurtosis?: number;
  readonly binPeakMinusMeanPs?: number;
  readonly returnRatePercent?: number;
  readonly detectorChannel: number;
  /** 11, version 2: signal to noise ratio. */
  readonly snr?: number;
}

/** 12: range supplement. */
export interface CrdRangeSupplement extends CrdEpoch {
  readonly systemConfigurationId: string;
  readonly troposphericRefractionCorrectionPs: number;
  readonly centerOfMassCorrectionM: number;
  readonly ndFilterValue: number;
  readonly timeBiasAppliedS: number;
  /** Version 2: range rate, m/s. */
  readonly rangeRateMPerS?: number;
}

/** 20: meteorological record. */
export interface CrdMeteo extends CrdEpoch {
  readonly pressureMbar: number;
  readonly temperatureK: number;
  readonly humidityPercent: number;
  /** 0 measured, 1 interpolated. */
  readonly originOfValues: number;
}

/** 21 (meteorological supplement), 42 (calibration shot), 9x (user defined), 60: raw fields. */
export interface CrdRawRecord {
  readonly line: number;
  readonly record: string;
  readonly fields: readonly string[];
}

/** 30: pointing angles. */
export interface CrdAngles extends CrdEpoch {
  readonly azimuthDeg: number;
  readonly elevationDeg: number;
  /** 0 common epoch, 1 transmit, 2 receive. */
  readonly directionFlag: number;
  /** 0 unknown, 1 computed, 2 commanded, 3 measured. */
  readonly originIndicator: number;
  readonly refractionCorrected: boolean;
  readonly azimuthRateDegPerS: number;
  readonly elevationRateDegPerS: number;
}

/** 40 (calibration overall) and 41 (calibration detail, version 2). */
export interface CrdCalibration extends CrdEpoch {
  readonly record: '40' | '41';
  /** 0 station combined, 1 transmit, 2 receive, 3 combined after... (spec table). */
  readonly typeOfData: number;
  readonly systemConfigurationId: string;
  readonly pointsRecorded: number;
  readonly pointsUsed: number;
  readonly oneWayTargetDistanceM: number;
  readonly systemDelayPs: number;
  readonly delayShiftPs: number;
  readonly rmsPs: number;
  readonly skew: number;
  readonly kurtosis: number;
  readonly peakMinusMeanPs: number;
  readonly typeIndicator: number;
  readonly shiftTypeIndicator: number;
  readonly detectorChannel: number;
  /** Version 2: span of the calibration and return rate (%). */
  readonly span?: number;
  readonly returnRatePercent?: number;
}

/** 50: session statistics. */
export interface CrdSessionStatistics {
  readonly line: number;
  readonly systemConfigurationId: string;
  readonly rmsPs: number;
  readonly skew: number;
  readonly kurtosis: number;
  readonly peakMinusMeanPs: number;
  readonly dataQuality: number;
}

/** One data block: one pass of one target from one station. */
export interface CrdBlock {
  /** Line of the block's first header record. */
  readonly line: number;
  readonly format: CrdFormatHeader;
  readonly station: CrdStationHeader;
  readonly target: CrdTargetHeader;
  readonly session: CrdSessionHeader;
  readonly prediction?: CrdPredictionHeader;
  readonly systemConfigurations: readonly CrdSystemConfiguration[];
  readonly laserConfigurations: readonly CrdLaserConfiguration[];
  readonly otherConfigurations: readonly CrdOtherConfiguration[];
  /** 10 and 11 records, in file order. */
  readonly ranges: readonly CrdRange[];
  readonly rangeSupplements: readonly CrdRangeSupplement[];
  readonly meteo: readonly CrdMeteo[];
  readonly angles: readonly CrdAngles[];
  readonly calibrations: readonly CrdCalibration[];
  readonly sessionStatistics: readonly CrdSessionStatistics[];
  /** 21, 42, 60 and user-defined 9x records, raw. */
  readonly otherRecords: readonly CrdRawRecord[];
  /** `00` comments met inside this block, text without the record type. */
  readonly comments: readonly string[];
}

/** A parsed CRD file. */
export interface CrdFile {
  readonly blocks: readonly CrdBlock[];
  /** Every `00` comment of the file, in order. */
  readonly comments: readonly string[];
}

/** Options of the CRD reader. */
export interface CrdReadOptions {
  /** File name for issues. */
  readonly fileName?: string;
}
