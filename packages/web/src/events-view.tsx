/**
 * The Events tab: the detectors' stored events (public API `GET /events`, filtered by type, paged)
 * and one event's view: a maneuver on its object's element history, a proximity pair's relative
 * motion in the target's RTN frame, a fragmentation's Gabbard diagram and estimated breakup, a
 * reentry's window and ground track. The charts are computed here from the objects' element sets
 * (`GET /objects/{n}/history`) with @hoshimi/astro; what the store lacks (an object without element
 * sets, evidence without the numbers a view needs) is said in the view, never thrown.
 */
import { type ElementSet, PROXIMITY_KM } from '@hoshimi/astro';
import { useEffect, useState } from 'preact/hooks';
import { EVENT_TYPES, type EventRow, type EventType, eventsApi } from './api.js';
import { VegaChart } from './chart.js';
import {
  elementSetsOf,
  gabbardSpec,
  groundTrack,
  historyWithManeuversSpec,
  isoMs,
  isoShift,
  isoZ,
  maneuverDvMS,
  pairMotionSpec,
  pairWindow,
  reentrySpec,
} from './event-charts.js';
import { type MessageKey, useI18n } from './i18n.js';

const PAGE_SIZE = 25;
/** Maneuver view: the element history this many days either side of the event. */
const MANEUVER_SPAN_DAYS = 45;
/** Pair view: element sets up to this many days before the window (the RPO search's age limit). */
const PAIR_SET_LOOKBACK_DAYS = 30;
/** Fragmentation view: at most this many fragments fetched (one history request each). */
const MAX_FRAGMENTS = 200;
const FETCH_CONCURRENCY = 6;

type ChartState =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly spec: Record<string, unknown>; readonly note?: string }
  | { readonly state: 'missing'; readonly message: string };

const TYPE_KEYS: Record<EventType, MessageKey> = {
  maneuver: 'evTypeManeuver',
  proximity: 'evTypeProximity',
  rendezvous: 'evTypeRendezvous',
  'co-location': 'evTypeColocation',
  attached: 'evTypeAttached',
  fragmentation: 'evTypeFragmentation',
  reentry: 'evTypeReentry',
};

const PAIR_TYPES: readonly EventType[] = ['proximity', 'rendezvous', 'co-location', 'attached'];

function fmt(v: unknown, digits = 3): string {
  return typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(digits + 1)).toString() : '—';
}

function objectsText(objects: readonly string[]): string {
  return objects.length <= 3
    ? objects.join(', ')
    : `${objects.slice(0, 2).join(', ')} +${objects.length - 2}`;
}

/** `f` over `items`, at most FETCH_CONCURRENCY at a time; failures give undefined. */
async function mapLimited<T, R>(items: readonly T[], f: (x: T) => Promise<R>): Promise<(R | undefined)[]> {
  const out: (R | undefined)[] = new Array(items.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      out[k] = await f(items[k] as T).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, items.length) }, worker));
  return out;
}

/** The element set of `sets` closest to `timeMs`, preferring one at or before it when `before`. */
function setNear(sets: readonly ElementSet[], timeMs: number, before: boolean): ElementSet | undefined {
  const ms = (e: ElementSet) => (e.epoch.jd - 2440587.5 + e.epoch.jdFrac) * 86_400_000;
  const side = sets.filter((e) => (before ? ms(e) <= timeMs : ms(e) >= timeMs));
  const pool = side.length > 0 ? side : sets;
  let best: ElementSet | undefined;
  for (const e of pool)
    if (best === undefined || Math.abs(ms(e) - timeMs) < Math.abs(ms(best) - timeMs)) best = e;
  return best;
}

