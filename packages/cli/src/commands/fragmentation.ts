/**
 * `hoshimi fragmentation`: breakups from element sets (the methods are in @hoshimi/astro
 * fragmentation/). `detect` groups the objects new between two catalog states by common origin and
 * names each group's likely parent; `origin` estimates a breakup's epoch and place from fragment
 * sets published after it.
 */
import {
  type AstroContext,
  detectFragmentations,
  type ElementSet,
  earliestSetPerObject,
  type FragmentationCluster,
  type FragmentationOrigin,
  formatIssue,
  formatUtcIso,
  fragmentationClusterEvents,
  fragmentationOrigin,
  fragmentationOriginEvent,
  gabbardPoints,
  MIN_CLUSTER_FRAGMENTS,
  parseElements,
} from '@hoshimi/astro';
import { gabbardChartData, gabbardChartSpec, renderSvg } from '@hoshimi/plot';
import { parseCliArgs } from '../args.js';
import { loadCliContext } from '../data.js';
import { isoArg } from '../element-source.js';
import { CliError } from '../errors.js';
import { OutputSet, readTextInput } from '../io.js';
import { openCatalogStore, storeName } from '../store-location.js';

export const FRAGMENTATION_USAGE = `Usage: hoshimi fragmentation <detect|origin> [options]

  detect   groups of new objects with a common origin between two catalog states, with their parent
  origin   epoch and place of a breakup from fragment element sets published after it

Run 'hoshimi fragmentation detect --help' or 'hoshimi fragmentation origin --help'.
`;

export const DETECT_USAGE = `Usage: hoshimi fragmentation detect (--db PATH --from ISO --to ISO | --before FILE --after FILE) [--json] [--plot FILE] [--events FILE]

Objects present in the later state and not in the earlier one are grouped by launch (new pieces of
a launch that already had objects are debris of one of them; a launch with nothing before is a new
launch and is left out) or, without a designator, by the orbit plane and crossing of an existing
object. Each group of at least --min-fragments objects is reported with its likely parent (the
object of the launch whose orbit most fragments cross, then the closest plane), the fragment count,
the spread of inclination and node, and the along-track Δv from the Gabbard relation ΔP/P = 3Δv/v.
  --db PATH           the catalog store: the states as of --from and --to, new objects from its diff
  --from ISO, --to ISO
  --before FILE, --after FILE   two element files (any format): the earlier and the later state
  --min-fragments N   smallest group reported (default ${MIN_CLUSTER_FRAGMENTS})
  --json              JSON: {before_utc, after_utc, clusters, events}
  --out FILE          write there instead of stdout
  --plot FILE         SVG Gabbard diagram (apogee and perigee height against period) of the largest group
  --events FILE       also write the groups as a JSON array of DetectionEvent records (type
                      'fragmentation', kind 'new-object-cluster'), which 'hoshimi events import' stores
`;

export const ORIGIN_USAGE = `Usage: hoshimi fragmentation origin --parent ID --debris FILE [--parent-elements FILE | --db PATH] [--json] [--events FILE]

Estimates the epoch and place of the breakup of object ID by carrying the fragments' earliest
element sets back with SGP4 and finding where their trajectories meet the parent's position (the
median over fragments of the closest approach, the revolution chosen by how alike the fragments'
along-track slides are, refined to a second; the uncertainty by bootstrap over the fragments). The
place is the parent's position then, geodetic on WGS-84. Works with sets published days to weeks
after the event; years later drag and J2 precession have spread the fragments beyond recall.
  --parent ID             catalog number of the parent
  --debris FILE           fragment element sets (any format; sets of ID in it are not fragments)
  --parent-elements FILE  the parent's element sets; else the debris file's, else the store's (--db):
                          the latest set of ID before the earliest fragment set
  --db PATH               the catalog store, for the parent's history
  --json                  JSON with epoch_utc, lat_deg, lon_deg, alt_km and their uncertainties
  --out FILE              write there instead of stdout
  --plot FILE             SVG Gabbard diagram of the fragments and the parent
  --events FILE           also write the estimate as a JSON array with one DetectionEvent (type
                          'fragmentation', kind 'breakup') for 'hoshimi events import'
`;

