import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * "As of": a slider over month ends from 2015 to this month; the current month means today. The
 * figures follow the slider when it comes to rest, not at every step of a drag.
 */

const FIRST_MONTH = '2015-01';

export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** YYYY-MM of a day (today when null). */
export function monthOf(day: string | null): string {
  return (day ?? today()).slice(0, 7);
}

const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthAt = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

/** The month `n` months before `month`. */
export function monthsBack(month: string, n: number): string {
  return monthAt(index(month) - n);
}

/** The last day of a month, YYYY-MM-DD. */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

export function AsOfSlider(props: { asOf: string | null; onChange: (asOf: string | null) => void }) {
  const { t } = useI18n();
  const last = index(monthOf(null));
  const [value, setValue] = useState(index(monthOf(props.asOf)));
  useEffect(() => setValue(index(monthOf(props.asOf))), [props.asOf]);
  const commit = (i: number) => props.onChange(i >= last ? null : monthEnd(monthAt(i)));
  useEffect(() => {
    if (value === index(monthOf(props.asOf))) return;
    const timer = setTimeout(() => commit(value), 400);
    return () => clearTimeout(timer);
  }, [value]);
  const shown = value >= last ? today() : monthEnd(monthAt(value));
  return (
    <div className="as-of">
      <label className="field">
        <span>{t('dash_asOf')}: <strong data-testid="as-of-day">{shown}</strong></span>
        <input type="range" data-testid="as-of" min={index(FIRST_MONTH)} max={last} step={1} value={value}
          onChange={(e) => setValue(Number(e.target.value))} />
      </label>
      {props.asOf && <button type="button" className="link" onClick={() => props.onChange(null)}>{t('dash_today')}</button>}
    </div>
  );
}