function ChartOrMessage(props: { chart: ChartState; testId: string }) {
  const { t } = useI18n();
  const c = props.chart;
  if (c.state === 'loading') return <p>{t('evChartLoading')}</p>;
  if (c.state === 'missing')
    return (
      <p class="notice" data-testid={`${props.testId}-missing`}>
        {c.message}
      </p>
    );
  return (
    <>
      {c.note === undefined ? null : <p class="notice">{c.note}</p>}
      <VegaChart spec={c.spec} testId={props.testId} />
    </>
  );
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function ManeuverView(props: { e: EventRow }) {
  const { t } = useI18n();
  const e = props.e;
  const id = e.objects[0] ?? '';
  const [chart, setChart] = useState<ChartState>({ state: 'loading' });
  useEffect(() => {
    setChart({ state: 'loading' });
    const from = isoShift(e.timeUtc, -MANEUVER_SPAN_DAYS);
    const to = isoShift(e.timeUtc, MANEUVER_SPAN_DAYS);
    Promise.all([
      eventsApi.history(id, from, to),
      eventsApi.events({ catalogNumber: id, type: 'maneuver', limit: 1000 }),
    ]).then(
      ([rows, events]) => {
        const sets = elementSetsOf(rows);
        const r = historyWithManeuversSpec(sets, events.items, t('evManeuverPlotTitle', { id }), e.id);
        setChart(
          r === null
            ? { state: 'missing', message: t('evNoHistory', { id, count: sets.length }) }
            : { state: 'ready', spec: r.spec },
        );
      },
      (err: unknown) =>
        setChart({ state: 'missing', message: t('evFetchFailed', { message: errorText(err) }) }),
    );
  }, [e, id, t]);
  const rtn = e.evidence['dvRtnMS'];
  return (
    <>
      <table class="facts">
        <tbody>
          <tr>
            <th>{t('evDv')}</th>
            <td data-testid="event-dv">
              {fmt(maneuverDvMS(e))} {t('unitMS')}
            </td>
          </tr>
          {Array.isArray(rtn) && rtn.length === 3 ? (
            <tr>
              <th>{t('evDvRtn')}</th>
              <td>
                {rtn.map((v) => fmt(v)).join(' / ')} {t('unitMS')}
              </td>
            </tr>
          ) : null}
          <tr>
            <th>{t('evRegime')}</th>
            <td>{String(e.evidence['regime'] ?? '—')}</td>
          </tr>
        </tbody>
      </table>
      <p class="hint">{t('evManeuverHint', { days: MANEUVER_SPAN_DAYS })}</p>
      <ChartOrMessage chart={chart} testId="event-maneuver-plot" />
    </>
  );
}

function PairView(props: { e: EventRow }) {
  const { t } = useI18n();
  const e = props.e;
  const [target, chaser] = e.objects;
  const [chart, setChart] = useState<ChartState>({ state: 'loading' });
  useEffect(() => {
    setChart({ state: 'loading' });
    if (target === undefined || chaser === undefined) {
      setChart({ state: 'missing', message: t('evPairNoObjects') });
      return;
    }
    const w = pairWindow(e);
    const from = isoShift(w.startUtc, -PAIR_SET_LOOKBACK_DAYS);
    const to = isoShift(w.startUtc, w.days);
    Promise.all([eventsApi.history(target, from, to), eventsApi.history(chaser, from, to)]).then(
      ([a, b]) => {
        const ta = elementSetsOf(a);
        const tb = elementSetsOf(b);
        if (ta.length === 0 || tb.length === 0) {
          setChart({
            state: 'missing',
            message: t('evPairNoSets', { id: ta.length === 0 ? target : chaser }),
          });
          return;
        }
        try {
          const spec = pairMotionSpec(
            e,
            ta,
            tb,
            PROXIMITY_KM,
            t('evPairPlotTitle', { a: target, b: chaser }),
          );
          setChart(
            spec === null ? { state: 'missing', message: t('evPairNoSamples') } : { state: 'ready', spec },
          );
        } catch (err) {
          setChart({ state: 'missing', message: t('evComputeFailed', { message: errorText(err) }) });
        }
      },
      (err: unknown) =>
        setChart({ state: 'missing', message: t('evFetchFailed', { message: errorText(err) }) }),
    );
  }, [e, target, chaser, t]);
  const rtn = e.evidence['rtn_km'] as Record<string, { mean?: number } | undefined> | undefined;
  const labels = Array.isArray(e.evidence['labels'])
    ? (e.evidence['labels'] as { kind?: string; reason?: string }[])
    : [];
  return (
    <>
      <table class="facts">
        <tbody>
          <tr>
            <th>{t('evTargetChaser')}</th>
            <td>
              {target ?? '—'} / {chaser ?? '—'}
            </td>
          </tr>
          <tr>
            <th>{t('evMinRange')}</th>
            <td>
              {fmt(e.evidence['min_range_km'])} {t('unitKm')}
            </td>
          </tr>
          <tr>
            <th>{t('evMeanRange')}</th>
            <td>
              {fmt(e.evidence['mean_range_km'])} {t('unitKm')}
            </td>
          </tr>
          {rtn === undefined ? null : (
            <tr>
              <th>{t('evMeanRtn')}</th>
              <td>
                {fmt(rtn['radial']?.mean)} / {fmt(rtn['inTrack']?.mean)} / {fmt(rtn['crossTrack']?.mean)}{' '}
                {t('unitKm')}
              </td>
            </tr>
          )}
          <tr>
            <th>{t('evAlarm')}</th>
            <td>
              {e.evidence['alarm'] === true ? t('evYes') : e.evidence['alarm'] === false ? t('evNo') : '—'}
            </td>
          </tr>
          {labels.map((l) => (
            <tr key={l.kind}>
              <th>{t('evLabel', { kind: l.kind ?? '—' })}</th>
              <td>{l.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">{t('evPairHint')}</p>
      <ChartOrMessage chart={chart} testId="event-pair-plot" />
    </>
  );
}

function FragmentationView(props: { e: EventRow }) {
  const { t } = useI18n();
  const e = props.e;
  const ev = e.evidence;
  const parentInfo = ev['parent'] as { id?: string; name?: string | null } | null | undefined;
  const parentId = e.kind === 'breakup' ? e.objects[0] : (parentInfo?.id ?? undefined);
  const [chart, setChart] = useState<ChartState>({ state: 'loading' });
  useEffect(() => {
    setChart({ state: 'loading' });
    const all = e.objects.filter((id) => id !== parentId);
    const fragments = all.slice(0, MAX_FRAGMENTS);
    const at = isoMs(e.timeUtc);
    const parentSets =
      parentId === undefined ? Promise.resolve([]) : eventsApi.history(parentId).catch(() => []);
    Promise.all([parentSets, mapLimited(fragments, (id) => eventsApi.history(id))]).then(
      ([p, rows]) => {
        const parent = setNear(elementSetsOf(p), at, true);
        const sets: ElementSet[] = [];
        for (const r of rows) {
          const s = r === undefined ? undefined : setNear(elementSetsOf(r), at, false);
          if (s !== undefined) sets.push(s);
        }
        const g = gabbardSpec(sets, parent, t('evGabbardTitle', { count: sets.length }));
        if (g === null) {
          setChart({ state: 'missing', message: t('evFragNoSets', { count: all.length }) });
          return;
        }
        const notes: string[] = [];
        if (all.length > fragments.length)
          notes.push(t('evFragCapped', { shown: fragments.length, count: all.length }));
        if (sets.length < fragments.length)
          notes.push(t('evFragSomeMissing', { missing: fragments.length - sets.length }));
        setChart(
          notes.length === 0
            ? { state: 'ready', spec: g.spec }
            : { state: 'ready', spec: g.spec, note: notes.join(' ') },
        );
      },
      (err: unknown) =>
        setChart({ state: 'missing', message: t('evFetchFailed', { message: errorText(err) }) }),
    );
  }, [e, parentId, t]);
  const hasPlace = typeof ev['lat_deg'] === 'number' && typeof ev['lon_deg'] === 'number';
  return (
    <>
      <table class="facts">
        <tbody>
          <tr>
            <th>{t('evParent')}</th>
            <td>
              {parentId ?? t('evUnknown')}
              {parentInfo?.name ? ` (${parentInfo.name})` : ''}
            </td>
          </tr>
          <tr>
            <th>{t('evFragments')}</th>
            <td>{e.objects.length - (parentId === undefined ? 0 : 1)}</td>
          </tr>
          {e.kind === 'breakup' ? (
            <>
              <tr>
                <th>{t('evBreakupTime')}</th>
                <td data-testid="event-breakup-time">
                  {isoZ(e.timeUtc).slice(0, 23)}Z ± {fmt(ev['epoch_sigma_s'])} {t('unitS')}
                </td>
              </tr>
              <tr>
                <th>{t('evBreakupPlace')}</th>
                <td>
                  {hasPlace
                    ? t('evLatLonAlt', {
                        lat: fmt(ev['lat_deg'], 4),
                        lon: fmt(ev['lon_deg'], 4),
                        alt: fmt(ev['alt_km'], 4),
                      })
                    : t('evNoPlace')}
                </td>
              </tr>
              <tr>
                <th>{t('evConverged')}</th>
                <td>{ev['converged'] === true ? t('evYes') : t('evNo')}</td>
              </tr>
            </>
          ) : (
            <tr>
              <th>{t('evClusterWindow')}</th>
              <td>
                {isoZ(e.windowStartUtc).slice(0, 16)} – {isoZ(e.windowEndUtc).slice(0, 16)}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p class="hint">{t('evFragHint')}</p>
      <ChartOrMessage chart={chart} testId="event-gabbard-plot" />
    </>
  );
}

function ReentryView(props: { e: EventRow }) {
  const { t } = useI18n();
  const e = props.e;
  const id = e.objects[0] ?? '';
  const ev = e.evidence;
  const [chart, setChart] = useState<ChartState>({ state: 'loading' });
  useEffect(() => {
    setChart({ state: 'loading' });
    const title = t('evReentryTitle', { id });
    const elementEpoch =
      typeof e.inputs['element_epoch_utc'] === 'string' ? e.inputs['element_epoch_utc'] : null;
    const finish = (set: ElementSet | null, note?: string) => {
      const samples = groundTrack(set, e);
      const spec = reentrySpec(e, samples, title);
      if (spec === null) setChart({ state: 'missing', message: t('evReentryNoPoint') });
      else if (samples.length === 0)
        setChart({ state: 'ready', spec, note: note ?? t('evReentryNoTrack', { id }) });
      else setChart({ state: 'ready', spec });
    };
    eventsApi.history(id, undefined, isoZ(e.windowEndUtc)).then(
      (rows) => {
        const sets = elementSetsOf(rows);
        const target = elementEpoch === null ? isoMs(e.windowStartUtc) : isoMs(elementEpoch);
        finish(setNear(sets, target, true) ?? null);
      },
      () => finish(null),
    );
  }, [e, id, t]);
  return (
    <>
      <table class="facts">
        <tbody>
          <tr>
            <th>{t('evReentryBest')}</th>
            <td data-testid="event-reentry-best">{isoZ(e.timeUtc).slice(0, 19)}Z</td>
          </tr>
          <tr>
            <th>{t('evReentryWindow')}</th>
            <td>
              {isoZ(e.windowStartUtc).slice(0, 19)}Z – {isoZ(e.windowEndUtc).slice(0, 19)}Z
            </td>
          </tr>
          <tr>
            <th>{t('evReentryUncertainty')}</th>
            <td>
              {t('evReentryPlusMinus', {
                hours: fmt((isoMs(e.windowEndUtc) - isoMs(e.windowStartUtc)) / 7_200_000),
                fraction: fmt(ev['window_fraction']),
              })}
            </td>
          </tr>
          <tr>
            <th>{t('evReentryRemaining')}</th>
            <td>{fmt(ev['remaining_days'])}</td>
          </tr>
          <tr>
            <th>{t('evReentryPoint')}</th>
            <td>
              {typeof ev['impact_lat_deg'] === 'number'
                ? t('evLatLon', { lat: fmt(ev['impact_lat_deg'], 4), lon: fmt(ev['impact_lon_deg'], 4) })
                : '—'}
            </td>
          </tr>
          <tr>
            <th>{t('evReentrySigma')}</th>
            <td>
              {fmt(ev['along_track_sigma_km'])} / {fmt(ev['cross_track_sigma_km'])} {t('unitKm')}
            </td>
          </tr>
          {Array.isArray(ev['warnings']) && ev['warnings'].length > 0 ? (
            <tr>
              <th>{t('evWarnings')}</th>
              <td>{(ev['warnings'] as unknown[]).map(String).join(', ')}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <p class="hint">{t('evReentryHint')}</p>
      <ChartOrMessage chart={chart} testId="event-reentry-plot" />
    </>
  );
}

function EventDetail(props: { e: EventRow; onBack: () => void; onObject: (id: string) => void }) {
  const { t } = useI18n();
  const e = props.e;
  return (
    <div data-testid="event-detail" data-event-type={e.type}>
      <button type="button" onClick={props.onBack}>
        ← {t('evBack')}
      </button>
      <h2>
        {t(TYPE_KEYS[e.type] ?? 'evTypeUnknown')} <small>{e.kind}</small>
      </h2>
      <table class="facts">
        <tbody>
          <tr>
            <th>{t('evTime')}</th>
            <td>{isoZ(e.timeUtc).slice(0, 19)}Z</td>
          </tr>
          <tr>
            <th>{t('evWindow')}</th>
            <td>
              {isoZ(e.windowStartUtc).slice(0, 19)}Z – {isoZ(e.windowEndUtc).slice(0, 19)}Z
            </td>
          </tr>
          <tr>
            <th>{t('evScore')}</th>
            <td>
              {fmt(e.score)} / {fmt(e.threshold)}
            </td>
          </tr>
          <tr>
            <th>{t('evDetector')}</th>
            <td>
              {e.detector} {e.detectorVersion}
            </td>
          </tr>
          <tr>
            <th>{t('colLabel')}</th>
            <td>{e.label}</td>
          </tr>
        </tbody>
      </table>
      <p>
        {e.objects.slice(0, 2).map((id) => (
          <button type="button" key={id} onClick={() => props.onObject(id)}>
            {t('openObjectPage')} {id}
          </button>
        ))}
      </p>
      {e.type === 'maneuver' ? (
        <ManeuverView e={e} />
      ) : PAIR_TYPES.includes(e.type) ? (
        <PairView e={e} />
      ) : e.type === 'fragmentation' ? (
        <FragmentationView e={e} />
      ) : e.type === 'reentry' ? (
        <ReentryView e={e} />
      ) : (
        <p class="notice">{t('evNoView')}</p>
      )}
    </div>
  );
}

export function EventsView(props: { onObject: (id: string) => void }) {
  const { t } = useI18n();
  const [type, setType] = useState<EventType | ''>('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ items: readonly EventRow[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<EventRow | null>(null);
  useEffect(() => {
    setError(null);
    eventsApi.events({ ...(type === '' ? {} : { type }), limit: PAGE_SIZE, offset }).then(
      (p) => setPage({ items: p.items, total: p.page.total }),
      (err: unknown) => setError(errorText(err)),
    );
  }, [type, offset]);
  if (open !== null) return <EventDetail e={open} onBack={() => setOpen(null)} onObject={props.onObject} />;
  return (
    <div data-testid="event-list">
      <p>
        <label>
          {t('evFilter')}{' '}
          <select
            data-testid="events-filter"
            value={type}
            onChange={(ev) => {
              setType((ev.currentTarget as HTMLSelectElement).value as EventType | '');
              setOffset(0);
            }}
          >
            <option value="">{t('evAllTypes')}</option>
            {EVENT_TYPES.map((k) => (
              <option key={k} value={k}>
                {t(TYPE_KEYS[k])}
              </option>
            ))}
          </select>
        </label>
      </p>
      {error !== null ? (
        <p class="error">{t('evFetchFailed', { message: error })}</p>
      ) : page === null ? (
        <p>{t('objectLoading')}</p>
      ) : page.total === 0 ? (
        <p>{t('evNone')}</p>
      ) : (
        <>
          <p data-testid="events-count">
            {t('evCount', {
              from: offset + 1,
              to: offset + page.items.length,
              total: page.total,
            })}{' '}
            <button
              type="button"
              data-testid="events-prev"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
            >
              ‹ {t('evPrev')}
            </button>{' '}
            <button
              type="button"
              data-testid="events-next"
              disabled={offset + page.items.length >= page.total}
              onClick={() => setOffset(offset + PAGE_SIZE)}
            >
              {t('evNext')} ›
            </button>
          </p>
          <div class="scroll">
            <table class="list">
              <thead>
                <tr>
                  <th>{t('evColType')}</th>
                  <th>{t('evColKind')}</th>
                  <th>{t('evColObjects')}</th>
                  <th>{t('evColTime')}</th>
                  <th>{t('evColScore')}</th>
                  <th>{t('evColDetector')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((e) => (
                  <tr
                    key={e.id}
                    class="clickable"
                    data-testid="event-row"
                    data-event-type={e.type}
                    onClick={() => setOpen(e)}
                  >
                    <td>{t(TYPE_KEYS[e.type] ?? 'evTypeUnknown')}</td>
                    <td>{e.kind}</td>
                    <td>{objectsText(e.objects)}</td>
                    <td>{isoZ(e.timeUtc).slice(0, 16).replace('T', ' ')}</td>
                    <td>
                      {fmt(e.score, 2)} / {fmt(e.threshold, 2)}
                    </td>
                    <td>
                      {e.detector} {e.detectorVersion}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
