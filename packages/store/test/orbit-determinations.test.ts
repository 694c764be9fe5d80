/**
 * The orbit-determination contract (orbit-determination-contract.ts) on the SQLite store, in memory.
 */
import { openSqliteStore } from '../src/sqlite-store.js';
import { runOrbitDeterminationContract } from './orbit-determination-contract.js';

runOrbitDeterminationContract('SQLite', () => openSqliteStore(':memory:'));
