/** @hoshimi/node: Node.js services for the Hoshimi core. */
export { type PooledCatalog, type PropagateOptions, PropagationPool } from './propagation-pool.js';
export { type ParallelScreeningOptions, screenParallel } from './screening-pool.js';
