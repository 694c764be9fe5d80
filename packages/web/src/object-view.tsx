/**
 * The object page: catalog facts, the age and provenance of its element sets, and the element
 * history plot (@hoshimi/plot maneuver chart: a, e, i per set with the maneuvers astro's detector
 * finds in the same history).
 */
import { detectManeuvers, type ElementSet } from '@hoshimi/astro';
import { maneuverChartData, maneuverChartSpec } from '@hoshimi/plot';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, type EventRow, eventsApi, type ObjectPage } from './api.js';
import { VegaChart } from './chart.js';
import { withStoredManeuvers } from './event-charts.js';
import { useI18n } from './i18n.js';

const MIN_SETS_FOR_PLOT = 3;

function historySpec(
  sets: readonly ElementSet[],
  stored: readonly EventRow[],
): { spec: Record<string, unknown>; marks: number } | null {
  if (sets.length < MIN_SETS_FOR_PLOT) return null;
  try {
    // The object's stored maneuver events, when it has any, are the marks; else this detection's.
    const data = withStoredManeuvers(maneuverChartData(detectManeuvers(sets)), stored);
    return { spec: maneuverChartSpec(data, { width: 330 }), marks: data.detections.length };
  } catch {
    return null;
  }
}

export function ObjectView(props: { id: string | null; onShow: (id: string) => void }) {
  const { t } = useI18n();
  const [page, setPage] = useState<ObjectPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stored, setStored] = useState<readonly EventRow[]>([]);
  useEffect(() => {
    setPage(null);
    setError(null);
    setStored([]);
    if (props.id === null) return;
    api.object(props.id).then(setPage, (e: unknown) => setError(String(e)));
    // Stored maneuver events of the object (none, or the API unreachable: the plot keeps its own marks).
    eventsApi.events({ catalogNumber: props.id, type: 'maneuver', limit: 1000 }).then(
      (p) => setStored(p.items),
      () => setStored([]),
    );
  }, [props.id]);
  const plot = useMemo(
    () =>
      page === null
        ? null
        : historySpec(
            page.history.map((h) => h.elements),
            stored,
          ),
    [page, stored],
  );
  if (props.id === null) return <p>{t('objectNone')}</p>;
  if (error !== null) return <p class="error">{error}</p>;
  if (page === null) return <p>{t('objectLoading')}</p>;
  const o = page.object;
  return (
    <div data-testid="object-page">
      <h2>
        {o.name ?? '—'} <small>#{o.catalogNumber}</small>
      </h2>
      <table class="facts">
        <tbody>
          <tr>
            <th>{t('colDesignator')}</th>
            <td>{o.intlDesignator ?? '—'}</td>
          </tr>
          <tr>
            <th>{t('colType')}</th>
            <td>{t(`type${o.objectType}` as const)}</td>
          </tr>
          <tr>
            <th>{t('objectOwner')}</th>
            <td>{o.ownerName ?? o.ownerCode ?? '—'}</td>
          </tr>
          <tr>
            <th>{t('objectLaunch')}</th>
            <td>{o.launchDate ?? '—'}</td>
          </tr>
          <tr>
            <th>{t('objectDecay')}</th>
            <td>{o.decayDate ?? '—'}</td>
          </tr>
          <tr>
            <th>{t('objectDataAge')}</th>
            <td>
              {page.ageDays === null ? '—' : page.ageDays.toFixed(2)}{' '}
              {page.stale ? `(${t('objectStale')})` : ''} {page.decayed ? `(${t('objectDecayed')})` : ''}
            </td>
          </tr>
        </tbody>
      </table>
      <button type="button" onClick={() => props.onShow(o.catalogNumber)}>
        {t('objectShowOnGlobe')}
      </button>
      <h3>{t('objectPlot')}</h3>
      {plot === null ? (
        <p>{t('objectPlotTooFew')}</p>
      ) : (
        <>
          {stored.length === 0 ? null : (
            <p class="hint" data-testid="history-stored-maneuvers" data-count={plot.marks}>
              {t('objectStoredManeuvers', { count: plot.marks })}
            </p>
          )}
          <VegaChart spec={plot.spec} testId="history-plot" />
        </>
      )}
      <h3>{t('objectHistory', { count: page.history.length })}</h3>
      <div class="scroll">
        <table class="list">
          <thead>
            <tr>
              <th>{t('colEpoch')}</th>
              <th>{t('colSource')}</th>
              <th>{t('colLabel')}</th>
            </tr>
          </thead>
          <tbody>
            {[...page.history].reverse().map((h) => (
              <tr key={h.id}>
                <td>{h.epochUtc.slice(0, 19)}</td>
                <td>
                  {h.source} ({h.format})
                </td>
                <td>{h.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
