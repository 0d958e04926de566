import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useAuth } from '../../auth';
import { count, percent } from '../../format';
import { useI18n } from '../../i18n';
import { useCategories, useDepartments, useInstitutions } from '../../queries';
import { downloadExport, useAnalysisFilters, useSummary, type HotSpotsQuery, type Summary } from './analysis-data';
import { BarChart, ChartCard, DataTable, LineChart } from './charts';
import { HotSpots } from './HotSpots';
import { analysisText } from './texts';

const CHANNELS = ['CALL_CENTER', 'WHATSAPP', 'SOCIAL_MEDIA', 'WEB', 'CONTACT_POINT', 'SMS'] as const;
const TYPES = ['REQUEST', 'COMPLAINT', 'SUGGESTION', 'INFORMATION', 'REPORT', 'THANKS'] as const;
const SEGMENTS = ['CITIZEN', 'MUHTAR', 'TRADESPERSON', 'COUNCIL_MEMBER'] as const;

/**
 * The analysis center's dashboard (GET /analysis/summary): a filter bar that every chart follows,
 * key figures, charts with their tables one click away, CSV per table and XLSX of all. A
 * department head sees their own department only (the API enforces it; the bar shows it fixed).
 */
export function Dashboard() {
  const { user, has } = useAuth();
  const { lang, type: typeName, channel: channelName, segment: segmentName } = useI18n();
  const t = analysisText(lang);
  const f = useAnalysisFilters();
  const head = !has('COORDINATOR', 'AUDITOR', 'ADMIN') && has('DEPARTMENT_HEAD');
  const query = head ? { ...f.query, department: user?.departmentId ?? undefined } : f.query;
  const summary = useSummary(query);
  const departments = useDepartments();
  const categories = useCategories();
  const institutions = useInstitutions();
  const [exportError, setExportError] = useState<string | null>(null);
  const [grain, setGrain] = useState<'daily' | 'weekly'>('daily');
  const deptName = (id: string | null) => (id ? (departments.data?.find((d) => d.id === id)?.[lang === 'tr' ? 'name' : 'nameEn'] ?? id) : '—');
  const pct = (r: number | null) => (r === null ? '—' : percent(r, lang));
  const hrs = (h: number | null) => (h === null ? '—' : `${h.toFixed(1)} ${t('hours')}`);
  const csv = (table: string) => (
    <button type="button" className="secondary" onClick={() => downloadExport('/analysis/summary', query, 'csv', table).catch((e: Error) => setExportError(e.message))}>
      {t('csv')}
    </button>
  );
  const periodProblem = summary.error instanceof ApiError && summary.error.status === 400;

  return (
    <section aria-labelledby="analysis-title" className="analysis">
      <div className="queue-head">
        <h1 id="analysis-title">{t('title')}</h1>
        <div className="no-print action-buttons">
          <button type="button" onClick={() => downloadExport('/analysis/summary', query, 'xlsx').catch((e: Error) => setExportError(e.message))}>
            {t('xlsx')}
          </button>
          {(query.department ?? '') !== '' && (
            <Link className="button-link" to={`/analysis/departments/${encodeURIComponent(query.department!)}?${f.search}`}>
              {t('report')}
            </Link>
          )}
        </div>
      </div>
      {exportError && (
        <p role="alert" className="error">
          {exportError}
        </p>
      )}
      <form className="filters card no-print" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="a-from">{t('from')}</label>
          <input id="a-from" type="date" value={f.fromDay} onChange={(e) => f.set('from', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="a-to">{t('to')}</label>
          <input id="a-to" type="date" value={f.toDay} onChange={(e) => f.set('to', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="a-institution">{t('institution')}</label>
          <select id="a-institution" value={f.values.institution} onChange={(e) => f.set('institution', e.target.value)}>
            <option value="">{t('all')}</option>
            <option value="MUNICIPALITY">{lang === 'tr' ? 'Büyükşehir' : 'Municipality'}</option>
            <option value="WATER_UTILITY">{lang === 'tr' ? 'MESKİ' : 'Water utility'}</option>
            {institutions.data
              ?.filter((i) => !['MUNICIPALITY', 'WATER_UTILITY'].includes(i.id))
              .map((i) => (
                <option key={i.id} value={i.id}>
                  {lang === 'tr' ? i.name : i.nameEn}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="a-department">{t('department')}</label>
          <select id="a-department" value={head ? (user?.departmentId ?? '') : f.values.department} disabled={head} onChange={(e) => f.set('department', e.target.value)}>
            <option value="">{t('all')}</option>
            {departments.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {lang === 'tr' ? d.name : d.nameEn}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="a-category">{t('category')}</label>
          <select id="a-category" value={f.values.category} onChange={(e) => f.set('category', e.target.value)}>
            <option value="">{t('all')}</option>
            {categories.data?.map((c) => (
              <option key={c.code} value={c.code}>
                {lang === 'tr' ? c.name : c.nameEn}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="a-district">{t('district')}</label>
          <input id="a-district" value={f.values.district} onChange={(e) => f.set('district', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="a-channel">{t('channel')}</label>
          <select id="a-channel" value={f.values.channel} onChange={(e) => f.set('channel', e.target.value)}>
            <option value="">{t('all')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {channelName(c)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="a-type">{t('type')}</label>
          <select id="a-type" value={f.values.type} onChange={(e) => f.set('type', e.target.value)}>
            <option value="">{t('all')}</option>
            {TYPES.map((c) => (
              <option key={c} value={c}>
                {typeName(c)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="a-segment">{t('segment')}</label>
          <select id="a-segment" value={f.values.segment} onChange={(e) => f.set('segment', e.target.value)}>
            <option value="">{t('all')}</option>
            {SEGMENTS.map((c) => (
              <option key={c} value={c}>
                {segmentName(c)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {summary.isPending && <p>…</p>}
      {summary.error && (
        <p role="alert" className="error">
          {periodProblem ? t('periodError') : summary.error.message}
        </p>
      )}
      {summary.data && <Figures s={summary.data} t={t} pct={pct} hrs={hrs} csv={csv} deptName={deptName} grain={grain} setGrain={setGrain} lang={lang} />}
      <HotSpots query={Object.fromEntries(Object.entries(query).filter(([key]) => key !== 'from' && key !== 'to')) as HotSpotsQuery} />
    </section>
  );
}

interface FigureProps {
  s: Summary;
  t: ReturnType<typeof analysisText>;
  pct: (r: number | null) => string;
  hrs: (h: number | null) => string;
  csv: (table: string) => ReactNode;
  deptName: (id: string | null) => string;
  grain: 'daily' | 'weekly';
  setGrain: (g: 'daily' | 'weekly') => void;
  lang: 'tr' | 'en';
}

/** Key figures and charts of one summary (also the department report's first part). */
export function Figures({ s, t, pct, hrs, csv, deptName, grain, setGrain, lang }: FigureProps) {
  const { channel: channelName } = useI18n();
  // Codes as labels (a channel the console does not know stays as its code).
  const channelLabel = (code: string | null) => (code === null ? '—' : (CHANNELS as readonly string[]).includes(code) ? channelName(code as (typeof CHANNELS)[number]) : code);
  const n = (x: number) => count(x, lang);
  const series = grain === 'daily' ? s.volumes.daily.map((d) => ({ label: d.day, ...d })) : s.volumes.weekly.map((d) => ({ label: d.week, ...d }));
  const q = s.quality;
  const rates: [string, number | null][] = [
    [t('registration'), s.registration.rate],
    [t('sla'), s.speed.sla.compliance],
    [t('legal'), s.speed.legal.compliance],
    [t('reopen'), q.reopen.rate],
    [t('referral'), q.referral.rate],
    [t('returned'), q.returnToCenter.rate],
    [t('notFixed'), q.closureCheckNotFixed.rate],
    [t('satisfaction'), q.satisfaction.satisfiedShare],
  ];
  return (
    <>
      <dl className="kpis" aria-label={t('title')}>
        <div>
          <dt>{t('tickets')}</dt>
          <dd data-kpi="tickets">{n(s.volumes.tickets.total)}</dd>
        </div>
        <div>
          <dt>{t('contacts')}</dt>
          <dd data-kpi="contacts">{n(s.volumes.contacts.total)}</dd>
        </div>
        <div>
          <dt>{t('registration')}</dt>
          <dd data-kpi="registration">{pct(s.registration.rate)}</dd>
        </div>
        <div>
          <dt>{t('sla')}</dt>
          <dd data-kpi="sla">{pct(s.speed.sla.compliance)}</dd>
        </div>
        <div>
          <dt>{t('reopen')}</dt>
          <dd data-kpi="reopen">{pct(q.reopen.rate)}</dd>
        </div>
        <div>
          <dt>{t('medianResolution')}</dt>
          <dd data-kpi="resolution">{hrs(s.speed.toResolution.medianHours)}</dd>
        </div>
        <div>
          <dt>{t('stuck')}</dt>
          <dd data-kpi="stuck">{n(q.stuckNow)}</dd>
        </div>
      </dl>
      <div className="chart-grid">
        <ChartCard
          title={t('overTime')}
          legend={
            <p className="legend">
              <span className="swatch tickets" aria-hidden="true" /> {t('tickets')} <span className="swatch contacts" aria-hidden="true" /> {t('contacts')}{' '}
              <span className="no-print">
                <button type="button" className={grain === 'daily' ? 'active' : 'secondary'} aria-pressed={grain === 'daily'} onClick={() => setGrain('daily')}>
                  {t('daily')}
                </button>{' '}
                <button type="button" className={grain === 'weekly' ? 'active' : 'secondary'} aria-pressed={grain === 'weekly'} onClick={() => setGrain('weekly')}>
                  {t('weekly')}
                </button>
              </span>
            </p>
          }
          chart={
            <LineChart
              title={t('overTime')}
              labels={series.map((d) => d.label)}
              lines={[
                { name: t('tickets'), values: series.map((d) => d.tickets), className: 'tickets' },
                { name: t('contacts'), values: series.map((d) => d.contacts), className: 'contacts' },
              ]}
            />
          }
          table={<DataTable caption={t('overTime')} columns={[grain === 'daily' ? t('daily') : t('weekly'), t('tickets'), t('contacts')]} rows={series.map((d) => [d.label, d.tickets, d.contacts])} />}
          actions={csv(grain)}
        />
        <ChartCard
          title={t('byChannel')}
          chart={<BarChart title={t('byChannel')} bars={s.volumes.tickets.byChannel.map((c) => ({ label: channelLabel(c.key), value: c.count }))} format={n} />}
          table={<DataTable caption={t('byChannel')} columns={[t('channel'), t('tickets')]} rows={s.volumes.tickets.byChannel.map((c) => [channelLabel(c.key), c.count])} />}
          actions={csv('tickets-by-channel')}
        />
        <ChartCard
          title={t('byDepartment')}
          chart={<BarChart title={t('byDepartment')} bars={s.volumes.tickets.byDepartment.map((c) => ({ label: deptName(c.key), value: c.count }))} format={n} />}
          table={<DataTable caption={t('byDepartment')} columns={[t('department'), t('tickets')]} rows={s.volumes.tickets.byDepartment.map((c) => [deptName(c.key), c.count])} />}
          actions={csv('tickets-by-department')}
        />
        <ChartCard
          title={t('rates')}
          chart={<BarChart title={t('rates')} max={1} bars={rates.map(([label, r]) => ({ label, value: r }))} format={(v) => percent(v, lang)} />}
          table={<DataTable caption={t('rates')} columns={['', '%']} rows={rates.map(([label, r]) => [label, pct(r)])} />}
          actions={csv('rates')}
        />
        <ChartCard
          title={t('speed')}
          chart={
            <BarChart
              title={t('speed')}
              bars={(
                [
                  ['→ ' + t('department'), s.speed.toDepartment.medianHours],
                  ['→ ' + t('expert'), s.speed.toExpert.medianHours],
                  ['→ ' + t('medianResolution'), s.speed.toResolution.medianHours],
                  ['→ ' + t('close'), s.speed.toClose.medianHours],
                ] as const
              )
                .filter(([, v]) => v !== null)
                .map(([label, v]) => ({ label, value: v! }))}
              format={(v) => v.toFixed(1)}
            />
          }
          table={
            <DataTable
              caption={t('speed')}
              columns={['', 'n', 'p50', 'p90']}
              rows={(
                [
                  ['to_department', s.speed.toDepartment],
                  ['to_expert', s.speed.toExpert],
                  ['to_resolution', s.speed.toResolution],
                  ['to_close', s.speed.toClose],
                ] as const
              ).map(([name, d]) => [name, d.count, d.medianHours?.toFixed(1) ?? null, d.p90Hours?.toFixed(1) ?? null])}
            />
          }
          actions={csv('speed')}
        />
        <ChartCard
          title={t('byDistrict')}
          chart={<BarChart title={t('byDistrict')} bars={s.volumes.tickets.byDistrict.slice(0, 12).map((c) => ({ label: c.key ?? '—', value: c.count }))} format={n} />}
          table={<DataTable caption={t('byDistrict')} columns={[t('district'), t('tickets')]} rows={s.volumes.tickets.byDistrict.map((c) => [c.key, c.count])} />}
          actions={csv('tickets-by-district')}
        />
      </div>
    </>
  );
}
