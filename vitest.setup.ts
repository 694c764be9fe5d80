/**
 * Lets each test worker's event loop run between tests. Many tests are synchronous (a CLI run through
 * spawnSync, a catalog-wide computation); the runner's awaits between them are microtasks only, so
 * a file of such tests never reaches the loop's poll phase, and the worker cannot read the replies to
 * its reports to the runner. Those calls time out after a fixed 60 s (vitest's RPC, not
 * configurable) and fail the run although every test passed. A macrotask turn after each test
 * bounds the blocked stretch to one test.
 */
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
