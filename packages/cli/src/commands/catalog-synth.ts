/**
 * `hoshimi catalog synth`: writes a reproducible large test catalog, a real element file plus
 * simulated fragment clouds of the NASA Standard Breakup Model, as 3LE text (the method is
 * buildLargeTestCatalog in @hoshimi/astro breakup/).
 */
import {
  buildLargeTestCatalog,
  DEFAULT_EPOCH_SPREAD_DAYS,
  FIRST_SYNTHETIC_CATALOG_NUMBER,
  formatTleText,
  formatUtcIso,
  parseUtcString,
} from '@hoshimi/astro';
import { parseCliArgs } from '../args.js';
import { loadCliContext } from '../data.js';
import { isoArg, loadElementSets } from '../element-source.js';
import { CliError } from '../errors.js';
import { openOutput } from '../io.js';

export const SYNTH_USAGE = `Usage: hoshimi catalog synth --base FILE --count N [--seed S] [--epoch ISO] --out FILE

Writes a test catalog of N objects: every element set of FILE (a real catalog, any element format)
plus simulated fragment clouds of the NASA Standard Breakup Model (EVOLVE 4.0): catastrophic
collisions of real objects in crowded LEO shells (SL-16 R/B at 840 km, Envisat, an Iridium NEXT,
an SL-8 R/B, a Starlink) and explosions in SSO, GTO, near GEO and at 19,000 km, months to years
before the epoch, propagated with SGP4 to element epochs within a day before it. The smallest
fragment size is chosen so the total is exactly N. Fragments are numbered from
${FIRST_SYNTHETIC_CATALOG_NUMBER} (Alpha-5 H0000) and named "PARENT DEB (SIM)". The same FILE, N,
seed and epoch always give the same bytes. The events need their parents in FILE (the 2023-10-09
catalog of the reference data has them).
  --base FILE             the real catalog
  --count N               objects in all (at least those of FILE)
  --seed S                random seed, an integer 0..4294967295 (default 1)
  --epoch ISO             catalog epoch (default 00:00 UTC of the day of FILE's median epoch);
                          screen from it: 'hoshimi screen --elements OUT --from EPOCH'
  --epoch-spread-days D   fragment epochs lie in (epoch - D, epoch] (default ${DEFAULT_EPOCH_SPREAD_DAYS})
  --out FILE              the 3LE file
A summary per event (fragments sampled, without orbit, decayed before or within a week after the
epoch, kept) goes to stderr.
`;

function usage(message: string): CliError {
  return new CliError('USAGE', `${message}\n\n${SYNTH_USAGE}`);
}

export async function synthCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi catalog synth', SYNTH_USAGE, {
    args: [...argv],
    options: {
      base: { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      epoch: { type: 'string' },
      'epoch-spread-days': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.base === undefined) throw usage('--base FILE is required');
  if (values.out === undefined) throw usage('--out FILE is required');
  const count = Number(values.count);
  if (values.count === undefined || !Number.isInteger(count) || count < 1) {
    throw usage(`--count: expected a positive integer, got ${values.count ?? 'nothing'}`);
  }
  const seed = Number(values.seed ?? 1);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw usage(`--seed: expected an integer 0..4294967295, got ${values.seed}`);
  }
  const spread = Number(values['epoch-spread-days'] ?? DEFAULT_EPOCH_SPREAD_DAYS);
  if (!(spread >= 0) || !Number.isFinite(spread)) {
    throw usage(`--epoch-spread-days: expected a number ≥ 0, got ${values['epoch-spread-days']}`);
  }
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  const ctx = loadCliContext({ tolerant: true }, warn);
  const base = await loadElementSets({ elements: values.base }, ctx, warn);
  if (base.length === 0) throw new CliError('ELEMENTS_EMPTY', `${values.base}: no element sets`);
  let epoch: { jd: number; jdFrac: number };
  if (values.epoch !== undefined) {
    const jd = parseUtcString(isoArg(values.epoch, '--epoch', ctx));
    if (jd === undefined) throw usage(`--epoch: not a UTC time: ${values.epoch}`);
    epoch = jd;
  } else {
    const jds = base.map((e) => e.epoch.jd).sort((a, b) => a - b);
    epoch = { jd: jds[Math.floor(jds.length / 2)]!, jdFrac: 0 };
  }
  if (count < base.length) {
    throw usage(`--count ${count} is below the ${base.length} element sets of ${values.base}`);
  }
  const sink = openOutput(values.out, '--out');
  try {
    const big = buildLargeTestCatalog(base, { targetCount: count, seed, epoch, epochSpreadDays: spread });
    await sink.write(formatTleText(big.elements, '3le'));
    await sink.close();
    warn(
      `catalog synth: ${big.elements.length} objects = ${big.baseCount} of ${values.base} + ${big.syntheticCount} simulated fragments ` +
        `(Lc ≥ ${(big.minCharacteristicLengthM * 100).toFixed(2)} cm, seed ${seed}, epoch ${formatUtcIso(epoch, 0)}Z) written to ${values.out}`,
    );
    for (const e of big.events) {
      warn(
        `  ${e.event.label} (parent ${e.event.parent}, ${e.event.daysBeforeEpoch} d before): ${e.sampled} sampled, ` +
          `${e.lostAtBreakup} without orbit, ${e.lostBeforeEpoch} decayed before or within a week after the epoch, ${e.kept} kept` +
          `${e.kept > 0 ? ` (${e.firstCatalogNumber}–${e.lastCatalogNumber})` : ''}`,
      );
    }
  } catch (e) {
    sink.abort();
    throw e;
  }
  return 0;
}
