/**
 * `npm run bench [-- NAME...]`: runs every benchmark, or only the named ones.
 */
import { benchApi } from './api.js';
import { benchAsOfHistory } from './asof-history.js';
import { benchAtmosphere } from './atmosphere.js';
import { benchAudit } from './audit.js';
import { benchBreakup } from './breakup.js';
import { benchCatalog } from './catalog.js';
import { benchCorrelation } from './correlation.js';
import { benchExchange } from './exchange.js';
import { benchFragmentation } from './fragmentation.js';
import { machineLine } from './harness.js';
import { benchManeuvers } from './maneuvers.js';
import { benchMarkings } from './markings.js';
import { benchNumerical } from './numerical.js';
import { benchOd } from './od.js';
import { benchQueue } from './queue.js';
import { benchRpo } from './rpo.js';
import { benchScreening, benchScreeningSubset } from './screening.js';
import { benchScreening100k } from './screening-100k.js';
import { benchSgp4, twoWorkerRate } from './sgp4.js';
import { benchStorePg } from './store-pg.js';
import { benchWeb } from './web.js';

type Bench = { readonly name: string; readonly description: string; readonly run: () => Promise<void> };

const BENCHES: readonly Bench[] = [
  {
    name: 'sgp4',
    description: 'batch SGP4 throughput, 2023 catalog × 7 days, vs satellite.js sgp4()',
    run: () => benchSgp4(twoWorkerRate),
  },
  {
    name: 'catalog',
    description: 'catalog store: import 2023 catalog and all histories, whole-catalog as-of query',
    run: benchCatalog,
  },
  {
    name: 'store-pg',
    description:
      'PostgreSQL vs SQLite store: import 2023 catalog and the 4 catalogs as a history, whole-catalog as-of (ratio PostgreSQL / SQLite)',
    run: benchStorePg,
  },
  {
    name: 'asof-history',
    description:
      'PostgreSQL as-of queries on a synthetic history (--sets=N, default 1 M; 40,000 objects): whole catalog, one object, one history, sizes',
    run: benchAsOfHistory,
  },
  {
    name: 'screening',
    description: 'full-catalog all-vs-all screening, 7 days, 5 km, 2 workers; subset vs naive satellite.js',
    run: benchScreening,
  },
  {
    name: 'screening-subset',
    description: 'screening part (b) alone: 1-in-9 subset × 1 day vs naive satellite.js, one thread each',
    run: () => benchScreeningSubset(),
  },
  {
    name: 'queue',
    description:
      'distributed screening: 2023 catalog × 7 days ($HOSHIMI_BENCH_QUEUE_DAYS) in process vs 1, 2, 4 hoshimi worker processes on Redis; CPU per unit',
    run: benchQueue,
  },
  {
    name: 'screening-100k',
    description:
      '100,000-object catalog (2023 catalog + simulated breakup clouds, seed 2023), all-vs-all, 7 days, 5 km, 2 workers, streamed; vs the 26k catalog',
    run: benchScreening100k,
  },
  {
    name: 'maneuvers',
    description: 'maneuver detection over every TLE history in ../shared/data/history (goal ≤ 2 s)',
    run: benchManeuvers,
  },
  {
    name: 'atmosphere',
    description: 'NRLMSISE-00 evaluations and density at ITRF positions with the space-weather lookup',
    run: benchAtmosphere,
  },
  {
    name: 'numerical',
    description:
      'numerical propagation: ISS 7 days, EGM96 20×20, Sun, Moon, NRLMSISE-00 drag (goal ≤ 1 s); DOP853 vs fixed-step RK4 at equal accuracy',
    run: benchNumerical,
  },
  {
    name: 'fragmentation',
    description: 'breakup origin estimate, 1,000 Kosmos 1408 fragments (goal ≤ 10 s)',
    run: benchFragmentation,
  },
  {
    name: 'rpo',
    description: 'RPO search, full 2023 catalog × 3 days; subset vs the naive all-pairs SGP4 range scan',
    run: benchRpo,
  },
  {
    name: 'breakup',
    description:
      'simulated SL-16 R/B collision: 2,000 fragments × every payload, 7 days, 2 workers (goal ≤ 20 s)',
    run: benchBreakup,
  },
  {
    name: 'api',
    description:
      'HTTP API under 50 concurrent clients (autocannon, loopback): conjunction list, as-of catalog pages, one history (goal p95 ≤ 50 ms)',
    run: benchApi,
  },
  {
    name: 'web',
    description:
      'web console in Chromium: first globe frame with the 2023 catalog (goal ≤ 3 s), one update of every position (goal ≤ 8 ms) vs one Entity per object',
    run: benchWeb,
  },
  {
    name: 'audit',
    description:
      'audit log: 100k hash-chained appends vs plain inserts, verify the chain, export and verify the file',
    run: benchAudit,
  },
  {
    name: 'markings',
    description:
      'marking enforcement: conjunction list (10⁵) and as-of catalog (2023, 26k objects) through a reader view vs the unrestricted store (goal ≤ 10% overhead)',
    run: benchMarkings,
  },
  {
    name: 'correlation',
    description:
      'track correlation, one simulated night (~100k measurements) vs the 2023 catalog, 1 and 2 workers; naive every-track-vs-every-object peer on a subset',
    run: benchCorrelation,
  },
  {
    name: 'exchange',
    description:
      'node exchange: sync 30,000 element sets between two nodes on loopback over mutual TLS (goal ≤ 10 s)',
    run: benchExchange,
  },
  {
    name: 'od',
    description:
      'orbit determination: LAGEOS-2 over its 95 normal points (goal ≤ 5 s), SGP4 differential correction (TLE fits)',
    run: benchOd,
  },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`,
    );
    process.exitCode = 2;
    return;
  }
  console.log(`Hoshimi benchmarks on ${machineLine()}, ${new Date().toISOString()}`);
  for (const b of BENCHES) {
    if (wanted.length > 0 && !wanted.includes(b.name)) continue;
    console.log(`\n== ${b.name}: ${b.description}`);
    await b.run();
  }
}

await main();
