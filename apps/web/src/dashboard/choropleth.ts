import type { Choropleth, ChoroplethIndicator } from '../url/app-state.ts';
import { useFetch } from '../panels/useFetch.ts';
import { statsApi } from './stats-api.ts';

/**
 * Parks or areas shaded by an indicator as of a day: the values come from the stats API, are cut
 * into five classes at their quantiles, and coloured on a ramp whose dark end is the bad end (high
 * vacancy, much idle land) or the good end (high output per mu).
 */

export interface ChoroplethClass {
  color: string;
  /** The class's lowest and highest value. */
  from: number;
  to: number;
}

export interface ChoroplethColors {
  /** Colour of each park or area code that has a value. */
  colors: Record<string, string>;
  classes: ChoroplethClass[];
  values: Record<string, number>;
}

// ColorBrewer-like sequential ramps, light to dark.
const RAMPS: Record<'bad' | 'good', string[]> = {
  bad: ['#fee5d9', '#fcae91', '#fb6a4a', '#de2d26', '#a50f15'],
  good: ['#edf8e9', '#bae4b3', '#74c476', '#31a354', '#006d2c'],
};
const DIRECTION: Record<ChoroplethIndicator, 'bad' | 'good'> = {
  vacancy_rate: 'bad',
  idle_share: 'bad',
  tax_per_mu: 'good',
  revenue_per_mu: 'good',
};
/** Output per mu exists for parks only (a park's land users); areas have vacancy and idle land. */
export function indicatorsFor(level: Choropleth['level']): ChoroplethIndicator[] {
  return level === 'parks' ? ['vacancy_rate', 'idle_share', 'tax_per_mu', 'revenue_per_mu'] : ['vacancy_rate', 'idle_share'];
}

/** Five classes at the quantiles of the values (fewer when values repeat), each with its colour. */
export function classify(values: Record<string, number>, direction: 'bad' | 'good'): ChoroplethColors {
  const sorted = Object.values(values).sort((a, b) => a - b);
  const ramp = RAMPS[direction];
  const classes: ChoroplethClass[] = [];
  if (sorted.length > 0) {
    const n = Math.min(ramp.length, sorted.length);
    for (let i = 0; i < n; i++) {
      const from = sorted[Math.floor((i * sorted.length) / n)];
      const to = sorted[Math.floor(((i + 1) * sorted.length) / n) - 1];
      if (classes.length && from <= classes[classes.length - 1].to) {
        classes[classes.length - 1].to = Math.max(classes[classes.length - 1].to, to);
      } else {
        classes.push({ color: '', from, to });
      }
    }
    // Spread the classes over the ramp so two classes are not two near-identical shades.
    classes.forEach((c, i) => (c.color = ramp[Math.round((i * (ramp.length - 1)) / Math.max(1, classes.length - 1))]));
  }
  const colors: Record<string, string> = {};
  for (const [code, v] of Object.entries(values)) colors[code] = (classes.find((c) => v <= c.to) ?? classes[classes.length - 1]).color;
  return { colors, classes, values };
}

async function loadValues(c: Choropleth, asOf: string | null, signal: AbortSignal): Promise<Record<string, number>> {
  const by = c.level === 'parks' ? 'park' : 'area';
  const pick = <T extends { key: string | null }>(items: T[], value: (item: T) => number | null) => {
    const out: Record<string, number> = {};
    for (const item of items) {
      const v = value(item);
      if (item.key && v !== null && Number.isFinite(v)) out[item.key] = v;
    }
    return out;
  };
  switch (c.indicator) {
    case 'vacancy_rate':
      return pick((await statsApi.vacancy(by, asOf, signal)).items, (i) => i.vacancy_rate);
    case 'idle_share':
      return pick((await statsApi.idleSummary(by, asOf, signal)).items, (i) => i.idle_share);
    case 'tax_per_mu':
    case 'revenue_per_mu': {
      const field = c.indicator;
      return pick((await statsApi.outputPerMu(asOf, signal)).items, (i) => i[field]);
    }
  }
}

/** The colours of the choropleth in the URL, loaded when it or the day changes. */
export function useChoropleth(c: Choropleth | null, asOf: string | null): ChoroplethColors | null {
  const key = c && (c.level === 'parks' || indicatorsFor('areas').includes(c.indicator)) ? `${c.indicator}:${c.level}:${asOf}` : null;
  const { data } = useFetch(key, async (signal) => classify(await loadValues(c!, asOf, signal), DIRECTION[c!.indicator]));
  return data ?? null;
}