export async function fragmentationCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'detect':
      return detectCmd(rest);
    case 'origin':
      return originCmd(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(FRAGMENTATION_USAGE);
      return sub === undefined ? 2 : 0;
    default:
      throw new CliError(
        'USAGE',
        `hoshimi fragmentation: unknown subcommand ${JSON.stringify(sub)} (expected detect or origin; see 'hoshimi fragmentation --help')`,
      );
  }
}

/** Element sets of a file; rejected records are reported on stderr, no good record is fatal. */
function readSets(file: string, flag: string, warn: (line: string) => void): ElementSet[] {
  const parsed = parseElements(readTextInput(file), { file });
  if (!parsed.ok)
    throw new CliError('ELEMENTS_INVALID', `${flag} ${parsed.issues.map(formatIssue).join('\n')}`);
  for (const w of parsed.warnings) warn(`warning: ${formatIssue(w)}`);
  for (const issue of parsed.value.rejected) warn(`rejected: ${formatIssue(issue)}`);
  return parsed.value.records.map((r) => r.elements);
}

function clusterJson(c: FragmentationCluster): Record<string, unknown> {
  return {
    launch: c.launch ?? null,
    parent:
      c.parent === undefined
        ? null
        : {
            id: c.parent.catalogNumber,
            name: c.parent.name ?? null,
            intl_designator: c.parent.intlDesignator ?? null,
            element_epoch_utc: `${formatUtcIso(c.parent.elements.epoch, 3)}Z`,
            crossing_fraction: c.parent.crossingFraction,
            median_plane_angle_deg: c.parent.medianPlaneAngleDeg,
            evidence: c.parent.evidence,
          },
    fragment_count: c.fragmentCount,
    first_epoch_utc: `${c.firstEpochUtc}Z`,
    last_epoch_utc: `${c.lastEpochUtc}Z`,
    debris_named_fraction: c.debrisNamedFraction,
    inclination_iqr_deg: c.inclinationIqrDeg,
    raan_iqr_deg: c.raanIqrDeg,
    dv_along_track_q10_q50_q90_km_s: c.dvAlongTrackQuantilesKmS ?? null,
    fragments: c.fragments.map((f) => f.catalogNumber),
  };
}

