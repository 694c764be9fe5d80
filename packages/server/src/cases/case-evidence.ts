/**
 * The evidence a case file gathers by itself when it is opened from a stored event or conjunction
 * (domain.md §7.3 items 1–3): the record as the detector wrote it (detector, version, score,
 * threshold, evidence, inputs), a summary of each involved object's element history (counts,
 * first and last epochs, sources, the data age at the event), the other events of those objects
 * around the window, the screening and conjunction for a conjunction, and the charts of
 * @hoshimi/plot that exist for the event type (maneuver history, RPO relative motion, Gabbard
 * diagram, reentry ground track) as Vega-Lite specifications. Each becomes one attachment; the
 * store records its SHA-256.
 *
 * Markings: a record that carries a `marking` (the markings work adds one to stored records) gives
 * it; otherwise its releasability label is read as a banner when it is one (`REL TO USA, JPN`,
 * `SECRET//REL TO JPN`), else the record is taken as UNCLASSIFIED releasable to all; the originator
 * of such a record is UNKNOWN (never the organisation opening the case, which would let it read
 * anything through the originator rule). Each attachment takes the most restrictive marking of
 * its inputs, derived by the opening organisation; the input markings themselves are returned so
 * that the opener is checked against every one of them.
 */
import {
  type CaseSource,
  combineMarkings,
  DEFAULT_SCHEME,
  detectManeuvers,
  gabbardPoints,
  type Marking,
  parseMarking,
  parseUtcString,
  rpoRelativeSeries,
} from '@hoshimi/astro';
import {
  gabbardChartData,
  gabbardChartSpec,
  groundTrackChartSpec,
  maneuverChartData,
  maneuverChartSpec,
  rpoChartData,
  rpoChartSpec,
} from '@hoshimi/plot';
import type {
  CatalogStore,
  ConjunctionRecord,
  NewCaseAttachment,
  StoredElementSet,
  StoredEvent,
  StoredScreening,
} from '@hoshimi/store';

/** Media type of a Vega-Lite specification attachment. */
export const VEGA_LITE_MEDIA_TYPE = 'application/vnd.vegalite.v6+json';
const JSON_TYPE = 'application/json';

/** Related events: this many days either side of the event's window. */
export const RELATED_EVENT_MARGIN_DAYS = 7;
/** Objects whose histories and related events are summarised (a fragmentation can list hundreds). */
export const MAX_SUMMARISED_OBJECTS = 2000;
/** RPO chart window (days), capped by astro's RPO_MAX_DAYS. */
const RPO_CHART_MAX_DAYS = 7;

export interface GatheredEvidence {
  readonly title: string;
  readonly summary: string;
  readonly source: CaseSource;
  readonly attachments: readonly NewCaseAttachment[];
  /** The markings of every record the evidence was built from. */
  readonly inputMarkings: readonly Marking[];
}

/** Originator of a stored record that carries no marking. */
export const UNKNOWN_ORIGINATOR = 'UNKNOWN';

/** The marking of a stored record (see the module header). */
export function recordMarking(record: unknown): Marking {
  const originator = UNKNOWN_ORIGINATOR;
  const r = record as { marking?: Marking; label?: string };
  if (r.marking !== undefined && typeof r.marking === 'object') return r.marking;
  const label = r.label?.trim() ?? '';
  if (label !== '' && label !== 'UNMARKED') {
    try {
      return parseMarking(
        DEFAULT_SCHEME,
        /^REL TO /i.test(label) ? `UNCLASSIFIED//${label}` : label,
        originator,
      );
    } catch {
      // not a banner: fall through to the default
    }
  }
  return {
    classification: 'UNCLASSIFIED',
    releasableTo: 'ALL',
    originator: originator,
    dataMode: 'REAL',
  };
}

const combine = (inputs: readonly Marking[], org: string): Marking =>
  combineMarkings(DEFAULT_SCHEME, inputs.length === 0 ? [recordMarking({})] : inputs, org);

const json = (name: string, kind: string, value: unknown, marking: Marking): NewCaseAttachment => ({
  name,
  kind,
  mediaType: JSON_TYPE,
  content: `${JSON.stringify(value, null, 1)}\n`,
  marking,
});

