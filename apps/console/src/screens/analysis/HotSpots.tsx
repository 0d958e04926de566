import { useMemo, useState } from 'react';
import { count } from '../../format';
import { useI18n } from '../../i18n';
import { useCategoryName } from '../../queries';
import { downloadExport, useHotSpots, type HotSpotsQuery } from './analysis-data';
import { DataTable } from './charts';
import { CountMap } from '../../map';
import { analysisText } from './texts';

/**
 * This week's hot spots (GET /analysis/hot-spots) under the dashboard's filters: the
 * neighbourhoods far above their usual volume (the rule is spelled out on screen), and where the
 * open tickets are.
 */
export function HotSpots({ query }: { query: HotSpotsQuery }) {
  const { lang } = useI18n();
  const categoryName = useCategoryName();
  const t = analysisText(lang);
  const spots = useHotSpots(query);
  const [error, setError] = useState<string | null>(null);
  const csv = (table: string) => (
    <button type="button" className="secondary no-print" onClick={() => downloadExport('/analysis/hot-spots', query, 'csv', table).catch((e: Error) => setError(e.message))}>
      {t('csv')}
    </button>
  );
  const h = spots.data;
  const points = useMemo(
    () => (h?.surges ?? []).flatMap((s) => (s.point ? [{ id: `${s.district}/${s.neighbourhood}`, lat: s.point.lat, lng: s.point.lng, count: s.thisWeek, title: `${s.neighbourhood}, ${s.district}: ${s.thisWeek}` }] : [])),
    [h],
  );
  return (
    <section className="card" aria-labelledby="hot-title">
      <h2 id="hot-title">{t('hotSpots')}</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {spots.error && (
        <p role="alert" className="error">
          {spots.error.message}
        </p>
      )}
      {h && (
        <>
          <p className="muted">{t('surgeRule').replace('{factor}', String(h.rule.factor)).replace('{weeks}', String(h.rule.previousWeeks)).replace('{minimum}', String(h.rule.minimum))}</p>
          <h3>{t('surges')}</h3>
          {points.length > 0 && <CountMap label={t('surgeMap')} points={points} />}
          {h.surges.length === 0 ? (
            <p>{t('none')}</p>
          ) : (
            <DataTable
              caption={t('surges')}
              columns={[t('district'), t('neighbourhood'), t('thisWeek'), t('usual'), t('category')]}
              rows={h.surges.map((s) => [s.district, s.neighbourhood, count(s.thisWeek, lang), s.previousMean.toFixed(1), `${categoryName(s.topCategory)} (${s.topCategoryCount})`])}
            />
          )}
          {csv('surges')}
          <details className="chart-table">
            <summary>{t('openByPlace')}</summary>
            <DataTable
              caption={t('openByPlace')}
              columns={[t('district'), t('neighbourhood'), t('category'), t('open')]}
              rows={h.openByPlace.slice(0, 50).map((o) => [o.district, o.neighbourhood, categoryName(o.category), count(o.open, lang)])}
            />
            {csv('open-by-place')}
          </details>
        </>
      )}
    </section>
  );
}
