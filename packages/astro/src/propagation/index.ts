/** Public API of the propagation module: columnar batch SGP4 and its fast trigonometry. */
export { createStateBatch, propagateBatch, type StateBatch } from './sgp4-batch.js';
