/**
 * `hoshimi breakup simulate`: the NASA Standard Breakup Model (EVOLVE 4.0) applied to a catalogued
 * object (the model and the fit of element sets are in @hoshimi/astro breakup/): writes the
 * fragments as CCSDS OMM, ready for `hoshimi screen --secondaries`.
 */
import {
  type BreakupKind,
  type BreakupParentType,
  DEFAULT_FIRST_FRAGMENT_CATALOG_NUMBER,
  DEFAULT_MIN_CHARACTERISTIC_LENGTH_M,
  type ElementSet,
  formatOmmJson,
  formatOmmKvn,
  formatOmmXml,
  formatUtcIso,
  PcRandom,
  parseUtcString,
  simulateBreakup,
  type UtcJulianDate,
} from '@hoshimi/astro';
import { objectTypeFromName } from '@hoshimi/store';
import { parseCliArgs } from '../args.js';
import { loadCliContext } from '../data.js';
import { isoArg, loadElementSets } from '../element-source.js';
import { CliError } from '../errors.js';
import { OutputSet, readTextInput } from '../io.js';

/** Parent mass used when --parent-mass is not given, kg: the model's nominal upper stage (Johnson 2001 §2.1: S = 1 for 600–1000 kg). */
export const DEFAULT_PARENT_MASS_KG = 1000;
/** Impact speed used when --impact-speed is not given, km/s: a typical LEO collision speed. */
export const DEFAULT_IMPACT_SPEED_KM_S = 10;

export const BREAKUP_USAGE = `Usage: hoshimi breakup simulate --id ID --kind collision|explosion (--elements FILE | --db PATH [--as-of ISO]) --out FILE [options]
       hoshimi breakup risk --conjunctions FILE [--top N] [--json]

Simulates the breakup of a catalogued object with the NASA Standard Breakup Model (EVOLVE 4.0,
Johnson et al. 2001): fragment count N(>Lc), sizes, area-to-mass ratios, masses and ejection
velocities, added to the parent's SGP4 state at the breakup epoch; each orbital fragment becomes an
SGP4 element set fitted to its state (1 mm at the epoch) with a B* from its A/m. Written as CCSDS
OMM (full precision) with catalog numbers from 800000001 up, OBJECT_NAME "PARENT DEB (SIM)" and a
COMMENT saying the objects are simulated. Screen them with
'hoshimi screen --elements FILE --secondaries CATALOG --secondary-type payload'.
  --id ID                 the parent's catalog number
  --kind K                explosion or collision
  --impactor-mass KG      collision: the impactor's mass (required)
  --impact-speed KM_S     collision: the impact speed (default ${DEFAULT_IMPACT_SPEED_KM_S}); 40 J/g of
                          specific energy (½·m·v²/M_parent) or more is a catastrophic collision
  --parent-mass KG        the parent's mass (a catalog carries none; default ${DEFAULT_PARENT_MASS_KG} kg, the
                          model's nominal upper stage, with a warning)
  --parent-type T         rocket-body or spacecraft: which area-to-mass law (default: from the
                          name, R/B is a rocket body)
  --min-size M            smallest characteristic length, m (default ${DEFAULT_MIN_CHARACTERISTIC_LENGTH_M})
  --max-size M            largest (default: that of a body of the fragment mass budget)
  --explosion-scale S     explosion: the scale factor S of N = 6·S·Lc^-1.6 (default 1)
  --epoch ISO             breakup epoch (default the parent's element epoch)
  --seed N                random seed (default 1): the same seed gives the same fragments
  --first-id N            first fragment catalog number (default ${DEFAULT_FIRST_FRAGMENT_CATALOG_NUMBER})
  --out FILE              the fragments' OMM: XML for .xml, CelesTrak GP JSON for .json (no room
                          for the COMMENT), else KVN
  --format F              kvn, xml or json (instead of the extension)
A summary (counts, catastrophic or not, mass budget, fragments without an orbit) goes to stderr.

'breakup risk' reads the JSON report of 'hoshimi screen --out FILE.json' (fragments against a
catalog) and lists the objects most at risk: per object met by simulated fragments (names ending in
"(SIM)"), the number of conjunctions, distinct fragments, the closest miss, the highest Pc and the
first TCA, sorted by conjunction count, then closest miss.
  --conjunctions FILE     the screening's JSON report
  --top N                 how many objects (default 20)
  --json                  JSON instead of a table
`;

