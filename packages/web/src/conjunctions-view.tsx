/**
 * Conjunctions of a stored screening (the latest, one chosen from GET /screenings, or the one a job's
 * result or an alert opens; read from the public GET /conjunctions): the list sorted by Pc or miss
 * distance, and one event's miss vector in the primary's RTN frame, Pc and its method, the range over
 * ±10 minutes around TCA computed here with our SGP4 from each object's latest element set (the
 * screening may have used an older set: the curve is for orientation, the stored numbers are the
 * screening's), and its CDM (cdm-block.tsx).
 */
import { type ElementSet, sgp4, sgp4Init } from '@hoshimi/astro';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, conjunctionRowOf, type IdentifiedConjunctionRow, publicApi, type Screening } from './api.js';
import { CdmBlock } from './cdm-block.js';
import { VegaChart } from './chart.js';
import { useI18n } from './i18n.js';

const RANGE_HALF_WINDOW_MIN = 10;
const RANGE_SAMPLES = 241;
const UNIX_EPOCH_JD = 2440587.5;

function isoToJd(iso: string): number {
  // Date parses milliseconds; the stored TCA has microseconds, which a plot does not need.
  const ms = Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
  return UNIX_EPOCH_JD + ms / 86_400_000;
}

function rangeSpec(a: ElementSet, b: ElementSet, tcaUtc: string, title: string): Record<string, unknown> {
  const ra = sgp4Init(a);
  const rb = sgp4Init(b);
  const tca = isoToJd(tcaUtc);
  const ta = (tca - a.epoch.jd - a.epoch.jdFrac) * 1440;
  const tb = (tca - b.epoch.jd - b.epoch.jdFrac) * 1440;
  const va = new Float64Array(6);
  const vb = new Float64Array(6);
  const values: { minutes: number; rangeKm: number }[] = [];
  for (let k = 0; k < RANGE_SAMPLES; k++) {
    const dt = -RANGE_HALF_WINDOW_MIN + (2 * RANGE_HALF_WINDOW_MIN * k) / (RANGE_SAMPLES - 1);
    if (sgp4(ra, ta + dt, va) !== 0 || sgp4(rb, tb + dt, vb) !== 0) continue;
    const dx = (va[0] as number) - (vb[0] as number);
    const dy = (va[1] as number) - (vb[1] as number);
    const dz = (va[2] as number) - (vb[2] as number);
    values.push({ minutes: dt, rangeKm: Math.hypot(dx, dy, dz) });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 330,
    height: 200,
    title,
    data: { values },
    mark: { type: 'line' },
    encoding: {
      x: { field: 'minutes', type: 'quantitative', title: 't − TCA (min)' },
      y: { field: 'rangeKm', type: 'quantitative', title: 'km', scale: { type: 'log' } },
    },
  };
}

function pcText(pc: number | null, none: string): string {
  return pc === null ? none : pc === 0 ? '0' : pc.toExponential(2);
}

function ConjunctionDetail(props: {
  c: IdentifiedConjunctionRow;
  onBack: () => void;
  onObject: (id: string) => void;
}) {
  const { t } = useI18n();
  const c = props.c;
  const [sets, setSets] = useState<[ElementSet, ElementSet] | null>(null);
  useEffect(() => {
    Promise.all([api.object(c.id1), api.object(c.id2)]).then(([a, b]) => {
      if (a.latest !== null && b.latest !== null) setSets([a.latest.elements, b.latest.elements]);
    });
  }, [c]);
  const spec = useMemo(
    () => (sets === null ? null : rangeSpec(sets[0], sets[1], c.tcaUtc, t('conjRange'))),
    [sets, c, t],
  );
  return (
    <div data-testid="conjunction-detail">
      <button type="button" onClick={props.onBack}>
        ← {t('conjBack')}
      </button>
      <h2>{t('conjDetail', { a: c.id1, b: c.id2 })}</h2>
      <table class="facts">
        <tbody>
          <tr>
            <th>{t('colTca')}</th>
            <td>{c.tcaUtc}</td>
          </tr>
          <tr>
            <th>{t('colMiss')}</th>
            <td>{c.missKm.toFixed(3)}</td>
          </tr>
          <tr>
            <th>{t('conjRelSpeed')}</th>
            <td>
              {c.relSpeedKmS.toFixed(3)} {t('unitKmS')}
            </td>
          </tr>
          <tr>
            <th>{t('colPc')}</th>
            <td data-testid="conjunction-pc">{pcText(c.pc, t('conjNoPc'))}</td>
          </tr>
          <tr>
            <th>{t('conjPcMethod')}</th>
            <td>{c.pcMethod}</td>
          </tr>
          <tr>
            <th>{t('conjHbr')}</th>
            <td>
              {c.hbrM} {t('unitM')}
            </td>
          </tr>
          <tr>
            <th>{t('conjCovariance')}</th>
            <td>{c.covarianceSource}</td>
          </tr>
          <tr>
            <th>{t('conjConfidence')}</th>
            <td>{c.confidence}</td>
          </tr>
          <tr>
            <th>{t('conjAges')}</th>
            <td>
              {c.age1Days.toFixed(2)} / {c.age2Days.toFixed(2)}
            </td>
          </tr>
        </tbody>
      </table>
      <h3>{t('conjMissRtn')}</h3>
      <table class="facts" data-testid="miss-rtn">
        <tbody>
          <tr>
            <th>{t('conjRadial')}</th>
            <td>
              {c.rKm.toFixed(3)} {t('unitKm')}
            </td>
          </tr>
          <tr>
            <th>{t('conjInTrack')}</th>
            <td>
              {c.iKm.toFixed(3)} {t('unitKm')}
            </td>
          </tr>
          <tr>
            <th>{t('conjCrossTrack')}</th>
            <td>
              {c.cKm.toFixed(3)} {t('unitKm')}
            </td>
          </tr>
        </tbody>
      </table>
      <p>
        <button type="button" onClick={() => props.onObject(c.id1)}>
          {t('colPrimary')} {c.id1}
        </button>{' '}
        <button type="button" onClick={() => props.onObject(c.id2)}>
          {t('colSecondary')} {c.id2}
        </button>
      </p>
      {spec === null ? null : <VegaChart spec={spec} testId="range-plot" />}
      <CdmBlock id={c.id} />
    </div>
  );
}