const plot = (name: string, spec: Record<string, unknown>, marking: Marking): NewCaseAttachment => ({
  name,
  kind: 'plot',
  mediaType: VEGA_LITE_MEDIA_TYPE,
  content: JSON.stringify(spec),
  marking,
});

const dayMs = 86_400_000;
const ms = (iso: string) => Date.parse(iso);

/** Summary of one object's element history up to a time (data ages relative to `atIso`). */
function historySummary(cn: string, sets: readonly StoredElementSet[], atIso: string) {
  const at = ms(atIso);
  const sources = new Map<string, number>();
  const labels = new Set<string>();
  for (const s of sets) {
    sources.set(s.source, (sources.get(s.source) ?? 0) + 1);
    labels.add(s.label);
  }
  const before = sets.filter((s) => ms(s.epochUtc) <= at);
  const latestBefore = before[before.length - 1];
  const firstAfter = sets.find((s) => ms(s.epochUtc) > at);
  return {
    catalogNumber: cn,
    name: sets[sets.length - 1]?.elements.name ?? null,
    elementSets: sets.length,
    firstEpochUtc: sets[0]?.epochUtc ?? null,
    lastEpochUtc: sets[sets.length - 1]?.epochUtc ?? null,
    sources: Object.fromEntries(sources),
    labels: [...labels],
    latestBeforeEventUtc: latestBefore?.epochUtc ?? null,
    dataAgeAtEventDays: latestBefore === undefined ? null : (at - ms(latestBefore.epochUtc)) / dayMs,
    firstAfterEventUtc: firstAfter?.epochUtc ?? null,
    firstIngestedUtc: sets.reduce<string | null>(
      (m, s) => (m === null || s.ingestedAt < m ? s.ingestedAt : m),
      null,
    ),
    lastIngestedUtc: sets.reduce<string | null>(
      (m, s) => (m === null || s.ingestedAt > m ? s.ingestedAt : m),
      null,
    ),
  };
}

function sortedHistory(sets: readonly StoredElementSet[]): StoredElementSet[] {
  return [...sets].sort((a, b) => (a.epochUtc < b.epochUtc ? -1 : a.epochUtc > b.epochUtc ? 1 : a.id - b.id));
}

/** Evidence of a stored event. */
export async function gatherEventEvidence(
  store: CatalogStore,
  event: StoredEvent,
  organisation: string,
): Promise<GatheredEvidence> {
  const eventMarking = recordMarking(event);
  const attachments: NewCaseAttachment[] = [];
  attachments.push(
    json(
      `event-${event.id}.json`,
      'event',
      {
        id: event.id,
        key: event.key,
        type: event.type,
        kind: event.kind,
        objects: event.objects,
        timeUtc: event.timeUtc,
        windowStartUtc: event.windowStartUtc,
        windowEndUtc: event.windowEndUtc,
        score: event.score,
        threshold: event.threshold,
        detector: event.detector,
        detectorVersion: event.detectorVersion,
        evidence: event.evidence,
        inputs: event.inputs,
        label: event.label,
        createdAt: event.createdAt,
        updatedAt: event.updatedAt,
      },
      eventMarking,
    ),
  );

  const objects = event.objects.slice(0, MAX_SUMMARISED_OBJECTS);
  const histories = new Map<string, StoredElementSet[]>();
  for (const cn of objects) histories.set(cn, sortedHistory(await store.history(cn)));
  const historyMarkings = [...histories.values()].flat().map((s) => recordMarking(s));
  attachments.push(
    json(
      'element-histories.json',
      'element-history',
      {
        atUtc: event.timeUtc,
        objectsInEvent: event.objects.length,
        summarised: objects.length,
        objects: objects.map((cn) => historySummary(cn, histories.get(cn) ?? [], event.timeUtc)),
      },
      combine(historyMarkings, organisation),
    ),
  );

  const from = new Date(ms(event.windowStartUtc) - RELATED_EVENT_MARGIN_DAYS * dayMs).toISOString();
  const to = new Date(ms(event.windowEndUtc) + RELATED_EVENT_MARGIN_DAYS * dayMs).toISOString();
  const related = new Map<number, StoredEvent>();
  for (const cn of objects)
    for (const e of await store.events({ catalogNumber: cn, from, to }))
      if (e.id !== event.id) related.set(e.id, e);
  const relatedList = [...related.values()].sort((a, b) => (a.timeUtc < b.timeUtc ? -1 : 1));
  attachments.push(
    json(
      'related-events.json',
      'related-events',
      {
        from,
        to,
        events: relatedList.map((e) => ({
          id: e.id,
          type: e.type,
          kind: e.kind,
          objects: e.objects,
          timeUtc: e.timeUtc,
          score: e.score,
          threshold: e.threshold,
          detector: e.detector,
          detectorVersion: e.detectorVersion,
        })),
      },
      combine([eventMarking, ...relatedList.map((e) => recordMarking(e))], organisation),
    ),
  );

  const relatedMarkings = relatedList.map((e) => recordMarking(e));
  const chartMarking = combine([eventMarking, ...historyMarkings], organisation);
  const spec = chartOf(event, histories);
  if (spec !== undefined) attachments.push(plot(spec.name, spec.spec, chartMarking));

  return {
    title: `${event.type} ${event.kind}: ${event.objects.slice(0, 3).join(', ')}${event.objects.length > 3 ? ` +${event.objects.length - 3}` : ''} at ${event.timeUtc.slice(0, 16)}Z`,
    summary: `Opened from event ${event.id} (${event.detector} ${event.detectorVersion}, score ${event.score} against threshold ${event.threshold}).`,
    source: { kind: 'event', id: String(event.id), type: event.type },
    attachments,
    inputMarkings: [eventMarking, ...historyMarkings, ...relatedMarkings],
  };
}