function usage(message: string): CliError {
  return new CliError('USAGE', `${message}\n\n${BREAKUP_USAGE}`);
}

function positiveArg(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!(v > 0) || !Number.isFinite(v)) throw usage(`${flag}: expected a positive number, got ${text}`);
  return v;
}

export async function breakupCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(BREAKUP_USAGE);
    return 0;
  }
  if (sub === 'risk') return riskCommand(rest);
  if (sub !== 'simulate') throw usage(`unknown breakup command ${JSON.stringify(sub ?? '')}`);
  return simulateCommand(rest);
}

function formatOf(format: string | undefined, out: string): 'kvn' | 'xml' | 'json' {
  const f =
    format ??
    (out.toLowerCase().endsWith('.xml') ? 'xml' : out.toLowerCase().endsWith('.json') ? 'json' : 'kvn');
  if (f !== 'kvn' && f !== 'xml' && f !== 'json')
    throw usage(`--format: expected kvn, xml or json, got ${f}`);
  return f;
}

async function simulateCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi breakup simulate', BREAKUP_USAGE, {
    args: [...argv],
    options: {
      id: { type: 'string' },
      kind: { type: 'string' },
      'impactor-mass': { type: 'string' },
      'impact-speed': { type: 'string' },
      'parent-mass': { type: 'string' },
      'parent-type': { type: 'string' },
      'min-size': { type: 'string' },
      'max-size': { type: 'string' },
      'explosion-scale': { type: 'string' },
      epoch: { type: 'string' },
      seed: { type: 'string' },
      'first-id': { type: 'string' },
      elements: { type: 'string' },
      db: { type: 'string' },
      'as-of': { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  if (values.id === undefined || !/^\d{1,9}$/.test(values.id)) throw usage('--id: expected a catalog number');
  const id = String(Number(values.id));
  const kind = values.kind as BreakupKind | undefined;
  if (kind !== 'explosion' && kind !== 'collision')
    throw usage(`--kind: expected explosion or collision, got ${values.kind}`);
  if (values.out === undefined) throw usage('--out FILE is required');
  const format = formatOf(values.format, values.out);
  const impactorMassKg = positiveArg(values['impactor-mass'], '--impactor-mass');
  const impactSpeedKmS = positiveArg(values['impact-speed'], '--impact-speed') ?? DEFAULT_IMPACT_SPEED_KM_S;
  if (kind === 'collision' && impactorMassKg === undefined)
    throw usage('--kind collision needs --impactor-mass KG');
  if (
    kind === 'explosion' &&
    (values['impactor-mass'] !== undefined || values['impact-speed'] !== undefined)
  ) {
    throw usage('--impactor-mass and --impact-speed go with --kind collision');
  }
  const minSize = positiveArg(values['min-size'], '--min-size');
  const maxSize = positiveArg(values['max-size'], '--max-size');
  const scale = positiveArg(values['explosion-scale'], '--explosion-scale');
  const seedText = values.seed ?? '1';
  if (!/^\d{1,10}$/.test(seedText)) throw usage(`--seed: expected a non-negative integer, got ${seedText}`);
  const firstId =
    values['first-id'] === undefined ? DEFAULT_FIRST_FRAGMENT_CATALOG_NUMBER : Number(values['first-id']);
  if (!Number.isInteger(firstId) || firstId < 1 || firstId > 999_999_999) {
    throw usage(`--first-id: expected a catalog number up to 9 digits, got ${values['first-id']}`);
  }
  const ctx = loadCliContext({ tolerant: true }, warn);
  let epoch: UtcJulianDate | undefined;
  if (values.epoch !== undefined) {
    epoch = parseUtcString(isoArg(values.epoch, '--epoch', ctx));
    if (epoch === undefined) throw usage(`--epoch: not a UTC time: ${values.epoch}`);
  }
  const outputs = new OutputSet();
  const out = outputs.file(values.out, '--out');
  const sets = await loadElementSets(
    { elements: values.elements, db: values.db, asOf: values['as-of'] },
    ctx,
    warn,
  );
  const parent = pickParent(sets, id, epoch);
  const parentType = (values['parent-type'] ??
    (objectTypeFromName(parent.name ?? null) === 'ROCKET BODY'
      ? 'rocket-body'
      : 'spacecraft')) as BreakupParentType;
  if (parentType !== 'rocket-body' && parentType !== 'spacecraft') {
    throw usage(`--parent-type: expected rocket-body or spacecraft, got ${values['parent-type']}`);
  }
  let massKg = positiveArg(values['parent-mass'], '--parent-mass');
  if (massKg === undefined) {
    massKg = DEFAULT_PARENT_MASS_KG;
    warn(
      `warning: no --parent-mass: ${parent.name ?? id} is taken as ${DEFAULT_PARENT_MASS_KG} kg (a catalog has no masses); the fragment count of a collision and the mass budget scale with it`,
    );
  }
  const sim = simulateBreakup(
    { elements: parent, massKg, type: parentType },
    {
      kind,
      ...(impactorMassKg === undefined ? {} : { impactorMassKg, impactSpeedKmS }),
      ...(scale === undefined ? {} : { explosionScale: scale }),
      ...(minSize === undefined ? {} : { minCharacteristicLengthM: minSize }),
      ...(maxSize === undefined ? {} : { maxCharacteristicLengthM: maxSize }),
      ...(epoch === undefined ? {} : { epoch }),
      firstCatalogNumber: firstId,
    },
    new PcRandom(Number(seedText)),
  );
  const pop = sim.population;
  const epochIso = formatUtcIso(sim.epoch, 3);
  const comments = [
    `SIMULATED FRAGMENTS, NOT OBSERVED OBJECTS: NASA standard breakup model (EVOLVE 4.0), ${kind} of ${parent.name ?? ''} ${id} at ${epochIso} UTC`,
    `parent mass ${massKg} kg (${parentType})${pop.collision === undefined ? '' : `, impactor ${impactorMassKg} kg at ${impactSpeedKmS} km/s, ${pop.collision.catastrophic ? 'catastrophic' : 'non-catastrophic'} (${pop.collision.specificEnergyJPerG.toFixed(1)} J/g)`}, Lc ${pop.minLcM}-${pop.maxLcM.toPrecision(3)} m, seed ${seedText}`,
  ];
  const options = {
    digits: 'full' as const,
    originator: 'HOSHIMI',
    creationDate: new Date().toISOString().replace('Z', ''),
    comments,
  };
  const text =
    format === 'xml'
      ? formatOmmXml(sim.elementSets, options)
      : format === 'json'
        ? formatOmmJson(sim.elementSets, options)
        : formatOmmKvn(sim.elementSets, options);
  if (format === 'json')
    warn('note: GP JSON has no COMMENT; the OBJECT_NAME "... DEB (SIM)" marks the objects as simulated');
  await out.write(text);
  await outputs.commit();
  outputs.finish();
  const lost = sim.lost;
  warn(
    `breakup: ${kind} of ${parent.name ?? ''} ${id} at ${epochIso} UTC` +
      (pop.collision === undefined
        ? ''
        : `; ${pop.collision.catastrophic ? 'catastrophic' : 'non-catastrophic'} (${pop.collision.specificEnergyJPerG.toFixed(1)} J/g)`),
  );
  warn(
    `fragments: ${sim.fragments.length} of Lc >= ${pop.minLcM} m (expected ${pop.expectedCount.toFixed(1)}), ${sim.elementSets.length} written (${firstId}-${firstId + sim.fragments.length - 1}); no orbit: ${lost.reentry} re-enter at once (perigee < 100 km), ${lost.notElliptic} escape, ${lost.fitFailed} fit failed`,
  );
  warn(
    `mass: budget ${pop.mass.budgetKg.toFixed(1)} kg, fragments ${pop.mass.fragmentsKg.toFixed(1)} kg, ${pop.mass.removedFragments} fragments removed to stay within the budget, ${pop.mass.unassignedKg.toFixed(1)} kg unassigned (below Lc_min or the remnant)`,
  );
  return 0;
}

/** The parent's element set: the latest at or before the epoch (any, when none precedes it). */
function pickParent(sets: readonly ElementSet[], id: string, epoch: UtcJulianDate | undefined): ElementSet {
  const mine = sets.filter((e) => e.catalogNumber === id);
  if (mine.length === 0)
    throw new CliError('OBJECT_NOT_FOUND', `catalog object ${id} has no element set in the input`);
  const t = (e: UtcJulianDate) => e.jd + e.jdFrac;
  const sorted = [...mine].sort((a, b) => t(a.epoch) - t(b.epoch));
  if (epoch === undefined) return sorted[sorted.length - 1]!;
  const before = sorted.filter((e) => t(e.epoch) <= t(epoch));
  return before[before.length - 1] ?? sorted[0]!;
}

interface ReportConjunction {
  readonly id1: string;
  readonly id2: string;
  readonly name1: string;
  readonly name2: string;
  readonly tca_utc: string;
  readonly miss_km: number;
  readonly pc: number | null;
}

interface RiskRow {
  id: string;
  name: string;
  conjunctions: number;
  fragments: Set<string>;
  minMissKm: number;
  maxPc: number | null;
  firstTcaUtc: string;
}

const SIMULATED = /\(SIM\)\s*$/;

async function riskCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi breakup risk', BREAKUP_USAGE, {
    args: [...argv],
    options: {
      conjunctions: { type: 'string' },
      top: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.conjunctions === undefined) throw usage('--conjunctions FILE is required');
  const top = values.top === undefined ? 20 : Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw usage(`--top: expected a positive integer, got ${values.top}`);
  let list: readonly ReportConjunction[];
  try {
    const doc = JSON.parse(readTextInput(values.conjunctions)) as { conjunctions?: ReportConjunction[] };
    if (!Array.isArray(doc.conjunctions)) throw new Error('no "conjunctions" array');
    list = doc.conjunctions;
  } catch (e) {
    throw new CliError(
      'INPUT_INVALID',
      `${values.conjunctions}: expected the JSON report of 'hoshimi screen --out FILE.json': ${(e as Error).message}`,
    );
  }
  const rows = new Map<string, RiskRow>();
  let skipped = 0;
  for (const c of list) {
    const sim1 = SIMULATED.test(c.name1);
    const sim2 = SIMULATED.test(c.name2);
    if (sim1 === sim2) {
      skipped++;
      continue;
    }
    const [id, name, fragment] = sim1 ? [c.id2, c.name2, c.id1] : [c.id1, c.name1, c.id2];
    let r = rows.get(id);
    if (r === undefined) {
      r = {
        id,
        name,
        conjunctions: 0,
        fragments: new Set(),
        minMissKm: Infinity,
        maxPc: null,
        firstTcaUtc: c.tca_utc,
      };
      rows.set(id, r);
    }
    r.conjunctions++;
    r.fragments.add(fragment);
    r.minMissKm = Math.min(r.minMissKm, c.miss_km);
    if (c.pc !== null && (r.maxPc === null || c.pc > r.maxPc)) r.maxPc = c.pc;
    if (c.tca_utc < r.firstTcaUtc) r.firstTcaUtc = c.tca_utc;
  }
  const sorted = [...rows.values()]
    .sort((a, b) => b.conjunctions - a.conjunctions || a.minMissKm - b.minMissKm)
    .slice(0, top);
  if (values.json === true) {
    const out = sorted.map((r) => ({
      id: r.id,
      name: r.name,
      conjunctions: r.conjunctions,
      fragments: r.fragments.size,
      min_miss_km: r.minMissKm,
      max_pc: r.maxPc,
      first_tca_utc: r.firstTcaUtc,
    }));
    process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
  } else {
    process.stdout.write('id,name,conjunctions,fragments,min_miss_km,max_pc,first_tca_utc\n');
    for (const r of sorted) {
      const name = /[",]/.test(r.name) ? `"${r.name.replace(/"/g, '""')}"` : r.name;
      process.stdout.write(
        `${r.id},${name},${r.conjunctions},${r.fragments.size},${r.minMissKm.toFixed(3)},${r.maxPc === null ? '' : r.maxPc.toPrecision(3)},${r.firstTcaUtc}\n`,
      );
    }
  }
  process.stderr.write(
    `risk: ${rows.size} objects met by simulated fragments in ${list.length} conjunctions` +
      (skipped > 0 ? ` (${skipped} not between a fragment and another object, left out)` : '') +
      '\n',
  );
  return 0;
}
