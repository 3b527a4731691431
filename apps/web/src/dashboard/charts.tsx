import type { ReactNode } from 'react';

/**
 * The dashboard's charts, drawn as plain HTML and SVG: no chart library, they print as they show,
 * and their numbers stay in the DOM (tests and screen readers read them).
 */

export interface Bar {
  key: string;
  label: string;
  value: number | null;
  /** What the bar's end says; the value when absent. */
  note?: ReactNode;
  color?: string;
  highlight?: boolean;
  onClick?: () => void;
}

/** Horizontal bars, longest first as given; a null value shows a dash. */
export function Bars(props: { bars: Bar[]; format: (v: number) => string; testId?: string }) {
  const max = Math.max(0, ...props.bars.map((b) => b.value ?? 0)) || 1;
  return (
    <ul className="bars" data-testid={props.testId}>
      {props.bars.map((b) => (
        <li key={b.key} data-key={b.key} className={b.highlight ? 'highlight' : undefined} onClick={b.onClick}>
          <span className="bar-label" title={b.label}>{b.label}</span>
          <span className="bar-track">
            <span className="bar" style={{ width: `${((b.value ?? 0) / max) * 100}%`, background: b.color }} />
          </span>
          <span className="bar-value">{b.note ?? (b.value === null ? '—' : props.format(b.value))}</span>
        </li>
      ))}
    </ul>
  );
}

export interface Segment {
  key: string;
  label: string;
  color: string;
}

/** Horizontal stacked bars: one row per key, one segment per series, with a legend. */
export function StackedBars(props: {
  rows: { key: string; label: string; values: Record<string, number>; highlight?: boolean }[];
  segments: Segment[];
  format: (v: number) => string;
  testId?: string;
}) {
  const total = (r: { values: Record<string, number> }) => props.segments.reduce((s, g) => s + (r.values[g.key] ?? 0), 0);
  const max = Math.max(0, ...props.rows.map(total)) || 1;
  return (
    <div data-testid={props.testId}>
      <ul className="chart-legend">
        {props.segments.map((g) => (
          <li key={g.key}><span className="swatch" style={{ background: g.color }} />{g.label}</li>
        ))}
      </ul>
      <ul className="bars">
        {props.rows.map((r) => (
          <li key={r.key} data-key={r.key} className={r.highlight ? 'highlight' : undefined}>
            <span className="bar-label" title={r.label}>{r.label}</span>
            <span className="bar-track">
              {props.segments.map((g) => (
                <span key={g.key} className="bar" title={`${g.label}: ${props.format(r.values[g.key] ?? 0)}`}
                  style={{ width: `${((r.values[g.key] ?? 0) / max) * 100}%`, background: g.color }} />
              ))}
            </span>
            <span className="bar-value">{props.format(total(r))}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A line over months (YYYY-MM), y from 0; the last point is labelled. */
export function MonthLine(props: { points: { month: string; value: number | null }[]; format: (v: number) => string; testId?: string }) {
  const W = 400;
  const H = 120;
  const PAD = { left: 36, right: 8, top: 8, bottom: 18 };
  const values = props.points.map((p) => p.value ?? 0);
  const max = Math.max(0, ...values) * 1.1 || 1;
  const x = (i: number) => PAD.left + (i / Math.max(1, props.points.length - 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom);
  const drawn = props.points.map((p, i) => (p.value === null ? null : `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`)).filter(Boolean);
  const last = props.points.at(-1);
  const years = props.points.map((p, i) => ({ p, i })).filter(({ p }) => p.month.endsWith('-01'));
  return (
    <svg className="month-line" viewBox={`0 0 ${W} ${H}`} role="img" data-testid={props.testId} data-points={props.points.length}>
      <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="axis" />
      <text x={PAD.left - 4} y={y(max / 1.1) + 4} className="tick" textAnchor="end">{props.format(max / 1.1)}</text>
      <text x={PAD.left - 4} y={y(0)} className="tick" textAnchor="end">{props.format(0)}</text>
      {years.map(({ p, i }) => (
        <g key={p.month}>
          <line x1={x(i)} x2={x(i)} y1={PAD.top} y2={y(0)} className="grid" />
          <text x={x(i)} y={H - 4} className="tick" textAnchor="middle">{p.month.slice(0, 4)}</text>
        </g>
      ))}
      <polyline points={drawn.join(' ')} className="line" />
      {last && last.value !== null && (
        <text x={x(props.points.length - 1)} y={y(last.value) - 5} className="tick" textAnchor="end">{props.format(last.value)}</text>
      )}
    </svg>
  );
}