/** The chart of the event type, when one exists and its inputs are in the store. */
function chartOf(
  event: StoredEvent,
  histories: ReadonlyMap<string, readonly StoredElementSet[]>,
): { name: string; spec: Record<string, unknown> } | undefined {
  try {
    switch (event.type) {
      case 'maneuver': {
        const sets = (histories.get(event.objects[0] ?? '') ?? []).map((s) => s.elements);
        if (sets.length < 3) return undefined;
        const data = maneuverChartData(detectManeuvers(sets));
        return {
          name: 'maneuver-history.vl.json',
          spec: maneuverChartSpec(data, {
            title: `Element history of ${event.objects[0]} with detected maneuvers`,
          }),
        };
      }
      case 'fragmentation': {
        const ev = event.evidence as { parent?: { id?: string } | null };
        const parentId = ev.parent?.id;
        const fragments = event.objects
          .filter((cn) => cn !== parentId)
          .map((cn) => histories.get(cn)?.[0]?.elements)
          .filter((e) => e !== undefined);
        if (fragments.length === 0) return undefined;
        const start = ms(event.windowStartUtc);
        const parentSets = parentId === undefined ? [] : (histories.get(parentId) ?? []);
        const parent = [...parentSets].reverse().find((s) => ms(s.epochUtc) <= start) ?? parentSets[0];
        return {
          name: 'gabbard.vl.json',
          spec: gabbardChartSpec(gabbardChartData(gabbardPoints(fragments, parent?.elements))),
        };
      }
      case 'proximity':
      case 'rendezvous':
      case 'co-location':
      case 'attached': {
        const [t, c] = event.objects;
        const target = histories.get(t ?? '')?.map((s) => s.elements) ?? [];
        const chaser = histories.get(c ?? '')?.map((s) => s.elements) ?? [];
        const start = parseUtcString(event.windowStartUtc.replace(/Z$/, ''));
        if (target.length === 0 || chaser.length === 0 || start === undefined) return undefined;
        const days = Math.min(
          RPO_CHART_MAX_DAYS,
          Math.max(1 / 24, (ms(event.windowEndUtc) - ms(event.windowStartUtc)) / dayMs),
        );
        const series = rpoRelativeSeries(target, chaser, start, days);
        const ev = event.evidence as { threshold_km?: number };
        const data = rpoChartData(series, typeof ev.threshold_km === 'number' ? ev.threshold_km : 50, {
          start: event.windowStartUtc,
          end: event.windowEndUtc,
          label: event.kind,
        });
        return { name: 'rpo.vl.json', spec: rpoChartSpec(data, { title: `${c} relative to ${t}` }) };
      }
      case 'reentry': {
        const ev = event.evidence as {
          ground_track?: { t_from_nominal_s?: number[]; lat_deg?: number[]; lon_deg?: number[] };
          impact_lat_deg?: number;
          impact_lon_deg?: number;
        };
        const tr = ev.ground_track;
        if (tr?.t_from_nominal_s === undefined || tr.lat_deg === undefined || tr.lon_deg === undefined)
          return undefined;
        const samples = tr.t_from_nominal_s.map((t, k) => ({
          lonDeg: tr.lon_deg?.[k] ?? 0,
          latDeg: tr.lat_deg?.[k] ?? 0,
          hoursFromNominal: t / 3600,
          afterNominal: t > 0,
        }));
        return {
          name: 'ground-track.vl.json',
          spec: groundTrackChartSpec({
            samples,
            nominal: {
              lonDeg: ev.impact_lon_deg ?? 0,
              latDeg: ev.impact_lat_deg ?? 0,
              timeUtc: event.timeUtc,
            },
            windowStartUtc: event.windowStartUtc,
            windowEndUtc: event.windowEndUtc,
          }),
        };
      }
    }
  } catch {
    // A chart that cannot be drawn from the stored data is left out; the numbers are attached anyway.
  }
  return undefined;
}

