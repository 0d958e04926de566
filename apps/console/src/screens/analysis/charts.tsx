import { useId, type ReactNode } from 'react';

/**
 * Small SVG charts (no chart library): sizes are SVG attributes, never inline styles, so the
 * console's CSP (style-src with a nonce) stays strict. Each chart is an image with a text
 * alternative; its numbers are in the table one click below it.
 */
export interface Bar {
  label: string;
  /** null: not defined for this selection (an empty base); drawn as a dash. */
  value: number | null;
}

const W = 560;

export function BarChart({ bars, format, title, max }: { bars: Bar[]; format: (n: number) => string; title: string; max?: number }) {
  const top = max ?? Math.max(1, ...bars.map((b) => b.value ?? 0));
  const shown = (v: number | null) => (v === null ? '—' : format(v));
  const row = 26;
  const labelW = 190;
  const valueW = 70;
  const height = Math.max(row, bars.length * row);
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${height}`} width="100%" height={height} role="img" aria-label={`${title}: ${bars.map((b) => `${b.label} ${shown(b.value)}`).join(', ')}`}>
      {bars.map((b, i) => {
        const width = Math.max(0, ((W - labelW - valueW) * (b.value ?? 0)) / top);
        return (
          <g key={b.label + i} transform={`translate(0, ${i * row})`}>
            <text x={labelW - 6} y={row / 2 + 5} textAnchor="end" className="chart-label">
              {b.label.length > 26 ? `${b.label.slice(0, 25)}…` : b.label}
            </text>
            <rect x={labelW} y={4} width={width} height={row - 8} className="chart-bar" rx={2} />
            <text x={labelW + width + 6} y={row / 2 + 5} className="chart-value">
              {shown(b.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export interface Line {
  name: string;
  values: number[];
  className: string;
}

export function LineChart({ labels, lines, title }: { labels: string[]; lines: Line[]; title: string }) {
  const H = 200;
  const pad = { left: 44, right: 10, top: 10, bottom: 24 };
  const top = Math.max(1, ...lines.flatMap((l) => l.values));
  const x = (i: number) => pad.left + (labels.length <= 1 ? 0 : (i * (W - pad.left - pad.right)) / (labels.length - 1));
  const y = (v: number) => H - pad.bottom - (v * (H - pad.top - pad.bottom)) / top;
  const ticks = [0, Math.round(top / 2), top];
  const every = Math.max(1, Math.ceil(labels.length / 6));
  const totals = lines.map((l) => `${l.name} ${l.values.reduce((a, b) => a + b, 0)}`).join(', ');
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} width="100%" height={H} role="img" aria-label={`${title} (${labels[0] ?? ''} – ${labels[labels.length - 1] ?? ''}): ${totals}`}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={pad.left} x2={W - pad.right} y1={y(t)} y2={y(t)} className="chart-rule" />
          <text x={pad.left - 6} y={y(t) + 4} textAnchor="end" className="chart-label">
            {t}
          </text>
        </g>
      ))}
      {labels.map((l, i) =>
        i % every === 0 ? (
          <text key={l} x={x(i)} y={H - 6} textAnchor="middle" className="chart-label">
            {l.slice(5)}
          </text>
        ) : null,
      )}
      {lines.map((l) => (
        <polyline key={l.name} points={l.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} className={`chart-line ${l.className}`} fill="none" />
      ))}
    </svg>
  );
}

/** A chart with its title, a legend, and its table one click away (and that table's CSV). */
export function ChartCard({ title, legend, chart, table, actions }: { title: string; legend?: ReactNode; chart: ReactNode; table: ReactNode; actions?: ReactNode }) {
  const id = useId();
  return (
    <section className="card chart-card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {legend}
      {chart}
      <details className="chart-table">
        <summary>{title}: tablo / table</summary>
        {table}
        {actions}
      </details>
    </section>
  );
}

export function DataTable({ columns, rows, caption }: { columns: string[]; rows: (string | number | null)[][]; caption: string }) {
  // At phone width a figures table keeps its words whole and scrolls inside its own box, never the
  // page; the box is focusable so a keyboard can scroll it (its table names itself by its caption).
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="figures">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((cell, j) => (
                <td key={j}>{cell ?? '—'}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