export function ConjunctionsView(props: { onObject: (id: string) => void; screeningId?: number | null }) {
  const { t } = useI18n();
  const [sort, setSort] = useState<'pc' | 'miss'>('pc');
  const [chosen, setChosen] = useState<number | null>(props.screeningId ?? null);
  const [screenings, setScreenings] = useState<readonly Screening[]>([]);
  const [list, setList] = useState<{
    screening: Screening | null;
    conjunctions: readonly IdentifiedConjunctionRow[];
  } | null>(null);
  const [open, setOpen] = useState<IdentifiedConjunctionRow | null>(null);
  useEffect(() => {
    setChosen(props.screeningId ?? null);
    setOpen(null);
  }, [props.screeningId]);
  useEffect(() => {
    publicApi.screenings().then(
      (r) => setScreenings(r.items),
      () => setScreenings([]),
    );
  }, []);
  useEffect(() => {
    publicApi.conjunctions(chosen, sort).then(
      (r) => setList({ screening: r.screening, conjunctions: r.items.map(conjunctionRowOf) }),
      () => setList({ screening: null, conjunctions: [] }),
    );
  }, [sort, chosen]);
  if (open !== null)
    return <ConjunctionDetail c={open} onBack={() => setOpen(null)} onObject={props.onObject} />;
  if (list === null) return <p>{t('objectLoading')}</p>;
  const s = list.screening;
  if (s === null) return <p>{t('conjNone')}</p>;
  return (
    <div data-testid="conjunction-list" data-screening-id={s.id}>
      {screenings.length > 1 ? (
        <p>
          <label>
            {t('conjChooseScreening')}{' '}
            <select
              data-testid="screening-select"
              value={chosen ?? ''}
              onChange={(e) => {
                const v = (e.currentTarget as HTMLSelectElement).value;
                setChosen(v === '' ? null : Number(v));
              }}
            >
              <option value="">{t('conjLatestScreening')}</option>
              {screenings.map((x) => (
                <option key={x.id} value={x.id}>
                  {t('conjScreeningOption', {
                    id: x.id,
                    start: x.windowStart.slice(0, 16),
                    count: x.conjunctionCount,
                  })}
                </option>
              ))}
            </select>
          </label>
        </p>
      ) : null}
      <p data-testid="conjunction-screening">
        {t('conjScreening', {
          id: s.id,
          count: s.conjunctionCount,
          start: s.windowStart.slice(0, 16),
          stop: s.windowStop.slice(0, 16),
          threshold: s.thresholdKm,
        })}
      </p>
      <p>
        <label>
          <input type="radio" name="sort" checked={sort === 'pc'} onChange={() => setSort('pc')} />{' '}
          {t('conjSortPc')}
        </label>{' '}
        <label>
          <input type="radio" name="sort" checked={sort === 'miss'} onChange={() => setSort('miss')} />{' '}
          {t('conjSortMiss')}
        </label>
      </p>
      <div class="scroll">
        <table class="list">
          <thead>
            <tr>
              <th>{t('colPrimary')}</th>
              <th>{t('colSecondary')}</th>
              <th>{t('colTca')}</th>
              <th>{t('colMiss')}</th>
              <th>{t('colPc')}</th>
            </tr>
          </thead>
          <tbody>
            {list.conjunctions.map((c) => (
              <tr key={c.index} class="clickable" data-testid="conjunction-row" onClick={() => setOpen(c)}>
                <td>{c.id1}</td>
                <td>{c.id2}</td>
                <td>{c.tcaUtc.slice(0, 19)}</td>
                <td>{c.missKm.toFixed(3)}</td>
                <td>{pcText(c.pc, t('conjNoPc'))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