/** Evidence of a stored conjunction (`n`-th of screening `screening`, in TCA order). */
export async function gatherConjunctionEvidence(
  store: CatalogStore,
  screening: StoredScreening,
  n: number,
  c: ConjunctionRecord,
  organisation: string,
): Promise<GatheredEvidence> {
  const cMarking = recordMarking(c);
  const histories = new Map<string, StoredElementSet[]>();
  for (const cn of [c.id1, c.id2]) histories.set(cn, sortedHistory(await store.history(cn)));
  const historyMarkings = [...histories.values()].flat().map((s) => recordMarking(s));
  const attachments: NewCaseAttachment[] = [
    json(
      `conjunction-${screening.id}-${n}.json`,
      'conjunction',
      { screening, conjunction: { id: `${screening.id}-${n}`, ...c } },
      combine([cMarking, recordMarking(screening)], organisation),
    ),
    json(
      'element-histories.json',
      'element-history',
      {
        atUtc: c.tcaUtc,
        objects: [c.id1, c.id2].map((cn) => historySummary(cn, histories.get(cn) ?? [], c.tcaUtc)),
      },
      combine(historyMarkings, organisation),
    ),
  ];
  const from = new Date(ms(c.tcaUtc) - RELATED_EVENT_MARGIN_DAYS * dayMs).toISOString();
  const to = new Date(ms(c.tcaUtc) + RELATED_EVENT_MARGIN_DAYS * dayMs).toISOString();
  const related = new Map<number, StoredEvent>();
  for (const cn of [c.id1, c.id2])
    for (const e of await store.events({ catalogNumber: cn, from, to })) related.set(e.id, e);
  const list = [...related.values()];
  attachments.push(
    json(
      'related-events.json',
      'related-events',
      {
        from,
        to,
        events: list.map((e) => ({
          id: e.id,
          type: e.type,
          kind: e.kind,
          objects: e.objects,
          timeUtc: e.timeUtc,
          score: e.score,
          threshold: e.threshold,
          detector: e.detector,
        })),
      },
      combine([cMarking, ...list.map((e) => recordMarking(e))], organisation),
    ),
  );
  return {
    title: `conjunction ${c.id1}–${c.id2} at ${c.tcaUtc.slice(0, 16)}Z (miss ${c.missKm.toFixed(3)} km)`,
    summary: `Opened from conjunction ${screening.id}-${n} of screening ${screening.id} (Pc ${c.pc ?? 'not computed'}, ${c.pcMethod}).`,
    source: { kind: 'conjunction', id: `${screening.id}-${n}`, type: 'conjunction' },
    attachments,
    inputMarkings: [
      cMarking,
      recordMarking(screening),
      ...historyMarkings,
      ...list.map((e) => recordMarking(e)),
    ],
  };
}
