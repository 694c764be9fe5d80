/**
 * The object page: catalog facts, the age and provenance of its element sets, and the element
 * history plot (@hoshimi/plot maneuver chart: a, e, i per set with the maneuvers astro's detector
 * finds in the same history).
 */
import { detectManeuvers, type ElementSet } from '@hoshimi/astro';
import { maneuverChartData, maneuverChartSpec } from '@hoshimi/plot';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, type ObjectPage } from './api.js';
import { VegaChart } from './chart.js';
import { useI18n } from './i18n.js';

const MIN_SETS_FOR_PLOT = 3;

function historySpec(sets: readonly ElementSet[]): Record<string, unknown> | null {
  if (sets.length < MIN_SETS_FOR_PLOT) return null;
  try {
    return maneuverChartSpec(maneuverChartData(detectManeuvers(sets)), { width: 330 });
  } catch {
    return null;
  }
}

export function ObjectView(props: { id: string | null; onShow: (id: string) => void }) {
  const { t } = useI18n();
  const [page, setPage] = useState<ObjectPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setPage(null);
    setError(null);
    if (props.id === null) return;
    api.object(props.id).then(setPage, (e: unknown) => setError(String(e)));
  }, [props.id]);
  const spec = useMemo(
    () => (page === null ? null : historySpec(page.history.map((h) => h.elements))),
    [page],
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
      {spec === null ? <p>{t('objectPlotTooFew')}</p> : <VegaChart spec={spec} testId="history-plot" />}
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
