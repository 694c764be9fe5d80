/**
 * @hoshimi/astro: the astrodynamics core of Hoshimi. No runtime dependencies, no Node or DOM APIs.
 */

export * from './atmosphere/index.js';
export * from './bodies/index.js';
export * from './breakup/index.js';
export * from './cases/index.js';
export * from './ccsds/index.js';
export * from './context/index.js';
export * from './correlation/index.js';
export * from './elements/index.js';
export * from './eop/index.js';
export * from './errors.js';
export * from './events/index.js';
export * from './fragmentation/index.js';
export * from './frames/index.js';
export * from './geodesy/index.js';
export * from './gravity/index.js';
export * from './ilrs/index.js';
export * from './iod/index.js';
export * from './maneuver/index.js';
export * from './marking/index.js';
export * from './math/index.js';
export * from './numerical/index.js';
export * from './observations/index.js';
export * from './od/index.js';
export * from './pc/index.js';
export * from './propagation/index.js';
export * from './reentry/index.js';
export * from './rpo/index.js';
export * from './sgp4/index.js';
export * from './time/index.js';
export * from './time/instant.js';
export * from './units/index.js';