async function detectCmd(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi fragmentation detect', DETECT_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      before: { type: 'string' },
      after: { type: 'string' },
      'min-fragments': { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      plot: { type: 'string' },
      events: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  const fromFiles = values.before !== undefined || values.after !== undefined;
  const fromDb = values.db !== undefined;
  if (fromFiles === fromDb) {
    throw new CliError('USAGE', 'give either --db PATH --from ISO --to ISO or --before FILE --after FILE');
  }
  if (fromFiles && (values.before === undefined || values.after === undefined)) {
    throw new CliError('USAGE', '--before and --after go together');
  }
  if (fromDb && (values.from === undefined || values.to === undefined)) {
    throw new CliError('USAGE', '--db needs --from ISO and --to ISO');
  }
  if (!fromDb && (values.from !== undefined || values.to !== undefined)) {
    throw new CliError('USAGE', '--from and --to go with --db, not with --before/--after');
  }
  const minFragments =
    values['min-fragments'] === undefined ? MIN_CLUSTER_FRAGMENTS : Number(values['min-fragments']);
  if (!(Number.isInteger(minFragments) && minFragments >= 1)) {
    throw new CliError(
      'USAGE',
      `--min-fragments: expected a whole number ≥ 1, got ${values['min-fragments']}`,
    );
  }
  const outputs = new OutputSet();
  const out = outputs.file(values.out, '--out');
  const eventsOut = values.events === undefined ? undefined : outputs.file(values.events, '--events');
  const plotOut = values.plot === undefined ? undefined : outputs.file(values.plot, '--plot');
  let before: ElementSet[];
  let after: ElementSet[];
  let newIds: string[] | undefined;
  let beforeUtc: string;
  let afterUtc: string;
  let source: string;
  if (fromDb) {
    const ctx = loadCliContext({ tolerant: true, withEop: false }, warn);
    beforeUtc = isoArg(values.from as string, '--from', ctx);
    afterUtc = isoArg(values.to as string, '--to', ctx);
    if (afterUtc <= beforeUtc)
      throw new CliError('USAGE', `--to ${afterUtc} is not after --from ${beforeUtc}`);
    const store = await openCatalogStore(values.db as string, { mode: 'read' });
    try {
      before = (await store.asOf(beforeUtc)).map((s) => s.elements);
      after = (await store.asOf(afterUtc)).map((s) => s.elements);
      newIds = (await store.diff(beforeUtc, afterUtc)).appeared.map((o) => o.object.catalogNumber);
    } finally {
      await store.close();
    }
    source = storeName(values.db as string);
    warn(
      `${source}: ${before.length} objects as of ${beforeUtc}, ${after.length} as of ${afterUtc}, ${newIds.length} appeared`,
    );
  } else {
    before = readSets(values.before as string, '--before', warn);
    after = readSets(values.after as string, '--after', warn);
    const latest = (sets: readonly ElementSet[]) => {
      let best = sets[0];
      for (const s of sets)
        if (best === undefined || s.epoch.jd + s.epoch.jdFrac > best.epoch.jd + best.epoch.jdFrac) best = s;
      return best === undefined ? '' : `${formatUtcIso(best.epoch, 6)}Z`;
    };
    beforeUtc = latest(before);
    afterUtc = latest(after);
    source = `${values.before} -> ${values.after}`;
  }
  if (after.length === 0) throw new CliError('ELEMENTS_EMPTY', 'the later state has no element sets');
  const clusters = detectFragmentations(before, after, {
    minFragments,
    ...(newIds === undefined ? {} : { newIds }),
  });
  const events = fragmentationClusterEvents(clusters, { beforeUtc, afterUtc, source, minFragments });
  if (values.json) {
    const doc = { before_utc: beforeUtc, after_utc: afterUtc, clusters: clusters.map(clusterJson), events };
    await out.write(`${JSON.stringify(doc, null, 1)}\n`);
  } else {
    for (const c of clusters) {
      const p = c.parent;
      const dv = c.dvAlongTrackQuantilesKmS;
      await out.write(
        `${c.fragmentCount} new objects${c.launch === undefined ? '' : ` of launch ${c.launch}`}\t` +
          `parent ${p === undefined ? 'unknown' : `${p.catalogNumber}${p.name === undefined ? '' : ` (${p.name.trim()})`}: ${p.evidence.join('; ')}`}\t` +
          `i IQR ${c.inclinationIqrDeg.toFixed(2)}°, node IQR ${c.raanIqrDeg.toFixed(2)}°` +
          (dv === undefined
            ? ''
            : `, |Δv_T| median ${(dv[1] * 1000).toFixed(0)} m/s (90 %: ${(dv[2] * 1000).toFixed(0)} m/s)`) +
          `\t${c.firstEpochUtc}Z .. ${c.lastEpochUtc}Z\n`,
      );
    }
  }
  if (eventsOut !== undefined) await eventsOut.write(`${JSON.stringify(events, null, 1)}\n`);
  if (plotOut !== undefined) {
    const c = clusters[0];
    if (c === undefined)
      throw new CliError('FRAGMENTATION_NOTHING_TO_PLOT', 'no group of new objects to plot');
    const name = c.parent?.name?.trim() ?? c.launch ?? 'fragments';
    await plotOut.write(
      await renderSvg(
        gabbardChartSpec(gabbardChartData(c.gabbard), {
          title: `Gabbard diagram: ${name} (${c.fragmentCount} fragments)`,
        }),
      ),
    );
  }
  await outputs.commit();
  outputs.finish();
  warn(`fragmentation: ${clusters.length} groups of new objects (at least ${minFragments} each)`);
  return 0;
}

/** The parent's name: its set's, else any set of the same number in the debris file, else the number. */
function parentName(parent: ElementSet, debris: readonly ElementSet[], id: string): string {
  const n =
    parent.name?.trim() || debris.find((d) => d.catalogNumber === id && d.name !== undefined)?.name?.trim();
  return n === undefined || n === '' ? id : `${n} (${id})`;
}

/** The latest set of `id` with epoch before `limit` (UTC label), undefined when none. */
function latestBefore(
  sets: readonly ElementSet[],
  id: string,
  limit: ElementSet['epoch'],
): ElementSet | undefined {
  let best: ElementSet | undefined;
  for (const s of sets) {
    if (s.catalogNumber !== id) continue;
    const t = s.epoch.jd + s.epoch.jdFrac;
    if (t >= limit.jd + limit.jdFrac) continue;
    if (best === undefined || t > best.epoch.jd + best.epoch.jdFrac) best = s;
  }
  return best;
}

function originJson(o: FragmentationOrigin): Record<string, unknown> {
  return {
    epoch_utc: `${o.epochUtc}Z`,
    epoch_sigma_s: o.epochSigmaS,
    epoch_interval_95_s: o.epochInterval95S,
    lat_deg: o.place?.latDeg ?? null,
    lon_deg: o.place?.lonDeg ?? null,
    alt_km: o.place?.altKm ?? null,
    lat_sigma_deg: o.place?.latSigmaDeg ?? null,
    lon_sigma_deg: o.place?.lonSigmaDeg ?? null,
    alt_sigma_km: o.place?.altSigmaKm ?? null,
    converged: o.converged,
    revolution_resolved: o.revolutionResolved,
    dispersion_km: o.dispersionKm,
    parent: { id: o.parentCatalogNumber, element_epoch_utc: `${o.parentElementEpochUtc}Z` },
    search_start_utc: `${o.searchStartUtc}Z`,
    search_end_utc: `${o.searchEndUtc}Z`,
    fragments_used: o.fragmentsUsed,
    dv_q10_q50_q90_km_s: o.dvQuantilesKmS,
    baseline_mean_distance_epoch_utc: `${o.meanBaselineEpochUtc}Z`,
    revolution_candidates: o.revolutionCandidates.map((c) => ({
      epoch_utc: `${c.epochUtc}Z`,
      slide_iqr_s: c.tauIqrS,
      median_km: c.medianKm,
    })),
    fragments: o.fragments.map((f) => ({
      id: f.catalogNumber,
      element_epoch_utc: `${f.elementEpochUtc}Z`,
      distance_km: Number.isFinite(f.distanceKm) ? f.distanceKm : null,
      along_track_slide_s: Number.isFinite(f.alongTrackSlideS) ? f.alongTrackSlideS : null,
      dv_rtn_km_s: f.dvRtnKmS.every(Number.isFinite) ? f.dvRtnKmS : null,
    })),
  };
}

async function originCmd(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi fragmentation origin', ORIGIN_USAGE, {
    args: [...argv],
    options: {
      parent: { type: 'string' },
      debris: { type: 'string' },
      'parent-elements': { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      plot: { type: 'string' },
      events: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  if (values.parent === undefined || !/^[0-9]{1,9}$/.test(values.parent.trim())) {
    throw new CliError(
      'USAGE',
      `--parent: expected a catalog number, got ${values.parent === undefined ? 'nothing' : `'${values.parent}'`}`,
    );
  }
  const id = String(Number(values.parent.trim()));
  if (values.debris === undefined) throw new CliError('USAGE', '--debris FILE is required');
  if (values['parent-elements'] !== undefined && values.db !== undefined) {
    throw new CliError('USAGE', 'give at most one of --parent-elements FILE and --db PATH');
  }
  const outputs = new OutputSet();
  const out = outputs.file(values.out, '--out');
  const eventsOut = values.events === undefined ? undefined : outputs.file(values.events, '--events');
  const plotOut = values.plot === undefined ? undefined : outputs.file(values.plot, '--plot');
  const ctx: AstroContext = loadCliContext({ tolerant: true }, warn);
  const debris = readSets(values.debris, '--debris', warn);
  const fragments = earliestSetPerObject(debris, id);
  if (fragments.length === 0) {
    throw new CliError(
      'FRAGMENTATION_NO_FRAGMENTS',
      `--debris ${values.debris}: no element sets of objects other than ${id}`,
    );
  }
  let first = fragments[0]!.epoch;
  for (const f of fragments) if (f.epoch.jd + f.epoch.jdFrac < first.jd + first.jdFrac) first = f.epoch;
  let parent: ElementSet | undefined;
  let parentSource: string;
  if (values['parent-elements'] !== undefined) {
    parent = latestBefore(readSets(values['parent-elements'], '--parent-elements', warn), id, first);
    parentSource = values['parent-elements'];
  } else if (values.db !== undefined) {
    const store = await openCatalogStore(values.db, { mode: 'read' });
    try {
      parent = latestBefore(
        (await store.history(id)).map((s) => s.elements),
        id,
        first,
      );
    } finally {
      await store.close();
    }
    parentSource = storeName(values.db);
  } else {
    parent = latestBefore(debris, id, first);
    parentSource = values.debris;
  }
  if (parent === undefined) {
    throw new CliError(
      'FRAGMENTATION_NO_PARENT',
      `${parentSource}: no element set of ${id} before the earliest fragment set (${formatUtcIso(first, 0)}Z); ` +
        "give the parent's pre-event sets with --parent-elements FILE or a store holding its history with --db PATH",
    );
  }
  const o = fragmentationOrigin(parent, debris, { context: ctx });
  if (values.json) {
    await out.write(`${JSON.stringify(originJson(o), null, 1)}\n`);
  } else {
    const p = o.place;
    await out.write(
      `breakup of ${id}: ${o.epochUtc}Z ± ${o.epochSigmaS.toFixed(1)} s` +
        (p === undefined
          ? ''
          : `, lat ${p.latDeg.toFixed(3)}° ± ${p.latSigmaDeg.toFixed(3)}°, lon ${p.lonDeg.toFixed(3)}° ± ${p.lonSigmaDeg.toFixed(3)}°, ` +
            `alt ${p.altKm.toFixed(2)} km ± ${p.altSigmaKm.toFixed(2)} km`) +
        `\nmedian fragment distance ${o.dispersionKm.toFixed(2)} km${
          o.converged
            ? ''
            : o.revolutionResolved
              ? ' (NOT CONVERGED: treat the epoch as unreliable)'
              : ' (NOT CONVERGED: the revolution is not resolved, the epoch may be off by whole orbital periods)'
        }, ` +
        `${o.fragmentsUsed} fragments, parent set of ${o.parentElementEpochUtc}Z, ` +
        `|Δv| median ${(o.dvQuantilesKmS[1] * 1000).toFixed(0)} m/s\n`,
    );
  }
  if (eventsOut !== undefined) {
    await eventsOut.write(`${JSON.stringify([fragmentationOriginEvent(o, values.debris)], null, 1)}\n`);
  }
  if (plotOut !== undefined) {
    await plotOut.write(
      await renderSvg(
        gabbardChartSpec(gabbardChartData(gabbardPoints(fragments, parent)), {
          title: `Gabbard diagram: ${parentName(parent, debris, id)} (${fragments.length} fragments)`,
        }),
      ),
    );
  }
  await outputs.commit();
  outputs.finish();
  return 0;
}
