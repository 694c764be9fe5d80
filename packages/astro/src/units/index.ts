/**
 * Unit brands and the only place where plain numbers become branded quantities.
 * Inside the code: km, km/s, radians, SI seconds. Other units exist only at the edges.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type Km = Brand<number, 'km'>;
export type KmPerSec = Brand<number, 'km/s'>;
export type Rad = Brand<number, 'rad'>;
export type Seconds = Brand<number, 's'>;
export type Minutes = Brand<number, 'min'>;

export const km = (x: number): Km => x as Km;
export const kmPerSec = (x: number): KmPerSec => x as KmPerSec;
export const rad = (x: number): Rad => x as Rad;
export const seconds = (x: number): Seconds => x as Seconds;
export const minutes = (x: number): Minutes => x as Minutes;

/** Degrees to radians. */
export const DEG2RAD = Math.PI / 180;
/** Radians to degrees. */
export const RAD2DEG = 180 / Math.PI;
/** Arcseconds to radians. */
export const ARCSEC2RAD = Math.PI / (180 * 3600);
/** Seconds per day (SI day of 86400 s). */
export const SECONDS_PER_DAY = 86400;
/** Minutes per day. */
export const MINUTES_PER_DAY = 1440;
/** 2π. */
export const TWO_PI = 2 * Math.PI;
/** Speed of light in vacuum, km/s (exact by the SI definition of the metre). */
export const SPEED_OF_LIGHT_KM_S = 299792.458;
