import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { count, dateTime, percent } from '../../format';
import { useI18n } from '../../i18n';
import { useCategoryName, useDepartments } from '../../queries';
import { downloadExport, useAnalysisFilters, useDepartmentReport } from './analysis-data';
import { Figures } from './Dashboard';
import { DataTable } from './charts';
import { analysisText } from './texts';

/**
 * The department report (GET /analysis/departments/:id/report): what the center brings to the
 * meeting. Printable: the print stylesheet drops the navigation, filters and buttons and opens
 * every table.
 */
export function DepartmentReportPage() {
  const { id = '' } = useParams();
  const { lang, status } = useI18n();
  const categoryName = useCategoryName();
  const t = analysisText(lang);
  const f = useAnalysisFilters();
  // The department is the report's own (in its path), never a filter beside it.
  const { department: _dashboardDepartment, ...query } = f.query;
  const report = useDepartmentReport(id, query);
  const departments = useDepartments();
  const [grain, setGrain] = useState<'daily' | 'weekly'>('weekly');
  const [exportError, setExportError] = useState<string | null>(null);
  const path = `/analysis/departments/${encodeURIComponent(id)}/report`;
  const deptName = (d: string | null) => (d ? (departments.data?.find((x) => x.id === d)?.[lang === 'tr' ? 'name' : 'nameEn'] ?? d) : '—');
  const pct = (r: number | null) => (r === null ? '—' : percent(r, lang));
  const hrs = (h: number | null) => (h === null ? '—' : `${h.toFixed(1)} ${t('hours')}`);
  const csv = (table: string) => (
    <button type="button" className="secondary" onClick={() => {
        setExportError(null);
        downloadExport(path, query, 'csv', table).catch((e: Error) => setExportError(e.message));
      }}>
      {t('csv')}
    </button>
  );
  const r = report.data;
  return (
    <section aria-labelledby="report-title" className="analysis report">
      <div className="queue-head">
        <h1 id="report-title">
          {t('report')}: {r ? (lang === 'tr' ? r.department.name : r.department.nameEn) : id}
        </h1>
        <div className="no-print action-buttons">
          <Link to={`/analysis?${f.search}`}>{t('back')}</Link>
          <button type="button" className="secondary" onClick={() => {
              setExportError(null);
              downloadExport(path, query, 'xlsx').catch((e: Error) => setExportError(e.message));
            }}>
            {t('xlsx')}
          </button>
          <button type="button" onClick={() => window.print()}>
            {t('print')}
          </button>
        </div>
      </div>
      <p className="muted">
        {t('from')}: {f.fromDay} · {t('to')}: {f.toDay}
      </p>
      {exportError && (
        // A failed download is the reader's news, not the report's: never printed.
        <p role="alert" className="error no-print">
          {t('exportFailed')}: {exportError}
        </p>
      )}
      {report.isPending && <p>…</p>}
      {report.error && (
        <p role="alert" className="error">
          {report.error.message}
        </p>
      )}
      {r && (
        <>
          <Figures s={r.summary} t={t} pct={pct} hrs={hrs} csv={csv} deptName={deptName} grain={grain} setGrain={setGrain} lang={lang} />
          <div className="chart-grid">
            <section className="card" aria-labelledby="worst-title">
              <h2 id="worst-title">{t('worstCategories')}</h2>
              <DataTable
                caption={t('worstCategories')}
                columns={[t('category'), t('tickets'), t('breached'), t('breachRate'), t('reopened'), t('medianResolution')]}
                rows={r.worstCategories.map((c) => [categoryName(c.category), count(c.tickets, lang), c.breached, pct(c.breachRate), c.reopened, hrs(c.medianResolutionHours)])}
              />
            </section>
            <section className="card" aria-labelledby="slowest-title">
              <h2 id="slowest-title">{t('slowestLevel')}</h2>
              <p data-kpi="slowest-level">
                {r.slowestApprovalLevel ? `${t('level')} ${r.slowestApprovalLevel.level}: ${hrs(r.slowestApprovalLevel.medianHours)} (p90 ${hrs(r.slowestApprovalLevel.p90Hours)}, n = ${r.slowestApprovalLevel.count})` : t('none')}
              </p>
              <h3>{t('approvalLevels')}</h3>
              <DataTable
                caption={t('approvalLevels')}
                columns={[t('level'), 'n', 'p50', 'p90']}
                rows={r.summary.speed.approvalLevels.map((l) => [l.level, l.count, l.medianHours?.toFixed(1) ?? null, l.p90Hours?.toFixed(1) ?? null])}
              />
            </section>
          </div>
          <section className="card" aria-labelledby="oldest-title">
            <h2 id="oldest-title">{t('oldestOpen')}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('category')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('received')}</th>
                  <th scope="col">{t('ageDays')}</th>
                </tr>
              </thead>
              <tbody>
                {r.oldestOpen.map((o) => (
                  <tr key={o.number}>
                    <td>
                      <Link to={`/tickets/${o.number}`}>{o.number}</Link>
                    </td>
                    <td>{categoryName(o.category)}</td>
                    <td>{status(o.status)}</td>
                    <td>{dateTime(o.receivedAt, lang)}</td>
                    <td>{o.ageDays}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </section>
  );
}
